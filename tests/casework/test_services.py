from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import IntegrityError, transaction

from accounts.models import Nation
from casework.models import Case, CaseEvent, Policy
from casework.services import (
    CaseOpenRefused,
    case_flag_possible_duplicates,
    case_open_for_referral,
    case_possible_duplicate_found,
)
from tests.casework.factories import ChildReferralFactory, DutyToNotifyReferralFactory, SubmittedReferralFactory
from tests.factories import AuthorityFactory

LONDON = ZoneInfo("Europe/London")
pytestmark = pytest.mark.django_db


def test_opening_a_case_puts_it_with_the_sca_awaiting_a_reasonable_grounds_decision(sca):
    referral = ChildReferralFactory(nation=Nation.WALES)
    case = case_open_for_referral(referral=referral)
    case.refresh_from_db()
    assert case.referral == referral
    assert case.reference == referral.reference
    assert case.status == Case.Status.AWAITING_RG
    assert case.authority == sca
    assert (case.nation, case.is_child) == (Nation.WALES, True)
    assert (case.assignee, case.recovery_ends_at, case.support_ends_at) == (None, None, None)
    assert case.duplicate_review_needed is False
    assert [(e.kind, e.actor) for e in case.events.all()] == [(CaseEvent.Kind.OPENED, referral.submitted_by)]
    assert case.history.count() == 1


@pytest.mark.parametrize(
    ("submitted_at", "due_at"),
    [
        # Good Friday 3 April and Easter Monday 6 April 2026 are bank holidays.
        (datetime(2026, 4, 2, 10, 0, tzinfo=LONDON), datetime(2026, 4, 13, 10, 0, tzinfo=LONDON)),
        # Christmas Day (Friday), Boxing Day moved to Monday 28 December, New Year's Day (Friday 1 January 2027).
        (datetime(2026, 12, 23, 10, 0, tzinfo=LONDON), datetime(2027, 1, 4, 10, 0, tzinfo=LONDON)),
        (datetime(2026, 12, 24, 16, 30, tzinfo=LONDON), datetime(2027, 1, 5, 16, 30, tzinfo=LONDON)),
        # Just after midnight in London is still the previous day in UTC: the days counted are London's.
        (datetime(2026, 6, 5, 0, 30, tzinfo=LONDON), datetime(2026, 6, 12, 0, 30, tzinfo=LONDON)),
    ],
)
def test_the_reasonable_grounds_decision_is_due_five_working_days_after_submission(sca, submitted_at, due_at):
    case = case_open_for_referral(referral=SubmittedReferralFactory(submitted_at=submitted_at))
    case.refresh_from_db()
    assert case.rg_due_at == due_at


def test_the_reasonable_grounds_target_comes_from_the_nations_policy(sca):
    Policy.objects.filter(nation=Nation.SCOTLAND).update(rg_target_working_days=10)
    submitted_at = datetime(2026, 4, 2, 10, 0, tzinfo=LONDON)
    scottish = case_open_for_referral(
        referral=SubmittedReferralFactory(nation=Nation.SCOTLAND, submitted_at=submitted_at)
    )
    english = case_open_for_referral(
        referral=SubmittedReferralFactory(nation=Nation.ENGLAND, submitted_at=submitted_at)
    )
    assert scottish.rg_due_at == datetime(2026, 4, 20, 10, 0, tzinfo=LONDON)
    assert english.rg_due_at == datetime(2026, 4, 13, 10, 0, tzinfo=LONDON)


def test_cases_go_to_the_sca_even_when_another_authority_has_the_same_short_name(sca):
    AuthorityFactory(short_name="SCA")
    assert case_open_for_referral(referral=SubmittedReferralFactory()).authority == sca


def test_a_duty_to_notify_report_never_becomes_a_case(sca):
    referral = DutyToNotifyReferralFactory()
    with pytest.raises(CaseOpenRefused, match="Duty to Notify"):
        case_open_for_referral(referral=referral)
    assert not Case.objects.exists()


def test_a_referral_gets_one_case_only(sca):
    referral = SubmittedReferralFactory()
    case_open_for_referral(referral=referral)
    with pytest.raises(CaseOpenRefused, match="already has a case"):
        case_open_for_referral(referral=referral)
    assert Case.objects.filter(referral=referral).count() == 1


def test_the_database_also_refuses_a_second_case_for_a_referral(sca):
    referral = SubmittedReferralFactory()
    case = case_open_for_referral(referral=referral)
    with pytest.raises(IntegrityError), transaction.atomic():
        Case.objects.create(
            referral=referral, reference="NRM-2026-999999", authority=sca, nation=case.nation, is_child=False
        )


def test_the_case_is_rolled_back_with_the_submission_that_opened_it(sca):
    referral = SubmittedReferralFactory()

    class SubmissionFailed(Exception):
        pass

    def submit():
        with transaction.atomic():
            case_open_for_referral(referral=referral)
            raise SubmissionFailed

    with pytest.raises(SubmissionFailed):
        submit()
    assert not Case.objects.filter(referral=referral).exists()
    assert not CaseEvent.objects.filter(case__referral=referral).exists()


