"""What people see of the virus scan in a real browser: the evidence list's tags (being checked, infected,
not scanned) with links only to clean files, and the pages a pending or infected file's address shows instead of
the file. axe-core finds no serious or critical violation on them; each is photographed into test-artifacts."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from common.virus_scan import NOT_SCANNED_NOTE, ScanStatus
from referrals.models import EvidenceFile
from referrals.services import draft_create, draft_save_page
from tests.browser.helpers import assert_accessible, screenshot, sign_in
from tests.factories import TEST_PASSWORD, UserFactory
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser


def test_the_evidence_list_and_the_unavailable_file_pages_say_what_the_virus_scan_found(page):
    ensure_project_data()
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = draft_create(actor=responder)
    draft, _ = draft_save_page(
        draft_id=draft.pk, actor=responder, page_slug="under-18", page_answers={"under_18": "yes"}, expected_version=1
    )
    files = {}
    for name, status, note in [
        ("being-checked.pdf", ScanStatus.PENDING, ""),
        ("infected.pdf", ScanStatus.INFECTED, "NRM-Eicar-Test-Signature"),
        ("clean.pdf", ScanStatus.CLEAN, ""),
        ("not-scanned.pdf", ScanStatus.CLEAN, NOT_SCANNED_NOTE),
    ]:
        files[name] = EvidenceFile.objects.create(
            draft=draft,
            original_name=name,
            content_type="application/pdf",
            size=2048,
            description=f"The file {name}",
            uploaded_by=responder,
            file=f"evidence/{name}",
            scan_status=status,
            scan_result=note,
        )
    sign_in(page, responder.email, TEST_PASSWORD)
    page.goto(reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "evidence"}))
    listed = page.get_by_test_id("evidence-files")
    assert listed.get_by_role("link", name="clean.pdf", exact=True).count() == 1
    assert listed.get_by_role("link", name="not-scanned.pdf", exact=True).count() == 1
    assert listed.get_by_role("link", name="being-checked.pdf", exact=True).count() == 0
    assert listed.get_by_role("link", name="infected.pdf", exact=True).count() == 0
    tags = [tag.strip() for tag in page.get_by_test_id("scan-tag").all_inner_texts()]
    assert sorted(tags) == sorted(["Being checked for viruses", "Infected: removed", "Not scanned for viruses"])
    screenshot(page, "uploads/evidence-scan-tags")
    assert_accessible(page)

    response = page.goto(reverse("referrals:evidence_download", args=[files["being-checked.pdf"].pk]))
    assert response.status == 409
    assert page.get_by_role("heading", name="This file is being checked for viruses").is_visible()
    screenshot(page, "uploads/file-being-checked")
    assert_accessible(page)

    response = page.goto(reverse("referrals:evidence_download", args=[files["infected.pdf"].pk]))
    assert response.status == 410
    assert page.get_by_role("heading", name="This file has been removed").is_visible()
    screenshot(page, "uploads/file-removed")
    assert_accessible(page)
