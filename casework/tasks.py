"""Celery tasks of casework: they take ids, re-read the rows and are safe to run twice. (A served decision's
letter is rendered through the outbox: common.outbox, casework.letters.letter_render.)"""

from celery import shared_task

from casework.services import cases_track_deadlines, information_requests_remind
from casework.services.scanning import case_file_scan, case_files_sweep_pending
from common.virus_scan import SCAN_TASK_OPTIONS


@shared_task(acks_late=True)
def cases_track_deadlines_task() -> dict[str, int]:
    return cases_track_deadlines()


@shared_task(acks_late=True)
def information_requests_remind_task() -> dict[str, int]:
    return information_requests_remind()


@shared_task(**SCAN_TASK_OPTIONS)
def case_file_scan_task(self, case_file_id: int) -> str | None:
    """Scans one case file; retried with backoff while clamd cannot be reached. Does nothing once scanned."""
    return case_file_scan(case_file_id=case_file_id)


@shared_task(acks_late=True)
def case_files_sweep_pending_task() -> int:
    return case_files_sweep_pending()
