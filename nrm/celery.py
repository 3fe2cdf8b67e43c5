"""The Celery app. Every periodic job of the service is declared in PERIODIC_JOBS below, and only there."""

import os

from celery import Celery
from celery.schedules import crontab
from celery.signals import beat_init, worker_init

from common import request_context

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "nrm.settings")

app = Celery("nrm")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
# Task logs carry the task's id and the id of the request that queued it; worker and beat log as settings.LOGGING.
request_context.connect_to_celery()


@worker_init.connect
@beat_init.connect
def _jobs_get_the_jobs_database_timeouts(**kwargs):
    """The worker and beat run jobs: longer database timeouts than a web request's (docs/adr/0018)."""
    from common import database

    database.run_as_job()


# django-celery-beat's database scheduler writes these into its tables each time beat starts (so the code is
# the source of truth; admins can pause a job in Django admin until the next start). Every job is safe to
# run twice.
PERIODIC_JOBS = {
    # Requests to join an organisation that no one approved in NRM_MEMBERSHIP_REQUEST_DAYS.
    "accounts-expire-membership-requests": {
        "task": "accounts.tasks.membership_requests_expire_task",
        "schedule": crontab(hour=3, minute=0),
    },
    # Queues again every must-happen task (letters, invitation emails) still pending 2 minutes after it was
    # queued: one Redis lost, or one whose worker died (common.outbox, docs/adr/0023).
    "common-sweep-outbox": {
        "task": "common.tasks.outbox_sweep_task",
        "schedule": crontab(minute="*"),
    },
    "notifications-resend-unsent": {
        "task": "notifications.tasks.notification_sweep_unsent",
        "schedule": crontab(minute="*/5"),
    },
    "referrals-warn-expiring-drafts": {
        "task": "referrals.tasks.drafts_warn_expiring_task",
        "schedule": crontab(hour=2, minute=0),
    },
    "referrals-delete-expired-drafts": {
        "task": "referrals.tasks.drafts_delete_expired_task",
        "schedule": crontab(hour=2, minute=30),
    },
    # Drafts started a day ago in which nothing was answered ("Start a new referral", then nothing).
    "referrals-delete-unanswered-drafts": {
        "task": "referrals.tasks.drafts_delete_unanswered_task",
        "schedule": crontab(hour=2, minute=45),
    },
    # Ends recovery periods, warns 14 and 7 days before support ends, closes cases whose support has ended.
    "casework-track-deadlines": {
        "task": "casework.tasks.cases_track_deadlines_task",
        "schedule": crontab(minute=15),
    },
    # Queues again the virus scan of uploads still pending (a lost task, or clamd down past the task's retries).
    "referrals-scan-pending-evidence": {
        "task": "referrals.tasks.evidence_sweep_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    "casework-scan-pending-files": {
        "task": "casework.tasks.case_files_sweep_pending_task",
        "schedule": crontab(minute="*/10"),
    },
    "casework-remind-information-requests": {
        "task": "casework.tasks.information_requests_remind_task",
        "schedule": crontab(hour=7, minute=0),
    },
    # Tells a panel's chair and the authority's managers, once, of each review or decision past its due date.
    "panels-escalate-overdue": {
        "task": "panels.tasks.panel_cases_escalate_overdue_task",
        "schedule": crontab(hour=7, minute=15),
    },
    # Anonymises or deletes ended cases and Duty to Notify reports past the retention policy's periods, and trims
    # the access log and notifications (privacy.services.retention; admin has a dry run).
    "privacy-apply-retention": {
        "task": "privacy.tasks.retention_apply_task",
        "schedule": crontab(hour=3, minute=30),
    },
    # Rebuilds the statistics' fact tables from the live tables (insights.refresh); the pages say how fresh.
    "insights-refresh-statistics": {
        "task": "insights.tasks.facts_refresh_task",
        "schedule": crontab(minute="*/5"),
    },
}
app.conf.beat_schedule = PERIODIC_JOBS
