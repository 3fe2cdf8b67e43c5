"""The fact tables are copied from the live tables by `facts_refresh()`: each category as the published tables count
it, dates in UK time, safe to run twice and while another run holds the lock, and readers keep the previous
refresh until a new one commits. The rows are written straight to the tables here (the refresh reads tables, not
services); the expected values are written out by hand."""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Nation, Organisation
from casework.models import Case, CaseEvent, CaseNote, Decision, Reconsideration
from casework.services import single_competent_authority
from insights.models import DecisionFact, DisqualificationFact, ReconsiderationFact, ReferralFact, Refresh
from insights.refresh import facts_refresh
from referrals.models import Route
from tests.casework.factories import (
    AwaitingRgCaseFactory,
    ChildReferralFactory,
    DutyToNotifyReferralFactory,
    SubmittedReferralFactory,
)
from tests.factories import OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db


def referral(factory=SubmittedReferralFactory, *, organisation=None, **fields):
    if organisation is not None:
        fields["draft__organisation"] = organisation
    return factory(**fields)


def fact(referral_row) -> ReferralFact:
    return ReferralFact.objects.get(referral_id=referral_row.pk)


def served(case: Case, stage: str, outcome: str, served_at: datetime, **fields) -> Decision:
    return Decision.objects.create(
        case=case,
        stage=stage,
        outcome=outcome,
        reasons="Test reasons.",
        decision_date=timezone.localdate(served_at),
        decided_by=UserFactory(role="caseworker", organisation=case.authority),
        state=Decision.State.SERVED,
        served_at=served_at,
        **fields,
    )


def test_age_at_exploitation_is_child_for_a_child_referral_or_an_adult_exploited_as_a_child():
    rows = {
        "child route": referral(ChildReferralFactory, child_at_exploitation="not_sure"),
        "adult, yes": referral(child_at_exploitation="yes"),
        "adult, no": referral(child_at_exploitation="no"),
        "adult, not sure": referral(child_at_exploitation="not_sure"),
        "adult, no answer": referral(child_at_exploitation=""),
    }
    facts_refresh()
    assert {name: fact(row).age_group for name, row in rows.items()} == {
        "child route": "child",
        "adult, yes": "child",
        "adult, no": "adult",
        "adult, not sure": "unknown",
        "adult, no answer": "unknown",
    }


def test_exploitation_groups_are_in_the_published_order_and_other_is_dropped():
    mixed = referral(exploitation_types=["criminal", "other", "sexual", "labour"])
    only_other = referral(exploitation_types=["other"])
    organ = referral(exploitation_types=["organ", "domestic"])
    facts_refresh()
    assert fact(mixed).exploitation == ["sexual", "labour", "criminal"]
    assert fact(only_other).exploitation == []
    assert fact(organ).exploitation == ["domestic", "organ"]


def test_towns_police_force_and_local_authority_come_from_the_answers_or_the_referring_organisation():
    police = OrganisationFactory(name="Test Shire Police", kind=Organisation.Kind.POLICE)
    council = OrganisationFactory(name="Test Borough Council", kind=Organisation.Kind.LOCAL_AUTHORITY)
    charity = OrganisationFactory(name="Test Charity", kind=Organisation.Kind.NGO)
    answered = referral(
        organisation=police,
        answers={"uk_towns": ["Leeds", "Bradford"], "police_force": "West Yorkshire Police", "la_name": "Leeds"},
    )
    by_police = referral(organisation=police, answers={"uk_towns": "not a list"})
    by_council = referral(organisation=council, answers={"police_force": ""})
    by_charity = referral(organisation=charity)
    facts_refresh()
    assert (fact(answered).towns, fact(answered).police_force, fact(answered).local_authority) == (
        ["Leeds", "Bradford"],
        "West Yorkshire Police",
        "Leeds",
    )
    assert (fact(by_police).towns, fact(by_police).police_force, fact(by_police).local_authority) == (
        [],
        "Test Shire Police",
        "",
    )
    assert (fact(by_council).police_force, fact(by_council).local_authority) == ("", "Test Borough Council")
    assert (fact(by_charity).police_force, fact(by_charity).local_authority, fact(by_charity).responder_kind) == (
        "",
        "",
        "ngo",
    )


