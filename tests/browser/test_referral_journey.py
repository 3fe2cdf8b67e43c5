"""The first responder's referral in the browser, by visible labels as a user would (issue 3, section 4).

A complete child referral (with its PDF copy and the feedback that follows), a complete adult referral with an
evidence upload, a Duty to Notify, the error summary of an empty "Save and continue" (what was typed is kept),
the sent referral on the organisation's referrals page, and the first pages without JavaScript. Every page of
the journeys is checked with axe-core (once per page in a run); the key pages are photographed into
test-artifacts/screenshots/referrals/.
"""

import re
from urllib.parse import urlparse

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from referrals.demo_answers import complete_answers
from referrals.models import Route
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import TaskStatus
from tests.browser.helpers import sign_in
from tests.browser.referral_driver import Evidence, ReferralDriver, assert_accessible, visible_label
from tests.factories import TEST_PASSWORD
from tests.fixtures.project_data import ensure_project_data

pytestmark = pytest.mark.browser

# A PDF as small as a PDF can be: its type is read from the content ("%PDF-"), not from the name.
TINY_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


@pytest.fixture
def responder(live_server, first_responder):
    """A first responder, on a database that holds what the project's data migrations load (the reference lists,
    organisations and policies the pages read). A live-server test is transactional, and flushes the database
    when it ends: the next one would find none of those rows, so they are loaded again, by the migrations' own
    code, when they are missing (much quicker than serialized_rollback, which reloads every table every test)."""
    ensure_project_data()
    return first_responder


@pytest.fixture(scope="session")
def axe_checked():
    """The pages axe-core has checked in this run: each page once, whichever journey reaches it first."""
    return set()


def answers_where(route, organisation_name, wanted, *, tries=100):
    """The first demo answer set (by seed) for which `wanted` holds: a journey through the pages worth seeing."""
    for seed in range(tries):
        answers = complete_answers(route, organisation_name=organisation_name, seed=seed)
        if wanted(answers):
            return answers
    raise AssertionError(f"no {route} answers of the first {tries} seeds suit this test")


def signed_in_driver(page, responder, answers, **options):
    sign_in(page, responder.email, TEST_PASSWORD)
    return ReferralDriver(page, answers, **options)


# Page loads from "Start a new referral" to the sent page, returns to the task list included: at most 0.75 times
# the live GOV.UK service's for the same route (48, 52 and 40).
PAGE_LOAD_TARGETS = {Route.CHILD: 36, Route.ADULT: 39, Route.DUTY_TO_NOTIFY: 30}


def record_page_loads(page) -> list[str]:
    """The path of every page the browser loads from now on (each navigation that loads a document)."""
    loads: list[str] = []
    page.on("load", lambda loaded: loads.append(urlparse(loaded.url).path))
    return loads


def assert_worked_through_in_order_within_the_target(driver, loads):
    """From the first task, the service led section to section (the task list opened a task once), and the
    journey from "Start a new referral" (after the referrals page) to the sent page took no more page loads
    than the target."""
    assert driver.task_lists_seen == 1, f"tasks opened from the task list {driver.task_lists_seen} times"
    sections = [QUESTIONNAIRE.page(slug)[0].slug for slug in driver.pages_seen]
    order = [section.slug for section in QUESTIONNAIRE.sections]
    assert sections == sorted(sections, key=order.index), sections
    assert loads[0] == "/referrals/", loads
    journey = loads[1:]
    assert re.search(r"/sent$", journey[-1]), journey
    target = PAGE_LOAD_TARGETS[driver.route]
    assert len(journey) <= target, f"{len(journey)} page loads for a {driver.route} referral (target {target})"
    return len(journey)


def download_copy(page, reference, link_name):
    """The PDF copy behind `link_name`: a real PDF that names the referral."""
    with page.expect_download() as download_info:
        page.get_by_role("link", name=link_name, exact=True).click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf"), download.suggested_filename
    path = download.path()
    assert path.read_bytes().startswith(b"%PDF-"), "the copy is not a PDF"
    text = "\n".join(pdf_page.extract_text() for pdf_page in PdfReader(path).pages)
    assert reference in text, f"{reference} is not in the PDF copy"
    return text


