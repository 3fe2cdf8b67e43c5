"""Kept form markup (common.templatetags.govuk.crispy_kept) is shared by everyone who opens a page: it must never
carry one person's CSRF token to another, and each person's own token must work."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from casework.models import CaseNote

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def note_form_token(client: Client, case) -> str:
    page = client.get(reverse("casework:case", args=[case.reference])).content.decode()
    form = page[page.index(reverse("casework:add_note", args=[case.reference])) :]
    return TOKEN.search(form).group(1)


def test_each_person_gets_their_own_csrf_token_in_the_kept_note_form_and_their_note_is_saved(caseworker, manager, case):
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(caseworker)
    second.force_login(manager)
    first_token = note_form_token(first, case)  # the note form's markup is kept from here on
    second_token = note_form_token(second, case)

    assert first_token != second_token
    response = second.post(
        reverse("casework:add_note", args=[case.reference]),
        {"text": "Spoke to the support provider.", "csrfmiddlewaretoken": second_token},
    )
    assert response.status_code == 302
    assert CaseNote.objects.filter(case=case, text="Spoke to the support provider.").exists()
