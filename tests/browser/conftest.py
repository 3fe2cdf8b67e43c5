"""Playwright on Debian's chromium against pytest-django's live server.

One browser per test session; each test gets a fresh context (its own cookies) that bypasses the app's CSP,
so axe-core can be injected. pytest-django's live server serves static files through the staticfiles finders
(django.contrib.staticfiles is installed), so GOV.UK Frontend loads from static/vendor without collectstatic.
"""

from pathlib import Path

import pytest
from playwright.sync_api import sync_playwright

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.exists():
        # `make test` installs chromium first (or stops saying how): a browser test never passes by not running.
        pytest.fail(
            f"The browser tests need Debian's chromium at {CHROMIUM}: run `sudo apt-get install chromium`",
            pytrace=False,
        )
    # Playwright's sync API keeps an asyncio loop running in this thread, and Django's ORM refuses to run beside
    # a running loop unless told it is safe. It is here: the tests call the ORM synchronously between page
    # steps. The variable is set only while the browser is up, so tests outside tests/browser keep the check.
    with pytest.MonkeyPatch.context() as patch, sync_playwright() as playwright:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Seeding 13 demo users with the production hasher costs seconds per test; MD5 is fine for fake users."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _new_page(browser, live_server, *, bypass_csp=True, **context_options):
    context = browser.new_context(bypass_csp=bypass_csp, base_url=live_server.url, **context_options)
    context.set_default_timeout(TIMEOUT_MS)
    context.set_default_navigation_timeout(TIMEOUT_MS)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A page in a fresh browser context (no cookies) that bypasses the CSP so axe-core can be injected."""
    context, page = _new_page(browser, live_server)
    yield page
    context.close()


@pytest.fixture
def page_without_javascript(browser, live_server):
    context, page = _new_page(browser, live_server, java_script_enabled=False)
    yield page
    context.close()


@pytest.fixture
def page_under_csp(browser, live_server):
    """A page that keeps the app's Content-Security-Policy, to catch what the CSP would block (no axe here)."""
    context, page = _new_page(browser, live_server, bypass_csp=False)
    yield page
    context.close()


@pytest.fixture
def failed_requests(page):
    """What the page asked for and did not get (4xx/5xx answers, or no answer), as "STATUS URL" lines.

    Only assets count: documents are the tests' own business (the 404 page answers 404 on purpose)."""
    failures = []

    def on_response(response):
        if response.status >= 400 and response.request.resource_type != "document":
            failures.append(f"{response.status} {response.url}")

    page.on("response", on_response)
    page.on("requestfailed", lambda request: failures.append(f"failed {request.url}: {request.failure}"))
    return failures


@pytest.fixture
def demo_mode(settings):
    """Demo mode without the staff MFA requirement, as `make run` serves it (the middleware reads settings on
    every request, so this reaches the live server)."""
    settings.NRM_DEMO = True
    settings.NRM_REQUIRE_STAFF_MFA = False