def assert_listed(driver, reference, route_label):
    """The organisation's referrals page lists the sent referral, which opens on its own page."""
    page = driver.page
    page.get_by_role("link", name="Go to your organisation's referrals").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your organisation's referrals")
    # Sent, it is no longer a draft.
    expect(page.get_by_role("cell", name=f"Draft {driver.draft_pk}", exact=True)).to_have_count(0)
    sent = page.get_by_role("table").filter(has=page.get_by_role("link", name=reference, exact=True))
    row = sent.get_by_role("row").filter(has=page.get_by_role("link", name=reference, exact=True))
    expect(row).to_have_count(1)
    expect(row).to_contain_text(route_label)
    expect(row).to_contain_text(driver.answers["responder_reference"])
    driver.check_accessible("referrals-list-with-sent")
    driver.screenshot("referrals-list")
    row.get_by_role("link", name=reference, exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)
    driver.check_accessible("referral")
    driver.screenshot("referral")


def test_a_complete_child_referral_is_sent_with_a_pdf_copy_and_listed(page, responder, axe_checked):
    # Exploited in more than one UK town: the add-another list is used.
    answers = answers_where(Route.CHILD, responder.organisation.name, lambda a: len(a.get("uk_towns", [])) >= 2)
    driver = signed_in_driver(
        page,
        responder,
        answers,
        checked=axe_checked,
        screenshots="referrals/child",
        screenshot_pages=("local-authority", "uk-towns", "person"),
    )
    loads = record_page_loads(page)
    driver.start()
    # Only the age can be answered first: the other tasks wait for the route.
    for section in QUESTIONNAIRE.sections:
        if section.needs and section.applies({}):
            assert driver.task_status(section) == TaskStatus.CANNOT_START, section.title
            expect(driver.task_link(section)).to_have_count(0)
    pages = driver.complete_all_sections()
    assert "local-authority" in pages, pages
    assert "consent" not in pages, pages  # a child is referred without their consent
    expect(page.get_by_role("heading", level=1)).to_have_text("NRM referral for a child")
    driver.check_your_answers()
    summary = page.locator("main")
    expect(summary).to_contain_text(answers["la_name"])
    for town in answers["uk_towns"]:
        expect(summary).to_contain_text(town)

    expect(summary).to_contain_text("Automatic referral (no consent needed)")

    reference = driver.send()

    assert reference.startswith("NRM-")
    assert_worked_through_in_order_within_the_target(driver, loads)
    download_copy(page, reference, "Download a copy of the referral (PDF)")

    # The GOV.UK feedback pattern after the confirmation.
    page.get_by_role("link", name="What did you think of this service?").click()
    driver.check_accessible("feedback")
    page.get_by_role("group", name="Overall, how did you feel about the service you received today?").get_by_label(
        "Satisfied", exact=True
    ).check()
    page.get_by_label("How could we improve this service? (optional)").fill("Quicker than the paper form.")
    page.get_by_role("button", name="Send feedback").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Thank you for your feedback")
    driver.check_accessible("feedback-thanks")

    assert_listed(driver, reference, "Child")


