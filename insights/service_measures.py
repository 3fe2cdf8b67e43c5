"""The GOV.UK service standard's own measures of this service, for its owner (analysts): completion rate, time to
complete a referral, user satisfaction and digital take-up, over a recent period. Read from the live referral
tables (drafts, referrals, the feedback form), in three queries whatever the volume; counts only, never a person.

Definitions (the page states them):
- Completion rate: of the drafts started in the period that the service still holds, the share sent. A draft
  deleted by its writer or by the retention policy (unsent drafts are deleted after the policy's days) is gone,
  so it counts in neither figure: the rate is of drafts still held plus those sent, and overstates completion
  by the deleted ones. A draft's route is the referral's once sent; before, it follows from the draft's answers
  as the journey decides it (`referrals.questions.routes.route_of`: under 18, then consent), and a draft that
  has not answered those yet has no route.
- Time to complete: from a draft's creation to its referral's submission, for the referrals sent in the period;
  the median, by route.
- User satisfaction: the answers to the feedback form shown after sending, given in the period.
- Digital take-up: the referrals made online through this service (written as a draft here and sent) as a share
  of every referral the service holds for the period. No other channel reaches this service today (no paper
  form or phone referral is recorded here), so it is 100% by construction; referrals made outside the service
  would have to be counted elsewhere to measure more.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Case, Count, DurationField, F, Q, Value, When
from django.utils import timezone

from insights.operations import Median
from referrals.models import Draft, Referral, ReferralFeedback, Route
from referrals.questions.routes import CONSENT, UNDER_18


@dataclass(frozen=True)
class ServicePeriod:
    slug: str
    label: str
    days: int

    def since(self, now: datetime) -> datetime:
        return now - timedelta(days=self.days)


PERIODS = (
    ServicePeriod("30-days", "Last 30 days", 30),
    ServicePeriod("90-days", "Last 90 days", 90),
    ServicePeriod("12-months", "Last 12 months", 365),
)
DEFAULT_PERIOD = PERIODS[0]


def period_named(slug: str | None) -> ServicePeriod:
    """The period of the page's `period` parameter; anything else is the default."""
    return next((period for period in PERIODS if period.slug == slug), DEFAULT_PERIOD)


NO_ROUTE = "unknown"
ROUTE_LABELS = {
    Route.CHILD: "Child NRM referral",
    Route.ADULT: "Adult NRM referral",
    Route.DUTY_TO_NOTIFY: "Duty to Notify report",
    NO_ROUTE: "Route not chosen yet",
}

# A draft's route in SQL, as `route_of` decides it from the answers; a sent draft's is its referral's.
_ANSWERS_UNDER_18 = f"answers__{UNDER_18}"
_ANSWERS_CONSENT = f"answers__{CONSENT}"
DRAFT_ROUTE = Case(
    When(referral__isnull=False, then=F("referral__route")),
    When(**{f"{_ANSWERS_UNDER_18}__in": ["yes", "not_sure"]}, then=Value(Route.CHILD.value)),
    When(**{_ANSWERS_UNDER_18: "no", _ANSWERS_CONSENT: "yes"}, then=Value(Route.ADULT.value)),
    When(**{_ANSWERS_UNDER_18: "no", _ANSWERS_CONSENT: "no"}, then=Value(Route.DUTY_TO_NOTIFY.value)),
    default=Value(NO_ROUTE),
)


@dataclass(frozen=True)
class RouteMeasures:
    route: str
    started: int = 0  # drafts started in the period, still held or sent
    sent: int = 0  # ...of which sent
    referrals: int = 0  # referrals sent in the period (whenever their draft was started)
    median_time: timedelta | None = None  # draft started -> referral sent, for those

    @property
    def label(self) -> str:
        return ROUTE_LABELS[self.route]

    @property
    def completion_rate(self) -> float | None:
        return self.sent / self.started if self.started else None

    @property
    def completion_shown(self) -> str:
        return f"{round(100 * self.completion_rate)}%" if self.completion_rate is not None else "No drafts"

    @property
    def median_time_shown(self) -> str:
        return duration_words(self.median_time) if self.median_time is not None else "None sent"


