"""The arrows that stop, pause or move a case (casework.services.lifecycle): suspension and resumption, withdrawal,
transfer between the authorities, marking a duplicate, public order disqualification and internal notes."""

from datetime import date

import pytest

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.lifecycle.states import STATUS_IN_WORDS
from casework.models import Case, CaseEvent, CaseNote, Decision, Policy
from casework.services import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    StaleCase,
    case_add_note,
    case_disqualify,
    case_mark_duplicate,
    case_resume,
    case_suspend,
    case_transfer,
    case_withdraw,
    information_request_create,
)
from notifications.models import Notification
from tests.casework.factories import (
    assert_transition,
    case_in_any_state,
    case_in_state,
    make_decision,
    staff_of,
)
from tests.factories import OrganisationFactory, SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db
SUSPENDABLE = {*Case.OPEN_STATUSES, Case.Status.CONFIRMED_VICTIM}
STOPPABLE = {*Case.OPEN_STATUSES, Case.Status.SUSPENDED}
DISQUALIFIABLE = {
    Case.Status.RECOVERY,
    Case.Status.AWAITING_CG,
    Case.Status.CG_NEGATIVE_REVIEW,
    Case.Status.CONFIRMED_VICTIM,
}


def told(user, kind) -> int:
    return Notification.objects.filter(recipient=user, kind=kind).count()


def test_every_status_is_said_in_words_in_a_message_never_by_its_value_or_heading():
    assert set(STATUS_IN_WORDS) == set(Case.Status)
    for words in STATUS_IN_WORDS.values():
        assert words.split()[0] in {"is", "has"}
        assert "_" not in words  # never the value ("recovery", "awaiting_rg")
    assert STATUS_IN_WORDS[Case.Status.RECOVERY] == "is in its recovery period"


@pytest.mark.parametrize("status", list(Case.Status))
def test_every_lifecycle_move_is_refused_where_it_does_not_apply(status, manager, ieca):
    case = case_in_any_state(status, manager=manager)
    version = case.version
    words = STATUS_IN_WORDS[status]
    moves = {
        "suspend the case": (SUSPENDABLE, lambda: case_suspend(case_id=case.pk, actor=manager, reason="Missing.")),
        "resume the case": ({Case.Status.SUSPENDED}, lambda: case_resume(case_id=case.pk, actor=manager)),
        "withdraw the case": (
            {*STOPPABLE, Case.Status.CONFIRMED_VICTIM},
            lambda: case_withdraw(case_id=case.pk, actor=manager, reason="Asked to."),
        ),
        "transfer the case": (
            STOPPABLE,
            lambda: case_transfer(case_id=case.pk, actor=manager, to_authority=ieca, reason="Detained."),
        ),
        "mark the case as a duplicate": (
            STOPPABLE,
            lambda: case_mark_duplicate(case_id=case.pk, actor=manager, surviving_reference="X", reason="Twice."),
        ),
        "disqualify on public order grounds": (
            DISQUALIFIABLE,
            lambda: case_disqualify(case_id=case.pk, actor=manager, reasons="Convicted."),
        ),
    }
    for action, (allowed, move) in moves.items():
        if status not in allowed:
            with pytest.raises(IllegalTransition, match=f"You cannot {action} because {case.reference} {words}$"):
                move()
    case.refresh_from_db()
    assert (case.status, case.version) == (status, version)


@pytest.mark.parametrize("status", sorted(SUSPENDABLE))
def test_a_suspended_case_resumes_exactly_where_it_was(status, caseworker, manager):
    case = case_in_state(status, opened_days_ago=40, caseworker=caseworker, manager=manager)
    if case.assignee_id is None:
        case = make_assigned(case, manager, caseworker)  # only its caseworker or a manager suspends it
    version, deadline = case.version, (case.next_deadline_at, case.next_deadline_kind)
    case_suspend(
        case_id=case.pk, actor=caseworker, reason="Missing from their accommodation.", expected_version=version
    )
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.SUSPENDED, changed=("status",))
    assert (case.status, case.status_before_suspension, case.next_deadline_at) == (Case.Status.SUSPENDED, status, None)
    assert case.notes.get().kind == CaseNote.Kind.SUSPENSION
    case_resume(case_id=case.pk, actor=manager, reason="Found safe.", expected_version=version + 1)
    assert_transition(case, version_before=version + 1, kind=CaseEvent.Kind.RESUMED, changed=("status",))
    assert (case.status, case.status_before_suspension) == (status, "")
    assert (case.next_deadline_at, case.next_deadline_kind) == deadline
    assert case.events.last().data["status"] == status


