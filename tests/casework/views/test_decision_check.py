"""A decision's check page (GOV.UK "check answers"): the answers and what recording them will do (outcome, who
gets the letter and is told, which dates start or stop), nothing recorded until "Confirm and serve"; "Change"
keeps the answers; the version is checked again at confirm; a warning when an information request to the first
responder is still open; and the case page's deadlines in words once decided."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from casework.deadlines import rg_lateness
from casework.models import Case, Policy, ReviewRoute
from casework.services import information_request_create
from tests.casework.views.helpers import answered_case, error_summary, messages_of
from tests.casework.views.test_case_views_decisions import REASONS, cg_url, decision_data, rg_url

pytestmark = pytest.mark.django_db


def form_answers(case, **extra) -> dict:
    """The decision form's own post: its answers, no confirmation."""
    return decision_data(case, confirm=None, **extra)


def hidden_fields(response) -> dict[str, list[str]]:
    """The check page's hidden fields, as the browser posts them back."""
    fields: dict[str, list[str]] = {}
    for name, value in re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', response.content.decode()):
        if name != "csrfmiddlewaretoken":
            fields.setdefault(name, []).append(unescape(value))
    return fields


def page_template(response) -> str:
    return response.templates[0].name


def text(response) -> str:
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", response.content.decode())))


def with_answers(case, **answers) -> None:
    referral = case.referral
    referral.answers = {**referral.answers, **answers}
    referral.save(update_fields=["answers"])


def test_a_valid_decision_shows_the_check_page_and_nothing_is_recorded_until_it_is_confirmed(client, caseworker, case):
    with_answers(case, first_name="Amina", last_name="Tesfaye", decision_recipient="person", contact_methods=["email"])
    with_answers(case, contact_email="amina@example.org", wants_support="yes")
    client.force_login(caseworker)
    response = client.post(rg_url(case), form_answers(case))
    assert response.status_code == 200
    assert page_template(response) == "casework/case/decision_check.html"
    page = text(response)
    assert "Check the reasonable grounds decision" in page
    assert "Positive: There are reasonable grounds to believe they are a victim of modern slavery" in page
    assert REASONS in page
    assert "Letter to Amina Tesfaye By email: amina@example.org" in page
    assert case.referral.organisation.name in page
    today = timezone.localdate()
    recovery = today + timedelta(days=Policy.for_case(case).recovery_days)
    assert f"Starts on {today:%-d %B %Y}, lasts until at least {recovery:%-d %B %Y}" in page
    assert "Reasonable grounds deadline Stops: due" in page
    assert re.search(r'<button type="submit" name="confirm"[^>]*>Confirm and serve</button>', response.content.decode())
    assert case.decisions.count() == 0

    response = client.post(rg_url(case), {**hidden_fields(response), "confirm": "1"}, follow=True)
    assert response.redirect_chain == [(case.get_absolute_url(), 302)]
    assert messages_of(response) == ["Positive reasonable grounds decision served: the letter is being prepared"]
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    assert timezone.localtime(case.recovery_ends_at).date() == recovery  # what the check page said
    assert case.decisions.get().reasons == REASONS


