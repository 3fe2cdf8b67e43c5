"""Sending a referral: exactly once (also under concurrency), its reference, typed columns, case and notification;
the send, confirmation, PDF, prompt sheet and feedback pages, and who may see them."""

import io
import re
import threading
from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from casework.models import Case
from notifications.models import Notification
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Referral, ReferralFeedback, Route
from referrals.questions import QUESTIONNAIRE
from referrals.services import (
    DraftChangedElsewhere,
    ReferralIncomplete,
    draft_create,
    draft_save_page,
    referral_submit,
)
from referrals.services.drafts import DraftNotEditable
from tests.factories import UserFactory

NRM_REFERENCE = re.compile(r"^NRM-\d{4}-\d{6}$")
DTN_REFERENCE = re.compile(r"^DTN-\d{4}-\d{6}$")
STAFF_ROLES = [Role.CASEWORKER, Role.MANAGER, Role.PANEL_MEMBER, Role.SUPPORT_PROVIDER, Role.ANALYST]


@pytest.fixture
def responder(db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    return UserFactory(role=Role.FIRST_RESPONDER)


def complete_draft(responder, route: Route, *, seed: int = 0, **changes) -> Draft:
    """A draft of the responder's organisation with every answer of the route given."""
    draft = draft_create(actor=responder)
    answers = complete_answers(route, organisation_name=responder.organisation.name, seed=seed)
    answers.update(changes)
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    draft.refresh_from_db()
    return draft


def pdf_text(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


# --- the service ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("route", [Route.CHILD, Route.ADULT])
def test_an_nrm_referral_is_sent_with_its_case_and_one_notification(responder, route):
    draft = complete_draft(responder, route)
    referral = referral_submit(draft_id=draft.pk, actor=responder)

    assert NRM_REFERENCE.match(referral.reference)
    assert referral.reference[4:8] == str(timezone.localtime(referral.submitted_at).year)
    assert referral.route == route
    assert referral.organisation == responder.organisation
    assert referral.submitted_by == responder
    assert referral.is_child == (route == Route.CHILD)
    case = Case.objects.get(referral=referral)
    assert case.status == Case.Status.AWAITING_RG
    assert case.rg_due_at > referral.submitted_at
    notification = Notification.objects.get(recipient=responder)
    assert notification.kind == Notification.Kind.REFERRAL_SUBMITTED
    assert notification.reference == referral.reference
    assert notification.subject == referral
    draft.refresh_from_db()
    assert draft.submitted_at == referral.submitted_at
    with pytest.raises(DraftNotEditable):
        draft_save_page(
            draft_id=draft.pk,
            actor=responder,
            page_slug="background",
            page_answers={"family": "changed"},
            expected_version=draft.version,
        )


def test_a_duty_to_notify_has_its_own_reference_and_no_case(responder):
    draft = complete_draft(responder, Route.DUTY_TO_NOTIFY, cooperate_with_authorities="no")
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    assert DTN_REFERENCE.match(referral.reference)
    assert referral.route == Route.DUTY_TO_NOTIFY
    assert not Case.objects.filter(referral=referral).exists()
    assert Notification.objects.filter(recipient=responder, reference=referral.reference).count() == 1
    assert referral.is_child is False
    assert referral.person_name_key == ""  # no name without cooperation
    assert "first_name" not in referral.answers


def test_the_typed_columns_come_from_the_answers(responder):
    draft = complete_draft(
        responder,
        Route.ADULT,
        first_name="  Ana ",
        last_name="Maria  POPESCU",
        date_of_birth="1990-03-07",
        gender="female",
        nationality="Romanian",
        second_nationality="Albanian",
        child_during_exploitation="not_sure",
        exploitation_types=["wages_taken", "forced_prostitution", "domestic_servitude", "forced_labour"],
        home_office_reference_held="yes",
        home_office_reference_type="Home Office reference",
        home_office_reference="p 123 4567",
        responder_reference="CR/26/1234",
        nation="wales",
    )
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    assert referral.responder_reference == "CR/26/1234"
    assert referral.nation == "wales"
    assert referral.is_child is False
    assert referral.child_at_exploitation == "not_sure"
    assert referral.gender == "female"
    assert referral.nationalities == ["Romanian", "Albanian"]
    assert referral.exploitation_types == ["labour", "sexual", "domestic"]  # the statistics groups, once each
    assert referral.exploited_in == draft.answers["exploited_in"]
    assert referral.person_name_key == "ana maria popescu"
    assert referral.date_of_birth == date(1990, 3, 7)
    assert referral.home_office_reference == "P1234567"


def test_a_child_referral_records_the_child_at_exploitation(responder):
    referral = referral_submit(draft_id=complete_draft(responder, Route.CHILD, under_18="yes").pk, actor=responder)
    assert referral.is_child is True
    assert referral.child_at_exploitation == "yes"


def test_answers_of_a_route_not_taken_are_not_sent(responder):
    leftover = {"la_name": "Birmingham City Council", "la_phone": "+441214960000", "no_consent_reason": "Afraid"}
    draft = complete_draft(responder, Route.ADULT, **leftover)
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    for key in [*leftover, "_visited"]:
        assert key not in referral.answers
    assert referral.answers["first_name"] == draft.answers["first_name"]


def test_an_incomplete_draft_is_refused_with_what_is_missing(responder):
    draft = draft_create(actor=responder)
    draft.answers.update(under_18="yes", _visited=["under-18"])
    draft.save()
    with pytest.raises(ReferralIncomplete) as refused:
        referral_submit(draft_id=draft.pk, actor=responder)
    assert {"la_name", "la_phone", "la_email", "nation", "birth_country"} <= set(refused.value.keys)
    assert not Referral.objects.exists()
    draft.refresh_from_db()
    assert draft.submitted_at is None


def test_a_second_send_returns_the_same_referral(responder):
    draft = complete_draft(responder, Route.ADULT)
    first = referral_submit(draft_id=draft.pk, actor=responder)
    assert referral_submit(draft_id=draft.pk, actor=responder) == first
    assert Referral.objects.count() == 1
    assert Case.objects.count() == 1
    assert Notification.objects.count() == 1


def test_answers_changed_since_the_check_page_are_not_sent_unseen(responder):
    draft = complete_draft(responder, Route.ADULT)
    with pytest.raises(DraftChangedElsewhere):
        referral_submit(draft_id=draft.pk, actor=responder, expected_version=draft.version - 1)
    assert referral_submit(draft_id=draft.pk, actor=responder, expected_version=draft.version)


def test_only_a_responder_of_the_drafts_organisation_may_send_it(responder):
    draft = complete_draft(responder, Route.ADULT)
    for outsider in (UserFactory(role=Role.FIRST_RESPONDER), UserFactory(role=Role.CASEWORKER)):
        with pytest.raises(PermissionDenied):
            referral_submit(draft_id=draft.pk, actor=outsider)
    assert not Referral.objects.exists()


def test_concurrent_sends_of_one_draft_make_exactly_one_referral_case_and_notification(transactional_db, project_data):
    """Six threads on their own connections: the project data (reference lists, policies, the SCA) is loaded
    again and committed, as an earlier committing test has flushed it."""
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = complete_draft(responder, Route.ADULT, seed=5)
    senders = 6
    barrier = threading.Barrier(senders)
    sent: list[int] = []
    errors: list[BaseException] = []

    def send():
        try:
            barrier.wait(timeout=10)
            sent.append(referral_submit(draft_id=draft.pk, actor=responder).pk)
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(senders)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert errors == []
    assert len(sent) == senders
    assert len(set(sent)) == 1
    assert Referral.objects.filter(draft=draft).count() == 1
    assert Case.objects.filter(referral__draft=draft).count() == 1
    assert Notification.objects.filter(recipient=responder, kind=Notification.Kind.REFERRAL_SUBMITTED).count() == 1


# --- the pages ------------------------------------------------------------------------------------------------


def send(client, draft, **data):
    return client.post(
        reverse("referrals:send", kwargs={"pk": draft.pk}), {"declaration": "yes", "version": draft.version, **data}
    )


def test_the_check_page_offers_the_declaration_and_the_send_button(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    client.force_login(responder)
    page = client.get(reverse("referrals:check", kwargs={"pk": draft.pk})).text
    assert 'action="{}"'.format(reverse("referrals:send", kwargs={"pk": draft.pk})) in page
    assert 'name="declaration"' in page
    assert "the person was told how their information will be used" in page
    assert "Accept and send report" in page
    assert 'data-prevent-double-click="true"' in page


def test_sending_without_the_declaration_shows_the_error(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    client.force_login(responder)
    response = send(client, draft, declaration="")
    assert response.status_code == 200
    page = response.text
    assert "There is a problem" in page
    assert page.index("There is a problem") < page.index("Check your answers before sending")
    assert 'href="#declaration"' in page
    assert "Confirm that the details are correct and that the person was told how" in page
    assert "govuk-form-group--error" in page
    assert not Referral.objects.exists()


def test_sending_an_incomplete_draft_lists_each_missing_answer_with_a_link(client, responder):
    draft = draft_create(actor=responder)
    draft.answers.update(under_18="yes", _visited=["under-18"])
    draft.save()
    client.force_login(responder)
    response = send(client, draft)
    assert response.status_code == 200
    assert "Answer these before you send" in response.text
    link = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "local-authority"}) + "?return=check#la_name"
    assert link in response.text
    assert not Referral.objects.exists()


def test_sending_answers_changed_by_a_colleague_asks_to_check_again(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    client.force_login(responder)
    response = client.post(
        reverse("referrals:send", kwargs={"pk": draft.pk}), {"declaration": "yes", "version": draft.version - 1}
    )
    assert response.status_code == 200
    assert "changed this referral after you opened this page" in response.text
    assert not Referral.objects.exists()


def test_sending_leads_to_the_confirmation_and_a_repost_to_the_same_one(client, responder):
    draft = complete_draft(responder, Route.CHILD)
    client.force_login(responder)
    response = send(client, draft)
    referral = Referral.objects.get()
    confirmation_url = reverse("referrals:confirmation", kwargs={"reference": referral.reference})
    assert response.status_code == 302
    assert response.url == confirmation_url
    assert send(client, draft).url == confirmation_url  # the back button and a re-post
    assert Referral.objects.count() == 1
    page = client.get(confirmation_url).text
    assert "NRM referral sent" in page
    assert referral.reference in page
    assert "Reasonable Grounds decision within 5 working days" in page
    assert reverse("referrals:pdf", kwargs={"reference": referral.reference}) in page
    assert reverse("referrals:feedback", kwargs={"reference": referral.reference}) in page
    assert "possible earlier referral" not in page


def test_the_confirmation_promises_an_email_rather_than_saying_one_was_sent(client, responder):
    """The email goes from a worker after the referral commits: minutes later when Redis is down."""
    referral = referral_submit(draft_id=complete_draft(responder, Route.ADULT).pk, actor=responder)
    client.force_login(responder)
    page = client.get(reverse("referrals:confirmation", kwargs={"reference": referral.reference})).text
    assert "We will email you to confirm" in page
    assert "We have sent you an email" not in page


def test_a_duty_to_notify_confirmation_says_it_is_shared_with_the_police(client, responder):
    referral = referral_submit(draft_id=complete_draft(responder, Route.DUTY_TO_NOTIFY).pk, actor=responder)
    client.force_login(responder)
    page = client.get(reverse("referrals:confirmation", kwargs={"reference": referral.reference})).text
    assert "Duty to Notify sent" in page
    assert "shared with the police" in page
    assert "Reasonable Grounds" not in page


def test_a_possible_duplicate_is_mentioned_without_naming_the_other_referral(client, responder):
    same_person = {"first_name": "Ana", "last_name": "Popescu", "date_of_birth": "1990-03-07"}
    other_responder = UserFactory(role=Role.FIRST_RESPONDER)
    earlier = referral_submit(
        draft_id=complete_draft(other_responder, Route.ADULT, seed=1, **same_person).pk, actor=other_responder
    )
    referral = referral_submit(
        draft_id=complete_draft(responder, Route.ADULT, seed=2, **same_person).pk, actor=responder
    )
    client.force_login(responder)
    page = client.get(reverse("referrals:confirmation", kwargs={"reference": referral.reference})).text
    assert "We found a possible earlier referral of the same person. A caseworker will check it." in page
    assert earlier.reference not in page
    assert other_responder.organisation.name not in page


def test_the_pdf_copy_has_every_answer_and_the_reference_on_each_page(client, responder):
    draft = complete_draft(responder, Route.ADULT, seed=3)
    referral = referral_submit(draft_id=draft.pk, actor=responder)
    client.force_login(responder)
    response = client.get(reverse("referrals:pdf", kwargs={"reference": referral.reference}))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == f'attachment; filename="{referral.reference}.pdf"'
    assert "no-store" in response["Cache-Control"]
    assert "private" in response["Cache-Control"]
    pages = pdf_text(response.content)
    assert len(pages) > 1
    assert all(referral.reference in page for page in pages)
    text = " ".join(pages)
    assert "Change" not in text
    for section in ("Referral details", "About the person", "Your details"):
        assert section in text
    assert f"{draft.answers['first_name']}" in text
    assert draft.answers["last_name"] in text
    assert " ".join(draft.answers["how_it_started"].split()[:6]) in text


def test_the_prompt_sheet_has_every_section_and_when_pages_apply(client, responder):
    client.force_login(responder)
    response = client.get(reverse("referrals:prompt_sheet"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = " ".join(pdf_text(response.content))
    for section in QUESTIONNAIRE.sections:
        assert section.title in text
    assert "Asked on the child route" in text
    assert "Does the person consent to being referred to the NRM?" in text
    assert "Forced to work for nothing or almost nothing" in text


def test_feedback_is_asked_stored_and_can_be_given_again(client, responder):
    referral = referral_submit(draft_id=complete_draft(responder, Route.ADULT).pk, actor=responder)
    client.force_login(responder)
    url = reverse("referrals:feedback", kwargs={"reference": referral.reference})
    page = client.get(url).text
    assert "Overall, how did you feel about the service you received today?" in page
    assert "How could we improve this service?" in page

    refused = client.post(url, {"improvements": "x" * 1201})
    assert "Select how you felt about the service you received today" in refused.text
    assert "1,200 characters or fewer" in refused.text
    assert ("x" * 1201) in refused.text  # what was typed is kept

    response = client.post(url, {"satisfaction": "4", "improvements": "Faster please"})
    assert response.status_code == 302
    assert response.url == url
    feedback = ReferralFeedback.objects.get(referral=referral)
    assert (feedback.satisfaction, feedback.improvements) == (ReferralFeedback.Satisfaction.SATISFIED, "Faster please")
    thanks = client.get(url).text
    assert "Thank you for your feedback" in thanks
    assert reverse("referrals:list") in thanks

    client.post(url, {"satisfaction": "5"})
    assert ReferralFeedback.objects.get(referral=referral).satisfaction == ReferralFeedback.Satisfaction.VERY_SATISFIED
    assert ReferralFeedback.objects.count() == 1


def test_another_organisations_responder_gets_not_found(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    sent = referral_submit(draft_id=complete_draft(responder, Route.CHILD, seed=1).pk, actor=responder)
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert send(client, draft).status_code == 404
    draft_of_sent = Draft.objects.get(referral=sent)
    assert send(client, draft_of_sent).status_code == 404
    for name in ("confirmation", "pdf", "feedback"):
        assert client.get(reverse(f"referrals:{name}", kwargs={"reference": sent.reference})).status_code == 404
    assert (
        client.post(
            reverse("referrals:feedback", kwargs={"reference": sent.reference}), {"satisfaction": "5"}
        ).status_code
        == 404
    )
    assert not Referral.objects.filter(draft=draft).exists()
    assert not ReferralFeedback.objects.exists()


@pytest.mark.parametrize("role", STAFF_ROLES)
def test_staff_roles_get_not_found(client, responder, role):
    draft = complete_draft(responder, Route.ADULT)
    sent = referral_submit(draft_id=complete_draft(responder, Route.CHILD, seed=1).pk, actor=responder)
    client.force_login(UserFactory(role=role))
    assert send(client, draft).status_code == 404
    for name in ("confirmation", "pdf", "feedback"):
        assert client.get(reverse(f"referrals:{name}", kwargs={"reference": sent.reference})).status_code == 404
    assert client.get(reverse("referrals:prompt_sheet")).status_code == 404
    assert not Referral.objects.filter(draft=draft).exists()


def test_sending_needs_a_post(client, responder):
    draft = complete_draft(responder, Route.ADULT)
    client.force_login(responder)
    assert client.get(reverse("referrals:send", kwargs={"pk": draft.pk})).status_code == 405


@pytest.mark.parametrize("version", ["²", "\u0661", "abc"])
def test_sending_with_an_unreadable_version_asks_to_check_again(client, responder, version):
    draft = complete_draft(responder, Route.ADULT)
    client.force_login(responder)
    response = client.post(
        reverse("referrals:send", kwargs={"pk": draft.pk}), {"declaration": "yes", "version": version}
    )
    assert response.status_code == 200
    assert "changed this referral after you opened this page" in response.text
    assert not Referral.objects.exists()
