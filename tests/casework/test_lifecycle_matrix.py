"""The lifecycle table crossed with every state and every kind of user: for each move a page offers, the service
accepts exactly when the page offers it (casework.offers reads the same table the services check).

Generated from casework.lifecycle.TRANSITIONS: a new row there is crossed here without a new test, and a row
without a way to call its service below fails `test_every_move_a_page_offers_is_crossed`.
"""

from datetime import timedelta

import pytest
from django.db import transaction
from django.utils import timezone

from accounts.roles import Role
from casework import lifecycle, offers
from casework.errors import CaseworkError, InvalidInput
from casework.lifecycle import Offered, ReviewOutcome
from casework.lifecycle_driver import drive_case_to
from casework.models import Case, Decision, InformationRequest, PanelResponse, ReviewRoute
from casework.services import (
    case_add_note,
    case_assign,
    case_disqualify,
    case_make_cg_decision,
    case_make_panel_decision,
    case_make_rg_decision,
    case_mark_duplicate,
    case_release,
    case_resume,
    case_suspend,
    case_transfer,
    case_withdraw,
    decision_panel_respond,
    decision_review_conclude,
    information_request_answer,
    information_request_create,
    information_request_withdraw,
    reconsideration_accept,
    reconsideration_decline,
    reconsideration_request,
)
from panels.models import Panel
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    SubmittedReferralFactory,
    staff_of,
)
from tests.factories import UserFactory
from tests.panels.factories import ChairFactory, panel_with_members

Status = Case.Status
REASONS = "Reasons enough for the record."

# Moves a page offers that are not made on one case, so that no case page can offer them.
_SUPPORT_RECORDS = (
    "The support provider's records need its own user and a case referred to it for support, which this world "
    "has not got: each is tested for its actor, its states and the records' order in "
    "tests/casework/test_services_support.py"
)
NOT_CROSSED = {
    "claim_next": "Get next case picks its own case from the queue (tests/casework/test_services_assignment.py)",
    **dict.fromkeys(
        ("record_support_start", "record_rna", "extend_support", "report_missing", "record_support_end"),
        _SUPPORT_RECORDS,
    ),
}


class Rollback(Exception):
    pass


class NothingToActOn(Exception):
    """No decision, reconsideration or request for the move: no page can offer it, no service take it."""


def _first(queryset):
    row = queryset.order_by("pk").first()
    if row is None:
        raise NothingToActOn
    return row


def _decision_under_review(case):
    return _first(case.decisions.filter(state=Decision.State.UNDER_REVIEW)) or _first(case.decisions.all())


def _pending(case):
    return _first(case.reconsiderations.filter(state="pending")) or _first(case.reconsiderations.all())


def _open_request(case):
    return _first(case.information_requests.filter(state=InformationRequest.State.OPEN))


def _open_request_or_none(case):
    return case.information_requests.filter(state=InformationRequest.State.OPEN).order_by("pk").first()