def test_the_answers_travel_in_the_form_never_in_the_url(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(rg_url(case), form_answers(case))
    html = response.content.decode()
    assert re.findall(r'<form method="post" action="([^"]*)"', html) == [rg_url(case)]
    assert set(re.findall(r'formaction="([^"#]*)#', html)) == {rg_url(case)}
    carried = hidden_fields(response)
    assert carried["reasons"] == [REASONS]
    assert carried["outcome"] == ["positive"]
    assert carried["version"] == [str(case.version)]


def test_change_shows_the_form_again_with_every_answer_filled_in(client, caseworker, case):
    client.force_login(caseworker)
    data = form_answers(case, outcome="negative")
    check = client.post(rg_url(case), data)
    assert page_template(check) == "casework/case/decision_check.html"
    assert 'formaction="' + rg_url(case) + '#id_reasons"' in check.content.decode()
    response = client.post(rg_url(case), {**hidden_fields(check), "change": "1"})
    assert response.status_code == 200
    assert page_template(response) == "casework/case/decision.html"
    assert error_summary(response) == []
    html = response.content.decode()
    assert re.search(r'value="negative"\s+checked', html)
    assert re.search(rf'value="{data["negative_reason"]}"\s+checked', html)
    checked = re.findall(r'<input\s+type="checkbox"\s+name="factors"[^>]*?value="([^"]+)"\s+checked', html)
    assert checked == data["factors"]
    assert REASONS in html
    assert f'name="decision_date_0" value="{data["decision_date_0"]}"' in html
    assert case.decisions.count() == 0
    # Changed, then checked again: the check page shows the new answer.
    changed = {**hidden_fields(check), "reasons": "Reasons written again after checking."}
    assert "Reasons written again after checking." in text(client.post(rg_url(case), changed))


def test_a_negative_decision_reviewed_first_says_so_and_serves_no_letter_yet(client, caseworker, case):
    Policy.objects.filter(nation=case.nation).update(
        review_negative_rg=True, negative_rg_review_route=ReviewRoute.SECOND_REVIEWER
    )
    client.force_login(caseworker)
    response = client.post(rg_url(case), form_answers(case, outcome="negative"))
    page = text(response)
    assert "is recorded but not served yet: it goes to a manager other than the decision maker for review" in page
    assert "Letter to" not in page
    assert ">Confirm and send for review</button>" in response.content.decode()
    response = client.post(rg_url(case), {**hidden_fields(response), "confirm": "1"}, follow=True)
    assert messages_of(response) == ["Negative reasonable grounds decision sent for review"]


def test_a_negative_decision_served_at_once_gives_the_reconsideration_window(client, caseworker, case):
    Policy.objects.filter(nation=case.nation).update(review_negative_rg=False)
    client.force_login(caseworker)
    page = text(client.post(rg_url(case), form_answers(case, outcome="negative")))
    until = timezone.localdate() + timedelta(days=Policy.for_case(case).reconsideration_window_days)
    assert f"Reconsideration Can be asked until {until:%-d %B %Y}" in page
    assert "Main reason for the negative decision" in page


def test_the_version_is_checked_again_when_the_decision_is_confirmed(client, caseworker, manager, case):
    client.force_login(caseworker)
    check = client.post(rg_url(case), form_answers(case))
    client.force_login(manager)
    client.post(reverse("casework:suspend", args=[case.reference]), {"version": case.version, "reason": "Missing."})
    client.force_login(caseworker)
    response = client.post(rg_url(case), {**hidden_fields(check), "confirm": "1"})
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this case while you were working on it")
    assert REASONS in response.content.decode()  # back on the form, nothing typed lost
    assert case.decisions.count() == 0


def test_a_refusal_is_shown_on_the_form_before_the_check_page(client, caseworker, case):
    client.force_login(caseworker)
    response = client.post(rg_url(case), form_answers(case, when=timezone.localdate() + timedelta(days=2)))
    assert page_template(response) == "casework/case/decision.html"
    assert error_summary(response) == ["The decision date must be today or in the past"]


def test_an_open_information_request_is_a_warning_on_the_form_and_the_check_page_not_a_block(client, caseworker, case):
    due = timezone.localdate() + timedelta(days=5)
    information_request_create(case_id=case.pk, actor=caseworker, question="Which town?", due_date=due)
    case.refresh_from_db()
    client.force_login(caseworker)
    warning = f"An information request to the first responder is still open (due {due:%-d %B %Y})"
    assert warning in text(client.get(rg_url(case)))
    check = client.post(rg_url(case), form_answers(case))
    assert warning in text(check)
    assert 'class="govuk-warning-text" data-testid="information-open"' in check.content.decode()
    response = client.post(rg_url(case), {**hidden_fields(check), "confirm": "1"})
    assert response.status_code == 302
    assert case.decisions.count() == 1


def test_without_an_open_information_request_there_is_no_warning(client, caseworker, case):
    client.force_login(caseworker)
    assert 'data-testid="information-open"' not in client.post(rg_url(case), form_answers(case)).content.decode()


def test_a_conclusive_grounds_decision_has_its_check_page_with_move_on_support(client, caseworker, manager):
    case = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
    client.force_login(caseworker)
    response = client.post(cg_url(case), form_answers(case))
    page = text(response)
    assert "Check the conclusive grounds decision" in page
    assert "Move-on support Until at least" in page
    response = client.post(cg_url(case), {**hidden_fields(response), "confirm": "1"})
    assert response.status_code == 302
    case.refresh_from_db()
    shown = re.search(r"Move-on support Until at least (\d+ \w+ \d{4})", page)[1]
    assert f"{timezone.localtime(case.support_ends_at):%-d %B %Y}" == shown


# The case page once decided ----------------------------------------------------------------------------------


def deadline_words(client, case) -> dict[str, str]:
    page = client.get(case.get_absolute_url()).context["page"]
    return {deadline.label: deadline.final for deadline in page.deadlines if not deadline.running}


def test_after_a_decision_within_target_the_case_page_says_so_never_not_running(client, caseworker, case):
    client.force_login(caseworker)
    client.post(rg_url(case), decision_data(case))
    case.refresh_from_db()
    today = timezone.localdate()
    assert deadline_words(client, case)["Reasonable grounds decision due"] == (
        f"Decided on {today:%-d %B}, within target"
    )
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Not running" not in html
    assert f"Decided on {today:%-d %B}, within target" in html


def test_a_late_decision_says_by_how_many_working_days(client, caseworker, case):
    due = timezone.now() - timedelta(days=14)
    Case.objects.filter(pk=case.pk).update(rg_due_at=due)
    case.refresh_from_db()
    client.force_login(caseworker)
    client.post(rg_url(case), decision_data(case))
    late = rg_lateness(due, timezone.localdate())
    assert late >= 8
    assert deadline_words(client, case)["Reasonable grounds decision due"] == (
        f"Decided on {timezone.localdate():%-d %B}, {late} working days late"
    )


def test_a_passed_deadline_of_a_closed_period_says_when_it_ended(client, caseworker, manager):
    case = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
    client.force_login(caseworker)
    words = deadline_words(client, case)
    assert words["Recovery period ends"] == f"Ended on {timezone.localtime(case.recovery_ends_at):%-d %B}"
    assert words["Reasonable grounds decision due"].startswith("Decided on ")


def test_a_withdrawn_case_says_why_its_deadline_stopped(client, caseworker, manager, case):
    client.force_login(manager)
    response = client.post(
        reverse("casework:withdraw", args=[case.reference]), {"version": case.version, "reason": "They asked."}
    )
    assert response.status_code == 302, error_summary(response)
    case.refresh_from_db()
    assert deadline_words(client, case)["Reasonable grounds decision due"] == "Stopped: the case was withdrawn"
