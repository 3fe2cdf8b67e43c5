"""The statistics' periodic job: the fact tables are rebuilt from the live tables every few minutes (nrm.celery's
PERIODIC_JOBS), so no other app ever calls insights. Safe to run twice: a run while another holds the refresh's
lock does nothing."""

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from insights.models import Refresh
from insights.refresh import facts_refresh

# Each refresh writes a row; a week of them says how the job has been doing, and the newest is the freshness.
REFRESH_HISTORY = timedelta(days=7)


@shared_task(acks_late=True)
def facts_refresh_task() -> int | None:
    """Rebuilds the fact tables and trims the refresh history; the new refresh's id, or None when another run
    holds the lock."""
    refresh = facts_refresh()
    newest = Refresh.objects.order_by("-finished_at", "-pk").first()
    if newest is not None:
        Refresh.objects.filter(finished_at__lt=timezone.now() - REFRESH_HISTORY).exclude(pk=newest.pk).delete()
    return refresh.pk if refresh else None
