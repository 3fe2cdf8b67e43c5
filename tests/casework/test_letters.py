"""Decision letters: each outcome's letter rendered to PDF and read back (its reference, its recipient, the outcome
in words, and for a negative decision the last date to ask for reconsideration); rendering once; and the task on
a real Celery worker."""

import re
from io import BytesIO

import pytest
from django.core.files.storage import storages
from django.utils import timezone
from pypdf import PdfReader

from casework.letters import letter_filename, letter_pdf, letter_recipient, letter_render, letter_render_bytes
from casework.models import Case, Letter
from referrals.demo_answers import complete_answers
from referrals.models import Route
from tests.casework.factories import case_in_state
from tests.casework.test_responder import (
    private_media,  # noqa: F401 - the autouse fixture of these tests too
    supported_case_in_state,
)

PERSON = {"first_name": "Amina", "last_name": "Tesfaye"}
ADDRESS = {
    "contact_methods": ["post", "email"],
    "address_line_1": "14 Station Road",
    "address_town": "Leeds",
    "address_postcode": "LS1 4DY",
    "contact_email": "amina@example.org",
}
REASONS = "The account is detailed and consistent, and the indicators recorded support it."


def adult_answers(**extra) -> dict:
    answers = complete_answers(Route.ADULT, organisation_name="Test organisation", seed=11)
    answers.update({**PERSON, **ADDRESS, "decision_recipient": "person", **extra})
    return answers


def child_answers() -> dict:
    answers = complete_answers(Route.CHILD, organisation_name="Test organisation", seed=12)
    answers.update(
        {
            **PERSON,
            "la_name": "Leeds City Council",
            "la_email": "childrens.services@leeds.example",
            "la_contact_first_name": "Priya",
            "la_contact_last_name": "Shah",
        }
    )
    return answers


def text_of(pdf: bytes) -> str:
    reader = PdfReader(BytesIO(pdf))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def served_letter(case: Case, stage: str) -> Letter:
    return case.decisions.get(stage=stage, state="served").letter


# Each outcome: the state that serves it, the words that say it, and whether it is negative.
OUTCOMES = {
    ("rg", "positive"): (Case.Status.RECOVERY, "there are reasonable grounds to believe that you are a victim", False),
    ("rg", "negative"): (
        Case.Status.RG_NEGATIVE_SERVED,
        "there are not reasonable grounds to believe that you are a victim",
        True,
    ),
    ("cg", "positive"): (Case.Status.CONFIRMED_VICTIM, "you are a victim of modern slavery", False),
    ("cg", "negative"): (Case.Status.CG_NEGATIVE_SERVED, "you are not a victim of modern slavery", True),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("stage", "outcome"), list(OUTCOMES))
def test_each_letter_names_the_case_its_recipient_the_outcome_and_the_last_date(stage, outcome):
    status, wording, negative = OUTCOMES[stage, outcome]
    case = case_in_state(status, opened_days_ago=40, answers=adult_answers(), home_office_reference="HO-123456")
    letter = served_letter(case, stage)
    text = text_of(letter_render_bytes(letter))
    decision = letter.decision
    assert case.reference in text
    assert "HO-123456" in text
    assert "Amina Tesfaye" in text
    assert "Dear Amina Tesfaye" in text
    assert "14 Station Road" in text
    assert "LS1 4DY" in text
    assert "amina@example.org" in text
    assert wording in text
    assert REASONS[:40] in text
    assert "What happens next" in text
    assert decision.title.capitalize() in text
    assert case.referral.organisation.name in text
    if negative:
        deadline = f"{decision.reconsideration_deadline:%-d %B %Y}"
        assert f"The last date to ask for reconsideration is {deadline}" in text
        assert "exceptional circumstances" in text
    else:
        assert "reconsideration" not in text
    if (stage, outcome) == ("rg", "positive"):
        assert f"{timezone.localtime(case.recovery_ends_at):%-d %B %Y}" in text
    if (stage, outcome) == ("cg", "positive"):
        assert f"{timezone.localtime(case.support_ends_at):%-d %B %Y}" in text
    assert letter_filename(decision) == f"{case.reference}-{stage}-{outcome}-decision.pdf"


@pytest.mark.django_db
def test_a_childs_letter_goes_to_the_local_authority():
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED, child=True, answers=child_answers())
    text = text_of(letter_render_bytes(served_letter(case, "rg")))
    assert "Priya Shah" in text
    assert "Leeds City Council" in text
    assert "childrens.services@leeds.example" in text
    assert "Dear Priya Shah" in text
    assert "Decisions about children are sent to the local authority, never to the child" in text
    assert "Child this letter is about Amina Tesfaye" in text
    assert "the child named above is a victim" in text
    assert "Dear Amina" not in text
    assert "duties to safeguard and support the child continue" in text


