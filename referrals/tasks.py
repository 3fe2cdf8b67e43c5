"""Celery tasks of referrals: the daily draft hygiene jobs and the evidence scans (periodic ones declared in
nrm/celery.py), safe to run twice."""

from celery import shared_task

from common.virus_scan import SCAN_TASK_OPTIONS
from referrals.services import drafts_delete_expired, drafts_delete_unanswered, drafts_warn_expiring
from referrals.services.scanning import evidence_scan, evidence_sweep_pending


@shared_task(acks_late=True)
def drafts_warn_expiring_task() -> int:
    return drafts_warn_expiring()


@shared_task(acks_late=True)
def drafts_delete_expired_task() -> int:
    return drafts_delete_expired()


@shared_task(acks_late=True)
def drafts_delete_unanswered_task() -> int:
    return drafts_delete_unanswered()


@shared_task(**SCAN_TASK_OPTIONS)
def evidence_scan_task(self, evidence_id: int) -> str | None:
    """Scans one evidence file; retried with backoff while clamd cannot be reached. Does nothing once scanned."""
    return evidence_scan(evidence_id=evidence_id)


@shared_task(acks_late=True)
def evidence_sweep_pending_task() -> int:
    return evidence_sweep_pending()
