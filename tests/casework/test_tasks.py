"""Casework's Celery tasks on a real worker (tests/fixtures/celery_worker.py) and Redis: the decision letter is
rendered once its decision is served, and the periodic jobs run. Rows are committed (the worker reads them over
its own connection); dates in the past are made with time moved back in this process only."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.utils import timezone
from pypdf import PdfReader

from accounts.models import Nation
from accounts.roles import Role
from casework.letters import letter_render
from casework.models import Case, InformationRequest, Letter, Policy
from casework.services import information_request_create, single_competent_authority
from casework.tasks import cases_track_deadlines_task, information_requests_remind_task
from common.models import OutboxTask
from common.outbox import handler_name
from common.tasks import outbox_run_task
from notifications.models import Notification
from notifications.services import notification_render_email
from nrm.celery import PERIODIC_JOBS, app
from tests.casework.factories import make_decision, staff_of, worked_case
from tests.factories import SupportProviderFactory, UserFactory

pytestmark = pytest.mark.worker


@pytest.fixture
def worker(transactional_db, project_data, celery_worker_process):
    celery_worker_process.clear_mail()
    yield celery_worker_process
    # Every decision served here queued its letter: once they are rendered, their files go from the worker's
    # storage (the project's private one), so that no test leaves a letter behind.
    celery_worker_process.wait_until(lambda: not Letter.objects.filter(file="").exists(), timeout=60)
    for name in Letter.objects.values_list("file", flat=True):
        storages["private"].delete(name)


@pytest.fixture
def staff(worker):
    authority = single_competent_authority()
    return staff_of(authority), staff_of(authority, Role.MANAGER)


def in_the_past(days: int):
    return time_machine.travel(timezone.now() - timedelta(days=days), tick=False)


def emails_of(worker, kind: Notification.Kind, case: Case, count: int) -> list:
    """The emails of the `count` notifications of `kind` on `case`, once the worker has sent them all."""

    def sent():
        notifications = Notification.objects.filter(kind=kind, reference=case.reference, email_state="sent")
        return notifications.count() == count

    worker.wait_until(sent, timeout=30)
    subject = notification_render_email(notification=Notification(kind=kind, reference=case.reference))[0]
    return [message for message in worker.messages() if message["Subject"] == subject]


def test_the_casework_jobs_are_scheduled_and_registered():
    jobs = {job["task"] for job in PERIODIC_JOBS.values()}
    for task in (cases_track_deadlines_task, information_requests_remind_task):
        assert task.name in jobs
        assert task.name in app.tasks


def test_the_letter_of_a_served_decision_is_rendered_by_the_worker_once(worker, staff):
    caseworker, manager = staff
    case = worked_case(caseworker=caseworker, manager=manager)
    decision = make_decision(case, caseworker)  # committed: the render task is queued
    letter = worker.wait_until(lambda: Letter.objects.filter(decision=decision).exclude(file="").first(), timeout=60)
    with storages["private"].open(letter.file.name, "rb") as stored:
        pdf = stored.read()
    assert pdf.startswith(b"%PDF-")
    assert case.reference in "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)

    row = OutboxTask.objects.get(handler=handler_name(letter_render), args={"letter_id": letter.pk})
    assert (row.state, row.attempts) == (OutboxTask.State.DONE, 1)
    again = outbox_run_task.delay(row.pk)  # a second copy of the task finds the row done and leaves the letter
    worker.wait_until(lambda: f"{outbox_run_task.name}[{again.id}] succeeded" in worker.log(), timeout=30)
    assert Letter.objects.values_list("file", "rendered_at").get(pk=letter.pk) == (letter.file.name, letter.rendered_at)


def test_the_periodic_jobs_end_recovery_warn_before_support_ends_and_remind_of_overdue_requests(worker, staff):
    """Both jobs in one test on purpose: the worker is one long-lived process, which caches content type ids the
    first time it writes a notification about a case, and the flush that ends a transactional test renumbers
    them. A second test whose worker-side notifications are about cases would fail on a foreign key."""
    caseworker, manager = staff
    provider = SupportProviderFactory()
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    with in_the_past(days=35):
        recovery_over = worked_case(caseworker=caseworker, manager=manager)
        make_decision(recovery_over, caseworker)
    with in_the_past(days=80):  # RG 80 days ago: support ends 10 days from now
        confirmed = worked_case(caseworker=caseworker, manager=manager, answers={"wants_support": "yes"})
        make_decision(confirmed, caseworker)
    with in_the_past(days=45):
        make_decision(confirmed, caseworker, stage="cg")
    with in_the_past(days=20):
        asked = worked_case(caseworker=caseworker, manager=manager)
        information_request = information_request_create(
            case_id=asked.pk, actor=caseworker, question="Who else was there?"
        )
    assert Case.objects.get(pk=recovery_over.pk).status == Case.Status.RECOVERY

    cases_track_deadlines_task.delay()
    worker.wait_until(lambda: Case.objects.get(pk=recovery_over.pk).status == Case.Status.AWAITING_CG, timeout=30)
    worker.wait_until(lambda: Case.objects.get(pk=confirmed.pk).support_warning_days_sent == 14, timeout=30)
    messages = emails_of(worker, Notification.Kind.SUPPORT_ENDING, confirmed, count=2)
    assert sorted(message["To"] for message in messages) == sorted([provider_staff.email, caseworker.email])

    information_requests_remind_task.delay()
    worker.wait_until(lambda: InformationRequest.objects.get(pk=information_request.pk).reminded_after_at, timeout=30)
    messages = emails_of(worker, Notification.Kind.INFORMATION_OVERDUE, asked, count=2)
    assert sorted(message["To"] for message in messages) == sorted(
        [asked.referral.submitted_by.email, caseworker.email]
    )
    assert all("Who else was there" not in message.as_string() for message in messages)
