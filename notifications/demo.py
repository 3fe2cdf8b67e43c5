"""Demo notifications for `manage.py seed_demo`. Safe to run again; sends no email."""

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from accounts.roles import AUTHORITY_ROLES
from notifications.models import Notification

Kind = Notification.Kind

# Fake references in the demo's own range; the real sequence has no 0000xx numbers in 2026.
STAFF_NOTIFICATIONS = [(Kind.CASE_ASSIGNED, "NRM-2026-000001"), (Kind.INFORMATION_ANSWERED, "NRM-2026-000002")]
OTHER_NOTIFICATIONS = [(Kind.DECISION_SERVED, "NRM-2026-000001"), (Kind.INFORMATION_REQUESTED, "NRM-2026-000002")]


@transaction.atomic
def seed(users: Iterable[User]) -> int:
    """Two unread notifications for each user, marked as already emailed. Returns how many were created."""
    created = 0
    for user in users:
        examples = STAFF_NOTIFICATIONS if user.role in AUTHORITY_ROLES else OTHER_NOTIFICATIONS
        for kind, reference in examples:
            _, was_created = Notification.objects.get_or_create(
                recipient=user,
                kind=kind,
                reference=reference,
                defaults={"email_state": Notification.EmailState.SENT, "email_sent_at": timezone.now()},
            )
            created += was_created
    return created