def test_the_police_the_referrer_and_the_support_provider_are_told(caseworker, manager):
    force = OrganisationFactory(name="Exampleshire Police", kind=Organisation.Kind.POLICE)
    officer = UserFactory(role=Role.FIRST_RESPONDER, organisation=force)
    provider = SupportProviderFactory()
    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    Policy.objects.filter(nation=Nation.ENGLAND).update(support_provider=provider)
    case = case_in_state(
        Case.Status.RECOVERY,
        caseworker=caseworker,
        manager=manager,
        answers={"police_force": force.name, "wants_support": "yes"},
    )
    case_suspend(case_id=case.pk, actor=caseworker, reason="Missing.")
    case_resume(case_id=case.pk, actor=caseworker)
    for user in (officer, provider_staff, case.referral.submitted_by):
        assert (told(user, Notification.Kind.CASE_SUSPENDED), told(user, Notification.Kind.CASE_RESUMED)) == (1, 1), (
            user
        )
    assert told(caseworker, Notification.Kind.CASE_SUSPENDED) == 0  # never the one who did it


def test_a_childs_local_authority_is_told_of_a_suspension_and_the_resumption(caseworker, manager):
    council = OrganisationFactory(name="Exampleton Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    social_worker = UserFactory(role=Role.FIRST_RESPONDER, organisation=council)
    case = case_in_state(Case.Status.AWAITING_RG, child=True, answers={"la_name": council.name})
    case_suspend(case_id=case.pk, actor=manager, reason="Missing.")
    case_resume(case_id=case.pk, actor=manager)
    assert (
        told(social_worker, Notification.Kind.CASE_SUSPENDED),
        told(social_worker, Notification.Kind.CASE_RESUMED),
    ) == (1, 1)


def test_suspending_needs_a_reason_staff_of_the_authority_and_the_case_as_seen(caseworker, manager, ieca):
    case = case_in_state(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    with pytest.raises(InvalidInput, match="Enter the reason") as error:
        case_suspend(case_id=case.pk, actor=caseworker, reason=" ")
    assert error.value.field == "reason"
    for outsider in (staff_of(ieca, Role.MANAGER), case.referral.submitted_by, UserFactory(role=Role.SUPPORT_PROVIDER)):
        with pytest.raises(NotPermitted, match="Only staff of the authority"):
            case_suspend(case_id=case.pk, actor=outsider, reason="Missing.")
    with pytest.raises(StaleCase):
        case_suspend(case_id=case.pk, actor=caseworker, reason="Missing.", expected_version=case.version - 1)
    case.refresh_from_db()
    assert (case.status, case.notes.count()) == (Case.Status.RECOVERY, 0)


@pytest.mark.parametrize("status", [Case.Status.AWAITING_RG, Case.Status.SUSPENDED, Case.Status.CONFIRMED_VICTIM])
def test_an_adult_withdraws_and_open_requests_close(status, caseworker, manager):
    case = case_in_state(status, opened_days_ago=40, caseworker=caseworker, manager=manager)
    if status == Case.Status.AWAITING_RG:
        information_request = information_request_create(case_id=case.pk, actor=manager, question="Who?")
        case = make_assigned(case, manager, caseworker)
    version = case.version
    case_withdraw(case_id=case.pk, actor=caseworker, reason="They asked to leave the NRM.")
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.WITHDRAWN, changed=("status", "closed_at"))
    assert (case.status, case.information_due_at, case.next_deadline_at) == (Case.Status.WITHDRAWN, None, None)
    assert case.notes.get(kind=CaseNote.Kind.WITHDRAWAL).text == "They asked to leave the NRM."
    if status == Case.Status.AWAITING_RG:
        information_request.refresh_from_db()
        assert information_request.state == "withdrawn"


def test_a_childs_case_cannot_be_withdrawn(manager):
    case = case_in_state(Case.Status.AWAITING_RG, child=True)
    with pytest.raises(IllegalTransition, match="child's case"):
        case_withdraw(case_id=case.pk, actor=manager, reason="Asked to.")
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_RG


def test_a_transfer_moves_the_case_and_who_may_act_on_it(sca, ieca, caseworker, manager):
    case = case_in_state(Case.Status.AWAITING_RG)
    case = make_assigned(case, manager, caseworker)
    ieca_manager, ieca_caseworker = staff_of(ieca, Role.MANAGER), staff_of(ieca)
    version = case.version
    case_transfer(case_id=case.pk, actor=caseworker, to_authority=ieca, reason="Detained.", expected_version=version)
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.TRANSFERRED, changed=("authority", "assignee"))
    assert (case.authority, case.assignee, case.status) == (ieca, None, Case.Status.AWAITING_RG)
    assert case.events.last().data["from_id"] == sca.pk
    assert (
        told(ieca_manager, Notification.Kind.CASE_TRANSFERRED),
        told(manager, Notification.Kind.CASE_TRANSFERRED),
    ) == (1, 0)
    for former in (caseworker, manager):
        with pytest.raises(NotPermitted, match="Only staff of the authority"):
            make_decision(case, former)
    make_assigned(case, ieca_manager, ieca_caseworker)
    make_decision(case, ieca_caseworker)
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    case_transfer(case_id=case.pk, actor=ieca_manager, to_authority=sca, reason="Released.")
    case.refresh_from_db()
    assert case.authority == sca


