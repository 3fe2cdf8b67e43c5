"""The referral copy and the prompt sheet: generated from the declaration, so they hold every answer and every
question; what a user typed stays text."""

import io

import pytest
from pypdf import PdfReader

from accounts.roles import Role
from referrals.demo_answers import complete_answers
from referrals.documents import prompt_sheet_pdf, prompt_sheet_sections, referral_copy_filename, referral_copy_pdf
from referrals.models import Draft, EvidenceFile, Route
from referrals.questions import QUESTIONNAIRE
from referrals.services import draft_create, referral_submit
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def responder():
    return UserFactory(role=Role.FIRST_RESPONDER, full_name="Sarah Collins")


def sent_referral(responder, route: Route, *, seed: int = 0, **changes):
    draft = draft_create(actor=responder)
    answers = complete_answers(route, organisation_name=responder.organisation.name, seed=seed)
    answers.update(changes)
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    return referral_submit(draft_id=draft.pk, actor=responder)


def pages_of(content: bytes) -> list[str]:
    return [" ".join(page.extract_text().split()) for page in PdfReader(io.BytesIO(content)).pages]


def test_the_copy_holds_every_answer_and_its_evidence_with_the_reference_and_time_on_each_page(responder):
    referral = sent_referral(responder, Route.CHILD, seed=4, family="<script>alert('x')</script> & <b>family</b>")
    EvidenceFile.objects.create(
        draft=referral.draft,
        file="evidence/not-read",
        original_name="statement.pdf",
        content_type="application/pdf",
        size=1024,
        description="Witness statement taken on 3 March",
        uploaded_by=responder,
    )
    pages = pages_of(referral_copy_pdf(referral))
    assert all(referral.reference in page and "copy of referral" in page for page in pages)
    assert all(f"Page {number} of {len(pages)}" in page for number, page in enumerate(pages, start=1))
    text = " ".join(pages)
    assert "National Referral Mechanism referral" in text
    assert "sent " in pages[0]
    assert "<script>alert('x')</script> & <b>family</b>" in text  # text, never markup
    assert "statement.pdf" in text
    assert "Witness statement taken on 3 March" in text
    for key in ("la_name", "nationality", "responder_role"):
        assert referral.answers[key] in text
    for section in QUESTIONNAIRE.sections:
        if section.applies(referral.answers):
            assert section.title in text
    # A child is referred without being asked: the consent row says so.
    assert "Consent to an NRM referral Automatic referral (no consent needed)" in text
    assert referral_copy_filename(referral) == f"{referral.reference}.pdf"


def test_a_duty_to_notify_copy_has_no_evidence_or_support(responder):
    referral = sent_referral(responder, Route.DUTY_TO_NOTIFY, cooperate_with_authorities="no")
    text = " ".join(pages_of(referral_copy_pdf(referral)))
    assert "Duty to Notify report" in text
    assert referral.reference in text
    assert "Evidence" not in text
    assert "Wants support" not in text


def test_the_prompt_sheet_covers_every_question_of_the_declaration():
    sheet = prompt_sheet_sections()
    keys = [prompt.question.key for item in sheet for entry in item.pages for prompt in entry.questions]
    declared = [
        question.key for section in QUESTIONNAIRE.sections for page in section.pages for question in page.questions
    ]
    assert keys == declared
    conditional_pages = [entry for item in sheet for entry in item.pages if entry.page.show_if]
    assert conditional_pages
    assert all(entry.applies == f"Asked {entry.page.show_if.description}" for entry in conditional_pages)
    revealed = {
        prompt.question.key: prompt.asked_when for item in sheet for entry in item.pages for prompt in entry.questions
    }
    assert revealed["journey_details"] == "Only if the answer to 'Taken somewhere by the exploiters' is 'Yes'"
    assert revealed["gender"] == ""
    assert revealed["willing_to_cooperate"] == "Asked for an NRM referral (child, or adult who consents)"


def test_the_prompt_sheet_pdf_prints_sections_questions_options_hints_and_conditions():
    text = " ".join(pages_of(prompt_sheet_pdf()))
    for section in QUESTIONNAIRE.sections:
        assert section.title in text
    for expected in (
        "Is the person under 18?",
        "Not sure",
        "If their age is unknown or disputed",  # a hint
        "Asked on the child route",  # a page's condition
        "This section is asked for an adult.",  # a section's condition
        "Asked if they were exploited in the UK",
        "Only if the answer to 'Has children' is 'Yes'",  # a revealed question
        "Taken somewhere, held and sexually assaulted",  # an option
        "One from the list of nationalities",
    ):
        assert expected in text, expected
    assert prompt_sheet_pdf() is prompt_sheet_pdf()  # made once per process
