"""Reading the organisation's referrals through the partner API: the list (cursor pages, updated_since, a fixed
number of queries), one referral with its status, served outcomes and deadlines (the web referrer's rules), its
letters as PDFs (access-logged), and the changes feed; another organisation's referral or letter is 404, a token
without referrals:read is 403, a client over its rate is 429."""

import base64
import json
from datetime import timedelta

import pytest
import time_machine
from django.core.files.storage import FileSystemStorage
from django.utils import timezone

from casework.models import AccessLogEntry, Case, CaseEvent, Letter
from casework.services import information_request_create
from partners.events import PUBLIC_CASE_EVENTS, case_event_change, referral_sent_change
from referrals.models import Route
from tests.casework.factories import DutyToNotifyReferralFactory, case_in_state
from tests.casework.test_responder import manager_of_sca
from tests.factories import FirstResponderOrganisationFactory

pytestmark = pytest.mark.django_db

READ = "referrals:read"
LIST_URL = "/api/v1/referrals"
CHANGES_URL = "/api/v1/changes"


@pytest.fixture(autouse=True)
def private_media(settings, tmp_path, monkeypatch):
    """Letters rendered under a temporary directory; the changes feed lists changes as soon as they are made."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    settings.PARTNER_API_CHANGES_SETTLE_SECONDS = 0
    monkeypatch.setattr(Letter._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path / "private"))


@pytest.fixture
def organisation():
    return FirstResponderOrganisationFactory()


def case_of(organisation, status: str = Case.Status.AWAITING_RG, **kwargs) -> Case:
    """A case of a referral sent by `organisation`, driven to `status` through casework's services."""
    return case_in_state(status, draft__organisation=organisation, **kwargs)


def url(reference: str, *rest) -> str:
    return "/".join([LIST_URL, reference, *map(str, rest)])


# --- The list --------------------------------------------------------------------------------------------------


def test_the_list_has_the_organisations_referrals_of_both_routes_newest_first_with_their_status(
    partner_api, organisation
):
    older = case_of(organisation, Case.Status.RECOVERY, opened_days_ago=3)
    report = DutyToNotifyReferralFactory(draft__organisation=organisation, submitted_at=timezone.now())
    case_in_state(Case.Status.AWAITING_RG)  # another organisation's
    partner = partner_api(organisation=organisation, scopes=[READ])

    response = partner.get(LIST_URL)

    assert response.status_code == 200
    results = response.json()["results"]
    assert [item["reference"] for item in results] == [report.reference, older.reference]
    assert results[0] | {"submitted_at": None, "updated_at": None} == {
        "reference": report.reference,
        "kind": "duty_to_notify",
        "route": Route.DUTY_TO_NOTIFY.value,
        "responder_reference": "",
        "status": "duty_to_notify_sent",
        "status_label": "Duty to Notify sent",
        "submitted_at": None,
        "updated_at": None,
    }
    assert (results[1]["kind"], results[1]["status"], results[1]["status_label"]) == (
        "nrm_referral",
        "recovery",
        "Recovery period",
    )
    assert response.json()["next"] is None


def test_the_list_pages_with_a_cursor_link(partner_api, organisation):
    cases = [case_of(organisation, opened_days_ago=days) for days in (1, 2, 3)]
    partner = partner_api(organisation=organisation, scopes=[READ])

    first = partner.get(LIST_URL, {"page_size": 2}).json()
    second = partner.get(first["next"]).json()

    assert [item["reference"] for item in first["results"] + second["results"]] == [c.reference for c in cases]
    assert second["next"] is None


def test_updated_since_keeps_the_referrals_whose_status_changed_since(partner_api, organisation):
    quiet = case_of(organisation, opened_days_ago=10)
    decided = case_of(organisation, Case.Status.RECOVERY, opened_days_ago=10)
    partner = partner_api(organisation=organisation, scopes=[READ])
    since = (timezone.now() - timedelta(days=1)).isoformat()

    everything = partner.get(LIST_URL).json()["results"]
    recent = partner.get(LIST_URL, {"updated_since": since}).json()["results"]

    assert {item["reference"] for item in everything} == {quiet.reference, decided.reference}
    assert [item["reference"] for item in recent] == [decided.reference]
    assert recent[0]["updated_at"] > since


def test_an_updated_since_that_is_no_time_is_a_problem_naming_the_field(partner_api):
    partner = partner_api(scopes=[READ])

    response = partner.get(LIST_URL, {"updated_since": "last tuesday"})

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["updated_since"]


