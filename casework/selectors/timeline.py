"""The case timeline in words, from one table keyed by event kind, and each status's tag colour. A new kind or
status is added here too (tests/casework/test_timeline.py checks that none is missing).

The rows an event points to by id (notes, decisions, information requests, reconsiderations, people,
organisations, other cases) are read once per kind of row, whatever the number of events."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import NamedTuple

from django.utils.formats import date_format

from accounts.models import Organisation, User
from casework.models import (
    Case,
    CaseEvent,
    CaseNote,
    Decision,
    InformationRequest,
    PanelResponse,
    Reconsideration,
    RecoveryNeed,
    ReviewRoute,
    SupportEndReason,
    SupportExtensionReason,
)

Status = Case.Status
Kind = CaseEvent.Kind

STATUS_COLOURS: dict[str, str] = {
    Status.AWAITING_RG: "blue",
    Status.RG_NEGATIVE_REVIEW: "orange",
    Status.RG_NEGATIVE_SERVED: "red",
    Status.RECOVERY: "turquoise",
    Status.AWAITING_CG: "blue",
    Status.CG_NEGATIVE_REVIEW: "orange",
    Status.CG_NEGATIVE_SERVED: "red",
    Status.CONFIRMED_VICTIM: "green",
    Status.DISQUALIFIED: "red",
    Status.SUSPENDED: "yellow",
    Status.WITHDRAWN: "grey",
    Status.MERGED: "grey",
    Status.CLOSED: "grey",
}


def status_colour(status: str) -> str:
    return STATUS_COLOURS.get(status, "grey")


def person_name(user: User | None) -> str:
    if user is None:
        return "The system"
    return user.full_name or user.email


def _by_pk(queryset, ids: set) -> dict:
    ids = {pk for pk in ids if pk is not None}
    return {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}


def people_named(events: list[CaseEvent]) -> set[int]:
    """The ids of the people the events' words name (beyond each event's actor)."""
    return {
        event.data[key] for event in events for key in ("assignee_id", "previous_assignee_id") if event.data.get(key)
    }


class Lookups:
    """The rows the timeline's events point to by id, each kind read once (the case's own rows are passed in;
    people and organisations named in the events are read here, by name only)."""

    def __init__(
        self,
        events: list[CaseEvent],
        *,
        notes: list[CaseNote],
        decisions: list[Decision],
        information_requests: list[InformationRequest],
        reconsiderations: list[Reconsideration],
        cases: Mapping[int, str],
        suspend_url: str = "",
        users: Mapping[int, User] | None = None,
    ):
        # Where a report that the person is missing links: the suspend page, while the case can be suspended.
        self.suspend_url = suspend_url
        self.notes = {note.pk: note for note in notes}
        self.decisions = {decision.pk: decision for decision in decisions}
        self.information_requests = {
            information_request.pk: information_request for information_request in information_requests
        }
        self.reconsiderations = {reconsideration.pk: reconsideration for reconsideration in reconsiderations}
        self.case_references = cases
        organisation_ids = set()
        for event in events:
            organisation_ids.update(event.data.get(key) for key in ("from_id", "to_id", "provider_id"))
        # `users`: the people already read by the caller, holding at least those the events name.
        self.users = _by_pk(User.objects.only("full_name", "email"), people_named(events)) if users is None else users
        self.organisations = _by_pk(Organisation.objects.only("name"), organisation_ids)

    def user(self, pk) -> str:
        return person_name(self.users.get(pk)) if pk in self.users else "someone no longer listed"

    def organisation(self, pk) -> str:
        return self.organisations[pk].name if pk in self.organisations else "another organisation"


class Link(NamedTuple):
    href: str
    text: str


@dataclass(frozen=True)
class Details:
    """What an event's kind adds to its title: lines before the generic ones, lines after, a link."""

    first: tuple[str, ...] = ()
    then: tuple[str, ...] = ()
    link: Link | None = None


@dataclass(frozen=True)
class TimelineEntry:
    kind: str
    title: str
    actor: str
    at: datetime
    lines: tuple[str, ...]
    link: Link | None


# Each kind's words: a function of the event's data and the lookups. Kinds that say nothing beyond their title
# (and the note or decision they point to, which every kind shows) use `_nothing`. Events will carry
# data["from_status"] and data["to_status"]; wording may use them but never needs them.
Describer = Callable[[dict, Lookups], Details]


def _nothing(data: dict, lookups: Lookups) -> Details:
    return Details()


