"""The case page's content, read in a fixed number of queries whatever the number of events, notes, requests,
decisions or files: each kind of row is read once and joined in Python."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import Organisation, User
from casework.factors import factor_labels
from casework.models import Case, CaseEvent, CaseNote, Decision, InformationRequest
from referrals.evidence_types import describe_size
from referrals.filters import ROUTE_LABELS
from referrals.questions import EXPLOITATION_GROUP_LABELS, QUESTIONNAIRE
from referrals.questions.engine import display_value

S = Case.Status
STATUS_COLOURS = {
    S.AWAITING_RG: "blue",
    S.RG_NEGATIVE_REVIEW: "orange",
    S.RG_NEGATIVE_SERVED: "red",
    S.RECOVERY: "turquoise",
    S.AWAITING_CG: "blue",
    S.CG_NEGATIVE_REVIEW: "orange",
    S.CG_NEGATIVE_SERVED: "red",
    S.CONFIRMED_VICTIM: "green",
    S.DISQUALIFIED: "red",
    S.SUSPENDED: "yellow",
    S.WITHDRAWN: "grey",
    S.MERGED: "grey",
    S.CLOSED: "grey",
}
SUPPORT_RUNNING = frozenset({S.RECOVERY, S.AWAITING_CG, S.CG_NEGATIVE_REVIEW, S.CONFIRMED_VICTIM})


def person_name(user: User | None) -> str:
    if user is None:
        return "The system"
    return user.full_name or user.email


def decorate_decision(decision: Decision) -> Decision:
    """What the decision card shows, worked out once (decided_by, reviewed_by and letter already joined)."""
    decision.factor_labels = factor_labels(decision.factors)
    decision.letter_or_none = getattr(decision, "letter", None)
    decision.decided_by_name = person_name(decision.decided_by)
    decision.reviewed_by_name = person_name(decision.reviewed_by) if decision.reviewed_by_id else ""
    return decision


def decorate_files(files) -> list:
    files = list(files)
    for case_file in files:
        case_file.size_label = describe_size(case_file.size)
    return files


def day(moment: datetime | date) -> date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime) else moment


@dataclass
class Deadline:
    label: str
    moment: datetime | date
    running: bool
    anchor: str = ""
    when: date = field(init=False)
    days_left: int = field(init=False)
    overdue: bool = field(init=False)

    def __post_init__(self):
        self.when = day(self.moment)
        self.days_left = (self.when - timezone.localdate()).days
        passed = self.moment < timezone.now() if isinstance(self.moment, datetime) else self.days_left < 0
        self.overdue = self.running and passed

    @property
    def countdown(self) -> str:
        if not self.running:
            return ""
        if self.overdue:
            late = -self.days_left
            return "Overdue today" if late <= 0 else f"Overdue by {late} day{'s' if late != 1 else ''}"
        if self.days_left == 0:
            return "Due today"
        return f"{self.days_left} day{'s' if self.days_left != 1 else ''} left"


def deadlines(case: Case, requests: list[InformationRequest], decisions: list[Decision]) -> list[Deadline]:
    rows = []
    if case.rg_due_at:
        rows.append(Deadline("Reasonable grounds decision due", case.rg_due_at, case.status == S.AWAITING_RG))
    if case.recovery_ends_at:
        rows.append(Deadline("Recovery period ends", case.recovery_ends_at, case.status == S.RECOVERY))
    if case.support_ends_at:
        rows.append(Deadline("Support ends", case.support_ends_at, case.status in SUPPORT_RUNNING))
    for request in requests:
        if request.is_open:
            anchor = f"information-request-{request.pk}"
            rows.append(Deadline("Information request due", request.due_date, True, anchor=anchor))
    if case.status in (S.RG_NEGATIVE_SERVED, S.CG_NEGATIVE_SERVED):
        served = [d for d in decisions if d.is_served and d.is_negative and d.reconsideration_deadline]
        if served:
            rows.append(Deadline("Reconsideration can be asked until", served[-1].reconsideration_deadline, True))
    return rows


def person_summary(case: Case) -> list[tuple[str, str]]:
    referral = case.referral
    answers = referral.answers or {}
    name = " ".join(filter(None, [answers.get("first_name"), answers.get("last_name")])) or "Not given"
    if answers.get("nickname"):
        name = f"{name} (also known as {answers['nickname']})"
    if referral.date_of_birth:
        today = timezone.localdate()
        born = referral.date_of_birth
        age = today.year - born.year - ((today.month, today.day) < (born.month, born.day))
        birth = f"{date_format(born, 'j F Y')} (age {age})"
    else:
        birth = "Not known"
    age_group = "Child (under 18, or age not known)" if case.is_child else "Adult"
    if not case.is_child and referral.child_at_exploitation == "yes":
        age_group = "Adult (a child during the exploitation)"
    gender = display_value(QUESTIONNAIRE.question("gender"), referral.gender) if referral.gender else "Not given"
    exploitation = [EXPLOITATION_GROUP_LABELS.get(kind, kind) for kind in case.exploitation_types]
    return [
        ("Name", name),
        ("Date of birth", birth),
        ("Child or adult", age_group),
        ("Gender", gender),
        ("Nationality", ", ".join(referral.nationalities) or "Not given"),
        ("Nation", case.get_nation_display()),
        ("Exploitation", ", ".join(exploitation) or "Not specified"),
        ("Referral", ROUTE_LABELS.get(referral.route, referral.route)),
        ("Referred by", f"{referral.organisation.name}, {date_format(day(referral.submitted_at), 'j F Y')}"),
    ]


def _by_pk(queryset, ids: set) -> dict:
    ids = {pk for pk in ids if pk is not None}
    return {row.pk: row for row in queryset.filter(pk__in=ids)} if ids else {}


class Lookups:
    """The rows the timeline's events point to by id, each kind read once."""

    def __init__(self, events, notes, decisions, requests, reconsiderations, related_cases):
        self.notes = {note.pk: note for note in notes}
        self.decisions = {decision.pk: decision for decision in decisions}
        self.requests = {request.pk: request for request in requests}
        self.reconsiderations = {r.pk: r for r in reconsiderations}
        self.cases = related_cases
        user_ids, organisation_ids = set(), set()
        for event in events:
            user_ids.update(event.data.get(key) for key in ("assignee_id", "previous_assignee_id"))
            organisation_ids.update(event.data.get(key) for key in ("from_id", "to_id", "provider_id"))
        self.users = _by_pk(User.objects.only("full_name", "email"), user_ids)
        self.organisations = _by_pk(Organisation.objects.only("name"), organisation_ids)

    def user(self, pk) -> str:
        return person_name(self.users.get(pk)) if pk in self.users else "someone no longer listed"

    def organisation(self, pk) -> str:
        return self.organisations[pk].name if pk in self.organisations else "another organisation"


