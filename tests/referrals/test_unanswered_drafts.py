"""Starting a new referral leaves nothing behind until something is answered (issue 12, section 3): a draft with
nothing answered is never listed, and the daily hygiene job deletes it a day after it was started."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from referrals.models import Draft, EvidenceFile
from referrals.services import draft_create, draft_save_page, drafts_delete_unanswered
from referrals.tasks import drafts_delete_unanswered_task
from tests.casework.factories import SubmittedReferralFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LIST_URL = reverse("referrals:list")


@pytest.fixture
def responder(db):
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def signed_in(client, responder):
    client.force_login(responder)
    return client


@pytest.fixture
def private_media(settings, tmp_path, monkeypatch):
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "private", "base_url": None},
        },
    }
    monkeypatch.setattr(EvidenceFile._meta.get_field("file"), "storage", storages["private"])
    return tmp_path / "private"


def started_hours_ago(draft: Draft, hours: float) -> Draft:
    Draft.objects.filter(pk=draft.pk).update(created_at=timezone.now() - timedelta(hours=hours))
    return draft


def answer(draft: Draft, actor, page_slug: str, page_answers: dict) -> Draft:
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=actor, page_slug=page_slug, page_answers=page_answers, expected_version=draft.version
    )
    return draft


def add_evidence(draft: Draft, actor) -> EvidenceFile:
    evidence = EvidenceFile(
        draft=draft,
        original_name="statement.pdf",
        content_type="application/pdf",
        size=9,
        description="Statement",
        uploaded_by=actor,
    )
    evidence.file.save("ignored", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    return evidence


def listed_drafts(client) -> list[int]:
    return [row["draft"].pk for row in client.get(LIST_URL).context["drafts"]]


# --- the organisation's list ----------------------------------------------------------------------------------
def test_starting_a_referral_and_going_back_leaves_nothing_in_the_organisations_list(signed_in, responder):
    response = signed_in.post(reverse("referrals:start"))
    draft = Draft.objects.get()
    assert response.url == reverse("referrals:task_list", kwargs={"pk": draft.pk})
    page = signed_in.get(LIST_URL)
    assert page.context["drafts"] == []
    assert f"Draft {draft.pk}" not in page.text
    assert 'data-testid="no-drafts"' in page.text
    # The draft still opens where it was started: its task list and its pages.
    assert signed_in.get(response.url).status_code == 200


def test_a_draft_is_listed_once_something_is_answered_in_it(signed_in, responder):
    draft = draft_create(actor=responder)
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
    untouched = draft_create(actor=colleague)
    answer(draft, responder, "nation", {"nation": "england"})
    assert listed_drafts(signed_in) == [draft.pk]
    assert untouched.pk not in listed_drafts(signed_in)


def test_saving_a_page_with_nothing_typed_does_not_make_the_draft_listed(signed_in, responder):
    draft = draft_create(actor=responder)
    answer(draft, responder, "nation", {"nation": ""})
    assert listed_drafts(signed_in) == []


def test_a_draft_with_only_an_evidence_file_is_listed(signed_in, responder, private_media):
    draft = draft_create(actor=responder)
    add_evidence(draft, responder)
    assert listed_drafts(signed_in) == [draft.pk]


# --- the database ---------------------------------------------------------------------------------------------
def test_drafts_with_nothing_answered_are_deleted_a_day_after_they_were_started(responder, private_media):
    forgotten = started_hours_ago(draft_create(actor=responder), 25)
    just_started = started_hours_ago(draft_create(actor=responder), 2)
    answered = started_hours_ago(answer(draft_create(actor=responder), responder, "nation", {"nation": "wales"}), 25)
    with_a_file = started_hours_ago(draft_create(actor=responder), 25)
    add_evidence(with_a_file, responder)
    sent = SubmittedReferralFactory().draft
    started_hours_ago(sent, 25)

    assert drafts_delete_unanswered() == 1

    assert set(Draft.objects.values_list("pk", flat=True)) == {just_started.pk, answered.pk, with_a_file.pk, sent.pk}
    assert not Draft.history.filter(id=forgotten.pk).exists()  # nothing of it left in the change history
    assert drafts_delete_unanswered() == 0  # safe to run twice


def test_the_cleanup_is_a_daily_periodic_job(responder):
    from nrm.celery import PERIODIC_JOBS

    schedules = {job["task"]: job["schedule"] for job in PERIODIC_JOBS.values()}
    schedule = schedules[drafts_delete_unanswered_task.name]
    assert (len(schedule.hour), len(schedule.minute), len(schedule.day_of_week)) == (1, 1, 7)
    started_hours_ago(draft_create(actor=responder), 30)
    assert drafts_delete_unanswered_task.apply().get() == 1
    assert not Draft.objects.exists()
