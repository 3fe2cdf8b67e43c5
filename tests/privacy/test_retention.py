import io
from datetime import timedelta
from io import StringIO

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from casework.models import (
    AccessLogEntry,
    Case,
    CaseEvent,
    CaseFile,
    CaseNote,
    Decision,
    InformationRequest,
    Letter,
    Reconsideration,
)
from casework.services import access_log_record, case_withdraw
from notifications.models import Notification
from privacy.models import AnonymisedReferral, RetentionPolicy, RetentionRun
from privacy.services import retention_apply
from referrals.models import Draft, EvidenceFile, Referral
from tests.casework.factories import DutyToNotifyReferralFactory, case_in_state
from tests.factories import UserFactory
from tests.privacy.conftest import (
    YEARS_AGO_7,
    age_case,
    files_in,
    notification_about,
    person_with_everything,
    rows_mentioning,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def jane(authority_staff, private_files):
    caseworker, manager = authority_staff
    person = person_with_everything("Jane Doe", caseworker=caseworker, manager=manager, storage=private_files)
    age_case(person.case)
    return person


def run(django_capture_on_commit_callbacks, **kwargs):
    """A run whose after-commit work (deleting stored files) happens, as it does outside a test transaction."""
    with django_capture_on_commit_callbacks(execute=True):
        return retention_apply(**kwargs)


def set_policy(**values) -> None:
    RetentionPolicy.objects.filter(pk=RetentionPolicy.current().pk).update(**values)


def test_the_policy_is_seeded_with_the_documented_defaults():
    policy = RetentionPolicy.current()
    assert (policy.closed_case_days, policy.closed_case_action) == (2192, RetentionPolicy.Action.ANONYMISE)
    assert (policy.duty_to_notify_days, policy.duty_to_notify_action) == (2192, RetentionPolicy.Action.ANONYMISE)
    assert (policy.access_log_days, policy.notification_days) == (731, 365)


def test_the_dry_run_lists_and_counts_exactly_what_the_run_then_removes(
    jane, authority_staff, private_files, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    young = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    old_report = DutyToNotifyReferralFactory(submitted_at=timezone.now() - YEARS_AGO_7)
    DutyToNotifyReferralFactory()  # sent today
    AccessLogEntry.objects.filter(case=jane.case).update(viewed_at=timezone.now() - timedelta(days=800))
    access_log_record(user=caseworker, case=young, what=AccessLogEntry.What.CASE)
    old_notification = notification_about(young, days_old=400)
    notification_about(young, days_old=10)
    notes_before = list(CaseNote.objects.values_list("text", flat=True))

    dry = retention_apply(dry_run=True, trigger=RetentionRun.Trigger.COMMAND)
    assert dry.references == {
        "cases_anonymised": [jane.case.reference],
        "duty_to_notify_anonymised": [old_report.reference],
    }
    assert list(CaseNote.objects.values_list("text", flat=True)) == notes_before  # nothing changed
    assert AccessLogEntry.objects.filter(case=jane.case).exists()

    real = run(django_capture_on_commit_callbacks)
    assert real.references == dry.references
    assert real.counts == dry.counts
    # The notification of Jane's assignment is old too (made while building her record, moved back below).
    assert dry.counts["access_log_entries_deleted"] == 1
    assert dry.counts["notifications_deleted"] >= 1
    assert not Notification.objects.filter(pk=old_notification.pk).exists()
    assert Notification.objects.filter(reference=young.reference).count() >= 1
    assert list(AccessLogEntry.objects.values_list("case_id", flat=True)) == [young.pk]
    assert {run.dry_run for run in RetentionRun.objects.all()} == {True, False}


def test_anonymising_keeps_the_statistics_and_removes_every_personal_detail_history_and_file(
    jane, private_files, django_capture_on_commit_callbacks
):
    assert rows_mentioning(jane.marker)  # the search works: her details are everywhere before the run
    assert len(files_in(private_files)) == 5  # evidence, two request files, a reconsideration file, the letter

    run(django_capture_on_commit_callbacks)

    assert rows_mentioning(jane.marker) == {}
    assert rows_mentioning("Jane") == {}
    assert files_in(private_files) == []
    referral = Referral.objects.get(pk=jane.referral.pk)
    assert referral.answers == {
        "nation": "england",
        "under_18": "no",
        "consent": "yes",
        "gender": "female",
        "nationality": "Albanian",
        "exploitation_types": ["labour"],
        "exploited_in": "uk",
    }
    assert (referral.route, referral.nation, referral.is_child) == ("adult", "england", False)
    assert (referral.gender, referral.nationalities) == ("female", ["Albanian"])
    assert (referral.exploitation_types, referral.exploited_in) == (["labour"], "uk")
    assert (referral.person_name_key, referral.date_of_birth, referral.home_office_reference) == ("", None, "")
    assert referral.responder_reference == ""
    assert Draft.objects.get(pk=referral.draft_id).answers == referral.answers
    assert not EvidenceFile.objects.filter(draft_id=referral.draft_id).exists()
    assert not EvidenceFile.history.filter(draft_id=referral.draft_id).exists()
    case = Case.objects.get(pk=jane.case.pk)
    assert case.status == Case.Status.RG_NEGATIVE_SERVED
    decision = Decision.objects.get(case=case)
    assert (decision.stage, decision.outcome, decision.state) == ("rg", "negative", "served")
    assert decision.factors == Decision.history.get(id=decision.pk).factors
    assert not Letter.objects.get(decision=decision).file
    assert not CaseFile.objects.filter(case=case).exists()
    assert Reconsideration.objects.get(case=case).grounds == [Reconsideration.Ground.NEW_EVIDENCE]
    assert InformationRequest.objects.get(case=case).state == InformationRequest.State.ANSWERED
    # Each changed row keeps one history row, which says why and holds nothing of the old text.
    history = Decision.history.filter(id=decision.pk)
    assert [(row.history_type, row.history_change_reason) for row in history] == [
        ("~", "Personal details removed under the retention policy")
    ]
    assert CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.ANONYMISED).count() == 1
    assert AnonymisedReferral.objects.filter(referral=referral).exists()


def test_deleting_removes_the_case_the_referral_their_history_and_their_files(
    jane, private_files, django_capture_on_commit_callbacks
):
    set_policy(closed_case_action=RetentionPolicy.Action.DELETE)
    case_id, referral_id, draft_id = jane.case.pk, jane.referral.pk, jane.referral.draft_id
    assert Notification.objects.filter(reference=jane.case.reference).exists()

    outcome = run(django_capture_on_commit_callbacks)

    assert outcome.references["cases_deleted"] == [jane.case.reference]
    assert not Case.objects.filter(pk=case_id).exists()
    assert not Referral.objects.filter(pk=referral_id).exists()
    assert not Draft.objects.filter(pk=draft_id).exists()
    for model in (CaseEvent, CaseNote, Decision, InformationRequest, Reconsideration, CaseFile, AccessLogEntry):
        assert not model.objects.filter(case_id=case_id).exists(), model
    assert not Letter.objects.filter(decision__case_id=case_id).exists()
    assert not Case.history.filter(id=case_id).exists()
    assert not Referral.history.filter(id=referral_id).exists()
    assert not Notification.objects.filter(reference=jane.case.reference).exists()
    assert rows_mentioning(jane.marker) == {}
    assert rows_mentioning(jane.case.reference) == {}
    assert files_in(private_files) == []


def test_running_twice_removes_nothing_the_second_time(jane, django_capture_on_commit_callbacks):
    first = run(django_capture_on_commit_callbacks)
    events = CaseEvent.objects.filter(case=jane.case).count()
    history_rows = Decision.history.count()

    second = run(django_capture_on_commit_callbacks)

    assert first.counts["cases_anonymised"] == 1
    assert second.counts == {
        "cases_anonymised": 0,
        "duty_to_notify_anonymised": 0,
        "access_log_entries_deleted": 0,
        "notifications_deleted": 0,
    }
    assert CaseEvent.objects.filter(case=jane.case).count() == events
    assert Decision.history.count() == history_rows


def test_running_twice_under_the_delete_rule_is_safe(jane, django_capture_on_commit_callbacks):
    set_policy(closed_case_action=RetentionPolicy.Action.DELETE)
    assert run(django_capture_on_commit_callbacks).counts["cases_deleted"] == 1
    assert run(django_capture_on_commit_callbacks).counts["cases_deleted"] == 0


def test_nothing_younger_than_the_period_is_touched(authority_staff, private_files, django_capture_on_commit_callbacks):
    caseworker, manager = authority_staff
    person = person_with_everything("Ann Young", caseworker=caseworker, manager=manager, storage=private_files)
    age_case(person.case, by=timedelta(days=2192 - 2))  # two days short of six years

    outcome = run(django_capture_on_commit_callbacks)

    assert outcome.counts["cases_anonymised"] == 0
    assert rows_mentioning(person.marker)
    assert len(files_in(private_files)) == 5


def test_a_late_note_restarts_the_clock_of_an_ended_case(jane, django_capture_on_commit_callbacks):
    author = UserFactory(role=Role.CASEWORKER, organisation=jane.case.authority)
    note = CaseNote.objects.create(case=jane.case, text="Spoke to the support provider.", author=author)
    CaseEvent.record(jane.case, author, CaseEvent.Kind.NOTE_ADDED, note_id=note.pk)  # today
    assert run(django_capture_on_commit_callbacks).counts["cases_anonymised"] == 0


@pytest.mark.parametrize(
    "status",
    [
        Case.Status.AWAITING_RG,
        Case.Status.RG_NEGATIVE_REVIEW,
        Case.Status.RECOVERY,
        Case.Status.AWAITING_CG,
        Case.Status.CG_NEGATIVE_REVIEW,
        Case.Status.CONFIRMED_VICTIM,
        Case.Status.SUSPENDED,
    ],
)
def test_open_suspended_and_supported_cases_are_never_touched_however_old(
    status, authority_staff, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    set_policy(closed_case_action=RetentionPolicy.Action.DELETE)
    case = case_in_state(status, opened_days_ago=40, caseworker=caseworker, manager=manager)
    age_case(case, by=timedelta(days=20 * 366))

    assert retention_apply(dry_run=True).counts["cases_deleted"] == 0
    assert run(django_capture_on_commit_callbacks).counts["cases_deleted"] == 0
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_served_negative_case_with_a_reconsideration_pending_is_kept(
    authority_staff, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    decision = Decision.objects.get(case=case)
    Reconsideration.objects.create(
        case=case, decision=decision, requested_by=case.referral.submitted_by,
        requester_organisation=case.referral.organisation, grounds=["new_evidence"], details="Pending",
    )  # fmt: skip
    age_case(case)
    assert run(django_capture_on_commit_callbacks).counts["cases_anonymised"] == 0


@pytest.mark.parametrize("status", [Case.Status.WITHDRAWN, Case.Status.CLOSED, Case.Status.DISQUALIFIED])
def test_closed_withdrawn_and_disqualified_cases_are_removed_after_the_period(
    status, authority_staff, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    case = case_in_state(status, opened_days_ago=130, caseworker=caseworker, manager=manager)
    age_case(case)
    assert run(django_capture_on_commit_callbacks).references["cases_anonymised"] == [case.reference]


def test_a_merged_duplicate_loses_its_pointer_when_the_case_it_joined_is_deleted(
    authority_staff, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    set_policy(closed_case_action=RetentionPolicy.Action.DELETE)
    surviving = case_in_state(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager)
    duplicate = case_in_state(Case.Status.MERGED, caseworker=caseworker, manager=manager, other=surviving)
    case_withdraw(case_id=surviving.pk, actor=manager, reason="Left the NRM")
    age_case(surviving)

    outcome = run(django_capture_on_commit_callbacks)

    assert outcome.references["cases_deleted"] == [surviving.reference]
    duplicate.refresh_from_db()
    assert duplicate.merged_into is None
    assert duplicate.history.latest().history_change_reason.startswith("The case it was merged into was deleted")


def test_duty_to_notify_reports_follow_their_own_period_and_rule(django_capture_on_commit_callbacks):
    set_policy(duty_to_notify_days=365, duty_to_notify_action=RetentionPolicy.Action.DELETE)
    old = DutyToNotifyReferralFactory(submitted_at=timezone.now() - timedelta(days=366))
    young = DutyToNotifyReferralFactory(submitted_at=timezone.now() - timedelta(days=364))

    outcome = run(django_capture_on_commit_callbacks)

    assert outcome.references["duty_to_notify_deleted"] == [old.reference]
    assert not Referral.objects.filter(pk=old.pk).exists()
    assert not Referral.history.filter(id=old.pk).exists()
    assert Referral.objects.filter(pk=young.pk).exists()


def test_a_duty_to_notify_report_is_anonymised_once(django_capture_on_commit_callbacks):
    report = DutyToNotifyReferralFactory(
        submitted_at=timezone.now() - YEARS_AGO_7,
        answers={"nation": "wales", "gender": "male", "no_consent_reason": "PRIVATE-reason"},
    )
    assert run(django_capture_on_commit_callbacks).references["duty_to_notify_anonymised"] == [report.reference]
    assert Referral.objects.get(pk=report.pk).answers == {"nation": "wales", "gender": "male"}
    assert rows_mentioning("PRIVATE-reason") == {}
    assert run(django_capture_on_commit_callbacks).counts["duty_to_notify_anonymised"] == 0


def test_the_access_log_and_notifications_are_trimmed_after_their_own_periods(
    authority_staff, django_capture_on_commit_callbacks
):
    caseworker, manager = authority_staff
    set_policy(access_log_days=90, notification_days=30)
    case = case_in_state(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager)
    old_entry = access_log_record(user=caseworker, case=case, what=AccessLogEntry.What.CASE)
    AccessLogEntry.objects.filter(pk=old_entry.pk).update(viewed_at=timezone.now() - timedelta(days=91))
    new_entry = access_log_record(user=caseworker, case=case, what=AccessLogEntry.What.CASE)
    Notification.objects.all().delete()
    case.assignee = caseworker
    old_notification = notification_about(case, days_old=31)
    new_notification = notification_about(case, days_old=29)

    outcome = run(django_capture_on_commit_callbacks)

    assert (outcome.counts["access_log_entries_deleted"], outcome.counts["notifications_deleted"]) == (1, 1)
    assert list(AccessLogEntry.objects.values_list("pk", flat=True)) == [new_entry.pk]
    assert list(Notification.objects.values_list("pk", flat=True)) == [new_notification.pk]
    assert not Notification.history.filter(id=old_notification.pk).exists()
    assert Case.objects.filter(pk=case.pk).exists()


def test_a_run_is_recorded_with_counts_and_nothing_that_names_what_went(jane, django_capture_on_commit_callbacks):
    admin = UserFactory(role=Role.ADMIN)
    outcome = run(django_capture_on_commit_callbacks, trigger=RetentionRun.Trigger.ADMIN, actor=admin)
    record = RetentionRun.objects.get(pk=outcome.run.pk)
    assert record.finished_at is not None
    assert (record.trigger, record.started_by, record.dry_run) == ("admin", admin, False)
    assert record.counts["cases_anonymised"] == 1
    assert jane.case.reference not in str(record.counts)
    assert record.history.exists()


def test_the_command_dry_run_prints_counts_and_references_and_changes_nothing(jane):
    output = StringIO()
    call_command("retention_apply", "--dry-run", stdout=output)
    printed = output.getvalue()
    assert "Ended cases anonymised (with their referrals): 1" in printed
    assert jane.case.reference in printed
    assert rows_mentioning(jane.marker)
    assert RetentionRun.objects.get().dry_run is True


def test_the_command_applies_the_policy(jane, django_capture_on_commit_callbacks):
    output = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("retention_apply", stdout=output)
    assert "Ended cases anonymised (with their referrals): 1" in output.getvalue()
    assert rows_mentioning(jane.marker) == {}


def test_the_quarantined_copies_of_infected_files_go_too(jane, settings, tmp_path, django_capture_on_commit_callbacks):
    settings.STORAGES = {
        **settings.STORAGES,
        "quarantine": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": tmp_path / "quarantine"},
        },
    }
    quarantine = storages["quarantine"]
    for model, rows in ((EvidenceFile, EvidenceFile.objects.filter(draft=jane.referral.draft)),
                        (CaseFile, CaseFile.objects.filter(case=jane.case))):  # fmt: skip
        row = rows.first()
        name = quarantine.save(f"{model.__name__}-infected", ContentFile(b"X5O!P%@AP[4\\PZX54(P^)7CC)7}$EICAR"))
        model.objects.filter(pk=row.pk).update(scan_status="infected", quarantined_as=name)
    assert len(list((tmp_path / "quarantine").iterdir())) == 2

    run(django_capture_on_commit_callbacks)

    assert list((tmp_path / "quarantine").iterdir()) == []


def test_an_anonymised_case_still_opens_for_its_authority_without_the_person(
    jane, authority_staff, client, settings, django_capture_on_commit_callbacks
):
    settings.NRM_REQUIRE_STAFF_MFA = False
    caseworker, _ = authority_staff
    run(django_capture_on_commit_callbacks)
    client.force_login(caseworker)

    page = client.get(reverse("casework:case", args=[jane.case.reference]))

    assert page.status_code == 200
    content = page.content.decode()
    assert "Personal details removed under the retention policy" in content
    assert jane.marker not in content
    assert "Jane" not in content
    # Its letter, whose stored copy went, is made again on download: without the person.
    letter = Letter.objects.get(decision__case=jane.case)
    with django_capture_on_commit_callbacks(execute=True):
        download = client.get(reverse("casework:letter", args=[letter.pk]))
    assert download.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(download.content)).pages)
    assert "The person referred" in text
    assert "Jane" not in text
    assert jane.marker not in text
