"""The statistics' periodic job: scheduled every 5 minutes, rebuilds the fact tables, keeps a week of refreshes (and
always the newest), does nothing while another run holds the lock; on a real Celery worker
(tests/fixtures/celery_worker.py) as in production."""

from datetime import timedelta

import pytest
from django.utils import timezone

from insights.models import ReferralFact, Refresh
from insights.tasks import facts_refresh_task
from nrm.celery import PERIODIC_JOBS, app
from tests.casework.factories import AwaitingRgCaseFactory, DutyToNotifyReferralFactory
from tests.insights.test_refresh import HeldRefresh


def old_refresh(days: int) -> Refresh:
    return Refresh.objects.create(
        finished_at=timezone.now() - timedelta(days=days), seconds=0.1, referrals=0, decisions=0
    )


def test_the_refresh_job_runs_every_five_minutes_and_is_registered():
    job = PERIODIC_JOBS["insights-refresh-statistics"]
    assert job["task"] == facts_refresh_task.name == "insights.tasks.facts_refresh_task"
    assert job["schedule"].minute == set(range(0, 60, 5))
    assert (len(job["schedule"].hour), len(job["schedule"].day_of_week)) == (24, 7)
    assert facts_refresh_task.name in app.tasks
    assert facts_refresh_task.acks_late


@pytest.mark.django_db
def test_the_job_rebuilds_the_facts_and_keeps_a_week_of_refreshes():
    case = AwaitingRgCaseFactory()
    report = DutyToNotifyReferralFactory()
    week_old, recent = old_refresh(8), old_refresh(2)

    refresh_id = facts_refresh_task.apply().get()

    assert set(ReferralFact.objects.values_list("referral_id", flat=True)) == {case.referral_id, report.pk}
    assert set(Refresh.objects.values_list("pk", flat=True)) == {recent.pk, refresh_id}
    assert Refresh.objects.latest().pk == refresh_id
    assert not Refresh.objects.filter(pk=week_old.pk).exists()

    again = facts_refresh_task.apply().get()  # safe to run twice
    assert again != refresh_id
    assert ReferralFact.objects.count() == 2
    assert Refresh.objects.count() == 3


@pytest.mark.django_db(transaction=True)
def test_while_another_run_holds_the_lock_the_job_does_nothing_and_keeps_the_newest_refresh(project_data):
    only = old_refresh(30)  # the newest, however old: the pages still say how fresh their figures are
    AwaitingRgCaseFactory()
    held = HeldRefresh()
    held.start()
    assert held.refreshed.wait(timeout=30)
    try:
        assert facts_refresh_task.apply().get() is None
        assert list(Refresh.objects.values_list("pk", flat=True)) == [only.pk]
    finally:
        held.finish.set()
        held.join(timeout=30)
    assert held.error is None


@pytest.mark.worker
def test_a_real_worker_refreshes_the_figures_and_a_second_run_is_harmless(
    transactional_db, project_data, celery_worker_process
):
    case = AwaitingRgCaseFactory()
    old = old_refresh(10)

    first = facts_refresh_task.delay()
    celery_worker_process.wait_until(
        lambda: f"{facts_refresh_task.name}[{first.id}] succeeded" in celery_worker_process.log(), timeout=60
    )
    again = facts_refresh_task.delay()
    celery_worker_process.wait_until(
        lambda: f"{facts_refresh_task.name}[{again.id}] succeeded" in celery_worker_process.log(), timeout=60
    )

    assert list(ReferralFact.objects.values_list("referral_id", flat=True)) == [case.referral_id]
    assert Refresh.objects.count() == 2
    assert not Refresh.objects.filter(pk=old.pk).exists()
    assert Refresh.objects.latest().referrals == 1
