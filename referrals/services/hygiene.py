"""Draft hygiene (policy data: ReferralPolicy): a draft untouched for `draft_warning_days` gets one warning, and
a draft is deleted, with its evidence files, `draft_retention_days` after its last change; a draft in which nothing
was answered a day after it was started. All run daily (nrm/celery.py) and are safe to run twice, or at the same
time as each other."""

import logging
from datetime import datetime, timedelta
from functools import partial

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from notifications.models import Notification
from notifications.services import notify
from referrals.models import Draft, EvidenceFile, ReferralPolicy
from referrals.selectors import answered_drafts

logger = logging.getLogger(__name__)

BATCH_SIZE = 200
# A draft started and left with nothing answered is deleted after this long (a day: whoever started it has had
# the time to answer its first page).
UNANSWERED_DRAFT_HOURS = 24


def _unsubmitted_drafts_changed_before(moment: datetime):
    return Draft.objects.filter(submitted_at__isnull=True, referral__isnull=True, updated_at__lte=moment)


def drafts_warn_expiring(*, now: datetime | None = None) -> int:
    """Tells the last person to change each draft untouched for the warning period that it will be deleted
    soon, once (saving a page clears the mark, so a draft picked up again is warned again). Returns how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=ReferralPolicy.current().draft_warning_days)
    warned = 0
    while True:
        with transaction.atomic():
            # A draft being saved right now is skipped: it is no longer untouched.
            drafts = list(
                _unsubmitted_drafts_changed_before(cutoff)
                .filter(expiry_warning_sent_at__isnull=True)
                .select_related("last_changed_by")
                .select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")[:BATCH_SIZE]
            )
            for draft in drafts:
                notify(
                    recipient=draft.last_changed_by,
                    kind=Notification.Kind.DRAFT_EXPIRING,
                    subject=draft,
                    reference=f"number {draft.pk}",
                )
                draft.expiry_warning_sent_at = now
                # Not updated_at: a warning is not a change, and must not push the deletion date back.
                draft.save(update_fields=["expiry_warning_sent_at"])
        warned += len(drafts)
        if len(drafts) < BATCH_SIZE:
            break
    if warned:
        logger.info("Warned of %s drafts that will be deleted soon", warned)
    return warned


def drafts_delete_expired(*, now: datetime | None = None) -> int:
    """Deletes every unsubmitted draft whose last change is older than the retention period, with its evidence
    files (their stored files once the deletion is committed) and the change history of both, so that nothing
    typed into an abandoned draft outlives it. Returns how many drafts were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(days=ReferralPolicy.current().draft_retention_days)
    return _delete_drafts_in_batches(_unsubmitted_drafts_changed_before(cutoff), "past their retention period")


def drafts_delete_unanswered(*, now: datetime | None = None) -> int:
    """Deletes the drafts started more than UNANSWERED_DRAFT_HOURS ago in which nothing was ever answered and no
    file added ("Start a new referral", then nothing): the organisation's list never shows them, and they do not
    pile up in the database either. Returns how many were deleted."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=UNANSWERED_DRAFT_HOURS)
    started = Draft.objects.filter(submitted_at__isnull=True, referral__isnull=True, created_at__lte=cutoff)
    unanswered = started.exclude(pk__in=answered_drafts(Draft.objects.all()).values("pk"))
    return _delete_drafts_in_batches(unanswered, "in which nothing was answered")


def _delete_drafts_in_batches(drafts: QuerySet[Draft], why: str) -> int:
    """Deletes `drafts` a batch per transaction. A draft being saved right now is skipped (its lock is held):
    a later run deletes it if it still qualifies. Returns how many were deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            draft_ids = list(
                drafts.select_for_update(skip_locked=True, of=("self",))
                .order_by("pk")
                .values_list("pk", flat=True)[:BATCH_SIZE]
            )
            _delete_drafts(draft_ids)
        deleted += len(draft_ids)
        if len(draft_ids) < BATCH_SIZE:
            break
    if deleted:
        logger.info("Deleted %s drafts %s", deleted, why)
    return deleted


def _delete_drafts(draft_ids: list[int]) -> None:
    """The drafts, their evidence files (the stored files once committed) and the change history of both."""
    if not draft_ids:
        return
    evidence = EvidenceFile.objects.filter(draft_id__in=draft_ids)
    evidence_ids = list(evidence.values_list("pk", flat=True))
    stored_names = [name for name in evidence.values_list("file", flat=True) if name]
    evidence.delete()
    Draft.objects.filter(pk__in=draft_ids).delete()
    # After the deletes: deleting writes one last history row holding the answers.
    EvidenceFile.history.filter(id__in=evidence_ids).delete()
    Draft.history.filter(id__in=draft_ids).delete()
    transaction.on_commit(partial(_delete_stored_files, stored_names))


def _delete_stored_files(names: list[str]) -> None:
    storage = EvidenceFile._meta.get_field("file").storage
    for name in names:
        try:
            storage.delete(name)
        except Exception as error:  # the file system's or the object store's: the rows are gone either way
            # Stored names are random (referrals.models.evidence_path): nothing personal in this line.
            logger.warning("Could not delete the stored evidence file %s (%s)", name, type(error).__name__)
