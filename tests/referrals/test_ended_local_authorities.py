"""Local authorities abolished in a reorganisation (Allerdale into Cumberland, Aylesbury Vale into
Buckinghamshire) carry the day they ended: a new answer cannot take them, but a referral that already names one
keeps it on its pages, check your answers, the PDF copy and the case page."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from casework.services import single_competent_authority
from referrals.demo_answers import complete_answers
from referrals.documents import referral_copy_pdf
from referrals.models import Draft, LocalAuthority, Route
from referrals.page_forms import PageForm
from referrals.questions import QUESTIONNAIRE
from referrals.reference_lists import is_reference_value, reference_choices, reference_names
from referrals.services import draft_create, referral_submit
from tests.factories import UserFactory
from tests.security.world import sign_in

pytestmark = pytest.mark.django_db

ALLERDALE = "Allerdale Borough Council"
AYLESBURY_VALE = "Aylesbury Vale District Council"
CUMBERLAND = "Cumberland Council"


@pytest.fixture
def responder():
    return UserFactory(role=Role.FIRST_RESPONDER)


def la_page():
    """The page that asks which local authority's children's services were contacted (found by its question, so
    that a page's slug may change)."""
    return next(
        page
        for section in QUESTIONNAIRE.sections
        for page in section.pages
        if any(question.key == "la_name" for question in page.questions)
    )


def posted(page, answers: dict, la_name: str) -> PageForm:
    data = {**answers, "la_name": la_name}
    form = PageForm(
        {key: value for key, value in data.items() if isinstance(value, str)},
        questionnaire=QUESTIONNAIRE,
        page=page,
        answers=answers,
        require_answers=False,
    )
    form.is_valid()
    return form


def test_the_councils_abolished_in_the_reorganisations_carry_their_end_date():
    ended = dict(LocalAuthority.objects.exclude(ended_on=None).values_list("name", "ended_on"))
    assert ended[ALLERDALE] == date(2023, 4, 1)
    assert ended["Selby District Council"] == date(2023, 4, 1)
    assert ended["Mendip District Council"] == date(2023, 4, 1)
    assert ended[AYLESBURY_VALE] == date(2020, 4, 1)
    assert ended["Wellingborough Borough Council"] == date(2021, 4, 1)
    assert ended["Waveney District Council"] == date(2019, 4, 1)
    assert ended["Limavady Borough Council"] == date(2015, 4, 1)
    assert len(ended) == 68
    # The councils that replaced them, and those that were never reorganised, are offered.
    for name in (CUMBERLAND, "Westmorland and Furness Council", "Buckinghamshire Council", "Dorset Council"):
        assert LocalAuthority.objects.get(name=name).ended_on is None
    assert LocalAuthority.objects.get(name=ALLERDALE).history.latest().history_change_reason == (
        "Abolished in a reorganisation"
    )


def test_an_ended_council_is_not_offered_or_accepted_for_a_new_answer():
    names = reference_names("local_authorities")
    assert CUMBERLAND in names
    assert ALLERDALE not in names
    assert AYLESBURY_VALE not in names
    assert ALLERDALE not in dict(reference_choices("local_authorities"))
    assert not is_reference_value("local_authorities", ALLERDALE)
    assert is_reference_value("local_authorities", CUMBERLAND)


def test_an_answer_already_held_stays_on_offer_and_valid():
    choices = dict(reference_choices("local_authorities", kept=[ALLERDALE]))
    assert ALLERDALE in choices
    assert AYLESBURY_VALE not in choices
    assert list(choices) == sorted(choices, key=str.casefold)
    assert is_reference_value("local_authorities", ALLERDALE, kept=[ALLERDALE])
    assert not is_reference_value("local_authorities", AYLESBURY_VALE, kept=[ALLERDALE])
    assert not is_reference_value("local_authorities", "Atlantis Council", kept=["Atlantis Council"])


def test_a_council_ending_later_is_offered_until_its_day():
    LocalAuthority.objects.filter(name=CUMBERLAND).update(ended_on=timezone.localdate() + timedelta(days=1))
    assert is_reference_value("local_authorities", CUMBERLAND)
    LocalAuthority.objects.filter(name=CUMBERLAND).update(ended_on=timezone.localdate())
    assert not is_reference_value("local_authorities", CUMBERLAND)


def test_the_page_refuses_an_ended_council_for_a_new_answer():
    page = la_page()
    answers = complete_answers(Route.CHILD, organisation_name="Testshire Police")
    answers.pop("la_name", None)
    form = posted(page, answers, ALLERDALE)
    assert "la_name" in form.errors
    assert ALLERDALE not in dict(form.fields["la_name"].choices)
    assert posted(page, answers, CUMBERLAND).errors.get("la_name") is None


def test_the_page_keeps_an_ended_council_the_draft_already_holds_but_will_not_swap_it_for_another():
    page = la_page()
    answers = {**complete_answers(Route.CHILD, organisation_name="Testshire Police"), "la_name": ALLERDALE}
    form = posted(page, answers, ALLERDALE)
    assert form.errors.get("la_name") is None
    assert form.page_answers["la_name"] == ALLERDALE
    assert ALLERDALE in dict(form.fields["la_name"].choices)
    assert "la_name" in posted(page, answers, AYLESBURY_VALE).errors


def test_a_referral_naming_an_ended_council_shows_it_on_check_your_answers_the_pdf_and_the_case_page(client, responder):
    draft = draft_create(actor=responder)
    answers = {**complete_answers(Route.CHILD, organisation_name=responder.organisation.name), "la_name": ALLERDALE}
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    sign_in(client, responder)
    check = client.get(reverse("referrals:check", kwargs={"pk": draft.pk}))
    assert check.status_code == 200
    assert ALLERDALE in check.text

    referral = referral_submit(draft_id=draft.pk, actor=responder)
    pdf_text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(referral_copy_pdf(referral))).pages)
    assert ALLERDALE in " ".join(pdf_text.split())

    caseworker = UserFactory(role=Role.CASEWORKER, organisation=single_competent_authority())
    sign_in(client, caseworker)
    case_page = client.get(reverse("casework:case", kwargs={"reference": referral.reference}))
    assert case_page.status_code == 200
    assert ALLERDALE in case_page.text


def test_the_admin_lists_the_end_dates_and_filters_on_them(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = True
    sign_in(client, UserFactory(role=Role.ADMIN))
    url = reverse("admin:referrals_localauthority_changelist")
    ended = client.get(url, {"ended_on__isempty": "0"}).content.decode()
    assert "column-ended_on" in ended
    assert ALLERDALE in ended
    assert re.search(r"1 Apr\w*\.? 2023", ended)
    assert CUMBERLAND not in ended
    current = client.get(url, {"ended_on__isempty": "1", "q": "Cumb"}).content.decode()
    assert CUMBERLAND in current
    assert ALLERDALE not in current
