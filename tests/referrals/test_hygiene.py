"""Draft hygiene: one warning for drafts untouched for the warning period, deletion after the retention period
(with evidence files), both declared as periodic jobs."""

from datetime import timedelta

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from referrals.models import Draft, EvidenceFile, ReferralPolicy
from referrals.services import draft_create, draft_save_page, drafts_delete_expired, drafts_warn_expiring
from referrals.tasks import drafts_delete_expired_task, drafts_warn_expiring_task
from tests.casework.factories import SubmittedReferralFactory
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


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


@pytest.fixture
def responder(db):
    return UserFactory(role=Role.FIRST_RESPONDER)


def draft_untouched_for(responder, days: float) -> Draft:
    draft = draft_create(actor=responder)
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=days))
    draft.refresh_from_db()
    return draft


def add_evidence(draft: Draft, responder) -> EvidenceFile:
    evidence = EvidenceFile(
        draft=draft,
        original_name="statement.pdf",
        content_type="application/pdf",
        size=9,
        description="Statement",
        uploaded_by=responder,
    )
    evidence.file.save("ignored", ContentFile(b"%PDF-1.4\n"), save=False)
    evidence.save()
    return evidence


# --- warning --------------------------------------------------------------------------------------------------
def test_a_draft_untouched_for_21_days_warns_its_last_editor_once(responder, django_capture_on_commit_callbacks):
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
    draft = draft_untouched_for(responder, 21.5)
    Draft.objects.filter(pk=draft.pk).update(last_changed_by=colleague)
    recent = draft_untouched_for(responder, 20)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert drafts_warn_expiring() == 1
    assert len(callbacks) == 1  # the email is queued after commit
    notification = Notification.objects.get()
    assert notification.recipient == colleague
    assert notification.kind == Notification.Kind.DRAFT_EXPIRING
    assert notification.subject == draft
    assert notification.reference == f"number {draft.pk}"
    draft.refresh_from_db()
    recent.refresh_from_db()
    assert draft.expiry_warning_sent_at is not None
    assert recent.expiry_warning_sent_at is None
    assert draft.updated_at < timezone.now() - timedelta(days=21)  # the warning does not put off the deletion

    assert drafts_warn_expiring() == 0  # safe to run twice
    assert Notification.objects.count() == 1


def test_a_draft_picked_up_again_is_warned_again_when_left_again(responder):
    draft = draft_untouched_for(responder, 22)
    drafts_warn_expiring()
    draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "no"},
        expected_version=draft.version,
    )  # fmt: skip
    draft.refresh_from_db()
    assert draft.expiry_warning_sent_at is None
    assert drafts_warn_expiring() == 0
    assert drafts_warn_expiring(now=timezone.now() + timedelta(days=21, hours=1)) == 1
    assert Notification.objects.count() == 2


def test_sent_referrals_drafts_are_never_warned_nor_deleted(responder):
    referral = SubmittedReferralFactory()
    Draft.objects.filter(pk=referral.draft_id).update(updated_at=timezone.now() - timedelta(days=400))
    assert drafts_warn_expiring() == 0
    assert drafts_delete_expired() == 0
    assert Draft.objects.filter(pk=referral.draft_id).exists()


def test_the_warning_period_is_policy(responder):
    ReferralPolicy.objects.update_or_create(pk=1, defaults={"draft_warning_days": 10})
    draft_untouched_for(responder, 11)
    assert drafts_warn_expiring() == 1


# --- deletion -------------------------------------------------------------------------------------------------
def test_drafts_past_retention_are_deleted_with_their_evidence_files(
    responder, private_media, django_capture_on_commit_callbacks
):
    expired = draft_untouched_for(responder, 28.1)
    evidence = add_evidence(expired, responder)
    stored = private_media / evidence.file.name
    kept = draft_untouched_for(responder, 27.9)
    kept_evidence = add_evidence(kept, responder)
    Draft.objects.filter(pk=kept.pk).update(updated_at=timezone.now() - timedelta(days=27.9))
    assert stored.exists()

    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_delete_expired() == 1

    assert not Draft.objects.filter(pk=expired.pk).exists()
    assert not EvidenceFile.objects.filter(pk=evidence.pk).exists()
    assert not stored.exists()
    assert Draft.objects.filter(pk=kept.pk).exists()
    assert (private_media / kept_evidence.file.name).exists()
    # Nothing typed into the deleted draft survives in its change history either.
    assert not Draft.history.filter(id=expired.pk).exists()
    assert not EvidenceFile.history.filter(id=evidence.pk).exists()
    assert Draft.history.filter(id=kept.pk).exists()

    assert drafts_delete_expired() == 0  # safe to run twice


