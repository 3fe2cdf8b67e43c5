"""Everything the caseworker's case page shows, as plain frozen rows, read with one query per kind of row
(tests/casework/views/test_case_views.py: 5 and 50 events cost the same).

`case_page_for` takes a case already read through the user's scope (`case_list_for`); every other row is read
from the case's own relations, and another case is linked only when the user's scope holds it. The actions a
row offers (review a decision, decide a reconsideration, withdraw a request) are its url, set only when
`casework.offers` allows the move, so templates test nothing but the url."""

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime

from django.db.models import Model, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework.deadlines import rg_lateness
from casework.models import Case, CaseFile, CaseNote, Decision, InformationRequest, ReviewRoute
from casework.offers import Action, allowed, case_actions, cg_possible_now
from casework.panel_port import PanelWork, panels
from casework.rules import works_the_case
from casework.selectors.case_rows import (
    DECISION_PEOPLE,
    PERSON_NAME,
    DecisionRow,
    DuplicateRow,
    FileRow,
    InformationRequestRow,
    NoteRow,
    ReconsiderationRow,
    decision_row,
    evidence_file_row,
    information_request_row,
    panel_names_by_decision,
    reconsideration_row,
)
from casework.selectors.scope import case_list_for
from casework.selectors.timeline import Lookups, TimelineEntry, people_named, person_name, status_colour, timeline_entry
from referrals.check import answer_summary
from referrals.filters import ROUTE_LABELS
from referrals.models import EvidenceFile
from referrals.questions import EXPLOITATION_GROUP_LABELS, QUESTIONNAIRE
from referrals.questions.engine import display_value

Status = Case.Status

SUPPORT_RUNNING = frozenset({Status.RECOVERY, Status.AWAITING_CG, Status.CG_NEGATIVE_REVIEW, Status.CONFIRMED_VICTIM})
SERVED_NEGATIVE = frozenset({Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED})


def day(moment: datetime | date) -> date:
    return timezone.localtime(moment).date() if isinstance(moment, datetime) else moment


@dataclass(frozen=True)
class Deadline:
    label: str
    when: date
    running: bool
    days_left: int
    overdue: bool
    anchor: str = ""
    # When it no longer runs, what became of it, in words ("Decided on 4 December, within target").
    final: str = ""

    @classmethod
    def of(cls, label: str, moment: datetime | date, running: bool, anchor: str = "", final: str = "") -> "Deadline":
        when = day(moment)
        days_left = (when - timezone.localdate()).days
        passed = moment < timezone.now() if isinstance(moment, datetime) else days_left < 0
        return cls(label, when, running, days_left, running and passed, anchor, "" if running else final)

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


@dataclass(frozen=True)
class CasePage:
    authority_name: str
    status_colour: str
    merged_into_reference: str
    person: tuple[tuple[str, str], ...]
    deadlines: tuple[Deadline, ...]
    timeline: tuple[TimelineEntry, ...]
    notes: tuple[NoteRow, ...]
    decisions: tuple[DecisionRow, ...]
    # The case's work with independent panels, newest first (casework.panel_port: no person in it).
    panel_work: tuple[PanelWork, ...]
    information_requests: tuple[InformationRequestRow, ...]
    reconsiderations: tuple[ReconsiderationRow, ...]
    duplicates: tuple[DuplicateRow, ...]
    evidence_files: tuple[FileRow, ...]
    summary: tuple[dict, ...]
    actions: tuple[Action, ...]
    can_assign_self: bool
    can_reassign: bool
    can_release: bool
    works_the_case: bool
    cg_waits_for_recovery: bool
    assignee_name: str


# Parts of the page --------------------------------------------------------------------------------------------


def _attach(rows: Iterable[Model], relation: str, by_pk: Mapping[int, Model]) -> None:
    """Gives each row its `relation` (a foreign key) from rows the page has read already, as select_related
    would have; a row pointing to one not among them reads its own when asked."""
    for row in rows:
        field = row._meta.get_field(relation)
        pk = getattr(row, field.attname)
        if pk is None or pk in by_pk:
            field.set_cached_value(row, None if pk is None else by_pk[pk])


