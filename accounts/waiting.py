"""What is waiting for an organisation administrator at the top of their landing pages (common.waiting)."""

from django.urls import reverse

from accounts.models import User
from accounts.selectors import membership_requests_for
from common.waiting import Waiting, waiting_items


def waiting_for_organisation_admin(*, user: User) -> list[Waiting]:
    """The requests to join the administrator's organisation still waiting (one query)."""
    return waiting_items(
        Waiting(
            "membership-requests",
            membership_requests_for(user=user).count(),
            "request to join your organisation",
            "requests to join your organisation",
            f"{reverse('organisation:members')}#requests-heading",
        )
    )