def test_a_complete_adult_referral_with_evidence_is_sent(page, responder, axe_checked, tmp_path):
    answers = answers_where(
        Route.ADULT,
        responder.organisation.name,
        lambda a: a.get("wants_support") == "yes" and "post" in a.get("contact_methods", []) and a["date_of_birth"],
    )
    statement = tmp_path / "witness-statement.pdf"
    statement.write_bytes(TINY_PDF)
    driver = signed_in_driver(
        page,
        responder,
        answers,
        checked=axe_checked,
        screenshots="referrals/adult",
        screenshot_pages=("consent", "person", "decision", "evidence"),
        evidence=(Evidence(statement, "Witness statement taken at the police station on 3 March"),),
    )
    loads = record_page_loads(page)
    driver.start()
    pages = driver.complete_all_sections()
    assert {"consent", "evidence", "person", "support-contact", "decision"} <= set(pages), pages
    expect(page.get_by_role("heading", level=1)).to_have_text("NRM referral for an adult")
    driver.check_your_answers()

    reference = driver.send()

    assert reference.startswith("NRM-")
    assert_worked_through_in_order_within_the_target(driver, loads)
    assert_listed(driver, reference, "Adult")
    expect(page.get_by_test_id("evidence-files")).to_contain_text("witness-statement.pdf")
    expect(page.get_by_test_id("evidence-files")).to_contain_text("Witness statement taken at the police station")


def test_a_duty_to_notify_is_sent(page, responder, axe_checked):
    # The person will cooperate with the authorities: their name and a contact are asked too.
    answers = answers_where(
        Route.DUTY_TO_NOTIFY, responder.organisation.name, lambda a: a["cooperate_with_authorities"] == "yes"
    )
    driver = signed_in_driver(
        page,
        responder,
        answers,
        checked=axe_checked,
        screenshots="referrals/duty-to-notify",
        screenshot_pages=("no-consent", "person", "dtn-contact"),
    )
    loads = record_page_loads(page)
    driver.start()
    pages = driver.complete_all_sections()
    # A Duty to Notify asks nothing of support, the decision, the responder's details or evidence.
    assert not {"more-about-them", "decision", "your-details", "evidence"} & set(pages), pages
    assert {"no-consent", "person", "dtn-contact"} <= set(pages), pages
    expect(page.get_by_label("Date of birth")).to_have_count(0)
    expect(page.get_by_role("heading", level=1)).to_have_text("Duty to Notify report")
    driver.check_your_answers()

    reference = driver.send()

    assert reference.startswith("DTN-")
    assert_worked_through_in_order_within_the_target(driver, loads)
    download_copy(page, reference, "Download a copy of the report (PDF)")
    assert_listed(driver, reference, "Duty to Notify")


