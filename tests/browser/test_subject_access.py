"""The data protection officer answers a subject access request in the browser: signs in, lands on the export
page, gets the GOV.UK error summary for a reference that finds no one, then downloads the ZIP."""

import io
import json
import zipfile
from pathlib import Path
from urllib.parse import urlparse

import pytest
from django.urls import reverse

from accounts.roles import Role
from casework.models import Case
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.casework.factories import case_in_state
from tests.factories import TEST_PASSWORD, UserFactory
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


def test_the_data_protection_officer_exports_everything_held_about_a_person(page, demo_mode):
    ensure_project_data()
    case = case_in_state(Case.Status.AWAITING_RG, answers={"nation": "england", "first_name": "Jane"})
    officer = UserFactory(role=Role.DATA_PROTECTION, organisation=None, email="dpo@nrm.example")

    sign_in(page, officer.email, TEST_PASSWORD)

    assert urlparse(page.url).path == reverse("privacy:subject_access")
    assert page.get_by_role("heading", level=1).inner_text() == "Export everything held about a person"
    assert_accessible(page)

    page.get_by_label("Referral or case reference").fill("NRM-2026-999999")
    page.get_by_role("button", name="Export as a ZIP file").click()
    summary = page.locator(".govuk-error-summary")
    summary.wait_for()
    assert "There is no referral or case with this reference" in summary.inner_text()
    assert page.get_by_label("Referral or case reference").input_value() == "NRM-2026-999999"
    assert page.title().startswith("Error: ")
    assert "NRM-2026-999999" not in page.url
    screenshot(page, "subject-access-error")
    assert_accessible(page)

    page.get_by_label("Referral or case reference").fill(case.reference)
    with page.expect_download() as download_info:
        page.get_by_role("button", name="Export as a ZIP file").click()
    download = download_info.value
    assert download.suggested_filename == f"subject-access-{case.reference}.zip"
    with zipfile.ZipFile(io.BytesIO(Path(download.path()).read_bytes())) as archive:
        summary_json = json.loads(archive.read("summary.json"))
    assert summary_json["case"]["reference"] == case.reference
    assert any(row["answer"] == "Jane" for row in summary_json["referral"]["answers"])
