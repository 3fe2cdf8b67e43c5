"""Working through the referral in order: the last page of a task leads to the next task, the task list stays one
link away, a Duty to Notify is asked only what it needs, and a child's automatic referral shows on the check."""

import re

import pytest
from django.urls import reverse

from accounts.roles import Role
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Route
from referrals.services import draft_create
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder(settings, client):
    settings.NRM_REQUIRE_STAFF_MFA = False
    user = UserFactory(role=Role.FIRST_RESPONDER)
    client.force_login(user)
    return user


def draft_with(responder, answers: dict) -> Draft:
    draft = draft_create(actor=responder)
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    draft.refresh_from_db()
    return draft


def complete_draft(responder, route: Route, *, not_visited: tuple[str, ...] = (), **changes) -> Draft:
    """Every answer of the route given, every page seen but `not_visited`."""
    answers = {**complete_answers(route, organisation_name=responder.organisation.name, seed=1), **changes}
    answers["_visited"] = [slug for slug in answers["_visited"] if slug not in not_visited]
    return draft_with(responder, answers)


def page_url(draft, slug):
    return reverse("referrals:page", kwargs={"pk": draft.pk, "slug": slug})


def save(client, draft, slug, data=None, query=""):
    """ "Save and continue" on a page with the answers it holds (and `data`)."""
    page = client.get(page_url(draft, slug) + query)
    assert page.status_code == 200
    draft.refresh_from_db()
    posted = {name: value for name, value in page.context["form"].initial.items() if value not in (None, "")}
    return client.post(page_url(draft, slug) + query, {"version": draft.version, **posted, **(data or {})})


def test_the_last_page_of_a_task_leads_to_the_first_page_of_the_next_task(client, responder):
    draft = draft_with(responder, {"under_18": "yes", "_visited": ["under-18"]})
    response = save(
        client,
        draft,
        "local-authority",
        {"la_name": "Leeds City Council", "la_phone": "0113 222 4444", "la_email": "children@leeds.example.org"},
    )
    # The consent does not apply to a child: on to the background.
    assert response.url == page_url(draft, "background")


def test_the_next_task_is_the_next_one_not_yet_done_and_after_the_last_the_task_list(client, responder):
    draft = complete_draft(responder, Route.ADULT, not_visited=("police",))
    assert save(client, draft, "background").url == page_url(draft, "police")
    assert save(client, draft, "police").url == reverse("referrals:task_list", kwargs={"pk": draft.pk})


def test_a_change_from_check_your_answers_returns_there(client, responder):
    draft = complete_draft(responder, Route.ADULT, not_visited=("police",))
    response = save(client, draft, "background", query="?return=check")
    assert response.url == reverse("referrals:check", kwargs={"pk": draft.pk})


def test_every_question_page_links_to_the_task_list_but_a_change_from_the_check(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    task_list = reverse("referrals:task_list", kwargs={"pk": draft.pk})
    for slug in ("referral-details", "person", "evidence"):
        assert f'href="{task_list}">Go to the task list</a>' in client.get(page_url(draft, slug)).text, slug
    assert "Go to the task list" not in client.get(page_url(draft, "person") + "?return=check").text


def test_a_page_of_several_questions_has_one_h1_and_a_label_or_legend_for_each(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    html = client.get(page_url(draft, "person")).text
    assert re.findall(r"<h1[^>]*>(.*?)</h1>", html, re.S) == ["The person"]
    for label in ("First name", "Last name", "What is their date of birth?", "What is their gender?"):
        assert label in html


def test_the_consent_page_has_one_h1_and_explains_in_short_paragraphs_and_a_list_under_headings(client, responder):
    draft = draft_with(responder, {"under_18": "no", "_visited": ["under-18"]})
    html = client.get(page_url(draft, "consent")).text
    assert len(re.findall(r"<h1", html)) == 1
    headings = re.findall(r'<h2 class="govuk-heading-m">(.*?)</h2>', html)
    assert headings[:4] == [
        "What the NRM is",
        "What happens if they are referred",
        "How their information is used",
        "If they do not consent",
    ]
    assert '<ul class="govuk-list govuk-list--bullet">' in html
    assert "Does the person consent to being referred to the NRM?" in html


def test_a_childs_check_your_answers_shows_the_automatic_referral_without_a_change_link(client, responder):
    draft = complete_draft(responder, Route.CHILD)
    html = client.get(reverse("referrals:check", kwargs={"pk": draft.pk})).text
    consent_row = r'<div class="govuk-summary-list__row">\s*<dt[^>]*>Consent to an NRM referral</dt>(.*?)</div>'
    row = re.search(consent_row, html, re.S)
    assert row, "no consent row"
    assert "Automatic referral (no consent needed)" in row[1]
    assert "Change" not in row[1]


def test_a_duty_to_notify_is_asked_only_what_the_live_service_asks(client, responder):
    duty_to_notify = complete_draft(responder, Route.DUTY_TO_NOTIFY)
    adult = complete_draft(responder, Route.ADULT)
    for draft, asked in ((duty_to_notify, False), (adult, True)):
        risk = client.get(page_url(draft, "risk")).text
        police = client.get(page_url(draft, "police")).text
        person = client.get(page_url(draft, "person")).text
        assert ('name="immediate_safeguarding_needs"' in risk) is asked
        assert ('name="willing_to_cooperate"' in police) is asked
        assert ('name="date_of_birth-day"' in person) is asked
        assert ('name="nickname"' in person) is asked
        assert 'name="gender"' in person


# The session, the user and their organisation, the draft, the unread notifications; the reference lists come
# from the cache once read.
QUESTION_PAGE_QUERIES = 4


@pytest.mark.parametrize("slug", ["referral-details", "person", "locations", "exploitation-types"])
def test_a_question_page_makes_the_same_few_queries_whatever_its_questions(
    client, responder, django_assert_num_queries, slug
):
    draft = complete_draft(responder, Route.ADULT)
    client.get(page_url(draft, slug))  # reads the reference lists into the cache
    with django_assert_num_queries(QUESTION_PAGE_QUERIES):
        assert client.get(page_url(draft, slug)).status_code == 200