def test_the_list_makes_the_same_number_of_queries_however_many_referrals(
    partner_api, organisation, django_assert_max_num_queries
):
    partner = partner_api(organisation=organisation, scopes=[READ])
    case_of(organisation, Case.Status.RECOVERY)
    with django_assert_max_num_queries(12) as few:
        assert len(partner.get(LIST_URL).json()["results"]) == 1
    for status in (Case.Status.RECOVERY, Case.Status.RG_NEGATIVE_REVIEW, Case.Status.AWAITING_RG):
        case_of(organisation, status)
    DutyToNotifyReferralFactory(draft__organisation=organisation)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(partner.get(LIST_URL).json()["results"]) == 5


# --- One referral ----------------------------------------------------------------------------------------------


def test_a_referral_reads_its_status_its_served_outcome_and_the_recovery_period(partner_api, organisation):
    case = case_of(organisation, Case.Status.RECOVERY)
    partner = partner_api(organisation=organisation, scopes=[READ])
    decision = case.decisions.get()

    response = partner.get(url(case.reference))

    assert response.status_code == 200
    body = response.json()
    assert (body["status"], body["status_label"], body["kind"]) == ("recovery", "Recovery period", "nrm_referral")
    assert body["outcomes"] == [
        {
            "decision_id": decision.pk,
            "stage": "rg",
            "stage_label": "Reasonable grounds",
            "outcome": "positive",
            "outcome_label": "Positive",
            "served_at": body["outcomes"][0]["served_at"],
            "letter_id": decision.letter.pk,
        }
    ]
    case.refresh_from_db()
    assert body["deadlines"]["recovery_period_ends_at"] is not None
    assert body["deadlines"]["recovery_period_ends_at"][:10] == case.recovery_ends_at.isoformat()[:10]
    assert (body["open_information_requests"], body["reconsideration_pending"]) == (0, False)
    assert AccessLogEntry.objects.filter(case=case, user=partner.user, what=AccessLogEntry.What.API).count() == 1


def test_a_negative_decision_under_review_reads_as_still_awaited_with_no_outcome(partner_api, organisation):
    case = case_of(organisation, Case.Status.RG_NEGATIVE_REVIEW)
    partner = partner_api(organisation=organisation, scopes=[READ])

    body = partner.get(url(case.reference)).json()

    assert (body["status"], body["status_label"]) == ("awaiting_rg", "Awaiting reasonable grounds decision")
    assert body["outcomes"] == []
    assert partner.get(url(case.reference, "letters")).json() == {"results": []}


def test_a_served_negative_decision_gives_its_outcome_and_the_reconsideration_deadline(partner_api, organisation):
    case = case_of(organisation, Case.Status.RG_NEGATIVE_SERVED)
    partner = partner_api(organisation=organisation, scopes=[READ])
    decision = case.decisions.get()

    body = partner.get(url(case.reference)).json()

    assert (body["status"], [o["outcome"] for o in body["outcomes"]]) == ("rg_negative", ["negative"])
    assert body["deadlines"]["reconsideration_requested_by"] == decision.reconsideration_deadline.isoformat()


def test_open_requests_for_information_are_counted_with_the_earliest_due_date(partner_api, organisation):
    case = case_of(organisation)
    manager = manager_of_sca()
    today = timezone.localdate()
    for days in (12, 5):
        information_request_create(
            case_id=case.pk,
            actor=manager,
            question="Was an interpreter present?",
            due_date=today + timedelta(days=days),
        )
    partner = partner_api(organisation=organisation, scopes=[READ])

    body = partner.get(url(case.reference)).json()

    assert body["open_information_requests"] == 2
    assert body["deadlines"]["information_due"] == (today + timedelta(days=5)).isoformat()


def test_a_duty_to_notify_report_reads_as_sent_and_has_no_case_to_log(partner_api, organisation):
    report = DutyToNotifyReferralFactory(draft__organisation=organisation)
    partner = partner_api(organisation=organisation, scopes=[READ])

    body = partner.get(url(report.reference)).json()

    assert (body["kind"], body["status"], body["outcomes"]) == ("duty_to_notify", "duty_to_notify_sent", [])
    assert body["deadlines"] == {
        "recovery_period_ends_at": None,
        "information_due": None,
        "reconsideration_requested_by": None,
    }
    assert not AccessLogEntry.objects.filter(user=partner.user).exists()


# --- Letters ---------------------------------------------------------------------------------------------------


def test_a_served_decisions_letter_is_listed_and_downloads_as_a_pdf_written_in_the_access_log(
    partner_api, organisation
):
    case = case_of(organisation, Case.Status.RECOVERY)
    letter = Letter.objects.get(decision__case=case)
    partner = partner_api(organisation=organisation, scopes=[READ])

    listed = partner.get(url(case.reference, "letters")).json()["results"]
    response = partner.get(url(case.reference, "letters", letter.pk), HTTP_ACCEPT="application/pdf")

    assert [(item["id"], item["stage"], item["outcome"]) for item in listed] == [(letter.pk, "rg", "positive")]
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert AccessLogEntry.objects.filter(case=case, user=partner.user, what=AccessLogEntry.What.API).count() == 1


