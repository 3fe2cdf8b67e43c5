"""The responder's draft: start, task list, saving pages, route changes, concurrent edits, scoping."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from referrals.models import Draft
from referrals.services import DraftChangedElsewhere, draft_create, draft_save_page
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    return UserFactory(role=Role.FIRST_RESPONDER)


@pytest.fixture
def draft(responder):
    return draft_create(actor=responder)


def page_url(draft, slug):
    return reverse("referrals:page", kwargs={"pk": draft.pk, "slug": slug})


def post_page(client, draft, slug, data, **extra):
    draft.refresh_from_db()
    return client.post(page_url(draft, slug), {"version": draft.version, **data, **extra})


def test_start_creates_a_draft_of_the_organisation_with_its_name_filled_in(client, responder):
    client.force_login(responder)
    response = client.post(reverse("referrals:start"))
    draft = Draft.objects.get()
    assert response.url == reverse("referrals:task_list", kwargs={"pk": draft.pk})
    assert draft.organisation == responder.organisation
    assert draft.answers["organisation"] == responder.organisation.name


def test_the_task_list_shows_what_cannot_start_until_the_age_is_known(client, responder, draft):
    client.force_login(responder)
    page = client.get(reverse("referrals:task_list", kwargs={"pk": draft.pk})).text
    assert "Referral details" in page
    assert "Cannot start yet" in page


def test_save_and_continue_saves_and_moves_on(client, responder, draft):
    client.force_login(responder)
    response = post_page(client, draft, "under-18", {"under_18": "no"})
    draft.refresh_from_db()
    assert draft.answers["under_18"] == "no"
    assert "under-18" in draft.answers["_visited"]
    assert response.url == page_url(draft, "child-during-exploitation")


def test_an_empty_save_and_continue_shows_the_error_summary(client, responder, draft):
    client.force_login(responder)
    response = post_page(client, draft, "under-18", {})
    assert response.status_code == 200
    assert "There is a problem" in response.text
    assert 'href="#under_18"' in response.text


def test_what_was_typed_is_kept_when_another_answer_is_wrong(client, responder, draft):
    client.force_login(responder)
    post_page(client, draft, "under-18", {"under_18": "yes"})
    response = post_page(
        client, draft, "local-authority", {"la_phone": "not a phone", "la_email": "council@example.gov.uk"}
    )
    assert response.status_code == 200
    assert 'value="council@example.gov.uk"' in response.text
    assert 'value="not a phone"' in response.text


def test_save_and_come_back_later_keeps_an_unfinished_page(client, responder, draft):
    client.force_login(responder)
    post_page(client, draft, "under-18", {"under_18": "yes"})
    response = post_page(client, draft, "local-authority", {"la_email": "council@example.gov.uk"}, save_and_return="1")
    assert response.url == reverse("referrals:list")
    draft.refresh_from_db()
    assert draft.answers["la_email"] == "council@example.gov.uk"


def test_a_route_change_says_which_answers_no_longer_apply(client, responder, draft):
    client.force_login(responder)
    post_page(client, draft, "under-18", {"under_18": "yes"})
    post_page(
        client,
        draft,
        "local-authority",
        {"la_name": "Leeds City Council", "la_phone": "0113 222 4444", "la_email": "team@leeds.gov.uk"},
    )
    response = post_page(client, draft, "under-18", {"under_18": "no"}, follow=False)
    messages = [str(m) for m in response.wsgi_request._messages]
    assert any("no longer apply" in message for message in messages), messages
    assert any("local authority" in message.lower() for message in messages), messages


def test_a_stale_page_never_overwrites_a_colleagues_save(client, responder, draft):
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
    opened_version = draft.version
    draft_save_page(
        draft_id=draft.pk, actor=colleague, page_slug="under-18", page_answers={"under_18": "no"},
        expected_version=opened_version,
    )  # fmt: skip
    with pytest.raises(DraftChangedElsewhere):
        draft_save_page(
            draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"},
            expected_version=opened_version,
        )  # fmt: skip
    client.force_login(responder)
    response = client.post(page_url(draft, "under-18"), {"version": opened_version, "under_18": "yes"})
    assert response.status_code == 200
    assert "changed this draft while you were editing" in response.text
    assert 'value="yes" checked' in response.text  # what this responder chose is still on the page
    draft.refresh_from_db()
    assert draft.answers["under_18"] == "no"


def test_a_colleague_of_the_same_organisation_can_continue_a_draft(client, responder, draft):
    colleague = UserFactory(role=Role.FIRST_RESPONDER, organisation=responder.organisation)
    client.force_login(colleague)
    assert client.get(reverse("referrals:task_list", kwargs={"pk": draft.pk})).status_code == 200


@pytest.mark.parametrize("name", ["task_list", "check", "delete"])
def test_another_organisations_responder_gets_404(client, draft, name):
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert client.get(reverse(f"referrals:{name}", kwargs={"pk": draft.pk})).status_code == 404
    assert client.post(page_url(draft, "under-18"), {"version": 1, "under_18": "no"}).status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.PANEL_MEMBER, Role.ANALYST, Role.ADMIN])
def test_staff_cannot_open_or_edit_drafts(client, settings, draft, role):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("referrals:task_list", kwargs={"pk": draft.pk})).status_code == 404
    assert client.post(page_url(draft, "under-18"), {"version": 1, "under_18": "no"}).status_code == 404
    assert client.post(reverse("referrals:start")).status_code == 404


def test_an_unknown_page_is_not_found_and_a_page_of_another_route_is_refused(client, responder, draft):
    client.force_login(responder)
    assert client.get(page_url(draft, "no-such-page")).status_code == 404
    post_page(client, draft, "under-18", {"under_18": "no"})
    response = client.get(page_url(draft, "local-authority"))  # the child route's page
    assert response.status_code == 302


def test_deleting_a_draft_needs_confirmation(client, responder, draft):
    client.force_login(responder)
    assert "Are you sure" in client.get(reverse("referrals:delete", kwargs={"pk": draft.pk})).text
    client.post(reverse("referrals:delete", kwargs={"pk": draft.pk}))
    assert not Draft.objects.filter(pk=draft.pk).exists()


@pytest.mark.parametrize("version", ["abc", "²", "\u0661", "1\x00"])
def test_a_forged_or_garbled_version_is_treated_as_stale(client, responder, draft, version):
    client.force_login(responder)
    response = client.post(page_url(draft, "under-18"), {"version": version, "under_18": "no"})
    assert response.status_code in (200, 400, 409)
    draft.refresh_from_db()
    assert "under_18" not in draft.answers


def test_after_sending_the_draft_pages_lead_to_the_confirmation(client, responder):
    from referrals.demo_answers import complete_answers
    from referrals.models import Route
    from referrals.services import referral_submit

    draft = draft_create(actor=responder)
    Draft.objects.filter(pk=draft.pk).update(
        answers=complete_answers(Route.ADULT, organisation_name=responder.organisation.name)
    )
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    client.force_login(responder)
    confirmation = reverse("referrals:confirmation", kwargs={"reference": referral.reference})
    for url in (
        reverse("referrals:task_list", kwargs={"pk": draft.pk}),
        reverse("referrals:check", kwargs={"pk": draft.pk}),
        reverse("referrals:delete", kwargs={"pk": draft.pk}),
        page_url(draft, "under-18"),
    ):
        assert client.get(url).url == confirmation, url
