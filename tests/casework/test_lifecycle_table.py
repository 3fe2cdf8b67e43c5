"""casework/lifecycle/table.py is the one declaration of the case lifecycle: the model's status sets, the partial
indexes, the timeline's payloads and the diagram in the docs are checked against it (or written from it)."""

import ast
from pathlib import Path

import pytest
from django.core.management import call_command

from casework import events, lifecycle
from casework.lifecycle import TRANSITIONS, transition
from casework.models import Case, CaseEvent
from casework.services.retention import ENDED_STATUSES

Status = Case.Status
ROOT = Path(__file__).resolve().parents[2]


def _index_statuses(name: str) -> set[str]:
    index = next(index for index in Case._meta.indexes if index.name == name)
    return set(dict(index.condition.children)["status__in"])


def test_the_models_status_sets_are_the_tables():
    assert transition("request_information").sources == Case.OPEN_STATUSES
    assert transition("claim_next").sources == Case.WORKABLE_STATUSES
    assert transition("rg_decision").sources | transition("cg_decision").sources == Case.WORKABLE_STATUSES
    assert Case.UNDER_REVIEW_STATUSES == transition("review_decision").sources == transition("panel_review").sources
    assert Case.POSITIVE_RG_STATUSES | {Status.CONFIRMED_VICTIM} == transition("disqualify").sources
    assert transition("anonymise").sources == ENDED_STATUSES


def test_the_partial_indexes_cover_the_states_their_queries_read():
    # "Get next case" and the unassigned queue: the open states.
    assert _index_statuses("case_unassigned_open_idx") == set(Case.OPEN_STATUSES)
    # The deadline job: every state one of its moves starts from.
    swept = {
        s for name in ("end_recovery", "warn_support_ending", "close_after_support") for s in transition(name).sources
    }
    assert swept <= _index_statuses("case_deadline_sweep_idx")


def test_every_state_is_reached_by_some_move_and_left_by_one_unless_final():
    entered = lifecycle.statuses_entered()
    assert entered == set(Status)
    left = {source for t in TRANSITIONS if t.changes_status for source in t.sources}
    assert set(Status) - left == {Status.WITHDRAWN, Status.MERGED, Status.CLOSED, Status.DISQUALIFIED}


def test_every_event_kind_is_written_by_a_move_and_declares_its_payload():
    written = {kind for t in TRANSITIONS for kind in t.events}
    assert written == set(CaseEvent.Kind)
    assert set(events.PAYLOADS) == set(CaseEvent.Kind)
    for kind in CaseEvent.Kind:
        assert {"from_status", "to_status"} <= set(events.payload_fields(kind))


def test_an_event_with_an_undeclared_or_missing_field_is_refused_before_it_is_saved(db):
    case = Case(status=Status.AWAITING_RG)
    with pytest.raises(events.EventPayloadError, match="note_id"):
        events.validated_payload(CaseEvent.Kind.NOTE_ADDED, {"from_status": "a", "to_status": "a"})
    with pytest.raises(events.EventPayloadError, match="person_name"):
        events.validated_payload(
            CaseEvent.Kind.WITHDRAWN, {"from_status": "a", "to_status": "b", "note_id": 1, "person_name": "X"}
        )
    assert case.pk is None
    assert not CaseEvent.objects.exists()


def test_names_and_actions_are_unique_and_every_action_is_a_casework_url():
    from django.urls import NoReverseMatch, reverse

    names = [t.name for t in TRANSITIONS]
    assert len(names) == len(set(names))
    for action in {t.action for t in TRANSITIONS if t.action}:
        for args in (["NRM-2026-000001"], ["NRM-2026-000001", 1]):
            try:
                reverse(f"casework:{action}", args=args)
                break
            except NoReverseMatch:
                continue
        else:
            pytest.fail(f"{action} is no casework URL")


def test_no_service_writes_a_status_except_through_its_move():
    """Every status change goes through Move.enter, which checks the table's targets."""
    offenders = []
    for path in sorted((ROOT / "casework" / "services").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Assign):
                for target in node.targets:
                    elements = target.elts if isinstance(target, ast.Tuple) else [target]
                    for element in elements:
                        if isinstance(element, ast.Attribute) and element.attr == "status":
                            offenders.append(f"{path.name}:{node.lineno}")
    assert not offenders


def test_the_lifecycle_diagram_in_the_docs_is_current():
    call_command("lifecycle_diagram", "--check")
