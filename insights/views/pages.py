"""Not written yet."""

from django.http import Http404


def statistics(request, **kwargs):
    raise Http404


def table(request, **kwargs):
    raise Http404
