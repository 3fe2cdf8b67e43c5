"""Sending a referral (exactly once per draft, whatever the clicks and tabs) and the feedback that follows it."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import User
from casework.services.opening import case_open_for_referral
from common.virus_scan import ScanStatus
from notifications.models import Notification
from notifications.services import notify
from referrals.models import Draft, Referral, ReferralFeedback, Route
from referrals.questions import EXPLOITATION_GROUPS, QUESTIONNAIRE, route_of
from referrals.questions.engine import applicable_answers, missing_answers
from referrals.questions.schema import Answers, Page, Question, Section
from referrals.services.drafts import DraftChangedElsewhere

LONDON = ZoneInfo("Europe/London")
# Reference prefixes and the PostgreSQL sequences (migration 0002) their numbers come from.
REFERENCE_SEQUENCES = {
    Route.CHILD: ("NRM", "referrals_nrm_reference_seq"),
    Route.ADULT: ("NRM", "referrals_nrm_reference_seq"),
    Route.DUTY_TO_NOTIFY: ("DTN", "referrals_dtn_reference_seq"),
}


class InfectedEvidence(Exception):
    """The draft holds a file the virus scanner found infected: it is never sent silently. The first responder
    (told when it was found) removes it first; a file still being checked does not stop the send."""

    def __init__(self):
        super().__init__(
            "A file you added contained a virus and has been removed: remove it from the evidence page, then send "
            "the referral"
        )


class ReferralIncomplete(Exception):
    """The draft lacks answers: `missing` lists each (section, page, question or None for a page never seen)."""

    def __init__(self, missing: list[tuple[Section, Page, Question | None]]):
        self.missing = missing
        super().__init__(f"{len(missing)} answers are missing")

    @property
    def keys(self) -> list[str]:
        """The missing question keys (a page never seen by its slug)."""
        return [question.key if question else page.slug for _, page, question in self.missing]


@transaction.atomic
def referral_submit(*, draft_id: int, actor: User, expected_version: int | None = None) -> Referral:
    """Sends the draft: a frozen referral with its reference, a case for an NRM referral, a notification.

    Exactly once: the draft's row is locked first, so concurrent sends of one draft queue up behind each other,
    and every send after the first finds the draft sent and returns the same referral. With `expected_version`
    (the version the check page showed), answers changed since by someone else are never sent unseen: raises
    DraftChangedElsewhere.
    """
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    if not actor.sees_work_of(organisation_id=draft.organisation_id, owner_id=draft.created_by_id):
        raise PermissionDenied
    if draft.submitted_at is not None:
        return Referral.objects.get(draft=draft)
    if expected_version is not None and draft.version != expected_version:
        raise DraftChangedElsewhere(draft)
    answers = draft.answers
    missing = missing_answers(QUESTIONNAIRE, answers, frozenset(answers.get("_visited", [])))
    route = route_of(answers)
    if missing or route is None:
        raise ReferralIncomplete(missing)
    if draft.evidence.filter(scan_status=ScanStatus.INFECTED).exists():
        raise InfectedEvidence

    submitted_at = timezone.now()
    frozen = applicable_answers(QUESTIONNAIRE, answers)
    referral = Referral.objects.create(
        reference=next_reference(route, submitted_at),
        route=route,
        draft=draft,
        organisation=draft.organisation,
        submitted_by=actor,
        submitted_at=submitted_at,
        answers=frozen,
        **typed_columns(route, frozen),
    )
    draft.submitted_at = submitted_at
    draft.last_changed_by = actor
    draft.save(update_fields=["submitted_at", "last_changed_by", "updated_at"])
    if route != Route.DUTY_TO_NOTIFY:
        case_open_for_referral(referral=referral)
    notify(recipient=actor, kind=Notification.Kind.REFERRAL_SUBMITTED, subject=referral, reference=referral.reference)
    return referral


def next_reference(route: Route, submitted_at: datetime) -> str:
    """NRM-2026-004217 or DTN-2026-000812: the year of submission in UK time, the number from a sequence (unique
    under any concurrency; a number taken by a send that rolls back is simply never used)."""
    prefix, sequence = REFERENCE_SEQUENCES[route]
    with connection.cursor() as cursor:
        cursor.execute("SELECT nextval(%s)", [sequence])
        (number,) = cursor.fetchone()
    return f"{prefix}-{submitted_at.astimezone(LONDON).year}-{number:06d}"


def typed_columns(route: Route, answers: Answers) -> dict:
    """The referral's indexed columns, from its frozen answers."""
    if route == Route.CHILD:
        child_at_exploitation = "yes" if answers.get("under_18") == "yes" else "not_sure"
    else:
        child_at_exploitation = answers.get("child_during_exploitation", "")
    checked = set(answers.get("exploitation_types", []))
    date_of_birth = answers.get("date_of_birth")
    return {
        "responder_reference": answers.get("responder_reference", ""),
        "nation": answers["nation"],
        "is_child": route == Route.CHILD,
        "child_at_exploitation": child_at_exploitation,
        "gender": answers.get("gender", ""),
        "nationalities": [answers[key] for key in ("nationality", "second_nationality") if answers.get(key)],
        "exploitation_types": [group for group, values in EXPLOITATION_GROUPS.items() if checked & set(values)],
        "exploited_in": answers.get("exploited_in", ""),
        "person_name_key": person_name_key(answers.get("first_name", ""), answers.get("last_name", "")),
        "date_of_birth": date.fromisoformat(date_of_birth) if date_of_birth else None,
        "home_office_reference": "".join(answers.get("home_office_reference", "").split()).upper(),
    }


def person_name_key(first_name: str, last_name: str) -> str:
    """The name as the duplicate check compares it: case folded, spaces collapsed ("" when not given)."""
    return " ".join(f"{first_name} {last_name}".casefold().split())


@transaction.atomic
def referral_feedback_give(
    *, referral_id: int, actor: User, satisfaction: int, improvements: str = ""
) -> ReferralFeedback:
    """Stores the responder's feedback on sending the referral: one per referral, a second replaces the first."""
    referral = Referral.objects.select_for_update().get(pk=referral_id)
    if not actor.sees_work_of(organisation_id=referral.organisation_id, owner_id=referral.submitted_by_id):
        raise PermissionDenied
    feedback, _ = ReferralFeedback.objects.update_or_create(
        referral=referral,
        defaults={"satisfaction": ReferralFeedback.Satisfaction(satisfaction), "improvements": improvements},
    )
    return feedback
