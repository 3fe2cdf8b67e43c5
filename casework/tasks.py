"""Celery tasks of casework: they take ids, re-read the rows and are safe to run twice."""

from celery import shared_task

from casework.letters import letter_render
from casework.services import cases_track_deadlines, information_requests_remind


@shared_task(bind=True, acks_late=True, autoretry_for=(OSError,), retry_backoff=True, max_retries=8)
def letter_render_task(self, letter_id: int) -> None:
    letter_render(letter_id=letter_id)


@shared_task(acks_late=True)
def cases_track_deadlines_task() -> dict[str, int]:
    return cases_track_deadlines()


@shared_task(acks_late=True)
def information_requests_remind_task() -> dict[str, int]:
    return information_requests_remind()
