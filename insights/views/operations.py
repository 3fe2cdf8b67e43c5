"""Not written yet."""

from django.http import Http404


def operations(request, **kwargs):
    raise Http404


def service_performance(request, **kwargs):
    raise Http404
