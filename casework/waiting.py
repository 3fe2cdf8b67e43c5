"""What is waiting for each casework user at the top of their landing page (common.waiting): the referrer's
questions to answer, the caseworker's cases, the manager's reviews, reconsiderations and overdue work, and the
support provider's people whose support ends soon.

Every count comes from the scoped selectors and the queue's own tabs and filters (casework.queue), so a count
and the list its link opens agree; each function makes one query, whatever the number of cases."""

import functools
from collections.abc import Callable, Sequence
from datetime import datetime, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q, QuerySet
from django.urls import get_script_prefix, reverse
from django.utils import timezone

from accounts.models import User
from casework.deadlines import SUPPORT_WARNING_DAYS
from casework.models import Case, Decision, InformationRequest, ReviewRoute
from casework.queue import TABS_BY_SLUG, QueueFilters, TabCount, capped_counts, queue_cases
from casework.selectors.scope import case_list_for, cases_referred_by, cases_supported_by
from common.waiting import Waiting, waiting_items
from referrals.case_view import QuestionsToAnswer

# The referral list's filter of the referrals with a question to answer (casework.selectors.referrer).
INFORMATION_REQUESTED = "information_requested"
# A caseworker's case is due soon when its next deadline is this close.
DUE_SOON_DAYS = 7


def queue_href(tab: str, **filters: str) -> str:
    """The case queue on `tab` with the queue's own filters (casework.forms.queue.QueueFilterForm)."""
    query = urlencode({"tab": tab, **{name: value for name, value in filters.items() if value}})
    return f"{_queue_path(get_script_prefix())}?{query}"


@functools.lru_cache(maxsize=8)
def _queue_path(script_prefix: str) -> str:
    """The queue's address, reversed once per process (and script prefix) rather than for each link."""
    return reverse("casework:queue")


def _queue(user: User, tab: str, now: datetime, **filters) -> object:
    return queue_cases(user=user, tab=TABS_BY_SLUG[tab], filters=QueueFilters(**filters), now=now)


def _counts(
    user: User,
    now: datetime,
    tab_counts: dict[str, TabCount] | None,
    tabs: tuple[str, ...],
    counted: Callable[..., dict[str, QuerySet]],
    counted_names: tuple[str, ...],
) -> dict[str, TabCount]:
    """The counts a "Waiting for you" list shows: those the page has already made (`tab_counts`), and the rest in
    one capped query: the queue's `tabs` missing from them, and `counted`'s querysets (named `counted_names`) when
    any of those is missing. Nothing the page counted is built again (on the queue page, nothing at all)."""
    counts = dict(tab_counts or {})
    querysets = {tab: _queue(user, tab, now) for tab in tabs if tab not in counts}
    if not set(counted_names) <= counts.keys():
        querysets.update(counted(user=user, now=now))
    if querysets:
        counts = {**capped_counts(querysets), **counts}
    return counts


# --- The referring organisation --------------------------------------------------------------------------------


def open_information_requests_for_referrer(*, user: User):
    """The questions a first responder's organisation has still to answer (their own until membership is verified)."""
    return InformationRequest.objects.filter(
        case__in=cases_referred_by(user=user).values("pk"), state=InformationRequest.State.OPEN
    )


def waiting_for_referrer(*, user: User) -> list[Waiting]:
    """The information requests to answer, and how many are past their due date, in one query."""
    counts = open_information_requests_for_referrer(user=user).aggregate(
        open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate()))
    )
    href = f"{reverse('referrals:list')}?{urlencode({'status': INFORMATION_REQUESTED})}#sent"
    return waiting_items(
        Waiting(
            "information-requests",
            counts["open"],
            "information request to answer",
            "information requests to answer",
            href,
            overdue=counts["overdue"],
        )
    )


def questions_to_answer_by_referral(*, user: User, referral_ids: Sequence[int]) -> dict[int, QuestionsToAnswer]:
    """For the referral list's rows: each referral's open questions and how many are overdue (one query)."""
    if not referral_ids:
        return {}
    rows = (
        open_information_requests_for_referrer(user=user)
        .filter(case__referral_id__in=referral_ids)
        .values("case__referral_id")
        .annotate(open=Count("pk"), overdue=Count("pk", filter=Q(due_date__lt=timezone.localdate())))
        .order_by()
    )
    return {row["case__referral_id"]: QuestionsToAnswer(row["open"], row["overdue"]) for row in rows}


# --- The authority ---------------------------------------------------------------------------------------------


CASEWORKER_COUNTED = ("mine_overdue", "due_soon")


def caseworker_counted(*, user: User, now: datetime) -> dict[str, QuerySet]:
    """What "Waiting for you" counts for a caseworker besides the queue's tabs "mine" and "unassigned": the queue
    page counts them with its tabs, in the same query (casework.queue.tab_counts's `also`)."""
    mine = _queue(user, "mine", now)
    soon = now + timedelta(days=DUE_SOON_DAYS)
    return {
        "mine_overdue": _queue(user, "mine", now, overdue=True),
        "due_soon": mine.filter(next_deadline_at__gte=now, next_deadline_at__lt=soon),
    }


