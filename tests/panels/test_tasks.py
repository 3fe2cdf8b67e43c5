"""The panels' periodic job: overdue reviews are escalated once, however often the job runs, on a real Celery worker
(tests/fixtures/celery_worker.py) as in production."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.roles import Role
from notifications.models import Notification
from nrm.celery import PERIODIC_JOBS, app
from panels.models import PanelCase
from panels.tasks import panel_cases_escalate_overdue_task
from tests.factories import UserFactory
from tests.panels.factories import ChairFactory, PanelCaseFactory, PanelFactory


def overdue_review(days: int = 2) -> tuple[PanelCase, object, object]:
    """An open review `days` past its due date, its panel's chair and a manager of the case's authority."""
    panel = PanelFactory()
    chair = ChairFactory(panel=panel).user
    panel_case = PanelCaseFactory(panel=panel, due_date=timezone.localdate() - timedelta(days=days))
    manager = UserFactory(role=Role.MANAGER, organisation=panel_case.case.authority)
    return panel_case, chair, manager


def overdue_notifications(panel_case: PanelCase):
    return Notification.objects.filter(kind=Notification.Kind.PANEL_REVIEW_OVERDUE, reference=panel_case.case.reference)


def test_the_overdue_job_is_scheduled_daily_and_registered():
    schedules = {job["task"]: job["schedule"] for job in PERIODIC_JOBS.values()}
    schedule = schedules[panel_cases_escalate_overdue_task.name]
    assert (len(schedule.hour), len(schedule.minute), len(schedule.day_of_week)) == (1, 1, 7)
    assert panel_cases_escalate_overdue_task.name in app.tasks


@pytest.mark.django_db
def test_the_job_escalates_each_overdue_review_once_and_leaves_the_others():
    panel_case, chair, manager = overdue_review()
    due_today = PanelCaseFactory(panel=panel_case.panel, due_date=timezone.localdate())
    concluded = PanelCaseFactory(
        panel=panel_case.panel, due_date=timezone.localdate() - timedelta(days=5), state=PanelCase.State.CONCLUDED
    )

    assert panel_cases_escalate_overdue_task.apply().get() == 1
    assert panel_cases_escalate_overdue_task.apply().get() == 0  # safe to run twice

    assert set(overdue_notifications(panel_case).values_list("recipient", flat=True)) == {chair.pk, manager.pk}
    assert not overdue_notifications(due_today).exists()
    assert not overdue_notifications(concluded).exists()


@pytest.mark.worker
def test_a_real_worker_escalates_an_overdue_review_by_email_once(transactional_db, project_data, celery_worker_process):
    celery_worker_process.clear_mail()
    panel_case, chair, manager = overdue_review()

    first = panel_cases_escalate_overdue_task.delay()
    celery_worker_process.wait_until(
        lambda: f"{panel_cases_escalate_overdue_task.name}[{first.id}] succeeded" in celery_worker_process.log(),
        timeout=30,
    )
    again = panel_cases_escalate_overdue_task.delay()
    celery_worker_process.wait_until(
        lambda: f"{panel_cases_escalate_overdue_task.name}[{again.id}] succeeded" in celery_worker_process.log(),
        timeout=30,
    )
    celery_worker_process.wait_until(
        lambda: overdue_notifications(panel_case).filter(email_state=Notification.EmailState.SENT).count() == 2,
        timeout=30,
    )

    assert PanelCase.objects.get(pk=panel_case.pk).overdue_notified_at is not None
    assert overdue_notifications(panel_case).count() == 2
    messages = [m for m in celery_worker_process.messages() if panel_case.case.reference in m["Subject"]]
    assert sorted(message["To"] for message in messages) == sorted([chair.email, manager.email])
