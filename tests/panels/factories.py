"""Panels, seats, meetings and the cases sent to panels, written straight to the tables (the services are tested
on their own in tests/panels/test_services*.py). A case with a real decision under review comes from
`tests.casework.factories.case_in_state(Case.Status.CG_NEGATIVE_REVIEW)` with a panel covering its nation: the
routing then opens the PanelCase itself (`reviewed_panel_case`)."""

from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Decision
from panels.models import (
    Agency,
    ConflictOfInterest,
    Meeting,
    Membership,
    Panel,
    PanelCase,
    SafeguardingLead,
    View,
)
from tests.casework.factories import AwaitingRgCaseFactory
from tests.factories import FirstResponderOrganisationFactory, PanelBodyFactory, UserFactory


class PanelFactory(factory.django.DjangoModelFactory):
    """An assurance panel covering the whole of England, quorate with the chair and two members."""

    class Meta:
        model = Panel

    name = factory.Sequence(lambda n: f"Test assurance panel {n}")
    kind = Panel.Kind.ASSURANCE
    nation = Nation.ENGLAND
    active_from = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))
    reviews_negative_cg = True
    quorum_minimum_present = 3
    quorum_requires_chair = True


class DecisionMakingPanelFactory(PanelFactory):
    name = factory.Sequence(lambda n: f"Test regional decision-making panel {n}")
    kind = Panel.Kind.DECISION_MAKING
    reviews_negative_cg = False
    decides_rg = True
    decides_cg = True
    quorum_minimum_present = 5
    quorum_requires_chair = False


class MembershipFactory(factory.django.DjangoModelFactory):
    """A member's seat (role=Membership.Role.CHAIR for the chair), with a panel-member user of a panel body."""

    class Meta:
        model = Membership

    panel = factory.SubFactory(PanelFactory)
    role = Membership.Role.MEMBER
    user = factory.SubFactory(
        UserFactory,
        role=factory.LazyAttribute(
            lambda o: Role.PANEL_CHAIR if o.factory_parent.role == Membership.Role.CHAIR else Role.PANEL_MEMBER
        ),
        organisation=factory.SubFactory(PanelBodyFactory),
    )
    agency = Agency.NGO
    home_organisation = None
    term_start = factory.LazyFunction(lambda: timezone.localdate() - timedelta(days=365))


class ChairFactory(MembershipFactory):
    role = Membership.Role.CHAIR
    agency = Agency.OTHER


class SafeguardingLeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SafeguardingLead

    organisation = factory.SubFactory(FirstResponderOrganisationFactory)
    user = factory.SubFactory(
        UserFactory, role=Role.FIRST_RESPONDER, organisation=factory.SelfAttribute("..organisation")
    )


class MeetingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Meeting

    panel = factory.SubFactory(PanelFactory)
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    format = Meeting.Format.VIDEO
    where = "A video call link sent by the chair"
    scheduled_by = factory.LazyAttribute(
        lambda o: (o.panel.memberships.filter(role=Membership.Role.CHAIR).first() or ChairFactory(panel=o.panel)).user
    )


class PanelCaseFactory(factory.django.DjangoModelFactory):
    """An open review of a CG decision sent to a panel, on a case opened straight from a referral (no decision
    row: pages that need the proposed decision use `reviewed_panel_case`)."""

    class Meta:
        model = PanelCase

    panel = factory.SubFactory(PanelFactory)
    case = factory.SubFactory(AwaitingRgCaseFactory)
    kind = PanelCase.Kind.REVIEW
    stage = Decision.Stage.CG
    due_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=14))
    state = PanelCase.State.OPEN


class ViewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = View

    panel_case = factory.SubFactory(PanelCaseFactory)
    membership = factory.SubFactory(MembershipFactory, panel=factory.SelfAttribute("..panel_case.panel"))
    opinion = PanelCase.Recommendation.AGREE
    reasons = "The decision follows the guidance and the evidence supports it."


class ConflictOfInterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ConflictOfInterest

    panel_case = factory.SubFactory(PanelCaseFactory)
    membership = factory.SubFactory(MembershipFactory, panel=factory.SelfAttribute("..panel_case.panel"))
    ground = ConflictOfInterest.Ground.DECLARED
    details = "I worked with the person's support worker last year."


def panel_with_members(*, members: int = 2, **panel_fields) -> tuple[Panel, Membership, list[Membership]]:
    """A panel (PanelFactory, or DecisionMakingPanelFactory with kind=decision_making) with its chair and
    `members` members."""
    panel_factory = (
        DecisionMakingPanelFactory if panel_fields.get("kind") == Panel.Kind.DECISION_MAKING else PanelFactory
    )
    panel = panel_factory(**panel_fields)
    chair = ChairFactory(panel=panel)
    seats = [MembershipFactory(panel=panel, agency=agency) for agency in list(Agency)[:members]]
    return panel, chair, seats


def reviewed_panel_case(panel: Panel | None = None, **case_fields) -> PanelCase:
    """The PanelCase the routing opened for a negative CG decision proposed on a case in England (`panel`, or
    the only active assurance panel covering England, must exist)."""
    from casework.models import Case
    from tests.casework.factories import case_in_state

    case = case_in_state(Case.Status.CG_NEGATIVE_REVIEW, opened_days_ago=40, **case_fields)
    panel_cases = PanelCase.objects.filter(case=case, state=PanelCase.State.OPEN)
    if panel is not None:
        panel_cases = panel_cases.filter(panel=panel)
    return panel_cases.get()