def test_another_organisations_referral_and_letter_are_not_found(partner_api, organisation):
    own = case_of(organisation, Case.Status.RECOVERY)
    theirs = case_of(FirstResponderOrganisationFactory(), Case.Status.RECOVERY)
    their_letter = Letter.objects.get(decision__case=theirs)
    partner = partner_api(organisation=organisation, scopes=[READ])

    answers = [
        partner.get(url(theirs.reference)),
        partner.get(url(theirs.reference, "letters")),
        partner.get(url(theirs.reference, "letters", their_letter.pk), HTTP_ACCEPT="application/pdf"),
        partner.get(url(own.reference, "letters", their_letter.pk)),  # their letter under our reference
        partner.get(url("NRM-2026-999999")),
    ]

    assert [answer.status_code for answer in answers] == [404] * 5
    assert {answer["Content-Type"] for answer in answers} == {"application/problem+json"}
    assert all(answer.json()["status"] == 404 for answer in answers)
    assert not AccessLogEntry.objects.filter(user=partner.user).exists()


# --- Scope and rate --------------------------------------------------------------------------------------------


def test_a_token_without_referrals_read_is_refused_every_read(partner_api, organisation):
    case = case_of(organisation, Case.Status.RECOVERY)
    partner = partner_api(organisation=organisation, scopes=["referrals:write", "information-requests:write"])

    answers = [partner.get(path) for path in (LIST_URL, url(case.reference), url(case.reference, "letters"))]
    answers.append(partner.get(CHANGES_URL))

    assert [answer.status_code for answer in answers] == [403] * 4
    assert all(answer.json()["type"].endswith("#permission-denied") for answer in answers)


def test_a_client_over_its_rate_is_told_to_retry_after(partner_api):
    partner = partner_api(scopes=[READ])
    partner.client.rate_per_minute = 2
    partner.client.save(update_fields=["rate_per_minute"])

    answers = [partner.get(LIST_URL) for _ in range(3)]

    assert [answer.status_code for answer in answers] == [200, 200, 429]
    assert answers[2]["Content-Type"] == "application/problem+json"
    assert 0 < int(answers[2]["Retry-After"]) <= 60


# --- The changes feed ------------------------------------------------------------------------------------------


def test_the_feed_lists_sendings_and_status_changes_oldest_first_and_resumes_from_its_cursor(partner_api, organisation):
    case = case_of(organisation, Case.Status.RECOVERY, opened_days_ago=2)
    partner = partner_api(organisation=organisation, scopes=[READ])

    first = partner.get(CHANGES_URL).json()
    report = DutyToNotifyReferralFactory(draft__organisation=organisation)
    then = partner.get(CHANGES_URL, {"cursor": first["cursor"]}).json()
    nothing_new = partner.get(CHANGES_URL, {"cursor": then["cursor"]}).json()

    served = case.events.get(data__from_status="awaiting_rg", data__to_status="recovery")
    assert [(c["event"], c["reference"], c["status"]) for c in first["changes"]] == [
        ("referral.sent", case.reference, "awaiting_rg"),
        ("referral.status_changed", case.reference, "recovery"),
    ]
    assert first["changes"][0]["id"] == f"rs-{case.referral_id}"
    assert first["changes"][1]["id"] == f"ce-{served.pk}"
    assert first["has_more"] is False
    assert [(c["event"], c["reference"], c["status"]) for c in then["changes"]] == [
        ("referral.sent", report.reference, "duty_to_notify_sent")
    ]
    assert nothing_new == {"changes": [], "cursor": then["cursor"], "has_more": False}


def test_a_change_is_listed_once_it_is_a_few_seconds_old(partner_api, organisation, settings):
    settings.PARTNER_API_CHANGES_SETTLE_SECONDS = 5
    report = DutyToNotifyReferralFactory(draft__organisation=organisation)
    partner = partner_api(organisation=organisation, scopes=[READ])

    at_once = partner.get(CHANGES_URL).json()
    with time_machine.travel(report.submitted_at + timedelta(seconds=6)):
        settled = partner.get(CHANGES_URL, {"cursor": at_once["cursor"]} if at_once["cursor"] else {}).json()

    assert at_once == {"changes": [], "cursor": None, "has_more": False}
    assert [change["reference"] for change in settled["changes"]] == [report.reference]


