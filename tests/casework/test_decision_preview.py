"""`decision_preview`: what recording a decision will do, computed by the rules the services then apply, and
writing nothing. Each preview is compared with what the service does to the same case."""

from datetime import timedelta

import pytest
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.errors import InvalidInput
from casework.models import Case, Decision, Policy, ReviewRoute
from casework.services.decision_effects import decision_preview
from referrals.demo_answers import complete_answers
from referrals.models import Route
from tests.casework.factories import DECISION_REASONS, case_in_state, make_decision, staff_of
from tests.casework.test_responder import supported_case_in_state
from tests.factories import SupportProviderFactory

pytestmark = pytest.mark.django_db


def day(moment) -> str:
    when = timezone.localtime(moment).date() if hasattr(moment, "tzinfo") and moment.tzinfo else moment
    return f"{when:%-d %B %Y}"


def preview(case, *, stage="rg", outcome="positive", decision_date=None, **extra):
    return decision_preview(
        case=case,
        stage=stage,
        outcome=outcome,
        reasons=DECISION_REASONS,
        decision_date=decision_date or timezone.localdate(),
        **extra,
    )


def adult_answers(**extra) -> dict:
    answers = complete_answers(Route.ADULT, organisation_name="Test organisation", seed=3)
    answers.update(
        {
            "first_name": "Amina",
            "last_name": "Tesfaye",
            "decision_recipient": "someone_else",
            "decision_recipient_name": "Jane Morgan",
            "decision_recipient_relationship": "Legal representative",
            "contact_methods": ["email"],
            "contact_email": "jane@example.org",
            **extra,
        }
    )
    return answers


def test_a_positive_rg_preview_gives_the_recipient_the_support_provider_and_the_dates_the_service_sets():
    provider = SupportProviderFactory(nation=Nation.ENGLAND)
    Policy.objects.update_or_create(nation=Nation.ENGLAND, defaults={"support_provider": provider})
    case = case_in_state(Case.Status.AWAITING_RG, answers=adult_answers(wants_support="yes"))
    shown = preview(case)
    assert shown.served_now
    assert shown.title == "Positive reasonable grounds decision"
    assert (shown.letter_to["name"], shown.letter_to["email"]) == ("Jane Morgan", "jane@example.org")
    assert [told.name for told in shown.told] == [case.referral.organisation.name, provider.name]
    assert case.decisions.count() == 0  # nothing written
    make_decision(case, staff_of(case.authority, role=Role.MANAGER))
    case.refresh_from_db()
    dates = dict(shown.dates)
    assert dates["Recovery period"].endswith(f"lasts until at least {day(case.recovery_ends_at)}")
    assert dates["Support"] == f"Referred to {provider}, until at least {day(case.support_ends_at)}"
    assert case.support_provider == provider
    assert dates["Reasonable grounds deadline"].endswith("within target")


def test_a_childs_preview_sends_the_letter_to_the_local_authority():
    answers = complete_answers(Route.CHILD, organisation_name="Test organisation", seed=4)
    answers.update({"la_name": "Leeds City Council", "la_contact_first_name": "Priya", "la_contact_last_name": "Shah"})
    case = case_in_state(Case.Status.AWAITING_RG, child=True, answers=answers)
    shown = preview(case)
    assert shown.letter_to["is_local_authority"]
    assert (shown.letter_to["name"], shown.letter_to["organisation"]) == ("Priya Shah", "Leeds City Council")
    assert ("Leeds City Council", "local authority children's services") in {(t.name, t.role) for t in shown.told}
    assert dict(shown.dates)["Support"].startswith("The local authority supports the child")


def test_a_negative_rg_reviewed_first_serves_no_letter_and_says_who_reviews():
    Policy.objects.filter(nation=Nation.ENGLAND).update(
        review_negative_rg=True, negative_rg_review_route=ReviewRoute.SECOND_REVIEWER
    )
    case = case_in_state(Case.Status.AWAITING_RG, answers=adult_answers())
    shown = preview(case, outcome="negative", negative_reason=Decision.NegativeReason.CREDIBILITY)
    assert not shown.served_now
    assert shown.review_by == "a manager other than the decision maker"
    assert (shown.letter_to, shown.told) == ({}, ())


def test_a_negative_cg_is_reviewed_first_and_a_negative_rg_served_at_once_gives_the_reconsideration_window():
    case = supported_case_in_state(
        Case.Status.AWAITING_CG, opened_days_ago=40, answers=adult_answers(wants_support="yes")
    )
    shown = preview(case, stage="cg", outcome="negative")
    assert not shown.served_now  # a negative CG is always reviewed first
    Policy.objects.filter(nation=Nation.ENGLAND).update(review_negative_rg=False)
    rg_case = case_in_state(Case.Status.AWAITING_RG, answers=adult_answers())
    shown = preview(rg_case, outcome="negative", negative_reason=Decision.NegativeReason.CREDIBILITY)
    window = Policy.for_case(rg_case).reconsideration_window_days
    until = timezone.localdate() + timedelta(days=window)
    assert dict(shown.dates)["Reconsideration"] == f"Can be asked until {until:%-d %B %Y}"


def test_a_positive_cg_preview_gives_the_move_on_support_end_the_service_sets():
    case = case_in_state(Case.Status.AWAITING_CG, opened_days_ago=40, answers=adult_answers())
    shown = preview(case, stage="cg")
    make_decision(case, staff_of(case.authority, role=Role.MANAGER), stage="cg")
    case.refresh_from_db()
    assert dict(shown.dates)["Move-on support"] == f"Until at least {day(case.support_ends_at)}"


def test_the_preview_refuses_what_the_service_refuses():
    case = case_in_state(Case.Status.AWAITING_RG, answers=adult_answers())
    with pytest.raises(InvalidInput, match="today or in the past"):
        preview(case, decision_date=timezone.localdate() + timedelta(days=1))
    with pytest.raises(InvalidInput, match="Enter the reasons"):
        decision_preview(case=case, stage="rg", outcome="positive", reasons=" ", decision_date=timezone.localdate())
