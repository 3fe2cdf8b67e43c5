"""Requests for further information (casework.services.information): asking with a due date counted in working
days, answering by the referring organisation only, the case's deadlines following the open requests, and the
reminders before and after the due date."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.files.storage import storages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from accounts.roles import Role
from casework.deadlines import end_of_day
from casework.models import Case, CaseEvent, CaseFile, InformationRequest
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    case_resume,
    case_suspend,
    default_due_date,
    information_request_answer,
    information_request_create,
    information_request_withdraw,
    information_requests_remind,
)
from notifications.models import Notification
from tests.casework.factories import assert_transition, case_in_any_state, case_in_state, staff_of, worked_case
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
LONDON = ZoneInfo("Europe/London")
TINY_PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def private_media(settings, tmp_path, monkeypatch):
    """Attachments written under this test's own folder (the field evaluated its storage callable at import)."""
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": "django.core.files.storage.FileSystemStorage", "OPTIONS": {"location": tmp_path}},
    }
    monkeypatch.setattr(CaseFile._meta.get_field("file"), "storage", storages["private"])
    return tmp_path


def ask(case, actor, **kwargs) -> InformationRequest:
    return information_request_create(case_id=case.pk, actor=actor, question=kwargs.pop("question", "Who?"), **kwargs)


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


@pytest.mark.parametrize(
    ("today", "due"),
    [
        (date(2026, 4, 1), date(2026, 4, 17)),  # Good Friday 3 and Easter Monday 6 April 2026
        (date(2026, 12, 21), date(2027, 1, 7)),  # 25 Dec, 28 Dec (Boxing Day's substitute), 1 Jan 2027
        (date(2027, 3, 24), date(2027, 4, 9)),  # Good Friday 26 and Easter Monday 29 March 2027
        (date(2027, 12, 20), date(2028, 1, 6)),  # 27 and 28 Dec 2027 (substitutes), 3 Jan 2028 (New Year's)
        (date(2026, 11, 23), date(2026, 12, 7)),  # an ordinary fortnight
    ],
)
def test_the_default_due_date_is_ten_working_days_away(caseworker, manager, today, due):
    with time_machine.travel(datetime(today.year, today.month, today.day, 9, 30, tzinfo=LONDON), tick=False):
        case = worked_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
        assert default_due_date(case) == due
        version = case.version
        request = ask(case, caseworker, expected_version=version)
    assert request.due_date == due
    assert_transition(
        case,
        version_before=version,
        kind=CaseEvent.Kind.INFORMATION_REQUESTED,
        changed=("information_due_at", "next_deadline_at"),
    )
    assert case.information_due_at == end_of_day(due)
    assert (case.next_deadline_at, case.next_deadline_kind) == (end_of_day(due), Case.DeadlineKind.INFORMATION_DUE)
    assert case.events.last().data == {
        "request_id": request.pk,
        "due": due.isoformat(),
        "from_status": case.status,
        "to_status": case.status,
    }
    assert told(case.referral.submitted_by, Notification.Kind.INFORMATION_REQUESTED) == 1


def test_the_case_deadlines_follow_its_open_requests(caseworker, manager):
    case = worked_case(caseworker=caseworker, manager=manager)
    rg_due = case.rg_due_at
    later = ask(case, caseworker, due_date=timezone.localdate() + timedelta(days=30))
    case.refresh_from_db()
    assert (case.information_due_at, case.next_deadline_at) == (end_of_day(later.due_date), rg_due)
    sooner = ask(case, caseworker, due_date=timezone.localdate() + timedelta(days=1))
    case.refresh_from_db()
    assert case.information_due_at == case.next_deadline_at == end_of_day(sooner.due_date)
    assert case.next_deadline_kind == Case.DeadlineKind.INFORMATION_DUE
    information_request_answer(request_id=sooner.pk, actor=case.referral.submitted_by, answer="Their aunt.")
    case.refresh_from_db()
    assert (case.information_due_at, case.next_deadline_at) == (end_of_day(later.due_date), rg_due)
    information_request_withdraw(request_id=later.pk, actor=caseworker, expected_version=case.version)
    assert_transition(
        case, version_before=case.version, kind=CaseEvent.Kind.INFORMATION_CANCELLED, changed=("information_due_at",)
    )
    assert (case.information_due_at, case.next_deadline_at, case.next_deadline_kind) == (None, rg_due, "rg_due")