def test_an_empty_save_shows_the_error_summary_and_keeps_what_was_typed(page, responder, axe_checked):
    answers = complete_answers(Route.ADULT, organisation_name=responder.organisation.name)
    driver = signed_in_driver(page, responder, answers, checked=axe_checked, screenshots="referrals/errors")
    driver.start()

    # One required question, nothing chosen.
    age = QUESTIONNAIRE.section("age")
    under_18 = QUESTIONNAIRE.question("under_18")
    driver.open_task(age)
    page.get_by_role("button", name="Save and continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    expect(page).to_have_title(re.compile(r"^Error: "))
    # The message declared for the question (referrals/questions/definition.py), in the summary and by the field.
    assert under_18.error_required
    link = summary.get_by_role("link", name=under_18.error_required, exact=True)
    expect(link).to_have_attribute("href", "#under_18")
    expect(driver.group(under_18)).to_contain_text(f"Error: {under_18.error_required}")
    driver.check_accessible("errors/under-18")
    driver.screenshot("under-18")
    link.click()  # GOV.UK Frontend's error summary moves the focus to the field
    expect(driver.group(under_18).get_by_label("Yes", exact=True)).to_be_focused()

    # The route, then a page of several inputs: one typed well, one typed wrongly, two left empty.
    driver.fill(under_18, "no")
    driver.save_and_continue()
    driver.complete_page()  # under 18 during the exploitation
    driver.complete_page()  # consent, the last task of the age: the service goes on to the background
    driver.go_to_task_list()
    driver.open_task(QUESTIONNAIRE.section("your_details"))
    first_name, last_name, role, phone, absence = QUESTIONNAIRE.page("your-details")[1].questions
    page.get_by_label(visible_label(first_name), exact=True).fill("Sarah")
    page.get_by_label(visible_label(phone), exact=True).fill("12345")
    page.get_by_role("button", name="Save and continue").click()

    expect(summary.get_by_role("heading", name="There is a problem")).to_be_visible()
    assert urlparse(page.url).path.endswith("/questions/your-details/")
    hrefs = summary.get_by_role("link").evaluate_all("links => links.map(link => link.getAttribute('href'))")
    assert hrefs == [f"#{last_name.key}", f"#{role.key}", f"#{phone.key}", f"#{absence.key}"], hrefs
    expect(summary.get_by_role("link", name=last_name.error_required, exact=True)).to_be_visible()
    expect(page.locator(f"#{last_name.key}-error")).to_have_text(f"Error: {last_name.error_required}")
    expect(summary).to_contain_text("Enter a phone number")
    expect(page.get_by_label(visible_label(first_name), exact=True)).to_have_value("Sarah")
    expect(page.get_by_label(visible_label(phone), exact=True)).to_have_value("12345")
    driver.check_accessible("errors/your-details")
    driver.screenshot("your-details")

    # Corrected, the page saves and moves on.
    for question in (last_name, role, phone, absence):
        driver.fill(question, answers[question.key])
    driver.save_and_continue()
    # The last page of "Your details": on to the next task not yet done, the evidence.
    assert urlparse(page.url).path.endswith("/questions/evidence/"), page.url


def test_the_first_pages_work_without_javascript(page_without_javascript, responder):
    page = page_without_javascript
    answers = complete_answers(Route.ADULT, organisation_name=responder.organisation.name, seed=2)
    # axe-core cannot run where JavaScript does not: these pages were checked with it in the other journeys.
    driver = signed_in_driver(page, responder, answers, screenshots="referrals/no-javascript", accessibility=False)
    driver.start()
    setup, age, consent = (QUESTIONNAIRE.section(slug) for slug in ("setup", "age", "consent"))
    driver.open_task(setup)
    # No type-ahead without JavaScript: the organisation stays a plain select, labelled by its question.
    organisation = QUESTIONNAIRE.question("organisation")
    select = page.get_by_role("combobox", name=visible_label(organisation), exact=True)
    expect(select).to_have_count(1)
    assert select.evaluate("element => element.tagName") == "SELECT"
    driver.screenshot("organisation")
    driver.complete_page()
    # Without JavaScript too, the service goes from one task to the next: the age, then the consent.
    driver.complete_page()
    driver.complete_page()
    driver.complete_page()

    assert driver.pages_seen == ["referral-details", "under-18", "child-during-exploitation", "consent"]
    assert urlparse(page.url).path.endswith("/questions/background/"), page.url
    driver.go_to_task_list()
    for section in (setup, age, consent):
        assert driver.task_status(section) == TaskStatus.COMPLETED, section.title
    expect(page.get_by_role("heading", level=1)).to_have_text("NRM referral for an adult")
    assert driver.task_status(QUESTIONNAIRE.section("background")) == TaskStatus.NOT_STARTED
    driver.screenshot("task-list-after-consent")


def test_the_axe_check_lets_only_govuk_conditional_reveals_through(browser):
    """GOV.UK's aria-expanded on a radio that reveals a question passes; the same attribute elsewhere does not."""
    reveal = (
        '<input class="govuk-radios__input" id="a" name="a" type="radio" value="yes" '
        'aria-controls="conditional-a" aria-expanded="false"><label for="a">Yes</label>'
        '<div id="conditional-a">More</div>'
    )
    context = browser.new_context()  # no live server, no database: a page of its own
    try:
        page = context.new_page()
        page.set_content(f'<html lang="en"><title>T</title><main><h1>T</h1><fieldset><legend>Q</legend>{reveal}'
                         "</fieldset></main></html>")  # fmt: skip
        assert_accessible(page)
        page.set_content(
            '<html lang="en"><title>T</title><main><h1>T</h1><input type="radio" id="b" name="b" aria-expanded="false">'
            '<label for="b">B</label></main></html>'
        )
        with pytest.raises(AssertionError, match="aria-allowed-attr"):
            assert_accessible(page)
    finally:
        context.close()