def _assigned(data: dict, lookups: Lookups) -> Details:
    return Details(first=(f"Assigned to {lookups.user(data.get('assignee_id'))}",))


def _released(data: dict, lookups: Lookups) -> Details:
    if data.get("previous_assignee_id"):
        return Details(first=(f"Was assigned to {lookups.user(data['previous_assignee_id'])}",))
    return Details()


def _information_request(data: dict, lookups: Lookups) -> Details:
    information_request = lookups.information_requests.get(data.get("request_id"))
    if information_request is None:
        return Details()
    due = date_format(information_request.due_date, "j F Y")
    return Details(link=Link(f"#information-request-{information_request.pk}", f"Request due {due}"))


def _decision_proposed(data: dict, lookups: Lookups) -> Details:
    if not data.get("route"):
        return Details()
    return Details(first=(f"Reviewed by: {ReviewRoute(data['route']).label.lower()}",))


def _decision_returned(data: dict, lookups: Lookups) -> Details:
    decision = lookups.decisions.get(data.get("decision_id"))
    if decision is None or not decision.review_reasons:
        return Details()
    return Details(then=(f"Reviewer's reasons: {decision.review_reasons}",))


def _reconsideration_recommended(data: dict, lookups: Lookups) -> Details:
    decision = lookups.decisions.get(data.get("decision_id"))
    if decision is None or not decision.review_reasons:
        return Details()
    return Details(then=(f"Panel's reasons: {decision.review_reasons}",))


def _panel_recommendation_answered(data: dict, lookups: Lookups) -> Details:
    response = data.get("response")
    first = (f"Response: {PanelResponse(response).label}",) if response in PanelResponse.values else ()
    decision = lookups.decisions.get(data.get("decision_id"))
    reasons = decision.authority_response_reasons if decision is not None else ""
    return Details(first=first, then=(f"Authority's reasons: {reasons}",) if reasons else ())


def _reconsideration(data: dict, lookups: Lookups) -> Details:
    reconsideration = lookups.reconsiderations.get(data.get("reconsideration_id"))
    if reconsideration is None:
        return Details()
    return Details(link=Link(f"#reconsideration-{reconsideration.pk}", "The request"))


def _reconsideration_requested(data: dict, lookups: Lookups) -> Details:
    details = _reconsideration(data, lookups)
    if details.link is not None and data.get("late"):
        return Details(then=("Asked after the time to ask had ended",), link=details.link)
    return details


def _transferred(data: dict, lookups: Lookups) -> Details:
    return Details(
        first=(f"From {lookups.organisation(data.get('from_id'))} to {lookups.organisation(data.get('to_id'))}",)
    )


def _merged(data: dict, lookups: Lookups) -> Details:
    into = lookups.case_references.get(data.get("into_id"))
    return Details(first=(f"Duplicate of {into}" if into else "Duplicate of another case",))


def _possible_duplicate_flagged(data: dict, lookups: Lookups) -> Details:
    references = [lookups.case_references[pk] for pk in data.get("case_ids", []) if pk in lookups.case_references]
    return Details(first=(f"Compare with {', '.join(references)}" if references else "Compare with an earlier case",))


def _support_started(data: dict, lookups: Lookups) -> Details:
    if data.get("by") == "local_authority":
        return Details(first=("The local authority was told",))
    if data.get("provider_id"):
        return Details(first=(f"Referred to {lookups.organisation(data['provider_id'])}",))
    return Details(first=("No support provider is set for this nation: refer the person yourself",))


def _support_ending_warned(data: dict, lookups: Lookups) -> Details:
    return Details(first=(f"{data.get('days')} days before support ends",))


def _day(value) -> str:
    """A date of an event's payload (stored as ISO text) in words."""
    try:
        return date_format(date.fromisoformat(str(value)), "j F Y")
    except ValueError:
        return ""


def _support_began(data: dict, lookups: Lookups) -> Details:
    return Details(first=(f"Support started on {_day(data.get('started_on'))}",))


def _rna_recorded(data: dict, lookups: Lookups) -> Details:
    needs = [RecoveryNeed(need).label for need in data.get("needs", []) if need in RecoveryNeed.values]
    lines = [f"Assessment completed on {_day(data.get('completed_on'))}"]
    if needs:
        lines.append(f"Needs found: {', '.join(needs)}")
    return Details(first=tuple(lines))