def test_the_referrals_other_categories_are_copied_and_duty_to_notify_reports_are_marked():
    nrm = referral(
        gender="female",
        nationalities=["Eritrean", "Ethiopian"],
        exploited_in="both",
        nation=Nation.WALES,
    )
    case = AwaitingRgCaseFactory(referral=nrm)
    report = referral(DutyToNotifyReferralFactory, gender="male", exploited_in="uk")
    facts_refresh()
    row = fact(nrm)
    assert (row.route, row.is_duty_to_notify, row.gender, row.nationalities, row.location, row.nation) == (
        Route.ADULT,
        False,
        "female",
        ["Eritrean", "Ethiopian"],
        "both",
        Nation.WALES,
    )
    assert (row.authority_id, row.status, row.organisation_id) == (
        case.authority_id,
        Case.Status.AWAITING_RG,
        nrm.organisation_id,
    )
    dtn = fact(report)
    assert (dtn.is_duty_to_notify, dtn.authority_id, dtn.status, dtn.location) == (True, None, "", "uk")


def test_dates_are_uk_dates_a_referral_at_2330_utc_on_31_march_in_summer_time_is_on_1_april():
    summer = referral(submitted_at=datetime(2026, 3, 31, 23, 30, tzinfo=UTC))  # 00:30 on 1 April, BST
    winter = referral(submitted_at=datetime(2025, 12, 31, 23, 30, tzinfo=UTC))  # still 31 December, GMT
    before_change = referral(submitted_at=datetime(2026, 3, 28, 23, 30, tzinfo=UTC))  # GMT until 29 March
    case = AwaitingRgCaseFactory(referral=referral(submitted_at=datetime(2026, 6, 1, 9, 0, tzinfo=UTC)))
    rg_at = datetime(2026, 6, 30, 23, 30, tzinfo=UTC)  # 00:30 on 1 July, BST
    Case.objects.filter(pk=case.pk).update(rg_decided_at=rg_at, status=Case.Status.AWAITING_CG)
    rg = served(case, Decision.Stage.RG, Decision.Outcome.POSITIVE, rg_at)
    cg = served(case, Decision.Stage.CG, Decision.Outcome.POSITIVE, datetime(2026, 9, 30, 23, 0, tzinfo=UTC))
    facts_refresh()
    assert fact(summer).referred_on.isoformat() == "2026-04-01"
    assert fact(winter).referred_on.isoformat() == "2025-12-31"
    assert fact(before_change).referred_on.isoformat() == "2026-03-28"
    assert DecisionFact.objects.get(decision_id=rg.pk).decided_on.isoformat() == "2026-07-01"
    assert DecisionFact.objects.get(decision_id=cg.pk).decided_on.isoformat() == "2026-10-01"
    assert fact(case.referral).rg_positive_on.isoformat() == "2026-07-01"
    assert fact(case.referral).cg_first_on.isoformat() == "2026-10-01"


def test_only_served_decisions_are_copied_with_their_times_reason_and_age():
    submitted = datetime(2026, 1, 5, 10, 0, tzinfo=UTC)
    case = AwaitingRgCaseFactory(referral=referral(ChildReferralFactory, submitted_at=submitted))
    rg_at, cg_at = submitted + timedelta(days=4), submitted + timedelta(days=104)
    Case.objects.filter(pk=case.pk).update(rg_decided_at=rg_at, status=Case.Status.CG_NEGATIVE_SERVED)
    rg = served(case, Decision.Stage.RG, Decision.Outcome.POSITIVE, rg_at)
    cg = served(
        case, Decision.Stage.CG, Decision.Outcome.NEGATIVE, cg_at, negative_reason=Decision.NegativeReason.CREDIBILITY
    )
    Decision.objects.create(
        case=case,
        stage=Decision.Stage.CG,
        outcome=Decision.Outcome.NEGATIVE,
        reasons="Under review.",
        decision_date=timezone.localdate(),
        decided_by=cg.decided_by,
        state=Decision.State.UNDER_REVIEW,
    )
    facts_refresh()
    rows = {row.decision_id: row for row in DecisionFact.objects.all()}
    assert set(rows) == {rg.pk, cg.pk}
    assert (rows[rg.pk].stage, rows[rg.pk].outcome, rows[rg.pk].days_from_referral, rows[rg.pk].days_from_rg) == (
        "rg",
        "positive",
        4,
        None,
    )
    assert (rows[cg.pk].negative_reason, rows[cg.pk].days_from_referral, rows[cg.pk].days_from_rg) == (
        "credibility",
        104,
        100,
    )
    assert {row.age_group for row in rows.values()} == {"child"}
    assert rows[cg.pk].authority_id == case.authority_id


