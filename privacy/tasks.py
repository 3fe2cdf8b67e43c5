from celery import shared_task

from privacy.models import RetentionRun
from privacy.services import retention_apply


@shared_task(acks_late=True)
def retention_apply_task() -> dict[str, int]:
    """Daily (nrm/celery.py): safe to run twice, or at the same time as itself."""
    return retention_apply(trigger=RetentionRun.Trigger.JOB).counts
