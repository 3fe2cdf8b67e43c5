"""casework.selectors.referrer: the referrer's statuses, declared once, and what referrals reads of them through its
own port (referrals.case_view) without importing casework."""

import pytest

from casework.models import Case
from casework.selectors.referrer import (
    REFERRER_FILTERS,
    REFERRER_STATUSES,
    case_status_label_for_outsider,
    case_status_label_for_referral,
)
from referrals.case_view import referral_cases
from referrals.filters import ReferralFilterForm
from referrals.models import Referral, Route
from tests.casework.factories import AwaitingRgCaseFactory, DutyToNotifyReferralFactory, SubmittedReferralFactory


@pytest.fixture
def sca_case(sca):
    return AwaitingRgCaseFactory()


def test_every_case_status_is_in_exactly_one_referrer_status():
    declared = [case_status for status in REFERRER_STATUSES for case_status in status.case_statuses]
    assert sorted(declared) == sorted(Case.Status)


def test_the_referrer_status_filter_and_label_come_from_one_table():
    """The list's filter (its choices and what each finds) and the label a referral shows are the same rows."""
    form_choices = [choice for choice in ReferralFilterForm().fields["status"].choices if choice[0]]
    assert form_choices == [(status.value, status.label) for status in REFERRER_FILTERS]
    for status in REFERRER_FILTERS:
        assert referral_cases().status_filter(status.value) is status.referrals
        for case_status in status.case_statuses:
            referral = Referral(route=Route.ADULT)
            referral.case = Case(status=case_status)
            assert case_status_label_for_outsider(referral.case) == status.label
            assert case_status_label_for_referral(referral) == status.label
            assert referral_cases().status_label(referral) == status.label
    duty_to_notify = Referral(route=Route.DUTY_TO_NOTIFY)
    assert referral_cases().status_label(duty_to_notify) == dict(form_choices)["duty_to_notify_sent"]


@pytest.mark.django_db
def test_each_status_filter_finds_the_referrals_it_labels():
    case = AwaitingRgCaseFactory()
    referrals = Referral.objects.filter(pk=case.referral_id).select_related("case")
    for status in REFERRER_STATUSES:
        if not status.case_statuses:
            continue
        for case_status in status.case_statuses:
            Case.objects.filter(pk=case.pk).update(status=case_status)
            found = referrals.filter(referral_cases().status_filter(status.value))
            assert [referral_cases().status_label(referral) for referral in found] == [status.label], case_status


@pytest.mark.django_db
def test_the_referrer_sees_the_status_in_plain_words(sca_case):
    assert case_status_label_for_referral(sca_case.referral) == "Awaiting reasonable grounds decision"


@pytest.mark.parametrize(
    ("status", "label"),
    [
        (Case.Status.RG_NEGATIVE_REVIEW, "Awaiting reasonable grounds decision"),
        (Case.Status.CG_NEGATIVE_REVIEW, "Awaiting conclusive grounds decision"),
        (Case.Status.RECOVERY, "Recovery period"),
        (Case.Status.CONFIRMED_VICTIM, "Confirmed victim"),
    ],
)
@pytest.mark.django_db
def test_a_decision_under_review_is_not_shown_to_the_referrer_before_it_is_served(sca_case, status, label):
    Case.objects.filter(pk=sca_case.pk).update(status=status)
    assert case_status_label_for_referral(type(sca_case.referral).objects.get(pk=sca_case.referral_id)) == label


def test_a_duty_to_notify_report_and_a_referral_without_a_case_have_labels(db):
    assert case_status_label_for_referral(DutyToNotifyReferralFactory()) == "Duty to Notify sent"
    assert case_status_label_for_referral(SubmittedReferralFactory()) == "Sent"


@pytest.mark.django_db
def test_the_label_makes_no_query_when_the_case_was_fetched_with_the_referral(sca_case, django_assert_num_queries):
    referral = type(sca_case.referral).objects.select_related("case").get(pk=sca_case.referral_id)
    with django_assert_num_queries(0):
        case_status_label_for_referral(referral)