def _calls(world):
    """How each move's service is called by `user` on `case`, with input the service takes."""
    today = timezone.localdate()
    return {
        "assign_self": lambda case, user: case_assign(case_id=case.pk, actor=user, assignee=user),
        "assign_other": lambda case, user: case_assign(
            case_id=case.pk, actor=user, assignee=world.colleague if user != world.colleague else world.caseworker
        ),
        "release": lambda case, user: case_release(case_id=case.pk, actor=user),
        "add_note": lambda case, user: case_add_note(case_id=case.pk, actor=user, text="A note."),
        "rg_decision": lambda case, user: case_make_rg_decision(
            case_id=case.pk, actor=user, outcome="positive", factors=[], reasons=REASONS, decision_date=today
        ),
        "cg_decision": lambda case, user: case_make_cg_decision(
            case_id=case.pk, actor=user, outcome="positive", factors=[], reasons=REASONS, decision_date=today
        ),
        "review_decision": lambda case, user: decision_review_conclude(
            decision_id=_decision_under_review(case).pk,
            actor=user,
            outcome=ReviewOutcome.AGREE,
            route=ReviewRoute.SECOND_REVIEWER,
        ),
        "panel_review": lambda case, user: decision_review_conclude(
            decision_id=_decision_under_review(case).pk,
            actor=user,
            outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
            reasons=REASONS,
            route=ReviewRoute.PANEL,
        ),
        "respond_to_panel": lambda case, user: decision_panel_respond(
            decision_id=_first(case.decisions.filter(state=Decision.State.RECONSIDERATION_RECOMMENDED)).pk,
            actor=user,
            response=PanelResponse.RECONSIDER,
        ),
        "panel_rg_decision": lambda case, user: case_make_panel_decision(
            case_id=case.pk,
            actor=user,
            stage="rg",
            outcome="positive",
            reasons=REASONS,
            decision_date=today,
            decision_maker_name="A regional panel",
        ),
        "panel_cg_decision": lambda case, user: case_make_panel_decision(
            case_id=case.pk,
            actor=user,
            stage="cg",
            outcome="positive",
            reasons=REASONS,
            decision_date=today,
            decision_maker_name="A regional panel",
        ),
        "request_information": lambda case, user: information_request_create(
            case_id=case.pk, actor=user, question="What happened next?"
        ),
        "answer_information_request": lambda case, user: information_request_answer(
            request_id=_open_request(case).pk, actor=user, answer="This."
        ),
        "withdraw_information_request": lambda case, user: information_request_withdraw(
            request_id=_open_request(case).pk, actor=user
        ),
        "decide_reconsideration_accept": lambda case, user: reconsideration_accept(
            reconsideration_id=_pending(case).pk, actor=user
        ),
        "decide_reconsideration_decline": lambda case, user: reconsideration_decline(
            reconsideration_id=_pending(case).pk, actor=user, reasons=REASONS
        ),
        "request_reconsideration": lambda case, user: reconsideration_request(
            case_id=case.pk, actor=user, grounds=["new_evidence"], details=REASONS
        ),
        "suspend": lambda case, user: case_suspend(case_id=case.pk, actor=user, reason=REASONS),
        "resume": lambda case, user: case_resume(case_id=case.pk, actor=user),
        "withdraw": lambda case, user: case_withdraw(case_id=case.pk, actor=user, reason=REASONS),
        "transfer": lambda case, user: case_transfer(
            case_id=case.pk, actor=user, to_authority=world.ieca, reason=REASONS
        ),
        "mark_duplicate": lambda case, user: case_mark_duplicate(
            case_id=case.pk, actor=user, surviving_reference=world.survivor.reference, reason=REASONS
        ),
        "disqualify": lambda case, user: case_disqualify(case_id=case.pk, actor=user, reasons=REASONS),
    }


def _accepted(call, case, user) -> bool:
    """Whether the service takes the move; nothing it writes is kept."""
    try:
        with transaction.atomic():
            call(case, user)
            raise Rollback
    except Rollback:
        return True
    except InvalidInput as error:  # the test's input, not the move: a bug here
        raise AssertionError(f"The matrix's input was refused: {error}") from error
    except (CaseworkError, NothingToActOn):
        return False