@pytest.mark.parametrize(
    ("due_in_days", "message"),
    [(0, "must be in the future"), (-3, "must be in the future"), (366, "within a year")],
)
def test_the_due_date_must_be_in_the_coming_year(caseworker, manager, due_in_days, message):
    case = worked_case(caseworker=caseworker, manager=manager)
    with pytest.raises(InvalidInput, match=message) as error:
        ask(case, caseworker, due_date=timezone.localdate() + timedelta(days=due_in_days))
    assert error.value.field == "due_date"
    assert ask(case, caseworker, due_date=timezone.localdate() + timedelta(days=365)).is_open


def test_a_question_is_needed_and_a_bad_file_saves_nothing(caseworker, manager, private_media):
    case = worked_case(caseworker=caseworker, manager=manager)
    with pytest.raises(InvalidInput, match="Enter the information you need") as error:
        ask(case, caseworker, question="  ")
    assert error.value.field == "question"
    program = SimpleUploadedFile("notes.pdf", b"MZ\x90\x00" + b"\x00" * 200)
    with pytest.raises(InvalidInput) as error:
        ask(case, caseworker, uploaded_files=[program])
    assert error.value.field == "files"
    case.refresh_from_db()
    assert (case.version, case.information_requests.count(), CaseFile.objects.count()) == (2, 0, 0)
    request = ask(case, caseworker, uploaded_files=[SimpleUploadedFile("letter.pdf", TINY_PDF)])
    assert list(request.files.values_list("original_name", "is_answer")) == [("letter.pdf", False)]
    assert (private_media / request.files.get().file.name).read_bytes() == TINY_PDF


@pytest.mark.parametrize("status", list(Case.Status))
def test_information_is_requested_only_on_an_open_case(status, manager):
    case = case_in_any_state(status, manager=manager)
    if case.is_open:
        assert ask(case, manager).is_open
        return
    with pytest.raises(IllegalTransition, match=f"request information because {case.reference} (is|has)"):
        ask(case, manager)
    assert not case.information_requests.exists()


def test_only_the_cases_caseworker_or_a_manager_asks(sca, ieca, caseworker, manager):
    case = worked_case(caseworker=caseworker, manager=manager)
    for actor, message in [
        (staff_of(sca), "assigned to someone else"),
        (staff_of(ieca, Role.MANAGER), "Only staff of the authority"),
        (case.referral.submitted_by, "Only staff of the authority"),
    ]:
        with pytest.raises(NotPermitted, match=message):
            ask(case, actor)
    with pytest.raises(StaleCase):
        ask(case, caseworker, expected_version=case.version - 1)
    assert not case.information_requests.exists()
    assert ask(case, manager).requested_by == manager


def test_the_referring_organisation_answers_and_the_caseworker_is_told(caseworker, manager, private_media):
    case = worked_case(caseworker=caseworker, manager=manager)
    request = ask(case, caseworker)
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=case.referral.organisation)
    for outsider in (UserFactory(role=Role.FIRST_RESPONDER), caseworker, manager):
        with pytest.raises(NotPermitted, match="Only the organisation that made the referral"):
            information_request_answer(request_id=request.pk, actor=outsider, answer="Here.")
    with pytest.raises(InvalidInput, match="Enter your answer") as error:
        information_request_answer(request_id=request.pk, actor=colleague, answer=" ")
    assert error.value.field == "answer"
    with pytest.raises(StaleCase):
        information_request_answer(request_id=request.pk, actor=colleague, answer="Here.", expected_version=0)
    case.refresh_from_db()
    version = case.version
    information_request_answer(
        request_id=request.pk,
        actor=colleague,
        answer=" Here. ",
        expected_version=1,
        uploaded_files=[SimpleUploadedFile("answer.pdf", TINY_PDF)],
    )
    assert_transition(
        case, version_before=version, kind=CaseEvent.Kind.INFORMATION_ANSWERED, changed=("information_due_at",)
    )
    request.refresh_from_db()
    assert (request.state, request.answer, request.answered_by, request.version) == ("answered", "Here.", colleague, 2)
    assert list(request.files.values_list("is_answer", flat=True)) == [True]
    assert told(caseworker, Notification.Kind.INFORMATION_ANSWERED) == 1
    assert told(manager, Notification.Kind.INFORMATION_ANSWERED) == 0
    with pytest.raises(IllegalTransition, match="is answered"):
        information_request_answer(request_id=request.pk, actor=colleague, answer="More.")
    with pytest.raises(IllegalTransition, match="is answered"):
        information_request_withdraw(request_id=request.pk, actor=caseworker)


def test_an_answer_on_a_case_nobody_has_goes_to_the_managers(manager):
    case = case_in_state(Case.Status.AWAITING_RG)
    request = ask(case, manager)
    information_request_answer(request_id=request.pk, actor=case.referral.submitted_by, answer="Here.")
    assert told(manager, Notification.Kind.INFORMATION_ANSWERED) == 1