def test_the_feed_pages_by_limit_without_losing_or_repeating_a_change(partner_api, organisation):
    for days in (3, 2, 1):
        case_of(organisation, Case.Status.RECOVERY, opened_days_ago=days)
    partner = partner_api(organisation=organisation, scopes=[READ])
    everything = partner.get(CHANGES_URL).json()["changes"]

    pages, cursor = [], None
    while True:
        page = partner.get(CHANGES_URL, {"limit": 2, **({"cursor": cursor} if cursor else {})}).json()
        pages.append(page["changes"])
        cursor = page["cursor"]
        if not page["has_more"]:
            break

    assert len(everything) == 6
    assert [change for page in pages for change in page] == everything
    assert [len(page) for page in pages] == [2, 2, 2]


def test_internal_steps_and_a_negative_decision_under_review_are_not_changes(partner_api, organisation):
    case = case_of(organisation, Case.Status.RG_NEGATIVE_REVIEW)  # assigned, a negative proposed for review
    partner = partner_api(organisation=organisation, scopes=[READ])

    changes = partner.get(CHANGES_URL).json()["changes"]

    assert {CaseEvent.Kind.ASSIGNED, CaseEvent.Kind.DECISION_PROPOSED} <= set(
        case.events.values_list("kind", flat=True)
    )
    assert [(c["event"], c["status"]) for c in changes] == [("referral.sent", "awaiting_rg")]


def test_requests_for_information_are_changes(partner_api, organisation):
    case = case_of(organisation)
    information_request_create(
        case_id=case.pk,
        actor=manager_of_sca(),
        question="Was an interpreter present?",
        due_date=timezone.localdate() + timedelta(days=7),
    )
    partner = partner_api(organisation=organisation, scopes=[READ])

    changes = partner.get(CHANGES_URL).json()["changes"]

    assert [c["event"] for c in changes] == ["referral.sent", "information_request.opened"]
    assert changes[1]["status"] == "awaiting_rg"


def test_a_change_carries_no_personal_data(partner_api, organisation):
    answers = {"first_name": "Amarachi", "last_name": "Okonkwo-Reyes", "date_of_birth": "1990-04-01"}
    case = case_of(organisation, Case.Status.RECOVERY, answers=answers)
    partner = partner_api(organisation=organisation, scopes=[READ])

    response = partner.get(CHANGES_URL)

    assert {tuple(change) for change in response.json()["changes"]} == {
        ("event", "reference", "status", "occurred_at", "id")
    }
    text = response.content.decode()
    for personal in ["Amarachi", "Okonkwo", "1990-04-01", case.referral.submitted_by.full_name]:
        assert personal not in text


def test_a_cursor_the_feed_did_not_give_is_a_problem(partner_api):
    partner = partner_api(scopes=[READ])

    huge_id = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00+00:00", 1, 10**30]).encode()).decode()
    naive = base64.urlsafe_b64encode(json.dumps(["2026-01-01T00:00:00", 1, 1]).encode()).decode()
    cursors = ("not-a-cursor", "WzEsMiwzXQ", huge_id, naive)
    answers = [partner.get(CHANGES_URL, {"cursor": cursor}) for cursor in cursors]
    too_many = partner.get(CHANGES_URL, {"limit": 100_000})

    assert [answer.status_code for answer in [*answers, too_many]] == [400] * 5
    assert [answer.json()["errors"][0]["field"] for answer in [*answers, too_many]] == ["cursor"] * 4 + ["limit"]


def test_a_reference_not_shaped_like_one_matches_no_address(partner_api):
    partner = partner_api(scopes=[READ])

    assert partner.get(url("NRM-2026-00%00")).status_code == 404
    assert partner.get(url("x" * 500, "letters")).status_code == 404


def test_the_feed_makes_the_same_number_of_queries_however_many_changes(
    partner_api, organisation, django_assert_max_num_queries
):
    partner = partner_api(organisation=organisation, scopes=[READ])
    case_of(organisation, Case.Status.RECOVERY)
    with django_assert_max_num_queries(12) as few:
        assert len(partner.get(CHANGES_URL).json()["changes"]) == 2
    for status in (Case.Status.RECOVERY, Case.Status.RG_NEGATIVE_SERVED):
        case_of(organisation, status)

    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(partner.get(CHANGES_URL).json()["changes"]) == 6


def test_the_feeds_query_and_the_rule_for_one_event_agree_on_every_kind_of_event(organisation):
    for status in Case.Status:
        if status != Case.Status.MERGED:
            case_in_state(status, opened_days_ago=130, draft__organisation=organisation)
    events = CaseEvent.objects.select_related("case__referral")

    by_query = set(events.filter(PUBLIC_CASE_EVENTS).values_list("pk", flat=True))
    by_rule = {event.pk for event in events if case_event_change(event) is not None}

    assert by_query == by_rule
    assert len({event.kind for event in events}) > 10
    referral = events.first().case.referral
    assert referral_sent_change(referral).payload()["status"] == "awaiting_rg"
