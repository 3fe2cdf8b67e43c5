"""Celery tasks of common: the outbox's run and sweep (common.outbox). Both are safe to run twice."""

from celery import shared_task

from common.outbox import outbox_run, outbox_sweep


@shared_task(acks_late=True)
def outbox_run_task(outbox_id: int) -> bool:
    """Runs one outbox row. No Celery retry: a failure is recorded on the row, and the sweep publishes it again
    after its backoff."""
    return outbox_run(outbox_id=outbox_id)


@shared_task(acks_late=True)
def outbox_sweep_task() -> int:
    return outbox_sweep()