def make_assigned(case, manager, caseworker):
    from casework.services import case_assign

    return case_assign(case_id=case.pk, actor=manager, assignee=caseworker)


def test_a_transfer_goes_to_the_other_competent_authority_only(sca, manager):
    case = case_in_state(Case.Status.AWAITING_RG)
    for target, message in [
        (sca, "is already with"),
        (OrganisationFactory(kind=Organisation.Kind.POLICE), "Select a competent authority"),
        (OrganisationFactory(kind=Organisation.Kind.COMPETENT_AUTHORITY, is_active=False), "Select a competent"),
    ]:
        with pytest.raises(InvalidInput, match=message) as error:
            case_transfer(case_id=case.pk, actor=manager, to_authority=target, reason="Why not.")
        assert error.value.field == "to_authority"
    case.refresh_from_db()
    assert (case.authority, case.version) == (sca, 1)


def test_a_duplicate_closes_and_points_to_the_case_that_goes_on(caseworker, manager):
    person = {"person_name_key": "amina hassan", "date_of_birth": date(1999, 3, 14)}
    surviving = case_in_state(Case.Status.RECOVERY, opened_days_ago=1, caseworker=caseworker, manager=manager, **person)
    case = case_in_state(Case.Status.AWAITING_RG, **person)
    assert case.duplicate_review_needed
    information_request_create(case_id=case.pk, actor=manager, question="Who?")
    case_mark_duplicate(
        case_id=case.pk, actor=caseworker, surviving_reference=f" {surviving.reference.lower()} ", reason="Same person."
    )
    assert_transition(case, version_before=2, kind=CaseEvent.Kind.MERGED, changed=("status", "merged_into"))
    assert (case.status, case.merged_into, case.information_due_at, case.duplicate_review_needed) == (
        Case.Status.MERGED,
        surviving,
        None,
        False,
    )
    assert case.closed_at is not None
    assert list(surviving.merged_duplicates.all()) == [case]