K = CaseEvent.Kind


def describe(event: CaseEvent, lookups: Lookups) -> dict:
    """An event in words: what happened, the text it points to (a note, reasons) and a link within the page."""
    data = event.data
    lines: list[str] = []
    link = None
    note = lookups.notes.get(data.get("note_id"))
    if note is not None:
        lines.append(f"{note.get_kind_display()}: {note.text}" if note.kind != CaseNote.Kind.NOTE else note.text)
    decision = lookups.decisions.get(data.get("decision_id"))
    if decision is not None:
        link = (f"#decision-{decision.pk}", decision.title)
    if event.kind == K.ASSIGNED:
        lines.insert(0, f"Assigned to {lookups.user(data.get('assignee_id'))}")
    elif event.kind == K.RELEASED and data.get("previous_assignee_id"):
        lines.insert(0, f"Was assigned to {lookups.user(data['previous_assignee_id'])}")
    elif event.kind in (K.INFORMATION_REQUESTED, K.INFORMATION_ANSWERED, K.INFORMATION_CANCELLED):
        request = lookups.requests.get(data.get("request_id"))
        if request is not None:
            link = (f"#information-request-{request.pk}", f"Request due {date_format(request.due_date, 'j F Y')}")
    elif event.kind == K.DECISION_PROPOSED:
        route = Decision.ReviewRoute(data.get("route", "")).label if data.get("route") else ""
        lines.insert(0, f"Reviewed by: {route.lower()}" if route else "")
    elif event.kind == K.DECISION_RETURNED and decision is not None and decision.review_reasons:
        lines.append(f"Reviewer's reasons: {decision.review_reasons}")
    elif event.kind in (K.RECONSIDERATION_REQUESTED, K.RECONSIDERATION_ACCEPTED, K.RECONSIDERATION_DECLINED):
        reconsideration = lookups.reconsiderations.get(data.get("reconsideration_id"))
        if reconsideration is not None:
            link = (f"#reconsideration-{reconsideration.pk}", "The request")
            if event.kind == K.RECONSIDERATION_REQUESTED and data.get("late"):
                lines.append("Asked after the time to ask had ended")
    elif event.kind == K.TRANSFERRED:
        lines.insert(
            0, f"From {lookups.organisation(data.get('from_id'))} to {lookups.organisation(data.get('to_id'))}"
        )
    elif event.kind == K.MERGED:
        into = lookups.cases.get(data.get("into_id"))
        lines.insert(0, f"Duplicate of {into.reference}" if into else "Duplicate of another case")
    elif event.kind == K.POSSIBLE_DUPLICATE_FLAGGED:
        references = [lookups.cases[pk].reference for pk in data.get("case_ids", []) if pk in lookups.cases]
        lines.insert(0, f"Compare with {', '.join(references)}" if references else "Compare with an earlier case")
    elif event.kind == K.SUPPORT_STARTED:
        if data.get("by") == "local_authority":
            lines.insert(0, "The local authority was told")
        elif data.get("provider_id"):
            lines.insert(0, f"Referred to {lookups.organisation(data['provider_id'])}")
        else:
            lines.insert(0, "No support provider is set for this nation: refer the person yourself")
    elif event.kind == K.SUPPORT_ENDING_WARNED:
        lines.insert(0, f"{data.get('days')} days before support ends")
    elif event.kind == K.CLOSED and data.get("reason") == "support_ended":
        lines.insert(0, "Support ended")
    elif event.kind == K.RESUMED and data.get("status"):
        lines.insert(0, f"Back to: {Case.Status(data['status']).label.lower()}")
    return {
        "event": event,
        "title": event.get_kind_display(),
        "actor": person_name(event.actor),
        "lines": [line for line in lines if line],
        "link": link,
    }