@pytest.mark.django_db
def test_a_letter_to_someone_else_says_who_it_is_about():
    answers = adult_answers(
        decision_recipient="someone_else",
        decision_recipient_name="Jane Morgan",
        decision_recipient_relationship="Legal representative",
    )
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED, answers=answers)
    recipient = letter_recipient(case)
    assert (recipient["name"], recipient["is_the_person"]) == ("Jane Morgan", False)
    text = text_of(letter_render_bytes(served_letter(case, "rg")))
    assert "Dear Jane Morgan" in text
    assert "Jane Morgan (Legal representative)" in text
    assert "This letter is about Amina Tesfaye" in text
    assert "the person named above is a victim" in text


@pytest.mark.django_db
def test_the_support_provider_is_named_in_a_supported_persons_letter():
    case = supported_case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    text = text_of(letter_render_bytes(served_letter(case, "rg")))
    assert f"{case.support_provider.name} will contact you about support" in text


@pytest.mark.django_db
def test_a_letter_gives_the_authoritys_own_contact_route_from_its_organisation_data():
    case = case_in_state(Case.Status.RG_NEGATIVE_SERVED, answers=adult_answers())
    authority = case.authority
    authority.contact_email = "nrm.decisions@sca.example"
    authority.contact_phone = "0300 123 4567"
    authority.contact_address = "Single Competent Authority\nPO Box 1234\n\nDemo City DC1 2AB\n"
    authority.save()
    text = text_of(letter_render_bytes(served_letter(case, "rg")))
    assert f"Contact {authority.name} about this decision, quoting reference {case.reference}" in text
    assert "email: nrm.decisions@sca.example" in text
    assert "phone: 0300 123 4567" in text
    assert "post: Single Competent Authority, PO Box 1234, Demo City DC1 2AB" in text  # blank lines dropped
    assert f"You can also ask the first responder who made the referral ({case.referral.organisation.name})" in text


@pytest.mark.django_db
def test_a_letter_reads_well_when_the_authority_has_no_contact_route():
    case = case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    authority = case.authority
    assert (authority.contact_email, authority.contact_phone, authority.contact_address) == ("", "", "")
    text = text_of(letter_render_bytes(served_letter(case, "rg")))
    assert f"Contact the first responder who made the referral ({case.referral.organisation.name})" in text
    assert f"They can contact {case.authority.name} for you" in text
    assert "about this decision, quoting reference" not in text  # no empty list of ways to contact it
    assert "phone:" not in text
    assert "post:" not in text


@pytest.mark.django_db
def test_a_letter_is_rendered_once(private_media):  # noqa: F811
    case = case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    letter = served_letter(case, "rg")
    first = letter_render(letter_id=letter.pk)
    assert first.file
    assert first.rendered_at
    stored = first.file.name
    again = letter_render(letter_id=letter.pk)
    assert (again.file.name, again.rendered_at) == (stored, first.rendered_at)
    assert private_media.listdir("letters")[1] == [stored.rsplit("/", 1)[1]]
    assert letter_pdf(again).startswith(b"%PDF")


@pytest.mark.django_db
def test_a_letter_whose_file_was_lost_is_rendered_again(private_media):  # noqa: F811
    case = case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    letter = letter_render(letter_id=served_letter(case, "rg").pk)
    private_media.delete(letter.file.name)
    assert case.reference in text_of(letter_pdf(letter))
    letter.refresh_from_db()
    assert private_media.exists(letter.file.name)


def test_a_real_worker_renders_the_letter_after_the_decision_is_served(
    transactional_db, project_data, celery_worker_process
):
    """The decision's service queues the letter after its transaction commits; the worker renders and stores it
    (in the worker's own storage, the project's private one: the test reads and removes it there)."""
    case = case_in_state(Case.Status.RECOVERY, answers=adult_answers())
    letter = served_letter(case, "rg")
    rendered = celery_worker_process.wait_until(
        lambda: Letter.objects.filter(pk=letter.pk, rendered_at__isnull=False).first(), timeout=60
    )
    storage = storages["private"]
    try:
        with storage.open(rendered.file.name, "rb") as stored:
            text = text_of(stored.read())
        assert case.reference in text
        assert "Amina Tesfaye" in text
    finally:
        storage.delete(rendered.file.name)
