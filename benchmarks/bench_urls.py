"""The project's URLs plus `/bench/bare/<size>`: `size` bytes of HTML from a view that does nothing else, served
through the same middleware by the same gunicorn. The floor each page is compared with in
`benchmarks/throughput.py`; only `benchmarks.bench_settings` uses this URL conf, never the service's."""

from django.http import HttpResponse
from django.urls import path

from nrm.urls import urlpatterns as service_urlpatterns

_FILLER = b"<!DOCTYPE html><html lang='en'><body>" + b"x" * 4096


def bare_page(request, size: int) -> HttpResponse:
    body = (_FILLER * (size // len(_FILLER) + 1))[:size]
    return HttpResponse(body, content_type="text/html; charset=utf-8")


urlpatterns = [path("bench/bare/<int:size>", bare_page, name="bench_bare"), *service_urlpatterns]
