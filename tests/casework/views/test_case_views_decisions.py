"""The decision pages through the views: reasonable and conclusive grounds decisions, the second review, and
reconsideration; validation, refusals, stale versions and two decisions at once."""

import re
import threading
from datetime import timedelta

import pytest
import time_machine
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.factors import objective_factors_for
from casework.models import Case, Decision, Policy, Reconsideration, ReviewRoute
from tests.casework.views.helpers import answered_case, error_summary, messages_of, staff
from tests.panels.factories import panel_with_members

pytestmark = pytest.mark.django_db
REASONS = "The account is detailed and consistent with the indicators the first responder recorded."


def decision_data(case, *, outcome="positive", when=None, factors=None, **extra) -> dict:
    """A decision as its check page posts it ("Confirm": the form's answers carried in its hidden fields); a
    negative one with its main reason (`negative_reason=` to change it). `confirm=None` posts the form itself."""
    when = when or timezone.localdate()
    codes = [f.code for f in objective_factors_for(case.referral.answers)][:2] if factors is None else factors
    reason = {"negative_reason": Decision.NegativeReason.INSUFFICIENT_INFORMATION} if outcome == "negative" else {}
    data = {
        "version": case.version,
        "outcome": outcome,
        **reason,
        "factors": codes,
        "reasons": REASONS,
        "decision_date_0": when.day,
        "decision_date_1": when.month,
        "decision_date_2": when.year,
        "confirm": "1",
        **extra,
    }
    return {key: value for key, value in data.items() if value is not None}


def rg_url(case):
    return reverse("casework:rg_decision", args=[case.reference])


def cg_url(case):
    return reverse("casework:cg_decision", args=[case.reference])


# Reasonable grounds ------------------------------------------------------------------------------------------


def test_the_form_offers_the_referrals_objective_factors_and_today(client, caseworker, case):
    client.force_login(caseworker)
    response = client.get(rg_url(case))
    assert response.status_code == 200
    offered = [code for code, _ in response.context["form"].fields["factors"].choices]
    assert offered == [f.code for f in objective_factors_for(case.referral.answers)]
    today = timezone.localdate()
    html = response.content.decode()
    assert f'name="decision_date_0" value="{today.day}"' in html
    assert f'name="decision_date_2" value="{today.year}"' in html
    assert f'name="version" value="{case.version}"' in html


