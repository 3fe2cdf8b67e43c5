"""PLACEHOLDER: being written."""

from django.http import Http404


def case_detail(request, *args, **kwargs):
    raise Http404


def assign(request, *args, **kwargs):
    raise Http404


def release(request, *args, **kwargs):
    raise Http404


def add_note(request, *args, **kwargs):
    raise Http404


def referral_pdf(request, *args, **kwargs):
    raise Http404


def rg_decision(request, *args, **kwargs):
    raise Http404


def cg_decision(request, *args, **kwargs):
    raise Http404


def review_decision(request, *args, **kwargs):
    raise Http404


def request_information(request, *args, **kwargs):
    raise Http404


def withdraw_information_request(request, *args, **kwargs):
    raise Http404


def request_reconsideration(request, *args, **kwargs):
    raise Http404


def decide_reconsideration(request, *args, **kwargs):
    raise Http404


def suspend(request, *args, **kwargs):
    raise Http404


def resume(request, *args, **kwargs):
    raise Http404


def withdraw(request, *args, **kwargs):
    raise Http404


def transfer(request, *args, **kwargs):
    raise Http404


def mark_duplicate(request, *args, **kwargs):
    raise Http404


def disqualify(request, *args, **kwargs):
    raise Http404
