"""What the referrals app needs to know of the cases opened from its referrals, as a port it owns.

casework sits above referrals (design.md, "Dependencies"), so referrals never imports it (but for the one call in
referrals.services.submission). The few facts its pages need as data come through this interface, which casework
implements and installs in its AppConfig.ready() (casework.referral_cases). Rendering a case for the referrer
goes through casework's template tags instead (`{% load referrer_case %}`). docs/adr/0010 says why.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Q, QuerySet

from accounts.models import User
from common.waiting import Waiting
from referrals.models import Referral


@dataclass(frozen=True)
class CaseConfirmation:
    """What the confirmation page says of a new referral's case."""

    rg_target_working_days: int
    rg_due_at: datetime | None
    possible_duplicate: bool


@dataclass(frozen=True)
class QuestionsToAnswer:
    """A referral's requests for information still open, and how many are past their due date."""

    open: int
    overdue: int


class ReferralCases(Protocol):
    def status_choices(self) -> Sequence[tuple[str, str]]:
        """The referrer's statuses as (value, label) filter choices, in the order the list offers them."""

    def status_filter(self, value: str) -> Q:
        """The referrals in the status of that filter value, as a filter on Referral."""

    def status_label(self, referral: Referral) -> str:
        """The referral's status in the referrer's words; no query when the case was fetched with it."""

    def confirmation(self, referral: Referral) -> CaseConfirmation | None:
        """The confirmation page's facts of the referral's case; None for a referral without one."""

    def referral_ids_open_to(self, user: User) -> QuerySet:
        """The ids of the referrals whose cases `user` (authority staff) may open; none for anyone else."""

    def waiting_for(self, user: User) -> list[Waiting]:
        """What the referring organisation's `user` has to do on its cases (the questions to answer), counted."""

    def questions_to_answer(self, user: User, referral_ids: Sequence[int]) -> dict[int, QuestionsToAnswer]:
        """Of those referrals, the ones with questions still to answer, by referral id (one query)."""


_installed: ReferralCases | None = None


def install(cases: ReferralCases) -> None:
    global _installed
    _installed = cases


def referral_cases() -> ReferralCases:
    if _installed is None:
        raise ImproperlyConfigured("casework installs referrals.case_view's port in its AppConfig.ready()")
    return _installed