def test_the_surviving_case_must_be_another_live_case_of_the_authority(ieca, manager):
    case = case_in_state(Case.Status.AWAITING_RG)
    elsewhere = case_in_state(Case.Status.AWAITING_RG, authority=ieca)
    merged = case_in_state(Case.Status.MERGED, other=case_in_state(Case.Status.AWAITING_RG))
    for reference, message in [
        ("NRM-2026-999999", "Enter the reference of a case of your authority"),
        (elsewhere.reference, "Enter the reference of a case of your authority"),
        (case.reference, "cannot be a duplicate of itself"),
        (merged.reference, f"{merged.reference} is itself a duplicate"),
    ]:
        with pytest.raises(InvalidInput, match=message) as error:
            case_mark_duplicate(case_id=case.pk, actor=manager, surviving_reference=reference, reason="Twice.")
        assert error.value.field == "surviving_reference"
    case.refresh_from_db()
    assert (case.status, case.merged_into) == (Case.Status.AWAITING_RG, None)


@pytest.mark.parametrize("status", sorted(DISQUALIFIABLE))
def test_a_manager_disqualifies_after_a_positive_rg(status, caseworker, manager):
    case = case_in_state(status, opened_days_ago=40, caseworker=caseworker, manager=manager)
    with pytest.raises(NotPermitted, match="Only a manager"):
        case_disqualify(case_id=case.pk, actor=caseworker, reasons="Convicted.")
    with pytest.raises(InvalidInput, match="Enter the reason") as error:
        case_disqualify(case_id=case.pk, actor=manager, reasons="")
    assert error.value.field == "reasons"
    version = case.version
    case_disqualify(case_id=case.pk, actor=manager, reasons="Convicted of a serious offence.")
    assert_transition(case, version_before=version, kind=CaseEvent.Kind.DISQUALIFIED, changed=("status", "closed_at"))
    assert case.status == Case.Status.DISQUALIFIED
    assert told(case.referral.submitted_by, Notification.Kind.DECISION_SERVED) >= 1


def test_notes_are_written_by_the_authoritys_staff_and_change_no_version(caseworker, manager, ieca):
    case = case_in_state(Case.Status.AWAITING_RG)
    note = case_add_note(case_id=case.pk, actor=caseworker, text=" Called the officer. ")
    assert (note.text, note.author, note.kind) == ("Called the officer.", caseworker, CaseNote.Kind.NOTE)
    assert case.events.last().data == {"note_id": note.pk, "from_status": case.status, "to_status": case.status}
    with pytest.raises(InvalidInput) as error:
        case_add_note(case_id=case.pk, actor=caseworker, text="")
    assert error.value.field == "text"
    with pytest.raises(NotPermitted):
        case_add_note(case_id=case.pk, actor=staff_of(ieca), text="Hello.")
    case.refresh_from_db()
    assert (case.version, case.notes.count()) == (1, 1)


MOVES = {
    "suspend": lambda case, actor, **kw: case_suspend(case_id=case.pk, actor=actor, **kw),
    "resume": lambda case, actor, reason, **kw: case_resume(case_id=case.pk, actor=actor, reason=reason, **kw),
    "withdraw": lambda case, actor, **kw: case_withdraw(case_id=case.pk, actor=actor, **kw),
    "transfer": lambda case, actor, **kw: case_transfer(
        case_id=case.pk, actor=actor, to_authority=kw.pop("ieca"), **kw
    ),
    "duplicate": lambda case, actor, **kw: case_mark_duplicate(
        case_id=case.pk, actor=actor, surviving_reference=kw.pop("other").reference, **kw
    ),
    "disqualify": lambda case, actor, reason, **kw: case_disqualify(case_id=case.pk, actor=actor, reasons=reason, **kw),
}


