"""Everything the case page shows, gathered with one query per kind of row (test: 5 and 50 events cost the same)."""

from collections import defaultdict

from django.utils import timezone

from accounts.models import User
from casework.forms.case import NoteForm
from casework.models import Case, CaseFile, CaseNote
from casework.offers import allowed, case_actions, cg_possible_now, works_the_case
from casework.views.case.presenter import (
    STATUS_COLOURS,
    Lookups,
    deadlines,
    decorate_decision,
    describe,
    person_name,
    person_summary,
)
from referrals.check import answer_summary
from referrals.evidence_types import describe_size
from referrals.models import EvidenceFile
from referrals.questions import QUESTIONNAIRE


def _files_by_owner(case: Case) -> tuple[dict, dict]:
    """The case's files, grouped by the request (question or answer) and the reconsideration they came with."""
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
        case_file.size_label = describe_size(case_file.size)
        if case_file.information_request_id:
            by_request[(case_file.information_request_id, case_file.is_answer)].append(case_file)
        elif case_file.reconsideration_id:
            by_reconsideration[case_file.reconsideration_id].append(case_file)
    return by_request, by_reconsideration


def _related_cases(case: Case, events, user: User) -> tuple[dict[int, Case], list[dict]]:
    """Cases the page names (possible duplicates, the case this one was merged into), read once; linked only
    when the user may open them."""
    duplicates = list(case.possible_duplicates.only("pk", "reference", "authority_id", "status").order_by("pk"))
    known = {other.pk: other for other in duplicates}
    if case.merged_into_id and case.merged_into is not None:
        known[case.merged_into_id] = case.merged_into
    wanted = {pk for event in events for pk in event.data.get("case_ids", [])} | {
        event.data.get("into_id") for event in events if event.data.get("into_id")
    }
    missing = wanted - set(known)
    if missing:
        known.update({c.pk: c for c in Case.objects.filter(pk__in=missing).only("pk", "reference", "authority_id")})
    rows = [
        {
            "case": other,
            "in_scope": other.authority_id == user.organisation_id,
            "status": other.get_status_display(),
        }
        for other in duplicates
    ]
    return known, rows


def case_page_context(case: Case, user: User) -> dict:
    referral = case.referral
    events = list(case.events.select_related("actor").order_by("-created_at", "-pk"))
    notes = list(case.notes.select_related("author"))
    decisions = list(case.decisions.select_related("decided_by", "reviewed_by", "letter").order_by("created_at", "pk"))
    requests = list(
        case.information_requests.select_related("requested_by", "answered_by").order_by("-requested_at", "-pk")
    )
    reconsiderations = list(
        case.reconsiderations.select_related(
            "requested_by", "requester_organisation", "decided_by", "decision"
        ).order_by("-requested_at", "-pk")
    )
    files_by_request, files_by_reconsideration = _files_by_owner(case)
    related, duplicates = _related_cases(case, events, user)
    lookups = Lookups(events, notes, decisions, requests, reconsiderations, related)

    for decision in decisions:
        decorate_decision(decision)
    for request in requests:
        request.question_files = files_by_request.get((request.pk, False), [])
        request.answer_files = files_by_request.get((request.pk, True), [])
        request.can_withdraw = request.is_open and works_the_case(user, case)
    for reconsideration in reconsiderations:
        reconsideration.attached = files_by_reconsideration.get(reconsideration.pk, [])
    evidence = list(
        EvidenceFile.objects.filter(draft_id=referral.draft_id).only(
            "pk", "original_name", "description", "size", "draft_id", "uploaded_at", "scan_status", "scan_result"
        )
    )
    for item in evidence:
        item.size_label = describe_size(item.size)
    abilities = {"decisions": decisions, "reconsiderations": reconsiderations}
    return {
        "case": case,
        "referral": referral,
        "status_colour": STATUS_COLOURS.get(case.status, "grey"),
        "person": person_summary(case),
        "deadlines": deadlines(case, requests, decisions),
        "timeline": [describe(event, lookups) for event in events],
        "notes": [note for note in notes if note.kind == CaseNote.Kind.NOTE],
        "note_form": NoteForm(case=case),
        "decisions": decisions,
        "information_requests": requests,
        "reconsiderations": reconsiderations,
        "duplicates": duplicates,
        "evidence_files": evidence,
        "summary": answer_summary(QUESTIONNAIRE, referral.answers or {}),
        "actions": case_actions(case, user, **abilities),
        "can_assign_self": allowed("assign", case, user, **abilities) and case.assignee_id != user.pk,
        "can_reassign": allowed("assign", case, user, **abilities) and user.role == "manager",
        "can_release": allowed("release", case, user, **abilities),
        "works_the_case": works_the_case(user, case),
        "cg_waits_for_recovery": case.status == Case.Status.RECOVERY and not cg_possible_now(case),
        "assignee_name": person_name(case.assignee) if case.assignee_id else "",
        "now": timezone.now(),
    }
