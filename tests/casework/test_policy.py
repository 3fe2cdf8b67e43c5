"""A nation's policy, and the values of it that apply to one case alone (Case.policy_overrides)."""

import pytest
from django.core.exceptions import ValidationError

from accounts.models import Nation, Organisation
from casework.models import Policy, PolicyMissing, PolicyOverridden
from casework.services import single_competent_authority
from casework.services.opening import CompetentAuthorityMissing
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory

pytestmark = pytest.mark.django_db


def test_a_missing_policy_row_fails_loudly_naming_the_nation_and_the_migration():
    Policy.objects.filter(nation=Nation.SCOTLAND).delete()
    with pytest.raises(PolicyMissing, match="No policy for Scotland: casework's data migration 0002_policies"):
        Policy.for_nation(Nation.SCOTLAND)
    assert not Policy.objects.filter(nation=Nation.SCOTLAND).exists()  # nothing made up on the fly


def test_a_missing_competent_authority_fails_loudly_and_none_is_created():
    Organisation.objects.filter(kind=Organisation.Kind.COMPETENT_AUTHORITY, short_name="SCA").update(short_name="X")
    with pytest.raises(CompetentAuthorityMissing, match="0003_competent_authorities"):
        single_competent_authority()
    assert not Organisation.objects.filter(short_name="SCA").exists()


def test_opening_a_case_without_its_nations_policy_fails_loudly():
    referral = SubmittedReferralFactory()
    Policy.objects.filter(nation=referral.nation).delete()
    with pytest.raises(PolicyMissing):
        AwaitingRgCaseFactory(referral=referral)


def test_a_case_without_overrides_has_its_nations_policy():
    case = AwaitingRgCaseFactory()
    row = Policy.for_nation(case.nation)
    policy = Policy.for_case(case)
    fields = [field.attname for field in Policy._meta.concrete_fields]
    assert [getattr(policy, name) for name in fields] == [getattr(row, name) for name in fields]


def test_a_cases_overrides_apply_to_that_case_alone():
    case, other = AwaitingRgCaseFactory(), AwaitingRgCaseFactory()
    case.policy_overrides = {"negative_cg_review_route": "second_reviewer", "recovery_days": 12}
    case.save()
    before = list(Policy.objects.order_by("nation").values())
    policy = Policy.for_case(case)
    assert (policy.negative_cg_review_route, policy.recovery_days) == ("second_reviewer", 12)
    assert Policy.for_case(other).negative_cg_review_route == Policy.for_nation(other.nation).negative_cg_review_route
    assert list(Policy.objects.order_by("nation").values()) == before


def test_a_cases_copy_of_the_policy_refuses_to_be_saved_or_deleted():
    case = AwaitingRgCaseFactory(policy_overrides={"review_negative_rg": False})
    before = list(Policy.objects.order_by("nation").values())
    policy = Policy.for_case(case)
    with pytest.raises(PolicyOverridden, match=case.reference):
        policy.save()
    with pytest.raises(PolicyOverridden):
        policy.delete()
    with pytest.raises(PolicyOverridden):
        Policy.for_case(AwaitingRgCaseFactory()).save()  # even without overrides: edit the nation's row instead
    assert list(Policy.objects.order_by("nation").values()) == before


def test_an_override_of_something_the_policy_does_not_have_is_refused():
    case = AwaitingRgCaseFactory()
    case.policy_overrides = {"recovery_dayz": 3, "nation": "scotland"}
    with pytest.raises(ValidationError, match="Not values of a nation's policy: nation, recovery_dayz"):
        case.full_clean()
    with pytest.raises(ValidationError):
        Policy.for_case(case)


def test_an_override_the_policys_own_field_would_refuse_is_refused():
    case = AwaitingRgCaseFactory()
    case.policy_overrides = {"negative_cg_review_route": "a_friend", "recovery_days": 0}
    with pytest.raises(ValidationError) as refused:
        case.full_clean()
    messages = refused.value.message_dict["policy_overrides"]
    assert any(message.startswith("negative_cg_review_route:") for message in messages)
    assert any(message.startswith("recovery_days:") for message in messages)
    case.policy_overrides = {"negative_cg_review_route": "second_reviewer", "recovery_days": 10}
    case.full_clean()


def test_the_services_follow_the_cases_overrides(caseworker, manager):
    from tests.casework.factories import make_decision, worked_case

    case = worked_case(caseworker=caseworker, manager=manager)
    case.policy_overrides = {"review_negative_rg": False}
    case.save(update_fields=["policy_overrides"])
    assert Policy.for_nation(case.nation).review_negative_rg  # the nation reviews a negative RG...
    decision = make_decision(case, caseworker, outcome="negative")
    assert decision.is_served  # ...this case's is served at once