def test_only_the_cases_caseworker_or_a_manager_withdraws_a_request(sca, caseworker, manager):
    case = worked_case(caseworker=caseworker, manager=manager)
    request = ask(case, caseworker)
    for outsider in (staff_of(sca), case.referral.submitted_by):
        with pytest.raises(NotPermitted):
            information_request_withdraw(request_id=request.pk, actor=outsider)
    with pytest.raises(StaleCase):
        information_request_withdraw(request_id=request.pk, actor=caseworker, expected_version=case.version)
    information_request_withdraw(request_id=request.pk, actor=manager)
    request.refresh_from_db()
    assert request.state == "withdrawn"


# Reminders: the periodic job, run as often as it likes on the days around the due date --------------------------


def run_reminders_on(day: date, hour: int = 7) -> dict:
    with time_machine.travel(datetime(day.year, day.month, day.day, hour, tzinfo=LONDON), tick=False):
        return information_requests_remind()


def test_reminders_before_and_after_the_due_date_are_sent_once_each(caseworker, manager):
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=LONDON), tick=False):
        case = worked_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
        request = ask(case, caseworker)  # due Friday 17 April 2026
        answered = ask(case, caseworker)
        information_request_answer(request_id=answered.pk, actor=case.referral.submitted_by, answer="Here.")
    responder = case.referral.submitted_by
    assert run_reminders_on(date(2026, 4, 14)) == {"before": 0, "after": 0}  # 3 working days before
    assert run_reminders_on(date(2026, 4, 15)) == {"before": 1, "after": 0}  # 2 working days before
    for day in (date(2026, 4, 15), date(2026, 4, 16), date(2026, 4, 17)):
        assert run_reminders_on(day, hour=18) == {"before": 0, "after": 0}
    assert (
        told(responder, Notification.Kind.INFORMATION_DUE_SOON),
        told(caseworker, Notification.Kind.INFORMATION_DUE_SOON),
    ) == (1, 0)
    assert run_reminders_on(date(2026, 4, 18)) == {"before": 0, "after": 1}
    assert (
        run_reminders_on(date(2026, 4, 18), hour=19) == run_reminders_on(date(2026, 5, 1)) == {"before": 0, "after": 0}
    )
    assert (
        told(responder, Notification.Kind.INFORMATION_OVERDUE),
        told(caseworker, Notification.Kind.INFORMATION_OVERDUE),
    ) == (1, 1)
    request.refresh_from_db()
    assert request.reminded_before_at.date() == date(2026, 4, 15)
    assert request.reminded_after_at.date() == date(2026, 4, 18)


def test_the_reminder_counts_working_days_across_easter(caseworker, manager):
    with time_machine.travel(datetime(2026, 3, 26, 10, tzinfo=LONDON), tick=False):
        case = worked_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
        ask(case, caseworker, due_date=date(2026, 4, 7))  # the Tuesday after Easter Monday
    assert run_reminders_on(date(2026, 3, 31)) == {"before": 0, "after": 0}
    assert run_reminders_on(date(2026, 4, 1)) == {"before": 1, "after": 0}  # Thursday 2, then Tuesday 7


def test_a_request_overdue_when_the_job_first_runs_gets_only_the_overdue_reminder(caseworker, manager):
    with time_machine.travel(datetime(2026, 6, 1, 10, tzinfo=LONDON), tick=False):
        case = worked_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
        ask(case, caseworker, due_date=date(2026, 6, 3))
    assert run_reminders_on(date(2026, 6, 10)) == {"before": 0, "after": 1}
    assert told(case.referral.submitted_by, Notification.Kind.INFORMATION_DUE_SOON) == 0


def test_no_reminders_while_the_case_is_suspended(caseworker, manager):
    with time_machine.travel(datetime(2026, 4, 1, 10, tzinfo=LONDON), tick=False):
        case = worked_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
        ask(case, caseworker)  # due Friday 17 April 2026
        case_suspend(case_id=case.pk, actor=caseworker, reason="Missing from their accommodation.")
    assert run_reminders_on(date(2026, 4, 15)) == {"before": 0, "after": 0}
    assert run_reminders_on(date(2026, 4, 20)) == {"before": 0, "after": 0}
    with time_machine.travel(datetime(2026, 4, 20, 9, tzinfo=LONDON), tick=False):
        case_resume(case_id=case.pk, actor=caseworker)
    assert run_reminders_on(date(2026, 4, 20), hour=10) == {"before": 0, "after": 1}
