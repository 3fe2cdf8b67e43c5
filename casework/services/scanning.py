"""Malware scanning of case files (common.virus_scan does the scanning; this says who is told).

A file attached to an information request, its answer or a reconsideration is scanned by a task queued when
the upload commits. When it is infected, its content is quarantined and the uploader and the authority's
managers are told (the notification names only the case's reference).
"""

import logging
from datetime import timedelta
from functools import partial

from django.db import transaction

from casework.models import CaseFile
from casework.services.base import manager_recipients, tell
from common.broker import BROKER_ERRORS, publish
from common.virus_scan import ScanStatus, pending_ids, upload_scan
from notifications.models import Notification

logger = logging.getLogger(__name__)

SWEEP_AFTER = timedelta(minutes=5)


def case_file_scan(*, case_file_id: int) -> ScanStatus | None:
    """Scans one case file and records the verdict. Raises ScannerUnavailable while clamd cannot answer."""
    return upload_scan(model=CaseFile, pk=case_file_id, on_infected=_tell_about_infected_file)


def _tell_about_infected_file(case_file: CaseFile) -> None:
    case = case_file.case
    tell([case_file.uploaded_by, *manager_recipients(case)], kind=Notification.Kind.UPLOAD_INFECTED, case=case)


def case_file_queue_scan(*, case_file_id: int) -> bool:
    """Queues the scan. When the broker is down the file stays pending and the sweep queues it later."""
    from casework.tasks import case_file_scan_task  # the task module imports this one

    try:
        publish(case_file_scan_task, case_file_id)
    except BROKER_ERRORS as error:
        logger.warning("Could not queue the scan of case file %s (%s)", case_file_id, type(error).__name__)
        return False
    return True


def case_file_queue_scan_on_commit(case_file_id: int) -> None:
    transaction.on_commit(partial(case_file_queue_scan, case_file_id=case_file_id), robust=True)


def case_files_sweep_pending() -> int:
    """Queues again the scan of every case file still pending after SWEEP_AFTER (the periodic job)."""
    queued = 0
    for case_file_id in pending_ids(CaseFile, older_than=SWEEP_AFTER):
        if not case_file_queue_scan(case_file_id=case_file_id):
            break
        queued += 1
    return queued