def test_reconsiderations_and_disqualifications_are_copied():
    case = AwaitingRgCaseFactory(referral=referral(child_at_exploitation="no"))
    rg_at = timezone.now() - timedelta(days=30)
    negative = served(case, Decision.Stage.RG, Decision.Outcome.NEGATIVE, rg_at)
    responder = case.referral.submitted_by
    asked = Reconsideration.objects.create(
        case=case,
        decision=negative,
        requested_by=responder,
        requester_organisation=case.referral.organisation,
        requested_at=rg_at + timedelta(days=3),
        grounds=[Reconsideration.Ground.NEW_EVIDENCE, Reconsideration.Ground.GUIDANCE_NOT_FOLLOWED],
        details="Details.",
        state=Reconsideration.State.ACCEPTED,
        decided_by=negative.decided_by,
        decided_at=rg_at + timedelta(days=10),
    )
    disqualified = AwaitingRgCaseFactory(referral=referral(ChildReferralFactory))
    note = CaseNote.objects.create(
        case=disqualified, kind=CaseNote.Kind.DISQUALIFICATION, text="Reasons.", author=negative.decided_by
    )
    event = CaseEvent.objects.create(
        case=disqualified,
        kind=CaseEvent.Kind.DISQUALIFIED,
        data={"from_status": "awaiting_cg", "to_status": "disqualified", "note_id": note.pk},
    )
    CaseEvent.objects.create(case=disqualified, kind=CaseEvent.Kind.SUSPENDED, data={})
    facts_refresh()
    row = ReconsiderationFact.objects.get()
    assert (row.reconsideration_id, row.stage, row.state, sorted(row.grounds), row.age_group) == (
        asked.pk,
        "rg",
        "accepted",
        ["guidance_not_followed", "new_evidence"],
        "adult",
    )
    assert (row.received_on, row.decided_on) == (
        timezone.localdate(asked.requested_at),
        timezone.localdate(asked.decided_at),
    )
    disqualification = DisqualificationFact.objects.get()
    assert (disqualification.event_id, disqualification.age_group, disqualification.authority_id) == (
        event.pk,
        "child",
        disqualified.authority_id,
    )


def test_running_twice_gives_the_same_rows_and_records_each_refresh():
    AwaitingRgCaseFactory(referral=referral())
    referral(DutyToNotifyReferralFactory)
    first = facts_refresh()
    rows = list(ReferralFact.objects.order_by("pk").values())
    second = facts_refresh()
    assert list(ReferralFact.objects.order_by("pk").values()) == rows
    assert (first.referrals, second.referrals, Refresh.objects.count()) == (2, 2, 2)
    assert Refresh.objects.latest() == second


def test_a_referral_gone_from_the_live_tables_is_gone_from_the_facts():
    kept, removed = referral(), referral()
    facts_refresh()
    removed.delete()
    facts_refresh()
    assert list(ReferralFact.objects.values_list("referral_id", flat=True)) == [kept.pk]


# Two connections: the refresh in a thread of its own, holding its transaction open until told to finish.
class HeldRefresh(threading.Thread):
    """Runs facts_refresh() inside an outer transaction that stays open (the lock held, the new rows uncommitted)
    until `finish` is set."""

    def __init__(self):
        super().__init__(daemon=True)
        self.refreshed = threading.Event()
        self.finish = threading.Event()
        self.result = None
        self.error = None

    def run(self):
        try:
            with transaction.atomic():
                self.result = facts_refresh()
                self.refreshed.set()
                self.finish.wait(timeout=30)
        except Exception as error:
            self.error = error
        finally:
            self.refreshed.set()
            connection.close()


@pytest.mark.django_db(transaction=True)
def test_a_second_refresh_while_the_first_holds_the_lock_returns_none(project_data):
    referral()
    held = HeldRefresh()
    held.start()
    assert held.refreshed.wait(timeout=30)
    try:
        assert facts_refresh() is None
    finally:
        held.finish.set()
        held.join(timeout=30)
    assert held.error is None
    assert held.result is not None
    assert Refresh.objects.count() == 1
    assert facts_refresh() is not None  # and once it is done, the next run goes ahead


@pytest.mark.django_db(transaction=True)
def test_a_reader_during_a_refresh_sees_the_previous_refresh(project_data):
    first = referral()
    facts_refresh()
    second = referral()
    held = HeldRefresh()
    held.start()
    assert held.refreshed.wait(timeout=30)
    try:
        during = set(ReferralFact.objects.values_list("referral_id", flat=True))
        freshness = Refresh.objects.count()
    finally:
        held.finish.set()
        held.join(timeout=30)
    assert held.error is None
    assert during == {first.pk}
    assert freshness == 1
    assert set(ReferralFact.objects.values_list("referral_id", flat=True)) == {first.pk, second.pk}
    assert Refresh.objects.count() == 2


def test_the_authority_is_that_of_the_case_after_a_transfer():
    sca = single_competent_authority()
    other = OrganisationFactory(name="Test Other Authority", kind=Organisation.Kind.COMPETENT_AUTHORITY)
    case = AwaitingRgCaseFactory(referral=referral())
    Case.objects.filter(pk=case.pk).update(authority=other)
    facts_refresh()
    assert fact(case.referral).authority_id == other.pk != sca.pk
