"""Celery tasks of referrals: the daily draft hygiene jobs (declared in nrm/celery.py), safe to run twice."""

from celery import shared_task

from referrals.services import drafts_delete_expired, drafts_warn_expiring


@shared_task(acks_late=True)
def drafts_warn_expiring_task() -> int:
    return drafts_warn_expiring()


@shared_task(acks_late=True)
def drafts_delete_expired_task() -> int:
    return drafts_delete_expired()