def _read_people(named: Iterable[tuple[list[Model], tuple[str, ...]]], *, also: Iterable[int] = ()) -> dict:
    """The people the page's rows name (`named`: rows, and the relations to the people they name), read by name
    in one query for every kind of row rather than joined to each, and given to the rows; with those the
    timeline's events name (`also`). {pk: user}."""
    named = [(rows, relations) for rows, relations in named if rows]
    ids = set(also)
    for rows, relations in named:
        ids.update(getattr(row, f"{relation}_id") for row in rows for relation in relations)
    ids.discard(None)
    people = User.objects.only(*PERSON_NAME).in_bulk(ids) if ids else {}
    for rows, relations in named:
        for relation in relations:
            _attach(rows, relation, people)
    return people


def _files_by_owner(case: Case) -> tuple[dict, dict]:
    """The case's files, grouped by the request (question or answer) and the reconsideration they came with (the
    page shows no other)."""
    by_request: dict[tuple[int, bool], list[CaseFile]] = defaultdict(list)
    by_reconsideration: dict[int, list[CaseFile]] = defaultdict(list)
    for case_file in case.files.only(
        "pk",
        "case_id",
        "original_name",
        "size",
        "information_request_id",
        "is_answer",
        "reconsideration_id",
        "scan_status",
        "scan_result",
    ):
        if case_file.information_request_id:
            by_request[(case_file.information_request_id, case_file.is_answer)].append(case_file)
        elif case_file.reconsideration_id:
            by_reconsideration[case_file.reconsideration_id].append(case_file)
    return by_request, by_reconsideration


def _related_cases(case: Case, events, user: User) -> tuple[dict[int, str], tuple[DuplicateRow, ...]]:
    """The references of the cases the page names (possible duplicates, the case this one was merged into),
    read from the case's own relations; any other case an event names is read through the user's scope.
    A case is linked only when the user's scope holds it."""
    duplicates = list(case.possible_duplicates.only("pk", "reference", "authority_id", "status").order_by("pk"))
    references = {other.pk: other.reference for other in duplicates}
    if case.merged_into_id and case.merged_into is not None:
        references[case.merged_into_id] = case.merged_into.reference
    named = {pk for event in events for pk in event.data.get("case_ids", [])} | {
        event.data.get("into_id") for event in events if event.data.get("into_id")
    }
    missing = named - set(references)
    if missing:
        references.update(case_list_for(user=user).filter(pk__in=missing).values_list("pk", "reference"))
    rows = []
    for other in duplicates:
        in_scope = other.authority_id == user.organisation_id
        rows.append(
            DuplicateRow(
                reference=other.reference,
                in_scope=in_scope,
                status_label=other.get_status_display(),
                url=reverse("casework:case", args=[other.reference]) if in_scope else "",
            )
        )
    return references, tuple(rows)


# Why a deadline stopped when no decision stopped it: the case's state, in words.
_STOPPED_BY = {
    Status.SUSPENDED: "Paused: the case is suspended",
    Status.WITHDRAWN: "Stopped: the case was withdrawn",
    Status.MERGED: "Stopped: the case was merged with another",
    Status.CLOSED: "Stopped: the case is closed",
    Status.DISQUALIFIED: "Stopped: disqualified on public order grounds",
}


def _on(moment: datetime | date) -> str:
    return date_format(day(moment), "j F")


def _stopped(case: Case) -> str:
    return _STOPPED_BY.get(case.status, f"Stopped: {case.get_status_display().lower()}")


def _rg_final(case: Case, decisions: list[Decision]) -> str:
    """What became of the reasonable grounds target: the decision that met or missed it (by working days, the
    rule of casework.deadlines.rg_lateness), or what stopped it."""
    made = [decision for decision in decisions if decision.stage == Decision.Stage.RG]
    if not made:
        return _stopped(case)
    late = rg_lateness(case.rg_due_at, made[-1].decision_date)
    judged = "within target" if late == 0 else f"{late} working day{'s' if late != 1 else ''} late"
    return f"Decided on {_on(made[-1].decision_date)}, {judged}"


def _ended_or_stopped(case: Case, moment: datetime) -> str:
    return f"Ended on {_on(moment)}" if moment <= timezone.now() else _stopped(case)


