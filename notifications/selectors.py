"""Reads of notifications, always those of one user (or, for the sweep, those still to email)."""

from datetime import timedelta

from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from accounts.roles import PANEL_ROLES, Role
from notifications.models import MAX_EMAIL_ATTEMPTS, Link, Notification


def notifications_for(*, user: User) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    return Notification.objects.filter(recipient=user).order_by("-created_at", "-pk")


def notification_link(*, notification: Notification, user: User) -> str | None:
    """Where the notification's link goes for `user` (its recipient), as its kind declares; None for no link.
    A reference opens through the role's own "open" page, which finds the case or referral in the user's scope."""
    if not notification.opens_a_page:
        return None
    link = notification.audience.link
    if link == Link.REFERENCE:
        opener = "panels:open" if user.role in PANEL_ROLES else "casework:open"
        return reverse(opener, args=[notification.reference])
    if link == Link.MEMBERSHIP_REQUESTS and user.role == Role.ADMIN:
        return reverse("admin:accounts_membershiprequest_changelist") + "?state__exact=pending"
    return reverse(_LINK_PAGES[link])


_LINK_PAGES = {
    Link.DRAFTS: "referrals:list",
    Link.PANEL_MEETINGS: "panels:meetings",
    Link.MEETING_INVITATIONS: "panels:invitations",
    Link.MEMBERSHIP_REQUESTS: "organisation:members",
}


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
