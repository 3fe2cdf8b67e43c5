"""The typed timeline: the payload each kind of case event carries (design.md, convention 3).

Every event also records the status the case left and entered (`from_status`, `to_status`; the same for an event
that moves nothing), so statistics and an API can read the lifecycle from the timeline alone. A payload holds ids,
codes, dates and numbers, never free text about a person: reasons and notes live on their own rows.

`CaseEvent.record` validates every write against this table: an unknown kind, a missing field or one that is not
declared is a programming error, raised before anything is saved.
"""

from __future__ import annotations

import dataclasses
from datetime import date
from typing import Any, ClassVar


class EventPayloadError(TypeError):
    """A case event written with fields its kind does not declare, or without one it requires."""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Payload:
    """The fields every event has; each kind adds its own."""

    from_status: str
    to_status: str
    kind: ClassVar[str] = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class Opened(Payload):
    kind = "opened"
    referral_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class PossibleDuplicateFlagged(Payload):
    kind = "possible_duplicate_flagged"
    case_ids: list[int]


@dataclasses.dataclass(frozen=True, kw_only=True)
class Assigned(Payload):
    kind = "assigned"
    assignee_id: int
    previous_assignee_id: int | None


@dataclasses.dataclass(frozen=True, kw_only=True)
class Released(Payload):
    kind = "released"
    previous_assignee_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class NoteAdded(Payload):
    kind = "note_added"
    note_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class InformationRequested(Payload):
    kind = "information_requested"
    request_id: int  # the stored key since the first release: the information request's id
    due: date


@dataclasses.dataclass(frozen=True, kw_only=True)
class InformationAnswered(Payload):
    kind = "information_answered"
    request_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class InformationCancelled(Payload):
    kind = "information_cancelled"
    request_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class RgDecided(Payload):
    kind = "rg_decided"
    decision_id: int
    outcome: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class CgDecided(Payload):
    kind = "cg_decided"
    decision_id: int
    outcome: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DecisionProposed(Payload):
    kind = "decision_proposed"
    decision_id: int
    route: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DecisionAgreed(Payload):
    kind = "decision_agreed"
    decision_id: int
    route: str = ""


@dataclasses.dataclass(frozen=True, kw_only=True)
class DecisionReturned(Payload):
    kind = "decision_returned"
    decision_id: int
    route: str = ""
    # "return" or "recommend_reconsideration" (casework.lifecycle.ReviewOutcome)
    outcome: str = "return"


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReconsiderationRecommended(Payload):
    kind = "reconsideration_recommended"
    decision_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class PanelRecommendationAnswered(Payload):
    kind = "panel_recommendation_answered"
    decision_id: int
    # casework.models.PanelResponse: "reconsider" or "maintain"
    response: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class DecisionServed(Payload):
    kind = "decision_served"
    decision_id: int
    letter_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class RecoveryEnded(Payload):
    kind = "recovery_ended"


@dataclasses.dataclass(frozen=True, kw_only=True)
class SupportStarted(Payload):
    kind = "support_started"
    by: str  # "local_authority" or "support_provider"
    told: int | None = None
    provider_id: int | None = None


@dataclasses.dataclass(frozen=True, kw_only=True)
class SupportEndingWarned(Payload):
    kind = "support_ending_warned"
    days: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class SupportBegan(Payload):
    kind = "support_began"
    started_on: date


@dataclasses.dataclass(frozen=True, kw_only=True)
class RnaRecorded(Payload):
    kind = "rna_recorded"
    completed_on: date
    needs: list[str]  # casework.models.RecoveryNeed codes


@dataclasses.dataclass(frozen=True, kw_only=True)
class SupportExtended(Payload):
    kind = "support_extended"
    extension_id: int
    previous_ends_on: date | None
    ends_on: date
    reason: str  # casework.models.SupportExtensionReason


@dataclasses.dataclass(frozen=True, kw_only=True)
class PersonMissing(Payload):
    kind = "person_missing"
    last_seen_on: date


@dataclasses.dataclass(frozen=True, kw_only=True)
class SupportEnded(Payload):
    kind = "support_ended"
    ended_on: date
    reason: str  # casework.models.SupportEndReason


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReconsiderationRequested(Payload):
    kind = "reconsideration_requested"
    reconsideration_id: int
    decision_id: int
    late: bool


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReconsiderationAccepted(Payload):
    kind = "reconsideration_accepted"
    reconsideration_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class ReconsiderationDeclined(Payload):
    kind = "reconsideration_declined"
    reconsideration_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Suspended(Payload):
    kind = "suspended"
    note_id: int
    previous: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Resumed(Payload):
    kind = "resumed"
    note_id: int | None
    status: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Withdrawn(Payload):
    kind = "withdrawn"
    note_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Transferred(Payload):
    kind = "transferred"
    note_id: int
    from_id: int
    to_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Merged(Payload):
    kind = "merged"
    note_id: int
    into_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Disqualified(Payload):
    kind = "disqualified"
    note_id: int


@dataclasses.dataclass(frozen=True, kw_only=True)
class Closed(Payload):
    kind = "closed"
    reason: str


@dataclasses.dataclass(frozen=True, kw_only=True)
class Anonymised(Payload):
    kind = "anonymised"


PAYLOADS: dict[str, type[Payload]] = {payload.kind: payload for payload in Payload.__subclasses__()}


def payload_fields(kind: str) -> tuple[str, ...]:
    return tuple(field.name for field in dataclasses.fields(PAYLOADS[kind]))


def validated_payload(kind: str, data: dict[str, Any]) -> dict[str, Any]:
    """The event's data as stored: every declared field, checked against the kind's payload."""
    payload_class = PAYLOADS.get(str(kind))
    if payload_class is None:
        raise EventPayloadError(f"No payload is declared for case events of kind {str(kind)!r} (casework/events.py)")
    try:
        payload = payload_class(**data)
    except TypeError as error:
        raise EventPayloadError(f"A {str(kind)!r} event: {error}") from error
    return dataclasses.asdict(payload)