@pytest.mark.parametrize("move", list(MOVES))
def test_a_move_from_a_stale_form_or_without_a_reason_changes_nothing(move, caseworker, manager, ieca):
    status = Case.Status.SUSPENDED if move == "resume" else Case.Status.RECOVERY
    case = case_in_state(status, caseworker=caseworker, manager=manager)
    extra = (
        {"ieca": ieca}
        if move == "transfer"
        else {"other": case_in_state(Case.Status.AWAITING_RG)}
        if move == "duplicate"
        else {}
    )
    version, notes = case.version, case.notes.count()
    with pytest.raises(StaleCase, match="Someone else changed this case"):
        MOVES[move](case, manager, reason="Because.", expected_version=version - 1, **dict(extra))
    if move != "resume":  # the reason for resuming is optional
        with pytest.raises(InvalidInput, match="Enter the reason"):
            MOVES[move](case, manager, reason="  ", expected_version=version, **dict(extra))
    case.refresh_from_db()
    assert (case.status, case.version, case.authority, case.notes.count()) == (
        status,
        version,
        caseworker.organisation,
        notes,
    )
    MOVES[move](case, manager, reason="Because.", expected_version=version, **dict(extra))
    case.refresh_from_db()
    assert case.version == version + 1


@pytest.mark.parametrize(
    ("status", "stop"),
    [
        (
            Case.Status.CG_NEGATIVE_REVIEW,
            lambda case, manager: case_disqualify(case_id=case.pk, actor=manager, reasons="Fraud."),
        ),
        (
            Case.Status.CG_NEGATIVE_REVIEW,
            lambda case, manager: case_withdraw(case_id=case.pk, actor=manager, reason="Left."),
        ),
        (
            Case.Status.RG_NEGATIVE_REVIEW,
            lambda case, manager: case_withdraw(case_id=case.pk, actor=manager, reason="Left."),
        ),
    ],
)
def test_a_case_that_stops_withdraws_the_decision_waiting_for_review(status, stop, caseworker, manager):
    case = case_in_state(status, opened_days_ago=40, caseworker=caseworker, manager=manager)
    decision = case.decisions.get(state=Decision.State.UNDER_REVIEW)
    stop(case, manager)
    decision.refresh_from_db()
    assert decision.state == Decision.State.WITHDRAWN
    assert decision.history.first().state == Decision.State.WITHDRAWN
    assert not case.decisions.filter(state=Decision.State.UNDER_REVIEW).exists()


# Only the case's own caseworker or a manager suspends, withdraws or transfers it ---------------------------------


def _stop_moves(case, actor, ieca):
    return {
        "suspend": lambda: case_suspend(case_id=case.pk, actor=actor, reason="Missing."),
        "withdraw": lambda: case_withdraw(case_id=case.pk, actor=actor, reason="Asked to leave."),
        "transfer": lambda: case_transfer(case_id=case.pk, actor=actor, to_authority=ieca, reason="Detained."),
    }


@pytest.mark.parametrize("move", ["suspend", "withdraw", "transfer"])
def test_a_colleague_cannot_suspend_withdraw_or_transfer_another_caseworkers_case(move, sca, ieca, caseworker, manager):
    case = make_assigned(case_in_state(Case.Status.AWAITING_RG), manager, caseworker)
    colleague = UserFactory(role=Role.CASEWORKER, organisation=sca)
    with pytest.raises(NotPermitted, match="assigned to someone else"):
        _stop_moves(case, colleague, ieca)[move]()
    unassigned = case_in_state(Case.Status.AWAITING_RG)
    with pytest.raises(NotPermitted, match=r"Assign .* to yourself"):
        _stop_moves(unassigned, colleague, ieca)[move]()
    for row in (case, unassigned):
        row.refresh_from_db()
        assert (row.status, row.authority) == (Case.Status.AWAITING_RG, sca)


@pytest.mark.parametrize("move", ["suspend", "withdraw", "transfer"])
@pytest.mark.parametrize("who", ["assignee", "manager"])
def test_the_cases_caseworker_or_a_manager_suspends_withdraws_or_transfers_it(move, who, ieca, caseworker, manager):
    case = make_assigned(case_in_state(Case.Status.AWAITING_RG), manager, caseworker)
    _stop_moves(case, caseworker if who == "assignee" else manager, ieca)[move]()
    case.refresh_from_db()
    assert (
        case.status
        == {"suspend": Case.Status.SUSPENDED, "withdraw": Case.Status.WITHDRAWN, "transfer": Case.Status.AWAITING_RG}[
            move
        ]
    )
    assert (case.authority == ieca) == (move == "transfer")
