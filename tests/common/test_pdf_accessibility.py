"""Every PDF the service makes is tagged for screen readers (WeasyPrint's PDF/UA-1): a structure tree, marked
content, the language and a title that says what the document is, shown by viewers in place of the file name."""

import io
import logging

import pytest
from pypdf import PdfReader

from casework.letters import letter_render_bytes
from casework.models import Case
from panels.records import panel_record_pdf
from referrals.documents import prompt_sheet_pdf, referral_copy_pdf
from referrals.models import Route
from tests.casework.factories import case_in_state
from tests.casework.test_letters import OUTCOMES, adult_answers, served_letter
from tests.panels.factories import PanelFactory, reviewed_panel_case
from tests.referrals.test_documents import responder, sent_referral  # noqa: F401 - the fixture, for the copy

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _weasyprint_reports_nothing_missing(caplog):
    """WeasyPrint logs an error for what PDF/UA needs and the HTML lacks (an image's alt text, the language)."""
    yield
    errors = [
        record.getMessage()
        for record in caplog.records
        if record.name.startswith("weasyprint") and record.levelno >= logging.ERROR
    ]
    assert not errors


# The tags a screen reader relies on, from the HTML: headings, paragraphs and description lists' rows.
EXPECTED_TAGS = {"/H1", "/P"}


def structure_of(pdf: bytes) -> tuple[dict, set[str], object]:
    """The catalog, the structure types in the tree under StructTreeRoot, and the document information."""
    reader = PdfReader(io.BytesIO(pdf))
    catalog = reader.trailer["/Root"]
    tags: set[str] = set()
    pending = [catalog["/StructTreeRoot"]]
    while pending:
        node = pending.pop().get_object()
        if isinstance(node, dict):
            if "/S" in node:
                tags.add(str(node["/S"]))
            kids = node.get("/K")
            if kids is not None:
                kids = kids.get_object()
                pending.extend(kids if isinstance(kids, list) else [kids])
    return catalog, tags, reader.metadata


def assert_tagged_for_screen_readers(pdf: bytes, *, title: str) -> None:
    catalog, tags, metadata = structure_of(pdf)
    assert catalog["/MarkInfo"]["/Marked"].value is True
    assert tags >= EXPECTED_TAGS, tags
    assert str(catalog["/Lang"]) == "en-GB"
    assert metadata.title == title
    assert catalog["/ViewerPreferences"]["/DisplayDocTitle"].value is True


def test_the_referral_copy_is_tagged_with_its_kind_and_reference_as_title(responder):  # noqa: F811
    referral = sent_referral(responder, Route.ADULT, seed=2)
    assert_tagged_for_screen_readers(
        referral_copy_pdf(referral), title=f"National Referral Mechanism referral: {referral.reference}"
    )


def test_a_duty_to_notify_copy_is_titled_as_a_report(responder):  # noqa: F811
    referral = sent_referral(responder, Route.DUTY_TO_NOTIFY, seed=3)
    assert_tagged_for_screen_readers(referral_copy_pdf(referral), title=f"Duty to Notify report: {referral.reference}")


def test_the_prompt_sheet_is_tagged():
    assert_tagged_for_screen_readers(prompt_sheet_pdf(), title="Referral prompt sheet")


@pytest.mark.parametrize(("stage", "outcome"), list(OUTCOMES))
def test_each_decision_letter_is_tagged_with_the_decision_and_reference_as_title(stage, outcome):
    status = OUTCOMES[stage, outcome][0]
    case = case_in_state(status, opened_days_ago=40, answers=adult_answers())
    letter = served_letter(case, stage)
    pdf = letter_render_bytes(letter)
    title = PdfReader(io.BytesIO(pdf)).metadata.title
    assert title.endswith(f" – {case.reference}")  # noqa: RUF001 - GOV.UK uses the en dash
    assert "decision" in title.lower()
    assert_tagged_for_screen_readers(pdf, title=title)


def test_the_panel_record_is_tagged_with_its_reference_as_title():
    panel = PanelFactory()
    panel_case = reviewed_panel_case(panel)
    assert_tagged_for_screen_readers(panel_record_pdf(panel_case), title=f"Panel record: {panel_case.case.reference}")


def test_a_case_reference_is_never_the_whole_title():
    """A bare reference tells a screen reader user nothing about what the document is."""
    case = case_in_state(Case.Status.RECOVERY, opened_days_ago=40, answers=adult_answers())
    title = PdfReader(io.BytesIO(letter_render_bytes(served_letter(case, "rg")))).metadata.title
    assert title != case.reference