def _open(**referral_fields) -> Case:
    return case_open_for_referral(referral=SubmittedReferralFactory(**referral_fields))


NOW = datetime(2026, 6, 1, 12, 0, tzinfo=LONDON)
PERSON = {"person_name_key": "amina hassan", "date_of_birth": date(1999, 3, 14)}


def test_a_referral_of_the_same_name_and_date_of_birth_within_a_year_is_flagged(sca):
    earlier = _open(submitted_at=NOW - timedelta(days=300), **PERSON)
    other_person = _open(submitted_at=NOW - timedelta(days=100), person_name_key="amina hassan")
    case = _open(submitted_at=NOW, **PERSON)
    case.refresh_from_db()
    assert list(case.possible_duplicates.all()) == [earlier]
    assert case.duplicate_review_needed is True
    assert list(earlier.possible_duplicate_of.all()) == [case]
    assert not other_person.possible_duplicate_of.exists()
    flagged = case.events.get(kind=CaseEvent.Kind.POSSIBLE_DUPLICATE_FLAGGED)
    assert flagged.actor is None
    assert flagged.data == {"case_ids": [earlier.pk], "from_status": "awaiting_rg", "to_status": "awaiting_rg"}
    assert case_possible_duplicate_found(case=case) is True


def test_a_referral_with_the_same_home_office_reference_is_flagged_whatever_the_name(sca):
    earlier = _open(submitted_at=NOW - timedelta(days=30), home_office_reference="H1234567")
    case = _open(submitted_at=NOW, home_office_reference="H1234567", **PERSON)
    assert list(case.possible_duplicates.all()) == [earlier]
    assert case_possible_duplicate_found(case=case) is True


def test_a_duplicate_across_authorities_and_organisations_is_still_flagged(sca, ieca):
    earlier = _open(submitted_at=NOW - timedelta(days=5), **PERSON)
    Case.objects.filter(pk=earlier.pk).update(authority=ieca)
    case = _open(submitted_at=NOW, **PERSON)
    assert earlier.referral.organisation != case.referral.organisation
    assert list(case.possible_duplicates.all()) == [earlier]


@pytest.mark.parametrize(
    ("earlier_fields", "why"),
    [
        ({"submitted_at": NOW - timedelta(days=366), **PERSON}, "beyond the lookback window"),
        ({"submitted_at": NOW - timedelta(days=10), **PERSON, "date_of_birth": date(1999, 3, 15)}, "other birthday"),
        ({"submitted_at": NOW - timedelta(days=10), **PERSON, "person_name_key": "amina hasan"}, "other name"),
        ({"submitted_at": NOW - timedelta(days=10), "home_office_reference": "H7654321"}, "other HO reference"),
    ],
)
def test_a_referral_of_someone_else_or_from_long_ago_is_not_flagged(sca, earlier_fields, why):
    _open(**earlier_fields)
    case = _open(submitted_at=NOW, home_office_reference="H1234567", **PERSON)
    assert not case.possible_duplicates.exists(), why
    assert case.duplicate_review_needed is False
    assert not case.events.filter(kind=CaseEvent.Kind.POSSIBLE_DUPLICATE_FLAGGED).exists()
    assert case_possible_duplicate_found(case=case) is False


def test_missing_details_never_match_each_other(sca):
    _open(submitted_at=NOW - timedelta(days=10), person_name_key="", date_of_birth=None)
    _open(submitted_at=NOW - timedelta(days=10), person_name_key="amina hassan", date_of_birth=None)
    _open(submitted_at=NOW - timedelta(days=10), person_name_key="", date_of_birth=PERSON["date_of_birth"])
    for fields in (
        {"person_name_key": "", "date_of_birth": None},
        {"person_name_key": "amina hassan", "date_of_birth": None},
        {"person_name_key": "", "date_of_birth": PERSON["date_of_birth"]},
    ):
        assert not _open(submitted_at=NOW, **fields).possible_duplicates.exists(), fields


def test_the_lookback_window_comes_from_the_nations_policy(sca):
    Policy.objects.filter(nation=Nation.ENGLAND).update(duplicate_lookback_days=30)
    _open(submitted_at=NOW - timedelta(days=31), **PERSON)
    recent = _open(submitted_at=NOW - timedelta(days=29), **PERSON)
    case = _open(submitted_at=NOW, **PERSON)
    assert list(case.possible_duplicates.all()) == [recent]


def test_a_later_referral_is_not_a_duplicate_of_an_earlier_one_on_a_second_check(sca):
    earlier = _open(submitted_at=NOW - timedelta(days=10), **PERSON)
    later = _open(submitted_at=NOW, **PERSON)
    assert case_flag_possible_duplicates(case=earlier) == []
    assert case_flag_possible_duplicates(case=later) == []  # already linked: no second event
    assert later.events.filter(kind=CaseEvent.Kind.POSSIBLE_DUPLICATE_FLAGGED).count() == 1
    assert not earlier.possible_duplicates.exists()
