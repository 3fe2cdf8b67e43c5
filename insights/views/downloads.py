"""Not written yet."""

from django.http import Http404


def export(request, **kwargs):
    raise Http404


def extract(request, **kwargs):
    raise Http404


def extract_download(request, **kwargs):
    raise Http404
