"""Sending a referral, its confirmation, PDF copy, the prompt sheet and feedback. (Being built.)"""

from django.http import Http404


def referral_send(request, pk: int):
    raise Http404


def confirmation(request, reference: str):
    raise Http404


def referral_pdf(request, reference: str):
    raise Http404


def prompt_sheet(request):
    raise Http404


def feedback(request, reference: str):
    raise Http404
