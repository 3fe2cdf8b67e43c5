"""Celery tasks of notifications: they take ids, re-read the rows and are safe to run twice."""

import logging
from datetime import timedelta
from smtplib import SMTPException

from celery import shared_task

from notifications.models import MAX_EMAIL_ATTEMPTS
from notifications.selectors import notifications_awaiting_email
from notifications.services import notification_deliver, notification_queue_email

logger = logging.getLogger(__name__)

# Younger pending emails are probably still in the queue; the sweep leaves them to their task.
SWEEP_AFTER = timedelta(minutes=2)
SWEEP_BATCH = 1000


@shared_task(
    bind=True,
    acks_late=True,
    autoretry_for=(SMTPException, OSError),
    retry_backoff=True,
    retry_backoff_max=600,
    max_retries=MAX_EMAIL_ATTEMPTS,
)
def notification_send_email(self, notification_id: int) -> None:
    notification_deliver(notification_id=notification_id)  # does nothing once sent or failed


@shared_task
def notification_sweep_unsent() -> int:
    """Queues again every email still pending (runs every 5 minutes, nrm/celery.py). Returns how many."""
    ids = list(notifications_awaiting_email(older_than=SWEEP_AFTER).values_list("pk", flat=True)[:SWEEP_BATCH])
    queued = 0
    for notification_id in ids:
        if not notification_queue_email(notification_id=notification_id):
            break  # the broker is down: the next sweep tries again
        queued += 1
    if ids:
        logger.info("Sweep: queued %s of %s pending notification emails", queued, len(ids))
    return queued