class World:
    """One case in every state (and the variants the guards tell apart), and one user of every kind."""

    def __init__(self, sca, ieca):
        self.sca, self.ieca = sca, ieca
        self.caseworker = staff_of(sca, full_name="Casey Worker")
        self.colleague = staff_of(sca, full_name="Colin League")
        self.manager = staff_of(sca, Role.MANAGER, full_name="Morgan Manager")
        # An assurance panel reviews England's negative CG decisions; regional panels decide RG (Devon) and CG
        # (Cornwall) of the cases in their areas.
        _, assurance_chair, _ = panel_with_members(members=2, name="Assurance panel")
        _, regional_chair, _ = panel_with_members(
            members=0, kind=Panel.Kind.DECISION_MAKING, decides_cg=False, regions=["Devon"], name="Devon panel"
        )
        cg_panel = panel_with_members(
            members=0, kind=Panel.Kind.DECISION_MAKING, decides_rg=False, regions=["Cornwall"], name="Cornwall panel"
        )[0]
        ChairFactory(panel=cg_panel, user=regional_chair.user)
        self.survivor = self._case(Status.AWAITING_RG, days=0)
        self.cases: dict[str, Case] = {}
        for status in Status:
            self.cases[status] = self._case(status, days=140 if status == Status.CLOSED else 45)
        self.cases["child's suspended"] = self._case(Status.SUSPENDED, days=0, child=True)
        self.cases["RG positive today (recovery running)"] = self._case(Status.RECOVERY, days=0)
        self.cases["CG under review by a second reviewer"] = self._case(
            Status.CG_NEGATIVE_REVIEW, days=45, overrides={"negative_cg_review_route": ReviewRoute.SECOND_REVIEWER}
        )
        recommended = self._case(Status.CG_NEGATIVE_REVIEW, days=45)
        decision_review_conclude(
            decision_id=recommended.decisions.get(state=Decision.State.UNDER_REVIEW).pk,
            actor=assurance_chair.user,
            outcome=ReviewOutcome.RECOMMEND_RECONSIDERATION,
            reasons=REASONS,
        )
        self.cases["CG the panel recommends reconsidering"] = recommended
        self.cases["RG a regional panel decides"] = self._case(Status.AWAITING_RG, days=0, region="Devon")
        self.cases["CG a regional panel decides"] = self._case(Status.AWAITING_CG, days=45, region="Cornwall")
        for status in (Status.RG_NEGATIVE_SERVED, Status.CG_NEGATIVE_SERVED):
            case = self._case(status, days=45)
            reconsideration_request(case_id=case.pk, actor=self.manager, grounds=["new_evidence"], details=REASONS)
            self.cases[f"{status} with a reconsideration waiting"] = case
        for case in self.cases.values():
            InformationRequest.objects.create(
                case=case,
                question="Anything else?",
                due_date=timezone.localdate() + timedelta(days=5),
                requested_by=self.manager,
            )
        referrer = next(iter(self.cases.values())).referral.submitted_by
        self.users = {
            "the case's caseworker": self.caseworker,
            "another caseworker": self.colleague,
            "a manager": self.manager,
            "a manager of the other authority": staff_of(ieca, Role.MANAGER),
            "the referring first responder": referrer,
            "another first responder": UserFactory(role=Role.FIRST_RESPONDER),
            "the reviewing panel's chair": assurance_chair.user,
            "a regional panel's chair": regional_chair.user,
        }
        self.referrer = referrer

    def _case(self, status, *, days, child=False, overrides=None, region="") -> Case:
        submitted_at = timezone.now() - timedelta(days=days)
        factory = ChildReferralFactory if child else SubmittedReferralFactory
        answers = {"current_region": region} if region else {}
        referral = factory(submitted_at=submitted_at, answers=answers, **self._referrer_fields())
        case = AwaitingRgCaseFactory(referral=referral, authority=self.sca, opened_at=submitted_at)
        if overrides:
            case.policy_overrides = overrides
            case.save(update_fields=["policy_overrides"])
        other = self.survivor if status == Status.MERGED else None
        return drive_case_to(case, status, caseworker=self.caseworker, manager=self.manager, other=other)

    def _referrer_fields(self) -> dict:
        if not hasattr(self, "_referrer"):
            self._referrer = SubmittedReferralFactory().submitted_by
        return {"submitted_by": self._referrer, "organisation": self._referrer.organisation}


@pytest.fixture
def world(sca, ieca):
    return World(sca, ieca)


def test_every_move_a_page_offers_is_crossed(world):
    calls = _calls(world)
    offered = {t.name for t in lifecycle.TRANSITIONS if t.offered is not Offered.NOWHERE}
    assert offered - set(NOT_CROSSED) == set(calls)


def test_the_service_accepts_a_move_exactly_when_the_page_offers_it(world):
    calls = _calls(world)
    disagreements, crossed, accepted_count = [], 0, 0
    for variant, case in world.cases.items():
        case.refresh_from_db()
        decisions = list(case.decisions.all())
        reconsiderations = list(case.reconsiderations.all())
        open_requests = [item for item in [_open_request_or_none(case)] if item]
        for name, call in calls.items():
            for who, user in world.users.items():
                offered = offers.allowed(
                    name,
                    case,
                    user,
                    decisions=decisions,
                    reconsiderations=reconsiderations,
                    information_requests=open_requests,
                )
                accepted = _accepted(call, case, user)
                crossed += 1
                accepted_count += accepted
                if offered != accepted:
                    disagreements.append(
                        f"{name} on a {variant} case by {who}: page {'offers' if offered else 'hides'} it, "
                        f"service {'accepts' if accepted else 'refuses'}"
                    )
    assert not disagreements, "\n".join(disagreements)
    # The crossing means something: every move is accepted somewhere and refused somewhere.
    assert crossed == len(world.cases) * len(calls) * len(world.users)
    assert 0 < accepted_count < crossed


def test_the_case_pages_actions_are_the_offered_moves_of_the_actions_list(world):
    for case in world.cases.values():
        decisions, reconsiderations = list(case.decisions.all()), list(case.reconsiderations.all())
        for user in world.users.values():
            listed = {
                action.name
                for action in offers.case_actions(case, user, decisions=decisions, reconsiderations=reconsiderations)
            }
            expected = {
                t.action
                for t in lifecycle.offered_transitions(
                    case, user, decisions=decisions, reconsiderations=reconsiderations
                )
                if t.offered is Offered.ACTIONS
            }
            # Before the recovery period ends, the page says from when instead of listing the decision.
            if not offers.cg_possible_now(case):
                expected.discard("cg_decision")
            assert listed == expected, (case.status, user.role)