def test_stored_files_stay_until_the_deletion_commits(responder, private_media, django_capture_on_commit_callbacks):
    draft = draft_untouched_for(responder, 30)
    evidence = add_evidence(draft, responder)
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        drafts_delete_expired()
    assert (private_media / evidence.file.name).exists()
    assert len(callbacks) == 1


def test_a_missing_stored_file_does_not_stop_the_deletion(responder, private_media, django_capture_on_commit_callbacks):
    draft = draft_untouched_for(responder, 30)
    evidence = add_evidence(draft, responder)
    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=30))
    (private_media / evidence.file.name).unlink()
    with django_capture_on_commit_callbacks(execute=True):
        assert drafts_delete_expired() == 1


def test_the_retention_period_is_policy_and_now_can_be_given(responder):
    ReferralPolicy.objects.update_or_create(pk=1, defaults={"draft_retention_days": 60})
    draft = draft_untouched_for(responder, 30)
    assert drafts_delete_expired() == 0
    assert drafts_delete_expired(now=timezone.now() + timedelta(days=31)) == 1
    assert not Draft.objects.filter(pk=draft.pk).exists()


def test_many_expired_drafts_are_deleted_in_batches(responder, monkeypatch):
    monkeypatch.setattr("referrals.services.hygiene.BATCH_SIZE", 2)
    for _ in range(5):
        draft_untouched_for(responder, 40)
    assert drafts_warn_expiring() == 5
    assert drafts_delete_expired() == 5
    assert not Draft.objects.exists()


# --- the periodic jobs ----------------------------------------------------------------------------------------
def test_both_jobs_are_declared_daily_and_wrap_the_services(responder):
    from nrm.celery import PERIODIC_JOBS

    tasks = {job["task"]: job["schedule"] for job in PERIODIC_JOBS.values()}
    for task in (drafts_warn_expiring_task, drafts_delete_expired_task):
        assert task.name in tasks
        schedule = tasks[task.name]
        assert (len(schedule.hour), len(schedule.minute), len(schedule.day_of_week)) == (1, 1, 7)

    draft_untouched_for(responder, 29)
    assert drafts_warn_expiring_task.apply().get() == 1
    assert drafts_delete_expired_task.apply().get() == 1


@pytest.mark.worker
def test_a_real_worker_warns_by_email_then_deletes(transactional_db, celery_worker_process):
    """End to end on Redis: the warning's email says which draft and nothing about the person in it."""
    celery_worker_process.clear_mail()
    responder = UserFactory(role=Role.FIRST_RESPONDER, full_name="Oluwaseun Hartley-Berg")
    draft = draft_untouched_for(responder, 22)
    Draft.objects.filter(pk=draft.pk).update(answers={**draft.answers, "first_name": "Marisol"})

    drafts_warn_expiring_task.delay()
    [message] = celery_worker_process.wait_until(celery_worker_process.messages, timeout=30)
    assert message["To"] == responder.email
    assert message["Subject"] == "NRM Digital: your draft referral will be deleted soon"
    assert f"number {draft.pk}" in message.get_content()
    assert "Marisol" not in message.as_string()
    assert "Oluwaseun" not in message.as_string()

    Draft.objects.filter(pk=draft.pk).update(updated_at=timezone.now() - timedelta(days=29))
    drafts_delete_expired_task.delay()
    celery_worker_process.wait_until(lambda: not Draft.objects.filter(pk=draft.pk).exists(), timeout=30)
