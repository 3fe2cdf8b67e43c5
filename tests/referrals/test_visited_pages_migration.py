"""Drafts saved before the questions were grouped keep their progress: the migration renames the pages they
visited to the pages that now hold those questions (referrals 0009)."""

import importlib

import pytest
from django.apps import apps

from accounts.roles import Role
from referrals.models import Draft
from referrals.questions import QUESTIONNAIRE
from referrals.services import draft_create
from tests.factories import UserFactory

migration = importlib.import_module("referrals.migrations.0009_drafts_visited_grouped_pages")

pytestmark = pytest.mark.django_db


def test_every_old_page_is_renamed_to_a_page_that_exists_now():
    slugs = {page.slug for section in QUESTIONNAIRE.sections for page in section.pages}
    assert set(migration.OLD_TO_NEW.values()) <= slugs
    assert not set(migration.OLD_TO_NEW) & slugs


def test_a_draft_that_visited_old_pages_has_visited_the_pages_holding_them():
    draft = draft_create(actor=UserFactory(role=Role.FIRST_RESPONDER))
    draft.answers = {"under_18": "no", "_visited": ["name", "date-of-birth", "under-18", "nation"]}
    draft.save(update_fields=["answers"])

    migration.rename_visited_pages(apps, None)

    draft = Draft.objects.get(pk=draft.pk)
    assert draft.answers["_visited"] == ["person", "referral-details", "under-18"]
    assert draft.answers["under_18"] == "no"
