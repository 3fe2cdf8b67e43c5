"""Celery tasks of the panels: they re-read the rows and are safe to run twice."""

from celery import shared_task

from panels.services import panel_cases_escalate_overdue


@shared_task(acks_late=True)
def panel_cases_escalate_overdue_task() -> int:
    """Tells the chair (and, by policy, the authority's managers) of each newly overdue panel case, once."""
    return panel_cases_escalate_overdue()