def _deadlines(case: Case, information_requests: list[InformationRequest], decisions: list[Decision]):
    rows = []
    if case.rg_due_at:
        running = case.status == Status.AWAITING_RG
        rows.append(
            Deadline.of(
                "Reasonable grounds decision due",
                case.rg_due_at,
                running,
                final="" if running else _rg_final(case, decisions),
            )
        )
    if case.recovery_ends_at:
        rows.append(
            Deadline.of(
                "Recovery period ends",
                case.recovery_ends_at,
                case.status == Status.RECOVERY,
                final=_ended_or_stopped(case, case.recovery_ends_at),
            )
        )
    if case.support_ends_at:
        # After a served negative conclusive grounds decision support runs on for the policy's working days.
        after_negative = case.status == Status.CG_NEGATIVE_SERVED and case.support_ends_at > timezone.now()
        rows.append(
            Deadline.of(
                "Support ends",
                case.support_ends_at,
                case.status in SUPPORT_RUNNING or after_negative,
                final=_ended_or_stopped(case, case.support_ends_at),
            )
        )
    for information_request in information_requests:
        if information_request.is_open:
            anchor = f"information-request-{information_request.pk}"
            rows.append(Deadline.of("Information request due", information_request.due_date, True, anchor=anchor))
    if case.status in SERVED_NEGATIVE:
        served = [
            decision
            for decision in decisions
            if decision.is_served and decision.is_negative and decision.reconsideration_deadline
        ]
        if served:
            # A window, not a target: once passed it has closed (a late request needs exceptional circumstances).
            until = served[-1].reconsideration_deadline
            open_now = until >= timezone.localdate()
            final = f"Closed on {_on(until)}: a later request needs exceptional circumstances"
            rows.append(Deadline.of("Reconsideration can be asked until", until, open_now, final=final))
    return tuple(rows)


def _person_summary(case: Case) -> tuple[tuple[str, str], ...]:
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
    return (
        ("Name", name),
        ("Date of birth", birth),
        ("Child or adult", age_group),
        ("Gender", gender),
        ("Nationality", ", ".join(referral.nationalities) or "Not given"),
        ("Nation", case.get_nation_display()),
        ("Exploitation", ", ".join(exploitation) or "Not specified"),
        ("Referral", ROUTE_LABELS.get(referral.route, referral.route)),
        ("Referred by", f"{referral.organisation.name}, {date_format(day(referral.submitted_at), 'j F Y')}"),
    )


def case_page_cases(*, user: User) -> QuerySet[Case]:
    """The cases whose page `user` may open (`case_list_for`), read as the page needs them: the case whole (the
    lifecycle's rules and guards read its columns) with its referral and the organisation that made it. The
    page names the case's authority (the user's own) and its assignee (with the other people it names) itself,
    and reads the case a merged case continues in only when there is one."""
    return case_list_for(user=user).select_related(None).select_related("referral__organisation")


