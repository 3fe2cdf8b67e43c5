"""axe-core on the casework pages, with the GOV.UK components' known cases let through (and nothing else), and
the files the pages give: screenshots and PDFs."""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import Page
from pypdf import PdfReader

from tests.browser.helpers import BLOCKING_IMPACTS, axe_violations, format_violations
from tests.browser.referral_driver import is_govuk_conditional_reveal

SHOTS = Path("/tmp/casework-shots")  # noqa: S108 - where the brief asks for them, to look at by hand


# The visible text of an element, and its accessible name from aria-label, both without punctuation and with
# their spaces collapsed, in lower case.
_LABEL_AND_TEXT = """element => {
    const plain = (text) => (text || "").toLowerCase().replace(/[\\p{P}\\p{S}]/gu, " ").replace(/\\s+/g, " ").trim();
    return [plain(element.innerText), plain(element.getAttribute("aria-label"))];
}"""


def is_label_in_name_but_for_punctuation(page: Page, violation: dict, node: dict) -> bool:
    """axe-core's label-content-name-mismatch on GOV.UK Frontend's accordion buttons: their script names each
    "Referral details , Show this section" while the visible text reads "Referral details Show". The visible
    label is in the name but for the comma, and WCAG's Understanding 2.5.3 (Label in Name) lets punctuation be
    ignored. Only that rule on those buttons is let through, and only when the check holds without punctuation."""
    if violation["id"] != "label-content-name-mismatch" or "govuk-accordion__section-button" not in node["html"]:
        return False
    if len(node["target"]) != 1:
        return False
    text, name = page.locator(node["target"][0]).evaluate(_LABEL_AND_TEXT)
    return bool(text) and text in name


def is_conditional_reveal(violation: dict, node: dict) -> bool:
    """GOV.UK's conditional reveal (referral_driver), as crispy-forms-gds names what a radio reveals:
    "conditional_<field>_<n>" rather than "conditional-<id>"."""
    html = node.get("html", "").replace('aria-controls="conditional_', 'aria-controls="conditional-')
    return is_govuk_conditional_reveal(violation, {**node, "html": html})


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the page, but for the GOV.UK components' known cases: the
    conditional reveal (referral_driver) and the accordion's button names (above)."""
    blocking = []
    for violation in axe_violations(page):
        if violation.get("impact") not in BLOCKING_IMPACTS:
            continue
        nodes = [
            node
            for node in violation["nodes"]
            if not is_conditional_reveal(violation, node)
            and not is_label_in_name_but_for_punctuation(page, violation, node)
        ]
        if nodes:
            blocking.append({**violation, "nodes": nodes})
    assert not blocking, format_violations(blocking, page.url)


def pdf_text(path: Path) -> str:
    return "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(path).pages)
