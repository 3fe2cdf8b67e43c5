"""Reads of notifications, always those of one user (or, for the sweep, those still to email)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.utils import timezone

from accounts.models import User
from notifications.models import MAX_EMAIL_ATTEMPTS, Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def unread_count_for(*, user: User) -> int:
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def notifications_awaiting_email(*, older_than: timedelta) -> QuerySet[Notification]:
    """Emails still pending after `older_than` with attempts left: their task was lost (Redis was down, or a
    worker died) or is waiting to retry. Oldest first."""
    return Notification.objects.filter(
        email_state=Notification.EmailState.PENDING,
        created_at__lt=timezone.now() - older_than,
        email_attempts__lt=MAX_EMAIL_ATTEMPTS,
    ).order_by("created_at", "pk")