def _support_extended(data: dict, lookups: Lookups) -> Details:
    reason = data.get("reason")
    lines = []
    if data.get("previous_ends_on"):
        lines.append(f"Support ends on {_day(data['ends_on'])} (was {_day(data['previous_ends_on'])})")
    else:
        lines.append(f"Support ends on {_day(data.get('ends_on'))}")
    if reason in SupportExtensionReason.values:
        lines.append(f"Reason: {SupportExtensionReason(reason).label}")
    return Details(first=tuple(lines))


def _person_missing(data: dict, lookups: Lookups) -> Details:
    return Details(
        first=(f"Last seen on {_day(data.get('last_seen_on'))}",),
        link=Link(lookups.suspend_url, "Suspend the case") if lookups.suspend_url else None,
    )


def _support_ended(data: dict, lookups: Lookups) -> Details:
    reason = data.get("reason")
    lines = [f"Support ended on {_day(data.get('ended_on'))}"]
    if reason in SupportEndReason.values:
        lines.append(f"Reason: {SupportEndReason(reason).label}")
    return Details(first=tuple(lines))


def _closed(data: dict, lookups: Lookups) -> Details:
    return Details(first=("Support ended",)) if data.get("reason") == "support_ended" else Details()


def _resumed(data: dict, lookups: Lookups) -> Details:
    status = data.get("status") or data.get("to_status")
    return Details(first=(f"Back to: {Case.Status(status).label.lower()}",)) if status else Details()


EVENT_WORDING: dict[str, Describer] = {
    Kind.OPENED: _nothing,
    Kind.POSSIBLE_DUPLICATE_FLAGGED: _possible_duplicate_flagged,
    Kind.ASSIGNED: _assigned,
    Kind.RELEASED: _released,
    Kind.NOTE_ADDED: _nothing,
    Kind.INFORMATION_REQUESTED: _information_request,
    Kind.INFORMATION_ANSWERED: _information_request,
    Kind.INFORMATION_CANCELLED: _information_request,
    Kind.RG_DECIDED: _nothing,
    Kind.CG_DECIDED: _nothing,
    Kind.DECISION_PROPOSED: _decision_proposed,
    Kind.DECISION_AGREED: _nothing,
    Kind.DECISION_RETURNED: _decision_returned,
    Kind.DECISION_SERVED: _nothing,
    Kind.RECONSIDERATION_RECOMMENDED: _reconsideration_recommended,
    Kind.PANEL_RECOMMENDATION_ANSWERED: _panel_recommendation_answered,
    Kind.RECOVERY_ENDED: _nothing,
    Kind.SUPPORT_STARTED: _support_started,
    Kind.SUPPORT_ENDING_WARNED: _support_ending_warned,
    Kind.SUPPORT_BEGAN: _support_began,
    Kind.RNA_RECORDED: _rna_recorded,
    Kind.SUPPORT_EXTENDED: _support_extended,
    Kind.PERSON_MISSING: _person_missing,
    Kind.SUPPORT_ENDED: _support_ended,
    Kind.RECONSIDERATION_REQUESTED: _reconsideration_requested,
    Kind.RECONSIDERATION_ACCEPTED: _reconsideration,
    Kind.RECONSIDERATION_DECLINED: _reconsideration,
    Kind.SUSPENDED: _nothing,
    Kind.RESUMED: _resumed,
    Kind.WITHDRAWN: _nothing,
    Kind.TRANSFERRED: _transferred,
    Kind.MERGED: _merged,
    Kind.DISQUALIFIED: _nothing,
    Kind.CLOSED: _closed,
    Kind.ANONYMISED: _nothing,
}


def timeline_entry(event: CaseEvent, lookups: Lookups) -> TimelineEntry:
    """An event in words: what happened, the text it points to (a note, reasons) and a link within the page.
    Every kind shows the note it points to, and links the decision it is about unless its own words link
    elsewhere."""
    data = event.data
    note_lines: tuple[str, ...] = ()
    note = lookups.notes.get(data.get("note_id"))
    if note is not None:
        note_lines = (note.text if note.kind == CaseNote.Kind.NOTE else f"{note.get_kind_display()}: {note.text}",)
    decision = lookups.decisions.get(data.get("decision_id"))
    details = EVENT_WORDING.get(event.kind, _nothing)(data, lookups)
    link = details.link or (Link(f"#decision-{decision.pk}", decision.title) if decision is not None else None)
    lines = (*details.first, *note_lines, *details.then)
    return TimelineEntry(
        kind=event.kind,
        title=event.get_kind_display(),
        actor=person_name(event.actor),
        at=event.created_at,
        lines=tuple(line for line in lines if line),
        link=link,
    )
