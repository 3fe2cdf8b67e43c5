"""The one place that turns what happened to a referral into a public change: the changes feed
(GET /api/v1/changes) and the webhooks send the same thing, {event, reference, status, occurred_at, id}.

A change carries no personal data: the referral's reference, the status as the referring organisation sees it
(casework.selectors.referrer's statuses: a negative decision under review still reads as the decision awaited, so
its proposal is never a change), an event name, a time and an id. Which case events are public is declared twice,
once for a row in Python (`case_event_change`) and once as a filter for the feed's query (`PUBLIC_CASE_EVENTS`);
a test checks that the two agree for every kind of event.

- the referral's sending (both routes): "referral.sent", from the Referral row (id "rs-<referral id>");
- a case event that moves the referrer's status: "referral.status_changed" (id "ce-<case event id>");
- a question put to the referring organisation, answered or cancelled: "information_request.opened",
  ".answered", ".cancelled" (id "ce-<case event id>").
"""

from dataclasses import dataclass
from datetime import datetime

from django.db import models
from django.db.models import Q

from casework.models import Case, CaseEvent
from casework.selectors.referrer import DUTY_TO_NOTIFY_SENT, REFERRER_STATUSES
from referrals.models import Referral


class ChangeEvent(models.TextChoices):
    REFERRAL_SENT = "referral.sent", "The referral or Duty to Notify report was sent"
    STATUS_CHANGED = "referral.status_changed", "The referral's status changed"
    INFORMATION_REQUESTED = "information_request.opened", "The competent authority asked for more information"
    INFORMATION_ANSWERED = "information_request.answered", "The request for information was answered"
    INFORMATION_CANCELLED = "information_request.cancelled", "The request for information was cancelled"


# The referrer's status code of each case status (a negative decision under review reads as the decision awaited).
REFERRER_STATUS_CODE: dict[str, str] = {
    str(case_status): status.value for status in REFERRER_STATUSES for case_status in status.case_statuses
}
REFERRER_STATUS_LABEL: dict[str, str] = {status.value: status.label for status in REFERRER_STATUSES}
# An NRM referral's case opens in the transaction that sends it: it is sent awaiting its RG decision.
SENT_STATUS = {True: DUTY_TO_NOTIFY_SENT.value, False: REFERRER_STATUS_CODE[Case.Status.AWAITING_RG]}

_INFORMATION_EVENTS = {
    CaseEvent.Kind.INFORMATION_REQUESTED: ChangeEvent.INFORMATION_REQUESTED,
    CaseEvent.Kind.INFORMATION_ANSWERED: ChangeEvent.INFORMATION_ANSWERED,
    CaseEvent.Kind.INFORMATION_CANCELLED: ChangeEvent.INFORMATION_CANCELLED,
}
# The case's opening is the referral's sending ("referral.sent"), never a second change.
_NEVER_A_CHANGE = {CaseEvent.Kind.OPENED}


def _moves_referrer_status() -> Q:
    """CaseEvent rows whose from_status and to_status are in different referrer statuses."""
    moved = Q(pk__in=[])
    for status in REFERRER_STATUSES:
        if not status.case_statuses:
            continue
        group = [str(case_status) for case_status in status.case_statuses]
        moved |= Q(data__to_status__in=group) & ~Q(data__from_status__in=group)
    return moved


# The public case events, as a filter on CaseEvent (the feed's query; `case_event_change` is the same rule).
PUBLIC_CASE_EVENTS: Q = Q(kind__in=list(_INFORMATION_EVENTS)) | (
    ~Q(kind__in=list(_NEVER_A_CHANGE)) & _moves_referrer_status()
)


@dataclass(frozen=True)
class PublicChange:
    """One change of a referral, as a partner's system is told it. `organisation_id` (the referring
    organisation, whose clients may be told) is for routing only: it is never in the payload."""

    id: str
    event: str
    reference: str
    status: str
    occurred_at: datetime
    organisation_id: int

    def payload(self) -> dict:
        """What the feed lists and a webhook posts (JSON-ready)."""
        return {
            "event": self.event,
            "reference": self.reference,
            "status": self.status,
            "occurred_at": self.occurred_at.isoformat(),
            "id": self.id,
        }


def referral_sent_change(referral: Referral) -> PublicChange:
    """The sending of a referral or a Duty to Notify report (no query)."""
    return PublicChange(
        id=f"rs-{referral.pk}",
        event=ChangeEvent.REFERRAL_SENT.value,
        reference=referral.reference,
        status=SENT_STATUS[referral.is_duty_to_notify],
        occurred_at=referral.submitted_at,
        organisation_id=referral.organisation_id,
    )


def case_event_change(event: CaseEvent) -> PublicChange | None:
    """The public change a case event makes, or None when it makes none (an internal step: a note, an
    assignment, a decision proposed for review). Fetch events with `select_related("case__referral")`: then
    no query."""
    change_event = change_event_of(event)
    if change_event is None:
        return None
    case = event.case
    return PublicChange(
        id=f"ce-{event.pk}",
        event=change_event.value,
        reference=case.reference,
        status=REFERRER_STATUS_CODE[event.data["to_status"]],
        occurred_at=event.created_at,
        organisation_id=case.referral.organisation_id,
    )


def change_event_of(event: CaseEvent) -> ChangeEvent | None:
    if event.kind in _INFORMATION_EVENTS:
        return _INFORMATION_EVENTS[CaseEvent.Kind(event.kind)]
    if event.kind in _NEVER_A_CHANGE:
        return None
    before = REFERRER_STATUS_CODE.get(event.data.get("from_status", ""))
    after = REFERRER_STATUS_CODE.get(event.data.get("to_status", ""))
    if after is None or before == after:
        return None
    return ChangeEvent.STATUS_CHANGED
