"""Demo notifications for `manage.py seed_demo`. Safe to run again; sends no email.

The demo's notifications are the ones its referrals, cases and panels cause through the real services, so each
points at a real demo object its recipient can open (and only roles a kind declares get one). This runs after
them: their emails count as sent, and the placeholders earlier demos made (references of no case) go.
"""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from notifications.models import Notification

# The placeholder references of earlier demos: the real sequence has no 0000xx numbers in 2026.
PLACEHOLDER_REFERENCES = ["NRM-2026-000001", "NRM-2026-000002"]


@transaction.atomic
def seed(users: Iterable[User]) -> int:
    """Marks the demo users' notifications as already emailed and removes placeholders that opened nothing.
    Returns how many placeholders were removed."""
    mine = Notification.objects.filter(recipient__in=list(users))
    removed, _ = mine.filter(reference__in=PLACEHOLDER_REFERENCES, object_id__isnull=True).delete()
    mine.filter(email_state=Notification.EmailState.PENDING).update(
        email_state=Notification.EmailState.SENT, email_sent_at=timezone.now()
    )
    return removed