def waiting_for_caseworker(
    *, user: User, now: datetime | None = None, tab_counts: dict[str, TabCount] | None = None
) -> list[Waiting]:
    """The caseworker's open cases (overdue marked), those due within DUE_SOON_DAYS, and the unassigned cases
    they may take, counted as the queue's tabs count them (capped), in one query. The queue page passes the
    `tab_counts` it has just made (casework.queue.tab_counts, at the same `now`), with `caseworker_counted`
    counted among them: nothing is counted again."""
    now = now or timezone.now()
    counts = _counts(user, now, tab_counts, ("mine", "unassigned"), caseworker_counted, CASEWORKER_COUNTED)
    return waiting_items(
        Waiting(
            "assigned",
            counts["mine"].count,
            "case assigned to you",
            "cases assigned to you",
            queue_href("mine"),
            overdue=counts["mine_overdue"].count,
        ),
        Waiting(
            "due-soon",
            counts["due_soon"].count,
            f"of your cases due in the next {DUE_SOON_DAYS} days",
            f"of your cases due in the next {DUE_SOON_DAYS} days",
            queue_href("mine", sort="deadline"),
        ),
        Waiting(
            "unassigned", counts["unassigned"].count, "unassigned case", "unassigned cases", queue_href("unassigned")
        ),
    )


def decisions_to_review_by(*, user: User):
    """Negative decisions waiting for a second reviewer that `user` (a manager, not their maker) may review
    (casework.rules.is_second_reviewer)."""
    return Decision.objects.filter(
        case__in=case_list_for(user=user).values("pk"),
        state=Decision.State.UNDER_REVIEW,
        review_route=ReviewRoute.SECOND_REVIEWER,
    ).exclude(decided_by=user)


MANAGER_COUNTED = ("reviews", "rg_overdue", "information_overdue")


def manager_counted(*, user: User, now: datetime) -> dict[str, QuerySet]:
    """What "Waiting for you" counts for a manager besides the queue's tabs "reconsiderations", "unassigned" and
    "overdue": the team page counts them with its tabs, in the same query (casework.queue.tab_counts's `also`)."""
    return {
        "reviews": decisions_to_review_by(user=user),
        # Counted by their own deadline, as the operations dashboard counts them (insights.operations); the
        # queue's overdue filter the links open also lists a case overdue by another of its deadlines.
        "rg_overdue": _queue(user, "awaiting_rg", now).filter(rg_due_at__lt=now),
        "information_overdue": _queue(user, "information_requested", now).filter(information_due_at__lt=now),
    }


def waiting_for_manager(
    *, user: User, now: datetime | None = None, tab_counts: dict[str, TabCount] | None = None
) -> list[Waiting]:
    """A manager's work: decisions to review, reconsiderations to decide, unassigned cases, and overdue work
    (reasonable grounds decisions and information requests past due, and every overdue case), in one query.
    The overdue work says so in its words: it carries no "overdue" tag besides. The team page passes the
    `tab_counts` it has just made (at the same `now`), with `manager_counted` counted among them: nothing is
    counted again."""
    now = now or timezone.now()
    counts = _counts(
        user, now, tab_counts, ("reconsiderations", "unassigned", "overdue"), manager_counted, MANAGER_COUNTED
    )
    return waiting_items(
        Waiting(
            "reviews",
            counts["reviews"].count,
            "decision waiting for your review",
            "decisions waiting for your review",
            queue_href("under_review"),
        ),
        Waiting(
            "reconsiderations",
            counts["reconsiderations"].count,
            "request for reconsideration to decide",
            "requests for reconsideration to decide",
            queue_href("reconsiderations"),
        ),
        Waiting(
            "overdue",
            counts["overdue"].count,
            "overdue case",
            "overdue cases",
            queue_href("overdue"),
        ),
        Waiting(
            "rg-overdue",
            counts["rg_overdue"].count,
            "reasonable grounds decision past due",
            "reasonable grounds decisions past due",
            queue_href("awaiting_rg", overdue="on"),
        ),
        Waiting(
            "information-overdue",
            counts["information_overdue"].count,
            "information request past due",
            "information requests past due",
            queue_href("information_requested", overdue="on"),
        ),
        Waiting(
            "unassigned",
            counts["unassigned"].count,
            "unassigned case",
            "unassigned cases",
            f"{reverse('casework:team')}?tab=unassigned",
        ),
    )


# --- The support provider --------------------------------------------------------------------------------------


def waiting_for_support_provider(*, user: User, now: datetime | None = None) -> list[Waiting]:
    """The people whose support ends within the warning window (casework.deadlines.SUPPORT_WARNING_DAYS)."""
    now = now or timezone.now()
    days = max(SUPPORT_WARNING_DAYS)
    ending = cases_supported_by(user=user).filter(
        status=Case.Status.CONFIRMED_VICTIM, support_ends_at__gte=now, support_ends_at__lte=now + timedelta(days=days)
    )
    return waiting_items(
        Waiting(
            "support-ending",
            ending.count(),
            f"person whose support ends within {days} days",
            f"people whose support ends within {days} days",
            reverse("casework:supported"),
        )
    )
