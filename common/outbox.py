"""The outbox: every task that must happen is a database row, written in the transaction of the change that
needs it, so that nothing is lost when Redis or a worker is (docs/adr/0023-outbox-and-short-visibility-timeout.md).

    @outbox_handler()
    def letter_render(*, letter_id): ...            # safe to run twice; raises to be tried again later

    outbox_enqueue(letter_render, letter_id=letter.pk)   # inside the caller's transaction

After commit the row is published to Celery (common.tasks.outbox_run_task); a broker error is logged and
swallowed, because the sweep (every minute, nrm/celery.py) publishes again any row still pending a little after
its last publish. The run holds the row's lock while the handler works and marks it done in the same
transaction, so two runs of one row (a redelivery and the sweep's copy, say) never both do its work.
"""

import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.module_loading import import_string

from common.broker import BROKER_ERRORS, publish
from common.models import OutboxTask

logger = logging.getLogger(__name__)

# A published row is probably still queued for this long: the sweep leaves it to its task until then.
REPUBLISH_AFTER = timedelta(minutes=2)
# After a failure, the wait before the next attempt doubles from a minute up to an hour; then it stops.
MAX_ATTEMPTS = 10
MAX_BACKOFF = timedelta(hours=1)
SWEEP_BATCH = 500
# Done rows are kept a week (for an admin asking "did it run?"), then deleted by the sweep.
KEEP_DONE = timedelta(days=7)


def outbox_handler(*, secret_args: tuple[str, ...] = ()) -> Callable:
    """Marks a function the outbox may run (a row naming anything else is refused). `secret_args`: arguments
    cleared from the row once it is done or has failed, so that they are kept no longer than needed."""

    def mark(function: Callable) -> Callable:
        function.outbox_secret_args = tuple(secret_args)
        return function

    return mark


def handler_name(function: Callable) -> str:
    return f"{function.__module__}.{function.__qualname__}"


def outbox_enqueue(
    handler: Callable, *, run_after_commit: bool = False, not_before: datetime | None = None, **args
) -> OutboxTask:
    """Records `handler(**args)` in the caller's transaction; it is published once that commits. `args` must be
    JSON: ids, not personal data. `run_after_commit`: run in this process once the transaction commits instead
    of publishing (for a task the user expects done when the page answers); a failure is recorded on the row, the
    page is not failed, and the sweep hands the row to a worker later. `not_before`: not published now; the
    sweep publishes it once that time has come (a retry that waits its own backoff, e.g. a webhook's)."""
    if not hasattr(handler, "outbox_secret_args"):
        raise ValueError(f"{handler_name(handler)} is not an @outbox_handler")
    row = OutboxTask.objects.create(
        handler=handler_name(handler), args=args, next_attempt_at=not_before or timezone.now() + REPUBLISH_AFTER
    )
    if not_before is None:
        run = outbox_run if run_after_commit else outbox_publish
        transaction.on_commit(partial(run, outbox_id=row.pk), robust=True)
    return row


def outbox_publish(*, outbox_id: int) -> bool:
    """Queues the row's run. False when the broker cannot be reached: the row stays pending for the sweep."""
    from common.tasks import outbox_run_task  # the task module imports this one

    try:
        publish(outbox_run_task, outbox_id)  # never waits long on a frozen Redis (common.broker)
    except BROKER_ERRORS as error:
        logger.warning("Outbox %s: not queued (%s); the sweep will queue it", outbox_id, type(error).__name__)
        return False
    return True


def _handler(row: OutboxTask) -> Callable:
    function = import_string(row.handler)
    if not hasattr(function, "outbox_secret_args"):
        raise ValueError(f"{row.handler} is not an @outbox_handler")
    return function


def _known_handler(row: OutboxTask) -> Callable | None:
    """The row's handler, or None when it names nothing the outbox may run (its args are then kept as they are,
    for the admin to see)."""
    try:
        return _handler(row)
    except (ImportError, ValueError):
        return None


def _without_secrets(row: OutboxTask, function: Callable | None) -> dict:
    secret = getattr(function, "outbox_secret_args", ())
    return {key: value for key, value in row.args.items() if key not in secret}


def outbox_run(*, outbox_id: int) -> bool:
    """Runs one pending row's handler, once: True when it ran now. A row another run holds, or one already done
    or failed, is left alone. A failure is recorded (and the row tried again later by the sweep), not raised."""
    try:
        with transaction.atomic():
            row = OutboxTask.objects.select_for_update(skip_locked=True).filter(pk=outbox_id).first()
            if row is None or row.state != OutboxTask.State.PENDING:
                return False
            function = _handler(row)
            function(**row.args)
            row.state = OutboxTask.State.DONE
            row.attempts += 1
            row.done_at = timezone.now()
            row.last_error = ""
            row.args = _without_secrets(row, function)
            row.save(update_fields=["state", "attempts", "done_at", "last_error", "args"])
    except Exception as error:
        _record_failure(outbox_id, error)
        return False
    logger.info("Outbox %s: done", outbox_id)
    return True


def _record_failure(outbox_id: int, error: Exception) -> None:
    with transaction.atomic():
        row = OutboxTask.objects.select_for_update().filter(pk=outbox_id, state=OutboxTask.State.PENDING).first()
        if row is None:
            return
        row.attempts += 1
        row.last_error = f"{type(error).__name__}"[:200]
        if row.attempts >= MAX_ATTEMPTS:
            row.state = OutboxTask.State.FAILED
            row.args = _without_secrets(row, _known_handler(row))
        else:
            row.next_attempt_at = timezone.now() + min(timedelta(minutes=2 ** (row.attempts - 1)), MAX_BACKOFF)
        row.save(update_fields=["attempts", "last_error", "state", "next_attempt_at", "args"])
    logger.warning("Outbox %s: attempt %s failed (%s)", outbox_id, row.attempts, type(error).__name__)


def outbox_sweep() -> int:
    """Publishes again every pending row whose time has come (a lost task, a broker that was down, a failure
    waiting out its backoff), each no sooner than REPUBLISH_AFTER after its last publish. Returns how many."""
    now = timezone.now()
    with transaction.atomic():
        due = list(
            OutboxTask.objects.select_for_update(skip_locked=True)
            .filter(state=OutboxTask.State.PENDING, next_attempt_at__lte=now)
            .order_by("next_attempt_at")
            .values_list("pk", flat=True)[:SWEEP_BATCH]
        )
        OutboxTask.objects.filter(pk__in=due).update(next_attempt_at=now + REPUBLISH_AFTER)
    published = 0
    for outbox_id in due:
        if not outbox_publish(outbox_id=outbox_id):
            break  # the broker is down: the next sweep tries again
        published += 1
    if due:
        logger.info("Outbox sweep: queued %s of %s pending tasks", published, len(due))
    old = OutboxTask.objects.filter(state=OutboxTask.State.DONE, done_at__lt=now - KEEP_DONE)
    OutboxTask.objects.filter(pk__in=list(old.values_list("pk", flat=True)[:SWEEP_BATCH])).delete()
    return published