def case_page_for(*, user: User, case: Case) -> CasePage:
    """The case page of `case` (read through `case_list_for(user=user)`, with its referral and the referral's
    organisation joined) as `user` sees it."""
    referral = case.referral
    events = list(case.events.order_by("-created_at", "-pk"))
    notes = list(case.notes.all())
    decisions = list(case.decisions.select_related("letter").order_by("created_at", "pk"))
    panel_work = tuple(panels().work_for(case_ids=[case.pk]).get(case.pk, ()))
    panel_names = panel_names_by_decision(panel_work)
    information_requests = list(case.information_requests.order_by("-requested_at", "-pk"))
    # A reconsideration is asked of one of the case's decisions: a case without decisions has none.
    reconsiderations = (
        list(case.reconsiderations.select_related("requester_organisation").order_by("-requested_at", "-pk"))
        if decisions
        else []
    )
    # A request's decision is one of the case's decisions, read above.
    _attach(reconsiderations, "decision", {decision.pk: decision for decision in decisions})
    people = _read_people(
        (
            (events, ("actor",)),
            (notes, ("author",)),
            (decisions, ("decided_by", "reviewed_by", "authority_responded_by")),
            (information_requests, ("requested_by", "answered_by")),
            (reconsiderations, ("requested_by", "decided_by")),
            ([case], ("assignee",)),
        ),
        also=people_named(events),
    )
    files_by_request, files_by_reconsideration = (
        _files_by_owner(case) if information_requests or reconsiderations else ({}, {})
    )
    case_references, duplicates = _related_cases(case, events, user)
    lookups = Lookups(
        events,
        notes=notes,
        decisions=decisions,
        information_requests=information_requests,
        reconsiderations=reconsiderations,
        cases=case_references,
        users=people,
        suspend_url=reverse("casework:suspend", args=[case.reference]) if allowed("suspend", case, user) else "",
    )

    def offered(name: str, **rows) -> bool:
        return allowed(name, case, user, panel_work=panel_work, **rows)

    decision_rows = tuple(
        decision_row(
            decision,
            review_url=reverse("casework:review_decision", args=[case.reference, decision.pk])
            if offered("review_decision", decisions=[decision])
            else "",
            respond_url=reverse("casework:respond_to_panel", args=[case.reference])
            if decision.awaits_response_to_panel and offered("respond_to_panel", decisions=[decision])
            else "",
            panel_name=panel_names.get(decision.pk, ""),
        )
        for decision in decisions
    )
    information_request_rows = tuple(
        information_request_row(
            information_request,
            files_by_request,
            withdraw_url=reverse("casework:withdraw_information_request", args=[case.reference, information_request.pk])
            if offered("withdraw_information_request", information_requests=[information_request])
            else "",
        )
        for information_request in information_requests
    )
    reconsideration_rows = tuple(
        reconsideration_row(
            reconsideration,
            files_by_reconsideration.get(reconsideration.pk, []),
            decide_url=reverse("casework:decide_reconsideration", args=[case.reference, reconsideration.pk])
            if offered("decide_reconsideration", reconsiderations=[reconsideration])
            else "",
        )
        for reconsideration in reconsiderations
    )
    evidence = EvidenceFile.objects.filter(draft_id=referral.draft_id).only(
        "pk", "original_name", "description", "size", "draft_id", "uploaded_at", "scan_status", "scan_result"
    )
    rows = {"decisions": decisions, "reconsiderations": reconsiderations}
    # The case is of the user's own authority (case_list_for), read with the user.
    authority = user.organisation if user.organisation_id == case.authority_id else case.authority
    return CasePage(
        authority_name=authority.short_name or authority.name,
        status_colour=status_colour(case.status),
        merged_into_reference=case.merged_into.reference if case.merged_into_id else "",
        person=_person_summary(case),
        deadlines=_deadlines(case, information_requests, decisions),
        timeline=tuple(timeline_entry(event, lookups) for event in events),
        notes=tuple(
            NoteRow(author_name=person_name(note.author), created_at=note.created_at, text=note.text)
            for note in notes
            if note.kind == CaseNote.Kind.NOTE
        ),
        decisions=decision_rows,
        panel_work=panel_work,
        information_requests=information_request_rows,
        reconsiderations=reconsideration_rows,
        duplicates=duplicates,
        evidence_files=tuple(evidence_file_row(item) for item in evidence),
        summary=tuple(answer_summary(QUESTIONNAIRE, referral.answers or {})),
        actions=tuple(case_actions(case, user, panel_work=panel_work, **rows)),
        can_assign_self=offered("assign_self", **rows),
        can_reassign=offered("assign_other", **rows),
        can_release=offered("release", **rows),
        works_the_case=works_the_case(user, case),
        cg_waits_for_recovery=case.status == Status.RECOVERY and not cg_possible_now(case),
        assignee_name=person_name(case.assignee) if case.assignee_id else "",
    )


def returned_decision_row(case: Case, stage: str) -> DecisionRow | None:
    """The decision of `stage` the case waits to have made again, when its newest one was returned (by a second
    reviewer, or by a manager answering a panel's recommendation): the decision page shows it, with the
    reviewer's or the panel's reasons and the authority's response, to whoever makes the decision again."""
    newest = case.decisions.filter(stage=stage).select_related(*DECISION_PEOPLE).order_by("-created_at", "-pk").first()
    if newest is None or newest.state != Decision.State.RETURNED:
        return None
    panel_name = ""
    if newest.review_route == ReviewRoute.PANEL:
        panel_name = panel_names_by_decision(panels().work_for(case_ids=[case.pk]).get(case.pk, ())).get(newest.pk, "")
    return decision_row(newest, panel_name=panel_name)


def decision_awaiting_response_row(case: Case) -> tuple[int | None, DecisionRow | None]:
    """For the manager's response to a panel: the id of the decision the response is about (the one an
    independent panel recommends reconsidering; when none waits, the case's newest decision, which the service
    refuses with the reason) and, when one waits, its card with the panel's name and reasons."""
    newest = case.decisions.select_related(*DECISION_PEOPLE).order_by("-created_at", "-pk")
    waiting = newest.filter(state=Decision.State.RECONSIDERATION_RECOMMENDED).first()
    if waiting is None:
        return newest.values_list("pk", flat=True).first(), None
    names = panel_names_by_decision(panels().work_for(case_ids=[case.pk]).get(case.pk, ()))
    return waiting.pk, decision_row(waiting, panel_name=names.get(waiting.pk, ""))
