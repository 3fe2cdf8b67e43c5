"""The outbox (common.outbox): a must-happen task is a row written in its change's transaction, run once however
often it is published, tried again after a failure, and published again by the sweep when its task was lost.

The drills at the end use a real Celery worker (tests/fixtures/celery_worker.py) and the shared Redis's test
queue: a task is "lost" the way a Redis restart loses it (the worker stops consuming, the message is published,
the queue is purged, the worker consumes again), or never leaves the web process because the mail server is down.
"""

import re
import socket
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import storages
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from accounts.models import Invitation
from accounts.roles import Role
from accounts.services import invitation_email_send, user_invite
from casework.letters import letter_render
from casework.models import Letter
from casework.services import single_competent_authority
from common.models import OutboxTask
from common.outbox import REPUBLISH_AFTER, handler_name, outbox_enqueue, outbox_handler, outbox_run, outbox_sweep
from common.tasks import outbox_run_task
from notifications.models import Notification
from notifications.services import notification_render_email
from notifications.tasks import notification_sweep_unsent
from nrm.celery import PERIODIC_JOBS, app
from tests.casework.factories import make_decision, staff_of, worked_case
from tests.factories import UserFactory

RUNS: list[dict] = []


@outbox_handler(secret_args=("secret",))
def _recorded(*, number: int, secret: str = "", fail: bool = False) -> None:
    if fail:
        raise OSError("the far end is down")
    RUNS.append({"number": number, "secret": secret})


def _not_a_handler(*, number: int) -> None:
    RUNS.append({"number": number})


@pytest.fixture(autouse=True)
def _runs():
    RUNS.clear()
    yield RUNS
    RUNS.clear()


def later(minutes: float):
    return time_machine.travel(timezone.now() + timedelta(minutes=minutes), tick=True)


# --- the outbox itself -----------------------------------------------------------------------------------------


def test_the_sweep_runs_every_minute_and_the_visibility_timeout_is_minutes_not_an_hour(settings):
    jobs = {job["task"]: job["schedule"] for job in PERIODIC_JOBS.values()}
    assert jobs["common.tasks.outbox_sweep_task"].minute == set(range(60))
    assert "common.tasks.outbox_sweep_task" in app.tasks
    visibility = settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"]
    assert REPUBLISH_AFTER.total_seconds() < visibility <= 15 * 60


@pytest.mark.django_db
def test_a_row_runs_its_handler_once_however_often_it_is_run():
    row = outbox_enqueue(_recorded, number=7, secret="nonce")

    assert outbox_run(outbox_id=row.pk) is True
    assert outbox_run(outbox_id=row.pk) is False

    assert RUNS == [{"number": 7, "secret": "nonce"}]
    row.refresh_from_db()
    assert (row.state, row.attempts, row.done_at is not None) == (OutboxTask.State.DONE, 1, True)
    assert row.args == {"number": 7}  # the secret is kept no longer than needed


@pytest.mark.django_db
def test_a_failed_run_is_recorded_and_swept_again_after_its_backoff_then_given_up():
    row = outbox_enqueue(_recorded, number=1, secret="nonce", fail=True)

    assert outbox_run(outbox_id=row.pk) is False

    row.refresh_from_db()
    assert (row.state, row.attempts, row.last_error) == (OutboxTask.State.PENDING, 1, "OSError")
    assert timedelta(seconds=50) < row.next_attempt_at - timezone.now() <= timedelta(minutes=1)
    assert outbox_sweep() == 0  # not yet
    with later(minutes=1.5):
        assert outbox_sweep() == 1
        assert outbox_sweep() == 0  # published: left to its task for a while
    for _ in range(9):
        outbox_run(outbox_id=row.pk)
    row.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxTask.State.FAILED, 10)
    assert "secret" not in row.args
    assert RUNS == []


@pytest.mark.django_db
def test_only_a_declared_handler_is_enqueued_or_run():
    with pytest.raises(ValueError, match="not an @outbox_handler"):
        outbox_enqueue(_not_a_handler, number=1)
    row = OutboxTask.objects.create(
        handler=f"{__name__}._not_a_handler", args={"number": 1}, next_attempt_at=timezone.now()
    )

    assert outbox_run(outbox_id=row.pk) is False

    row.refresh_from_db()
    assert (row.state, row.last_error) == (OutboxTask.State.PENDING, "ValueError")
    assert RUNS == []


@pytest.mark.django_db
def test_a_task_of_a_change_that_rolled_back_is_never_recorded():
    def change_that_fails():
        with transaction.atomic():
            outbox_enqueue(_recorded, number=1)
            raise RuntimeError("the change failed")

    with pytest.raises(RuntimeError):
        change_that_fails()

    assert not OutboxTask.objects.exists()


@pytest.mark.django_db
def test_the_invitation_row_keeps_a_nonce_not_the_link_and_clears_it_once_sent(
    mailoutbox, django_capture_on_commit_callbacks
):
    authority = single_competent_authority()
    superuser = UserFactory(role=Role.ADMIN, email="root@nrm.example")
    with django_capture_on_commit_callbacks(execute=True):
        user_invite(actor=superuser, email="casey@tca.example", role=Role.CASEWORKER, organisation=authority)

    token = re.search(r"/accounts/invitation/([^/\s]+)/", mailoutbox[-1].body).group(1)
    row = OutboxTask.objects.get(handler=handler_name(invitation_email_send))
    assert row.state == OutboxTask.State.DONE
    assert row.args == {"invitation_id": Invitation.objects.get().pk}  # the nonce is gone
    assert token not in str(row.args)
    assert Invitation.for_token(token) == Invitation.objects.get()


