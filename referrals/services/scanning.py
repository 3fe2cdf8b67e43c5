"""Malware scanning of referral evidence (common.virus_scan does the scanning; this says who is told).

An evidence file is scanned by a task queued when its upload commits. When it is infected, its content is
quarantined and the uploader, their organisation's administrators and, once the referral has a case, the
authority's managers are told (the notification names only the draft's number or the referral's reference).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction

from accounts.models import User
from accounts.roles import Role
from common.broker import BROKER_ERRORS, publish
from common.virus_scan import ScanStatus, pending_ids, upload_scan
from notifications.models import Notification
from notifications.services import notify
from referrals.models import EvidenceFile

logger = logging.getLogger(__name__)

# Younger pending files are probably still in the queue (or being retried); the sweep leaves them to their task.
SWEEP_AFTER = timedelta(minutes=5)


def evidence_scan(*, evidence_id: int) -> ScanStatus | None:
    """Scans one evidence file and records the verdict. Raises ScannerUnavailable while clamd cannot answer."""
    return upload_scan(model=EvidenceFile, pk=evidence_id, on_infected=_tell_about_infected_evidence)


def _tell_about_infected_evidence(evidence: EvidenceFile) -> None:
    draft = evidence.draft
    referral = getattr(draft, "referral", None)
    reference = referral.reference if referral else f"draft number {draft.pk}"
    subject = referral or draft
    recipients = [evidence.uploaded_by, *_active(draft.organisation_id, Role.ORGANISATION_ADMIN)]
    case = getattr(referral, "case", None) if referral else None
    if case is not None:  # the authority's caseworkers may already be waiting for it
        recipients += _active(case.authority_id, Role.MANAGER)
    told = set()
    for user in recipients:
        if user.pk not in told and user.is_active:
            told.add(user.pk)
            notify(recipient=user, kind=Notification.Kind.UPLOAD_INFECTED, subject=subject, reference=reference)


def _active(organisation_id: int | None, role: Role) -> list[User]:
    if organisation_id is None:
        return []
    return list(User.objects.filter(organisation_id=organisation_id, role=role, is_active=True).order_by("pk")[:50])


def evidence_queue_scan(*, evidence_id: int) -> bool:
    """Queues the scan. When the broker is down the file stays pending and the sweep queues it later."""
    from referrals.tasks import evidence_scan_task  # the task module imports this one

    try:
        publish(evidence_scan_task, evidence_id)
    except BROKER_ERRORS as error:
        logger.warning("Could not queue the scan of evidence %s (%s)", evidence_id, type(error).__name__)
        return False
    return True


def evidence_queue_scan_on_commit(evidence_id: int) -> None:
    transaction.on_commit(partial(evidence_queue_scan, evidence_id=evidence_id), robust=True)


def evidence_sweep_pending() -> int:
    """Queues again the scan of every evidence file still pending after SWEEP_AFTER (the periodic job)."""
    queued = 0
    for evidence_id in pending_ids(EvidenceFile, older_than=SWEEP_AFTER):
        if not evidence_queue_scan(evidence_id=evidence_id):
            break
        queued += 1
    return queued