def test_a_positive_reasonable_grounds_decision_starts_the_recovery_period(client, caseworker, case):
    client.force_login(caseworker)
    data = decision_data(case)
    response = client.post(rg_url(case), data, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert messages_of(response) == ["Positive reasonable grounds decision served: the letter is being prepared"]
    assert "govuk-notification-banner--success" in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    decision = case.decisions.get()
    assert (decision.outcome, decision.state, decision.factors) == ("positive", "served", data["factors"])
    assert decision.reasons == REASONS


def test_a_negative_reasonable_grounds_decision_goes_to_review(client, caseworker, case):
    Policy.objects.filter(nation=case.nation).update(review_negative_rg=True)
    client.force_login(caseworker)
    response = client.post(rg_url(case), decision_data(case, outcome="negative", factors=[]), follow=True)
    assert messages_of(response) == ["Negative reasonable grounds decision sent for review"]
    case.refresh_from_db()
    assert case.status == Case.Status.RG_NEGATIVE_REVIEW


def test_a_negative_decision_needs_its_main_reason_and_what_was_typed_is_kept(client, caseworker, case):
    client.force_login(caseworker)
    page = client.get(rg_url(case)).content.decode()
    # The question is revealed under Negative (GOV.UK conditional reveal), one radio per published reason.
    assert 'data-aria-controls="conditional_outcome_1"' in page
    reveal = re.search(
        r'<div class="govuk-radios__conditional[^"]*" id="conditional_outcome_1">(.*?)</fieldset>', page, re.S
    )
    assert "What is the main reason for the negative decision?" in reveal[1]
    assert re.findall(r'name="negative_reason"[^>]*?value="([^"]+)"', reveal[1]) == Decision.NegativeReason.values
    data = decision_data(case, outcome="negative", negative_reason="")
    response = client.post(rg_url(case), data)
    assert response.status_code == 200
    assert error_summary(response) == ["Select the main reason for the negative decision"]
    html = response.content.decode()
    assert '<a href="#id_negative_reason_1">' in html  # the summary links to the first reason
    assert 'id="id_negative_reason_1"' in html
    assert re.search(r'value="negative"\s+checked', html)  # Negative stays chosen, so its question shows
    assert REASONS in html
    assert 'name="decision_date_0" value="' + str(timezone.localdate().day) + '"' in html
    assert case.decisions.count() == 0


def test_a_negative_decisions_main_reason_is_stored_and_shown_on_the_case_page(client, caseworker, case):
    client.force_login(caseworker)
    data = decision_data(case, outcome="negative", negative_reason=Decision.NegativeReason.CREDIBILITY)
    response = client.post(rg_url(case), data, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    decision = case.decisions.get()
    assert (decision.outcome, decision.negative_reason) == ("negative", "credibility")
    shown = re.search(r'data-testid="negative-reason">([^<]*)<', response.content.decode())
    assert shown[1] == "The account is not credible on the evidence"


@pytest.mark.parametrize("sent", [Decision.NegativeReason.CREDIBILITY, "made_up"])
def test_a_main_reason_sent_with_a_positive_decision_is_ignored(client, caseworker, case, sent):
    client.force_login(caseworker)
    data = decision_data(case, negative_reason=sent)  # chosen, then Positive chosen instead: hidden, not asked
    response = client.post(rg_url(case), data, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    decision = case.decisions.get()
    assert (decision.outcome, decision.negative_reason) == ("positive", "")
    assert 'data-testid="negative-reason"' not in response.content.decode()


@pytest.mark.parametrize("forged", ["made_up", "positive", "Credibility", "credibility\x00", "²"])
def test_a_forged_main_reason_is_refused(client, caseworker, case, forged):
    client.force_login(caseworker)
    response = client.post(rg_url(case), decision_data(case, outcome="negative", negative_reason=forged))
    assert response.status_code == 200
    assert error_summary(response) == ["Select the main reason for the negative decision"]
    assert case.decisions.count() == 0


def test_missing_answers_are_listed_and_what_was_typed_is_kept(client, caseworker, case):
    client.force_login(caseworker)
    codes = [f.code for f in objective_factors_for(case.referral.answers)][:1]
    data = {"version": case.version, "factors": codes, "reasons": "  ", "decision_date_0": "31", "decision_date_1": ""}
    data["decision_date_2"] = "2026"
    response = client.post(rg_url(case), data)
    assert response.status_code == 200
    assert error_summary(response) == [
        "Select whether the reasonable grounds decision is positive or negative",
        "Enter the reasons for the decision",
        "Decision date must include a month",
    ]
    html = response.content.decode()
    assert html.count("<title>Error: Reasonable grounds decision") == 1
    checked = re.findall(r'<input\s+type="checkbox"\s+name="factors"[^>]*?value="([^"]+)"\s+checked', html)
    assert checked == codes
    assert 'name="decision_date_0" value="31"' in html
    assert '<a href="#id_outcome_0">' in html  # the summary links to the first radio (conditional: from 0)
    assert 'id="id_outcome_0"' in html
    assert '<a href="#id_decision_date_1">' in html  # and to the month
    assert case.decisions.count() == 0


@pytest.mark.parametrize(
    ("day", "month", "year", "message"),
    [
        ("31", "2", "2026", "Decision date must be a real date"),
        ("aa", "2", "2026", "Decision date must be a real date"),
        ("1", "2", "26", "Year must include 4 numbers"),
    ],
)
def test_a_date_that_is_not_real_is_refused_without_an_error_page(client, caseworker, case, day, month, year, message):
    client.force_login(caseworker)
    data = {**decision_data(case), "decision_date_0": day, "decision_date_1": month, "decision_date_2": year}
    response = client.post(rg_url(case), data)
    assert response.status_code == 200
    assert error_summary(response) == [message]


def test_the_services_refusal_of_a_future_date_is_shown_against_the_date(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(rg_url(case), decision_data(case, when=timezone.localdate() + timedelta(days=3)))
    assert error_summary(response) == ["The decision date must be today or in the past"]
    assert '<a href="#id_decision_date_0">' in response.content.decode()


def test_a_stale_version_is_refused_and_the_typed_reasons_are_kept(client, caseworker, manager, case):
    client.force_login(caseworker)
    data = decision_data(case)
    client.force_login(manager)
    client.post(reverse("casework:add_note", args=[case.reference]), {"text": "Notes do not change the version."})
    client.post(reverse("casework:suspend", args=[case.reference]), {"version": case.version, "reason": "Missing."})
    client.force_login(caseworker)
    response = client.post(rg_url(case), data)
    assert response.status_code == 409
    summary = error_summary(response)
    assert summary[0].startswith("Someone else changed this case while you were working on it. Nothing was saved")
    assert REASONS in response.content.decode()
    case.refresh_from_db()
    assert f'name="version" value="{case.version}"' in response.content.decode()  # a second press can go through
    assert case.decisions.count() == 0


@pytest.mark.parametrize("version", ["", "abc", "-3", "99999999999", "²", "\u0661", "١٢"])
def test_a_missing_or_forged_version_is_refused_as_stale(client, caseworker, case, version):
    client.force_login(caseworker)
    response = client.post(rg_url(case), {**decision_data(case), "version": version})
    assert response.status_code == 409
    assert case.decisions.count() == 0


def test_two_decisions_at_the_same_version_one_wins_and_the_other_sees_the_stale_message(client, sca, caseworker, case):
    other_manager = staff(sca, Role.MANAGER)
    first, second = Client(), Client()
    first.force_login(caseworker)
    second.force_login(other_manager)
    assert first.post(rg_url(case), decision_data(case, outcome="positive")).status_code == 302
    response = second.post(rg_url(case), decision_data(case, outcome="negative"))
    assert response.status_code == 409
    assert "Someone else changed this case" in error_summary(response)[0]
    assert list(case.decisions.values_list("outcome", flat=True)) == ["positive"]


@pytest.mark.django_db(transaction=True)
def test_two_decisions_posted_at_the_same_moment_one_wins(sca):
    """Two threads, two connections, the same version: the row lock lets one through; the other is stale."""
    from casework.services import single_competent_authority

    authority = single_competent_authority()
    caseworker, manager = staff(authority), staff(authority, Role.MANAGER)
    case = answered_case(caseworker=caseworker, manager=manager)
    barrier = threading.Barrier(2)
    codes = {}

    def post(user, outcome):
        try:
            client = Client()
            client.force_login(user)
            barrier.wait()
            codes[outcome] = client.post(rg_url(case), decision_data(case, outcome=outcome)).status_code
        finally:
            connection.close()

    threads = [
        threading.Thread(target=post, args=(caseworker, "positive")),
        threading.Thread(target=post, args=(manager, "negative")),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(codes.values()) == [302, 409]
    assert case.decisions.count() == 1


def test_a_caseworker_who_does_not_have_the_case_is_told_to_assign_it(client, sca, case):
    colleague = staff(sca)
    client.force_login(colleague)
    response = client.get(rg_url(case), follow=True)
    assert response.redirect_chain[0][0] == case.get_absolute_url()
    assert messages_of(response) == [
        f"You cannot make a reasonable grounds decision now: {case.reference} is assigned to someone else: ask a "
        "manager to reassign it"
    ]
    response = client.post(rg_url(case), decision_data(case))
    assert error_summary(response) == [f"{case.reference} is assigned to someone else: ask a manager to reassign it"]


def test_an_illegal_move_says_why(client, caseworker, manager):
    case = answered_case(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    client.force_login(caseworker)
    response = client.post(rg_url(case), decision_data(case))
    assert response.status_code == 200
    assert error_summary(response) == [
        f"You cannot make a reasonable grounds decision because {case.reference} is in its recovery period"
    ]


# Conclusive grounds ------------------------------------------------------------------------------------------


def test_before_the_recovery_period_ends_the_page_explains_and_the_decision_is_refused(client, caseworker, manager):
    case = answered_case(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    ends = timezone.localtime(case.recovery_ends_at).date()
    client.force_login(caseworker)
    response = client.get(cg_url(case))
    assert f"The recovery period ends on {ends:%-d %B %Y}" in response.content.decode()
    response = client.post(cg_url(case), decision_data(case))
    assert error_summary(response) == [
        f"You cannot make a conclusive grounds decision on {case.reference} until the recovery period ends on "
        f"{ends:%-d %B %Y}"
    ]
    assert case.decisions.filter(stage="cg").count() == 0


def test_a_positive_conclusive_grounds_decision_confirms_the_victim(client, caseworker, manager):
    case = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
    client.force_login(caseworker)
    response = client.post(cg_url(case), decision_data(case), follow=True)
    assert messages_of(response) == ["Positive conclusive grounds decision served: the letter is being prepared"]
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED_VICTIM
    assert case.support_ends_at is not None


def test_after_the_recovery_period_time_moved_on_the_decision_goes_through(client, caseworker, manager):
    case = answered_case(Case.Status.RECOVERY, caseworker=caseworker, manager=manager)
    with time_machine.travel(case.recovery_ends_at + timedelta(days=1), tick=False):
        client.force_login(caseworker)
        assert "recovery period ends" not in client.get(cg_url(case)).content.decode()
        response = client.post(cg_url(case), decision_data(case))
        assert response.status_code == 302, error_summary(response)
    case.refresh_from_db()
    assert case.status == Case.Status.CONFIRMED_VICTIM


# The second review -------------------------------------------------------------------------------------------


@pytest.fixture
def under_review(caseworker, manager):
    case = answered_case(Case.Status.RG_NEGATIVE_REVIEW, caseworker=caseworker, manager=manager)
    return case, case.decisions.get(state=Decision.State.UNDER_REVIEW)


def review_url(case, decision):
    return reverse("casework:review_decision", args=[case.reference, decision.pk])


def test_a_second_reviewer_agrees_and_the_decision_is_served(client, manager, under_review):
    case, decision = under_review
    client.force_login(manager)
    page = client.get(review_url(case, decision))
    assert page.status_code == 200
    shown = re.search(r'data-testid="negative-reason">([^<]*)<', page.content.decode())
    assert shown[1] == decision.get_negative_reason_display()  # the second reviewer sees the main reason
    response = client.post(review_url(case, decision), {"version": case.version, "review": "agree"}, follow=True)
    assert messages_of(response) == ["Negative reasonable grounds decision served: the letter is being prepared"]
    case.refresh_from_db()
    decision.refresh_from_db()
    assert (case.status, decision.state, decision.reviewed_by) == (Case.Status.RG_NEGATIVE_SERVED, "served", manager)


def test_returning_needs_reasons_and_sends_the_decision_back(client, manager, under_review):
    case, decision = under_review
    client.force_login(manager)
    response = client.post(review_url(case, decision), {"version": case.version, "review": "return"})
    assert error_summary(response) == ["Enter why you are returning the decision"]
    response = client.post(review_url(case, decision), {"version": case.version})
    assert error_summary(response) == ["Select whether you agree with the decision"]
    assert '<a href="#id_review_0">' in response.content.decode()
    data = {"version": case.version, "review": "return", "reasons": "The interview record was not considered."}
    response = client.post(review_url(case, decision), data, follow=True)
    assert messages_of(response) == ["Negative reasonable grounds decision returned to Casey Worker"]
    case.refresh_from_db()
    decision.refresh_from_db()
    assert (case.status, decision.state) == (Case.Status.AWAITING_RG, "returned")
    assert "The interview record was not considered." in response.content.decode()  # the reviewer's reasons


def test_the_decision_maker_cannot_review_their_own_decision(client, sca, caseworker, case):
    other = staff(sca, Role.MANAGER)
    Policy.objects.filter(nation=case.nation).update(review_negative_rg=True)
    client.force_login(other)
    client.post(rg_url(case), decision_data(case, outcome="negative"))
    decision = case.decisions.get()
    response = client.get(review_url(case, decision))
    assert "You made this decision" in response.content.decode()
    assert "review_decision" not in {a.name for a in client.get(case.get_absolute_url()).context["page"].actions}
    case.refresh_from_db()
    response = client.post(review_url(case, decision), {"version": case.version, "review": "agree"})
    assert response.status_code == 200
    assert error_summary(response) == ["A second reviewer must be someone other than the decision maker"]


def test_a_panel_reviews_a_negative_conclusive_decision_so_the_page_has_no_form(client, caseworker, manager):
    panel_with_members(members=2)
    case = answered_case(Case.Status.CG_NEGATIVE_REVIEW, caseworker=caseworker, manager=manager, opened_days_ago=40)
    decision = case.decisions.get(state=Decision.State.UNDER_REVIEW)
    assert decision.review_route == ReviewRoute.PANEL
    client.force_login(staff(case.authority, Role.MANAGER))
    response = client.get(review_url(case, decision))
    html = response.content.decode()
    assert "An independent panel reviews this decision" in html
    assert 'name="review"' not in html


def test_caseworkers_do_not_review(client, sca, under_review):
    case, decision = under_review
    client.force_login(staff(sca))
    assert client.get(review_url(case, decision)).status_code == 404


# Reconsideration ---------------------------------------------------------------------------------------------


@pytest.fixture
def served_negative(caseworker, manager):
    return answered_case(Case.Status.CG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager, opened_days_ago=40)


def test_staff_ask_for_reconsideration_on_the_persons_behalf(client, caseworker, served_negative):
    case = served_negative
    url = reverse("casework:request_reconsideration", args=[case.reference])
    client.force_login(caseworker)
    response = client.post(url, {"version": case.version, "details": "New medical evidence."})
    assert error_summary(response) == ["Select the grounds for reconsideration"]
    assert "New medical evidence." in response.content.decode()
    response = client.post(
        url, {"version": case.version, "grounds": ["new_evidence"], "details": "New medical evidence."}, follow=True
    )
    assert messages_of(response) == ["Reconsideration requested: a manager will decide"]
    reconsideration = case.reconsiderations.get()
    assert (reconsideration.requested_by, reconsideration.grounds) == (caseworker, ["new_evidence"])
    assert "request_reconsideration" not in {a.name for a in response.context["page"].actions}


def test_a_late_request_needs_exceptional_circumstances(client, caseworker, served_negative):
    case = served_negative
    deadline = case.decisions.get(state="served", stage="cg").reconsideration_deadline
    url = reverse("casework:request_reconsideration", args=[case.reference])
    with time_machine.travel(timezone.now() + timedelta(days=45)):
        client.force_login(caseworker)
        assert f"The time to ask ended on {deadline:%-d %B %Y}" in client.get(url).content.decode()
        data = {"version": case.version, "grounds": ["guidance_not_followed"], "details": "Guidance not followed."}
        response = client.post(url, data)
        assert error_summary(response) == [
            f"The time to ask ended on {deadline:%-d %B %Y}: enter the exceptional circumstances for asking now"
        ]
        data["exceptional_circumstances"] = "The person was in hospital."
        assert client.post(url, data).status_code == 302
    assert case.reconsiderations.get().is_late


def test_a_manager_accepts_and_the_decision_is_made_again(client, manager, served_negative):
    case = served_negative
    client.force_login(manager)
    client.post(
        reverse("casework:request_reconsideration", args=[case.reference]),
        {"version": case.version, "grounds": ["new_evidence"], "details": "A new statement."},
    )
    case.refresh_from_db()
    reconsideration = case.reconsiderations.get()
    url = reverse("casework:decide_reconsideration", args=[case.reference, reconsideration.pk])
    assert "decide_reconsideration" in {a.name for a in client.get(case.get_absolute_url()).context["page"].actions}
    response = client.post(url, {"version": case.version, "answer": "accept"}, follow=True)
    assert messages_of(response) == ["Reconsideration accepted: the decision will be made again"]
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CG
    assert case.decisions.filter(state="served", stage="cg").count() == 1  # the earlier decision is kept


def test_declining_needs_reasons(client, manager, served_negative):
    case = served_negative
    client.force_login(manager)
    client.post(
        reverse("casework:request_reconsideration", args=[case.reference]),
        {"version": case.version, "grounds": ["new_evidence"], "details": "A new statement."},
    )
    case.refresh_from_db()
    reconsideration = case.reconsiderations.get()
    url = reverse("casework:decide_reconsideration", args=[case.reference, reconsideration.pk])
    response = client.post(url, {"version": case.version, "answer": "decline"})
    assert error_summary(response) == ["Enter why the reconsideration is declined"]
    data = {"version": case.version, "answer": "decline", "reasons": "The statement adds nothing new."}
    assert client.post(url, data).status_code == 302
    reconsideration.refresh_from_db()
    assert reconsideration.state == Reconsideration.State.DECLINED
    response = client.get(url)
    assert "This request has been declined" in response.content.decode()


def test_caseworkers_do_not_decide_reconsiderations(client, caseworker, served_negative):
    case = served_negative
    client.force_login(caseworker)
    client.post(
        reverse("casework:request_reconsideration", args=[case.reference]),
        {"version": case.version, "grounds": ["new_evidence"], "details": "A new statement."},
    )
    reconsideration = case.reconsiderations.get()
    url = reverse("casework:decide_reconsideration", args=[case.reference, reconsideration.pk])
    assert client.get(url).status_code == 404


@pytest.mark.parametrize(
    ("review_negative_rg", "expected"),
    [
        (True, "A negative decision is reviewed by a manager other than you before it is served."),
        (False, "A negative decision is served at once."),
    ],
)
def test_the_rg_form_says_what_the_policy_does_with_a_negative_decision(
    client, caseworker, case, review_negative_rg, expected
):
    Policy.objects.filter(nation=case.nation).update(review_negative_rg=review_negative_rg)
    client.force_login(caseworker)
    assert expected in client.get(rg_url(case)).content.decode()


@pytest.mark.parametrize("late", [False, True], ids=["in_time", "late"])
def test_the_staff_reconsideration_form_renders_without_logging_a_warning(
    client, caseworker, served_negative, caplog, late
):
    case = served_negative
    url = reverse("casework:request_reconsideration", args=[case.reference])
    with time_machine.travel(timezone.now() + timedelta(days=45 if late else 0)), caplog.at_level("DEBUG"):
        client.force_login(caseworker)
        page = client.get(url).content.decode()
        client.post(url, {"version": case.version, "details": "New medical evidence."})
    assert ("exceptional circumstances" in page) == late
    assert [record.getMessage() for record in caplog.records if record.levelno >= 30] == []
