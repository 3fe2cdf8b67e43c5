"""Helpers for the browser tests: axe-core checks, signing in, screenshots."""

from functools import cache
from pathlib import Path

from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE_SCRIPT = ROOT / "node_modules" / "axe-core" / "axe.min.js"
SCREENSHOTS = ROOT / "test-artifacts" / "screenshots"
BLOCKING_IMPACTS = frozenset({"serious", "critical"})


@cache
def _axe_source() -> str:
    if not AXE_SCRIPT.exists():
        raise FileNotFoundError(f"{AXE_SCRIPT} is missing: run `npm ci` in {ROOT}")
    return AXE_SCRIPT.read_text(encoding="utf-8")


def axe_violations(page: Page) -> list[dict]:
    """Every axe-core violation on the page as it is now (the context must bypass the CSP to inject axe)."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=_axe_source())
    results = page.evaluate("async () => await window.axe.run(document, {resultTypes: ['violations']})")
    return results["violations"]


def format_violations(violations: list[dict], url: str) -> str:
    lines = [f"axe-core found {len(violations)} serious or critical violation(s) on {url}:"]
    for violation in violations:
        lines.append(f"- [{violation['impact']}] {violation['id']}: {violation['help']} ({violation['helpUrl']})")
        for node in violation["nodes"]:
            target = " ".join(str(part) for part in node["target"])
            lines.append(f"    at {target}: {node['html'][:200]}")
            if node.get("failureSummary"):
                summary = node["failureSummary"].replace("\n", "\n      ")
                lines.append(f"      {summary}")
    return "\n".join(lines)


def assert_accessible(page: Page) -> None:
    """No serious or critical axe-core violation on the current page."""
    blocking = [v for v in axe_violations(page) if v.get("impact") in BLOCKING_IMPACTS]
    assert not blocking, format_violations(blocking, page.url)


def assert_govuk_styles_loaded(page: Page) -> None:
    """GOV.UK Frontend's stylesheet and its GDS Transport font reached the page (static files are served)."""
    header_background = page.locator(".govuk-header").evaluate("e => getComputedStyle(e).backgroundColor")
    assert header_background == "rgb(11, 12, 12)", f"GOV.UK Frontend CSS not applied: header is {header_background}"
    font_loaded = page.evaluate(
        """async () => {
            await document.fonts.ready;
            return Array.from(document.fonts).some(
                (face) => face.family.replaceAll('"', "") === "GDS Transport" && face.status === "loaded"
            );
        }"""
    )
    assert font_loaded, "the GDS Transport font did not load"


def sign_in(page: Page, email: str, password: str) -> None:
    """Signs in through the sign-in form and waits for the page the form leads to."""
    page.goto("/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()


def sign_out(page: Page) -> None:
    """Signs out through the header's "Sign out" link and allauth's confirmation button."""
    page.get_by_role("link", name="Sign out", exact=True).click()
    page.wait_for_url("**/accounts/logout/")
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign out").click()


def screenshot(page: Page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
