"""Our reference is the "NRM reference" (or the "Duty to Notify reference"); "your reference" only ever means the
first responder's own reference for the report, on the confirmation, the PDF copy and every template."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from accounts.roles import Role
from referrals.models import Referral, Route
from referrals.services import referral_submit
from tests.factories import UserFactory
from tests.referrals.test_submission import complete_draft, pdf_text

pytestmark = pytest.mark.django_db
ROOT = Path(settings.BASE_DIR)
OUR_REFERENCE = re.compile(r"\{\{\s*(referral\.|case\.|row\.|row\.referral\.)?reference\s*(\||\}\})")


def sent(responder, route: Route, **changes) -> Referral:
    return referral_submit(draft_id=complete_draft(responder, route, **changes).pk, actor=responder)


@pytest.fixture
def responder(db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    return UserFactory(role=Role.FIRST_RESPONDER)


def test_the_confirmation_calls_our_reference_the_nrm_reference_and_yours_your_reference(client, responder):
    referral = sent(responder, Route.ADULT, responder_reference="CASE-42/ours")
    client.force_login(responder)
    page = client.get(reverse("referrals:confirmation", kwargs={"reference": referral.reference})).text
    panel = page[page.index("govuk-panel__body") :]
    assert re.match(r'govuk-panel__body">NRM reference<br><strong data-testid="reference">NRM-', panel)
    assert "Your reference for this referral: <strong>CASE-42/ours</strong>" in page
    assert not re.search(r"Your reference\W*(<[^>]+>\W*)*NRM-", page)


def test_a_duty_to_notify_confirmation_calls_it_the_duty_to_notify_reference(client, responder):
    referral = sent(responder, Route.DUTY_TO_NOTIFY, responder_reference="")
    client.force_login(responder)
    page = client.get(reverse("referrals:confirmation", kwargs={"reference": referral.reference})).text
    assert f'Duty to Notify reference<br><strong data-testid="reference">{referral.reference}</strong>' in page
    assert "Your reference" not in page  # none given, so none shown


def test_the_pdf_copy_names_both_references_for_what_they_are(client, responder):
    referral = sent(responder, Route.ADULT, responder_reference="CASE-42")
    client.force_login(responder)
    text = " ".join(pdf_text(client.get(reverse("referrals:pdf", kwargs={"reference": referral.reference})).content))
    assert f"NRM reference {referral.reference}" in text
    assert "Your reference CASE-42" in text
    assert f"Your reference {referral.reference}" not in text


def test_no_template_calls_our_reference_your_reference():
    """Every page, email, letter and PDF template: a "Your reference" label is never followed by our reference."""
    templates = [
        path
        for path in ROOT.rglob("*")
        if path.suffix in {".html", ".txt"}
        and "templates" in path.parts
        and not {".venv", "node_modules", "test-artifacts"} & set(path.parts)
    ]
    assert len(templates) > 50
    offenders = []
    for path in templates:
        text = path.read_text()
        for match in re.finditer(r"your reference", text, re.IGNORECASE):
            following = text[match.end() : match.end() + 120]
            if OUR_REFERENCE.search(following):
                offenders.append(f"{path.relative_to(ROOT)}: {text[match.start() : match.end() + 80]!r}")
    assert not offenders, "\n".join(offenders)