@dataclass(frozen=True)
class Satisfaction:
    value: int
    label: str
    count: int
    share: float | None

    @property
    def share_shown(self) -> str:
        return f"{round(100 * self.share)}%" if self.share is not None else ""


@dataclass(frozen=True)
class ServiceMeasures:
    period: ServicePeriod
    since: datetime
    routes: list[RouteMeasures]
    satisfaction: list[Satisfaction]
    referrals: int  # every referral sent in the period
    referrals_online: int  # ...made through this online service

    @property
    def started(self) -> int:
        return sum(route.started for route in self.routes)

    @property
    def sent(self) -> int:
        return sum(route.sent for route in self.routes)

    @property
    def completion_rate(self) -> float | None:
        return self.sent / self.started if self.started else None

    @property
    def responses(self) -> int:
        return sum(answer.count for answer in self.satisfaction)

    @property
    def satisfied(self) -> int:
        satisfied = ReferralFeedback.Satisfaction.SATISFIED
        return sum(answer.count for answer in self.satisfaction if answer.value >= satisfied)

    @property
    def satisfaction_rate(self) -> float | None:
        return self.satisfied / self.responses if self.responses else None

    @property
    def digital_take_up(self) -> float | None:
        return self.referrals_online / self.referrals if self.referrals else None

    @property
    def percent_completion(self) -> str:
        return _percent(self.completion_rate)

    @property
    def percent_satisfied(self) -> str:
        return _percent(self.satisfaction_rate)

    @property
    def percent_digital(self) -> str:
        return _percent(self.digital_take_up)


def _percent(rate: float | None) -> str:
    return f"{round(100 * rate)}%" if rate is not None else "No data"


def duration_words(duration: timedelta) -> str:
    """A time to complete in words: minutes under two hours, hours under two days, else days."""
    minutes = duration.total_seconds() / 60
    if minutes < 120:
        return f"{round(minutes)} minute{'' if round(minutes) == 1 else 's'}"
    if minutes < 48 * 60:
        return f"{minutes / 60:.1f} hours"
    return f"{minutes / 1440:.1f} days"


def service_measures(period: ServicePeriod, *, now: datetime | None = None) -> ServiceMeasures:
    now = now or timezone.now()
    since = period.since(now)
    started = {
        row["route_of"]: row
        for row in Draft.objects.filter(created_at__gte=since)
        .annotate(route_of=DRAFT_ROUTE)
        .order_by()
        .values("route_of")
        .annotate(started=Count("pk"), sent=Count("pk", filter=Q(submitted_at__isnull=False)))
    }
    sent = {
        row["route"]: row
        for row in Referral.objects.filter(submitted_at__gte=since)
        .order_by()
        .values("route")
        .annotate(
            referrals=Count("pk"),
            online=Count("pk", filter=Q(draft__isnull=False)),
            median_time=Median(F("submitted_at") - F("draft__created_at"), output_field=DurationField()),
        )
    }
    routes = []
    for route in ROUTE_LABELS:
        drafts, referrals = started.get(route, {}), sent.get(route, {})
        routes.append(
            RouteMeasures(
                route=route,
                started=drafts.get("started", 0),
                sent=drafts.get("sent", 0),
                referrals=referrals.get("referrals", 0),
                median_time=referrals.get("median_time"),
            )
        )
    answers = dict(
        ReferralFeedback.objects.filter(created_at__gte=since)
        .order_by()
        .values("satisfaction")
        .annotate(count=Count("pk"))
        .values_list("satisfaction", "count")
    )
    responses = sum(answers.values())
    satisfaction = []
    for choice in ReferralFeedback.Satisfaction:  # very satisfied first
        count = answers.get(choice.value, 0)
        satisfaction.append(Satisfaction(choice.value, choice.label, count, count / responses if responses else None))
    return ServiceMeasures(
        period=period,
        since=since,
        routes=routes,
        satisfaction=satisfaction,
        referrals=sum(row["referrals"] for row in sent.values()),
        referrals_online=sum(row["online"] for row in sent.values()),
    )