@pytest.mark.django_db
def test_a_superuser_reads_the_outbox_in_admin_and_nobody_adds_changes_or_deletes_a_row(client):
    from tests.security.world import sign_in

    row = outbox_enqueue(_recorded, number=3, fail=True)
    outbox_run(outbox_id=row.pk)
    sign_in(client, UserFactory(role=Role.ADMIN, email="root@nrm.example"))

    listing = client.get(reverse("admin:common_outboxtask_changelist"))
    assert listing.status_code == 200
    assert "OSError" in listing.text
    assert client.get(reverse("admin:common_outboxtask_change", args=[row.pk])).status_code == 200
    assert client.get(reverse("admin:common_outboxtask_add")).status_code == 403
    assert client.post(reverse("admin:common_outboxtask_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert OutboxTask.objects.filter(pk=row.pk).exists()


# --- drills with a real worker ---------------------------------------------------------------------------------


@pytest.fixture
def worker(transactional_db, project_data, celery_worker_process):
    celery_worker_process.clear_mail()
    yield celery_worker_process
    _consume(celery_worker_process, True)
    celery_worker_process.wait_until(lambda: not Letter.objects.filter(file="").exists(), timeout=60)
    for name in Letter.objects.values_list("file", flat=True):
        storages["private"].delete(name)


def _consume(worker, on: bool) -> None:
    command = app.control.add_consumer if on else app.control.cancel_consumer
    assert command(worker.queue, destination=[worker.node_name], reply=True, timeout=5)


def _lose_what_is_queued(worker) -> None:
    """What a Redis restart does to the messages not yet taken: they are gone."""
    with app.connection_for_write() as connection:
        connection.default_channel.queue_purge(worker.queue)


def _runs_logged(worker) -> list[str]:
    """The results of the outbox runs the worker has finished: "True" ran the handler, "False" found it done."""
    return re.findall(rf"{re.escape(outbox_run_task.name)}\[[^\]]+\] succeeded in [^:]+: (\w+)", worker.log())


@pytest.mark.worker
def test_a_letter_and_emails_whose_tasks_redis_lost_are_delivered_once_by_two_sweeps(worker):
    authority = single_competent_authority()
    caseworker, manager = staff_of(authority), staff_of(authority, Role.MANAGER)
    case = worked_case(caseworker=caseworker, manager=manager)
    runs_before = len(_runs_logged(worker))
    _consume(worker, False)
    try:
        decision = make_decision(case, caseworker)  # committed: the letter's and the emails' tasks are published
        _lose_what_is_queued(worker)
    finally:
        _consume(worker, True)
    letter = Letter.objects.get(decision=decision)
    row = OutboxTask.objects.get(handler=handler_name(letter_render), args={"letter_id": letter.pk})
    served = Notification.objects.filter(kind=Notification.Kind.DECISION_SERVED, reference=case.reference)
    assert served.exists()
    assert (row.state, bool(letter.file)) == (OutboxTask.State.PENDING, False)

    _consume(worker, False)  # both sweeps' copies are queued before the worker takes the first
    try:
        for minutes in (3, 6):  # two sweeps, each publishing every task again
            with later(minutes=minutes):
                assert outbox_sweep() == 1
                assert notification_sweep_unsent() == served.count()
    finally:
        _consume(worker, True)

    worker.wait_until(lambda: len(_runs_logged(worker)) >= runs_before + 2, timeout=60)
    worker.wait_until(lambda: not served.exclude(email_state="sent").exists(), timeout=30)
    assert sorted(_runs_logged(worker)[runs_before:]) == ["False", "True"]  # rendered by one, left by the other
    row.refresh_from_db()
    letter.refresh_from_db()
    assert (row.state, row.attempts) == (OutboxTask.State.DONE, 1)
    with storages["private"].open(letter.file.name, "rb") as stored:
        assert stored.read().startswith(b"%PDF-")
    subject = notification_render_email(notification=served.first())[0]
    assert len([message for message in worker.messages() if message["Subject"] == subject]) == served.count()


@pytest.mark.worker
def test_an_invitation_email_the_web_process_could_not_send_is_sent_once_by_a_worker_after_two_sweeps(worker):
    authority = single_competent_authority()
    superuser = UserFactory(role=Role.ADMIN, email="root@nrm.example")
    with socket.socket() as probe:  # a port where no mail server answers
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    smtp_down = override_settings(
        EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend",
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=closed_port,
        EMAIL_TIMEOUT=2,
    )
    with smtp_down:
        user = user_invite(actor=superuser, email="casey@tca.example", role=Role.CASEWORKER, organisation=authority)
    row = OutboxTask.objects.get(handler=handler_name(invitation_email_send))
    assert (row.state, row.attempts, row.last_error) == (OutboxTask.State.PENDING, 1, "ConnectionRefusedError")
    assert worker.messages() == []
    runs_before = len(_runs_logged(worker))

    _consume(worker, False)
    try:
        for minutes in (3, 6):
            with later(minutes=minutes):
                assert outbox_sweep() == 1
    finally:
        _consume(worker, True)

    worker.wait_until(lambda: len(_runs_logged(worker)) >= runs_before + 2, timeout=60)
    assert sorted(_runs_logged(worker)[runs_before:]) == ["False", "True"]
    messages = [message for message in worker.messages() if message["To"] == "casey@tca.example"]
    assert len(messages) == 1
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    token = re.search(r"/accounts/invitation/([^/\s]+)/", body).group(1)
    assert Invitation.for_token(token) == user.invitations.get()
    row.refresh_from_db()
    assert (row.state, row.args) == (OutboxTask.State.DONE, {"invitation_id": user.invitations.get().pk})
