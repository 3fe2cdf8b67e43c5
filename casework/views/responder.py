"""PLACEHOLDER: being written."""

from django.http import Http404


def letter_download(request, *args, **kwargs):
    raise Http404


def file_download(request, *args, **kwargs):
    raise Http404


def answer_information_request(request, *args, **kwargs):
    raise Http404


def request_reconsideration(request, *args, **kwargs):
    raise Http404
