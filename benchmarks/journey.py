"""The referral journey in a real browser: page loads and seconds per route, from "Start a new referral" to the
sent page, as a first responder goes through it.

    .venv/bin/python benchmarks/journey.py                        # every route, 3 runs each, own server
    .venv/bin/python benchmarks/journey.py --routes child --runs 1
    .venv/bin/python benchmarks/journey.py --url http://127.0.0.1:8000   # against `make run`'s demo

Without --url it uses its own database (`nrm_bench_journey` on the app's PostgreSQL server: created, migrated and
given the demo's organisations and sign-ins) and serves it with `manage.py runserver` on a free port (uploads
marked clean without a scan, Celery tasks on a queue of their own that nothing reads and that is emptied at the
end). It drives Playwright on Debian's chromium (/usr/bin/chromium), signed in as the demo's police first
responder.

The walker knows only the pages, never the question declaration: on a task list it opens the first task that is
not completed (or "Check your answers" when none is left); on a question page it answers every question it sees
with a plausible answer chosen by the question's label (radios and checkboxes by the options' labels, text by
kind, dates, the type-ahead of long lists, "Add another" for a second town); on the evidence page it uploads a
small PDF with its description; on the check page it ticks the declaration and sends. Every page load counts: each
"Save and continue", each return to the task list and each task opened, "Add another", the upload, the check page
and the sent page (a redirect after a post is one load: the page it leads to). See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import re
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import demo_server_environment, empty_queue, free_port  # noqa: E402

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
DEMO_RESPONDER = "responder@police.example"
# Page loads, from "Start a new referral" to the sent page: the target (0.75 x the live service) and the
# live GOV.UK service's for the same answers.
TARGETS = {"child": 36, "adult": 39, "duty_to_notify": 30}
LIVE_SERVICE = {"child": 48, "adult": 52, "duty_to_notify": 40}
ROUTE_NAMES = {"child": "child", "adult": "adult", "duty_to_notify": "Duty to Notify"}
QUEUE = "nrm-journey-benchmark"

# A PDF as small as a PDF can be: its type is read from the content ("%PDF-"), not from the name.
TINY_PDF = (
    b"%PDF-1.4\n"
    b"1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/MediaBox[0 0 200 200]/Parent 2 0 R>>endobj\n"
    b"trailer<</Root 1 0 R>>\n"
    b"%%EOF\n"
)


# --- plausible answers, by what the page says ---------------------------------------------------------------
# Radios: the first rule whose pattern is found in the question (its legend) picks the option with that label.
# The route's own rules come first. Without a rule: "No" when offered (nothing more to tell), else the first.
ROUTE_RADIOS = {
    "child": [(r"under 18 at any time", "Yes"), (r"under 18", "Yes")],
    "adult": [(r"under 18 at any time", "No"), (r"under 18", "No"), (r"consent", "Yes")],
    "duty_to_notify": [(r"under 18 at any time", "No"), (r"under 18", "No"), (r"consent", "No")],
}
COMMON_RADIOS = [
    (r"nation", "England"),
    (r"more than one exploitative situation", "No"),
    (r"taken somewhere", "Yes"),
    (r"still in the exploitative situation", "No"),
    (r"last have contact", "Within the last month"),
    (r"indicators", "Yes"),
    (r"where were they exploited", "In the UK"),
    (r"other potential victims", "Not sure"),
    (r"exploited again", "Yes"),
    (r"safeguarding needs", "Yes"),
    (r"crime reference", "Yes"),
    (r"cooperate", "Yes"),
    (r"gender", "Female"),
    (r"contact them", "By email"),
    (r"want support", "Yes"),
    (r"support provider contact", "On their own phone"),
    (r"decision be sent to", "The person"),
]
# Checkboxes (more than one box): the options ticked, by label; without a rule, the first that is not "Other" or
# "None".
ROUTE_CHECKBOXES = {
    "child": [(r"types of exploitation", ["Forced to commit crime", "Child sexual exploitation"])],
    "adult": [(r"types of exploitation", ["Forced to work for nothing"])],
    "duty_to_notify": [(r"types of exploitation", ["Forced to work for nothing"])],
}
COMMON_CHECKBOXES = [(r"how should the decision be sent", ["By email"])]
# Type-aheads and selects: the first of these that the list offers (an option whose text starts with it).
CHOICES = [
    (r"organisation", ["Demo Police"]),
    (r"local authority", ["Manchester", "Birmingham", "Leeds"]),
    (r"country.*born|born.*country", ["Albania", "Vietnam", "Eritrea"]),
    (r"countries outside", ["France", "Italy"]),
    (r"nationality", ["Albanian", "Albania", "Vietnamese", "Vietnam"]),
    (r"police force", ["Greater Manchester", "West Midlands"]),
    (r"region", ["North West", "West Midlands"]),
    (r"town|city", ["Manchester", "Liverpool", "Birmingham", "Leeds"]),
]
# Add-another lists: how many items to give.
LIST_ITEMS = [(r"towns|cities", 2)]
TEXTS = [
    (r"your reference", "PS/2026/0142"),
    (r"your first name", "Priya"),
    (r"your last name", "Shah"),
    (r"first name of your contact", "Sam"),
    (r"last name of your contact", "Evans"),
    (r"first name", "Amira"),
    (r"last name", "Hoxha"),
    (r"nickname|name used", "Mira"),
    (r"your role", "Detective constable"),
    (r"crime|cad", "GMP-2026-118842"),
    (r"language", "Albanian"),
    (r"type of reference", "Case ID"),
    (r"reference number", "H1234567"),
    (r"full name", "Drita Hoxha"),
    (r"relationship", "Sister"),
    (r"building and street line 2", ""),
    (r"building and street", "12 Hope Street"),
    (r"county", ""),
    (r"postcode", "M1 1AA"),
    (r"town or city", "Tirana"),
    (r"how many", "1"),
]
EMAILS = [(r"not available|who can we contact", "duty.desk@police.example")]
SKIP_OPTIONAL_CHOICE = re.compile(r"second nationality", re.IGNORECASE)


def first_match(rules, text: str, default=None):
    for pattern, value in rules:
        if re.search(pattern, text, re.IGNORECASE):
            return value
    return default


def textarea_answer(label: str) -> str:
    subject = re.sub(r"\s*\(optional\)$", "", label).rstrip("?").strip()
    return f"{subject}: as the person described it at interview on 2 December, with dates and places where known."


# --- the page as the walker sees it ---------------------------------------------------------------------------
# One pass over the page's main form (the one with the primary button), in document order: each visible control
# with its label (a fieldset's legend for radios, checkboxes, dates and lists), what is chosen or typed already.
DESCRIBE_PAGE = """
() => {
  const visible = (el) => !!(el.offsetWidth || el.offsetHeight || el.getClientRects().length);
  const text = (el) => (el ? el.innerText.replace(/\\s+/g, " ").trim() : "");
  const legendOf = (el) => text(el.closest("fieldset")?.querySelector(":scope > legend"));
  const labelOf = (el) => text(el.labels?.[0]) || el.getAttribute("aria-label") || "";
  const primary = [...document.querySelectorAll("main form button.govuk-button:not(.govuk-button--secondary)")]
    .find((button) => visible(button));
  const form = primary?.closest("form");
  if (!form) return {controls: [], primary: null};
  const controls = [];
  for (const el of form.querySelectorAll(
      ".govuk-radios, .govuk-checkboxes, .govuk-date-input, input.govuk-input, textarea, select, " +
      "input.autocomplete__input, button[name='add_another']")) {
    if (el.matches(".govuk-radios, .govuk-checkboxes")) {
      const items = [...el.querySelectorAll(
        ":scope > .govuk-radios__item > input, :scope > .govuk-checkboxes__item > input")];
      if (!items.length || !visible(items[0].closest("div"))) continue;
      const options = items.map((input) => ({id: input.id, label: labelOf(input), checked: input.checked}));
      const kind = el.matches(".govuk-radios") ? "radios" : items.length === 1 ? "confirm" : "checkboxes";
      controls.push({kind, label: kind === "confirm" ? options[0].label : legendOf(el), options});
    } else if (el.matches(".govuk-date-input")) {
      if (!visible(el)) continue;
      const parts = [...el.querySelectorAll("input")].map(
        (input) => ({id: input.id, label: labelOf(input), value: input.value}));
      controls.push({kind: "date", label: legendOf(el), parts});
    } else if (el.matches("input.autocomplete__input")) {
      if (!visible(el)) continue;
      const select = document.getElementById(el.id + "-select");
      const options = select ? [...select.options].map((option) => option.text.trim()).filter(Boolean) : [];
      controls.push({kind: "combobox", id: el.id, label: labelOf(el), value: el.value, options,
                     group: legendOf(el)});
    } else if (el.matches("select")) {
      if (!visible(el)) continue;
      const options = [...el.options].map((option) => option.text.trim()).filter(Boolean);
      controls.push({kind: "select", id: el.id, label: labelOf(el), value: el.value, options, group: legendOf(el)});
    } else if (el.matches("button")) {
      if (!visible(el)) continue;
      controls.push({kind: "add_another", label: legendOf(el), value: el.value});
    } else {
      if (!visible(el) || el.matches(".govuk-date-input__input, .autocomplete__input, [type=hidden], [type=file]")) {
        continue;
      }
      const kind = el.tagName === "TEXTAREA" ? "textarea" : el.type === "email" ? "email"
        : el.type === "tel" ? "phone" : el.inputMode === "numeric" ? "number" : "text";
      controls.push({kind, id: el.id, label: labelOf(el), value: el.value});
    }
  }
  return {controls, primary: text(primary)};
}
"""


class WalkerStuck(Exception):
    pass


@dataclass
class JourneyResult:
    route: str
    page_loads: int
    seconds: float
    reference: str
    pages: list[str] = field(default_factory=list)  # each page load's <title>, in order


@dataclass
class JourneyWalker:
    """Walks one referral, route `route`, in `page` (signed in as a first responder, on any page of the site)."""

    page: object
    route: str
    evidence: Path | None = None
    max_loads: int = 200
    loads: list[str] = field(default_factory=list)
    _counting: bool = False

    def __post_init__(self):
        self.page.on("response", self._on_response)
        self._documents = 0

    # --- counting ----------------------------------------------------------------------------------------------
    def _on_response(self, response) -> None:
        request = response.request
        if (
            self._counting
            and request.resource_type == "document"
            and request.frame == self.page.main_frame
            and not 300 <= response.status < 400
        ):
            self._documents += 1

    def navigate(self, action) -> None:
        """Runs `action` (a click that submits or follows a link) and waits for the page it leads to."""
        with self.page.expect_navigation():
            action()
        self.page.wait_for_load_state("load")
        self.loads.append(self.page.title().split(" \N{EN DASH} ")[0])  # without the service's name
        if len(self.loads) > self.max_loads:
            raise WalkerStuck(f"more than {self.max_loads} page loads: the walker is going round in circles")

    # --- the journey -------------------------------------------------------------------------------------------
    def run(self, *, start_url: str = "/referrals/") -> JourneyResult:
        self.page.goto(start_url)
        started = time.perf_counter()
        self._counting = True
        start = self.page.locator("main").get_by_role("button", name="Start a new referral")
        if not start.count():
            start = self.page.locator("main").get_by_role("link", name="Start a new referral")
        self.navigate(start.first.click)
        same_page_errors = 0
        while True:
            if self.page.locator(".govuk-panel--confirmation").count():
                break
            before = self.page.url
            if self.page.locator(".govuk-task-list").count():
                self.from_task_list()
            elif self.page.get_by_role("button", name=re.compile(r"\bsend\b", re.IGNORECASE)).count():
                self.send()
            else:
                self.answer_page()
            if self.page.locator(".govuk-error-summary").count():
                same_page_errors = same_page_errors + 1 if self.page.url == before else 1
                if same_page_errors >= 3:
                    summary = self.page.locator(".govuk-error-summary").inner_text()
                    raise WalkerStuck(f"the page {self.page.url} keeps refusing the answers:\n{summary}")
            else:
                same_page_errors = 0
        seconds = time.perf_counter() - started
        self._counting = False
        panel = self.page.locator(".govuk-panel--confirmation").inner_text()
        found = re.search(r"\b(?:NRM|DTN)-\d{4}-\d{6}\b", panel)
        return JourneyResult(
            route=self.route,
            page_loads=self._documents,
            seconds=seconds,
            reference=found[0] if found else "",
            pages=list(self.loads),
        )

    def from_task_list(self) -> None:
        """The first task not completed (optional ones too: the walker adds evidence), else "Check your answers"."""
        for item in self.page.locator("li.govuk-task-list__item").all():
            status = " ".join(item.locator(".govuk-task-list__status").inner_text().split()).lower()
            link = item.locator("a")
            if link.count() and status not in ("completed", "cannot start yet"):
                self.navigate(link.first.click)
                return
        check = self.page.locator("main").get_by_role("button", name="Check your answers")
        if not check.count():
            check = self.page.locator("main").get_by_role("link", name=re.compile("check your answers", re.I))
        if not check.count():
            raise WalkerStuck(f"nothing left to open on the task list {self.page.url}, and no 'Check your answers'")
        self.navigate(check.first.click)

    def send(self) -> None:
        """The check page: tick every box left (the declaration), then send."""
        button = self.page.get_by_role("button", name=re.compile(r"\bsend\b", re.IGNORECASE)).first
        form = button.locator("xpath=ancestor::form[1]")
        for box in form.locator("input[type=checkbox]").all():
            if box.is_visible() and not box.is_checked():
                box.check()
        self.navigate(button.click)

    # --- a question page ---------------------------------------------------------------------------------------
    def answer_page(self) -> None:
        if self.evidence and self.page.locator("input[type=file]").count() and not self._uploaded_here():
            self.upload(self.evidence)
        for _ in range(6):  # each pass answers what the previous one revealed
            described = self.page.evaluate(DESCRIBE_PAGE)
            if described["primary"] is None:
                raise WalkerStuck(f"no form to fill and no task list on {self.page.url}")
            if self.answer(described["controls"]) == "reloaded":
                continue
            if not self.answer(self.page.evaluate(DESCRIBE_PAGE)["controls"]):
                break
        button = self.page.locator("main form button.govuk-button:not(.govuk-button--secondary)")
        self.navigate(next(b for b in button.all() if b.is_visible()).click)

    def _uploaded_here(self) -> bool:
        return bool(self.page.locator("main dl.govuk-summary-list").count())

    def upload(self, path: Path) -> None:
        self.page.locator("input[type=file]").set_input_files(str(path))
        upload_form = self.page.locator("form").filter(has=self.page.locator("input[type=file]"))
        upload_form.locator("textarea").fill("Police national computer record of the first encounter, 2 December")
        self.navigate(upload_form.locator("button[type=submit]").first.click)

    def answer(self, controls: list[dict]):
        """Answers each control still empty. Returns whether anything changed ("reloaded" after "Add another")."""
        changed = False
        filled_in_list: dict[str, int] = {}
        for control in controls:
            kind, label = control["kind"], control["label"]
            optional = label.endswith("(optional)")
            if kind == "radios":
                if not any(option["checked"] for option in control["options"]):
                    self.choose_radio(control)
                    changed = True
            elif kind == "checkboxes":
                if not any(option["checked"] for option in control["options"]):
                    self.choose_checkboxes(control)
                    changed = True
            elif kind == "confirm":
                if not control["options"][0]["checked"]:
                    self.page.locator(f"#{control['options'][0]['id']}").check()
                    changed = True
            elif kind == "date":
                if not any(part["value"] for part in control["parts"]):
                    self.fill_date(control)
                    changed = True
            elif kind in ("combobox", "select"):
                group = control.get("group") or ""
                in_list = bool(re.search(r" \d+( \(optional\))?$", label)) and group
                if in_list:
                    wanted = first_match(LIST_ITEMS, group, 1)
                    filled = filled_in_list.get(group, 0)
                    if control["value"]:
                        filled_in_list[group] = filled + 1
                        continue
                    if filled >= wanted:
                        continue
                    filled_in_list[group] = filled + 1
                elif control["value"] or (optional and SKIP_OPTIONAL_CHOICE.search(label)):
                    continue
                self.choose(control, skip=filled_in_list.get(group, 1) - 1 if in_list else 0)
                changed = True
            elif kind == "add_another":
                if filled_in_list.get(label, 0) < first_match(LIST_ITEMS, label, 1):
                    button = self.page.locator(f"button[name='add_another'][value='{control['value']}']")
                    self.navigate(button.click)
                    return "reloaded"
            elif not control["value"]:
                value = self.text_for(kind, label)
                if value:
                    field_ = self.page.locator(f"[id='{control['id']}']")
                    field_.fill(value)
                    if kind == "textarea":
                        field_.press("End")  # a key up, on which GOV.UK's character count counts what was typed
                    changed = True
        return changed

    def choose_radio(self, control: dict) -> None:
        rules = ROUTE_RADIOS[self.route] + COMMON_RADIOS
        labels = [option["label"] for option in control["options"]]
        wanted = first_match(rules, control["label"])
        if wanted not in labels:
            wanted = "No" if "No" in labels else labels[0]
        option = next(option for option in control["options"] if option["label"] == wanted)
        self.page.locator(f"[id='{option['id']}']").check()

    def choose_checkboxes(self, control: dict) -> None:
        rules = ROUTE_CHECKBOXES[self.route] + COMMON_CHECKBOXES
        labels = [option["label"] for option in control["options"]]
        wanted = [label for label in first_match(rules, control["label"], []) if label in labels]
        if not wanted:
            wanted = [next(label for label in labels if not re.match(r"other|none", label, re.IGNORECASE))]
        for option in control["options"]:
            if option["label"] in wanted:
                self.page.locator(f"[id='{option['id']}']").check()

    def fill_date(self, control: dict) -> None:
        if re.search(r"birth", control["label"], re.IGNORECASE):
            day, month, year = (14, 3, 2011) if self.route == "child" else (14, 3, 1996)
        else:
            day, month, year = 2, 11, 2026
        values = {"day": day, "month": month, "year": year}
        for part in control["parts"]:
            self.page.locator(f"[id='{part['id']}']").fill(str(values.get(part["label"].lower(), "")))

    def choose(self, control: dict, *, skip: int = 0) -> None:
        """The first plausible option the list offers (the skip-th for a list's later items), typed into the
        type-ahead and picked from its suggestions, or chosen in the plain select."""
        label = control.get("group") or control["label"]
        candidates = first_match(CHOICES, label, []) + first_match(CHOICES, control["label"], [])
        offered = [text for text in control["options"] if text.lower() not in ("", "select", "choose")]
        matching = [text for wanted in candidates for text in offered if text.lower().startswith(wanted.lower())]
        choices = list(dict.fromkeys(matching)) or offered
        if not choices:
            raise WalkerStuck(f"the list '{control['label']}' on {self.page.url} offers nothing")
        value = choices[min(skip, len(choices) - 1)]
        field_ = self.page.locator(f"[id='{control['id']}']")
        if control["kind"] == "select":
            field_.select_option(label=value)
            return
        field_.fill(value)
        listbox = self.page.locator(f"[id='{control['id']}__listbox']")
        listbox.get_by_role("option", name=value, exact=True).first.click()

    def text_for(self, kind: str, label: str) -> str:
        plain = re.sub(r"\s*\(optional\)$", "", label)
        if kind == "email":
            return first_match(EMAILS, plain, "amira.hoxha@example.org")
        if kind == "phone":
            return "07911 123456"
        if kind == "number":
            return "1"
        if kind == "textarea":
            return textarea_answer(plain)
        return first_match(TEXTS, plain, "Not known")


# --- running it -----------------------------------------------------------------------------------------------
def sign_in(page, email: str, password: str) -> None:
    page.goto("/accounts/login/")
    page.locator('input[name="login"]').fill(email)
    page.locator('input[name="password"]').fill(password)
    with page.expect_navigation():
        page.locator("main").get_by_role("button", name="Sign in", exact=True).click()


def walk_routes(base_url: str, *, email: str, password: str, routes: list[str], runs: int) -> dict[str, list]:
    from playwright.sync_api import sync_playwright

    results: dict[str, list[JourneyResult]] = {route: [] for route in routes}
    with tempfile.TemporaryDirectory() as folder, sync_playwright() as playwright:
        evidence = Path(folder) / "pnc-record.pdf"
        evidence.write_bytes(TINY_PDF)
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS, headless=True)
        context = browser.new_context(base_url=base_url)
        context.set_default_timeout(30_000)
        page = context.new_page()
        sign_in(page, email, password)
        for _ in range(runs):
            for route in routes:
                walker = JourneyWalker(page, route, evidence=evidence)
                results[route].append(walker.run())
        browser.close()
    return results


def print_results(results: dict[str, list[JourneyResult]]) -> None:
    print()
    header = f"{'route':<16} {'runs':>4} {'page loads':>10} {'target':>7} {'live':>5} {'s p50':>7} {'s max':>7}"
    print(header)
    print("-" * len(header))
    for route, runs in results.items():
        loads = sorted({run.page_loads for run in runs})
        seconds = [run.seconds for run in runs]
        met = "" if max(loads) <= TARGETS[route] else "  over target"
        print(
            f"{ROUTE_NAMES[route]:<16} {len(runs):>4} {'/'.join(map(str, loads)):>10} {TARGETS[route]:>7} "
            f"{LIVE_SERVICE[route]:>5} {statistics.median(seconds):>7.1f} {max(seconds):>7.1f}{met}"
        )


def prepare_own_server(database: str) -> tuple[subprocess.Popen, str, str]:
    """The benchmark's database (migrated, with the demo's organisations and sign-ins) served by runserver on a
    free port. Returns the server process, its URL and the demo password."""
    from benchmarks.harness import use_own_database

    url = use_own_database(database)
    # Demo mode, as `make run` serves it: uploads are marked clean without ClamAV ("Not scanned for viruses").
    os.environ.update({"NRM_DEMO": "true", "NRM_REQUIRE_STAFF_MFA": "false", "CLAMD_ENABLED": "false"})
    import django

    django.setup()
    from django.core.management import call_command

    from accounts import demo as accounts_demo

    call_command("migrate", verbosity=0)
    accounts_demo.seed()
    port = free_port()
    environment = demo_server_environment(url, port=port, queue=QUEUE)
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", "--insecure", f"127.0.0.1:{port}"],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if server.poll() is not None:
                raise RuntimeError(f"runserver stopped: {server.stderr.read().decode()[-2000:]}") from None
            time.sleep(0.3)
    return server, f"http://127.0.0.1:{port}", accounts_demo.DEMO_PASSWORD


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--routes", nargs="+", choices=list(TARGETS), default=list(TARGETS))
    parser.add_argument("--runs", type=int, default=3, help="journeys per route (default 3)")
    parser.add_argument("--url", help="a running server to walk (default: the benchmark's own)")
    parser.add_argument("--email", default=DEMO_RESPONDER, help="the first responder signing in")
    parser.add_argument("--password", help="their password (default: the demo's)")
    parser.add_argument("--database", default="nrm_bench_journey", help="the benchmark's own database")
    parser.add_argument("--pages", action="store_true", help="list each route's page loads by title")
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    if not CHROMIUM.exists():
        sys.exit(f"This benchmark needs Debian's chromium at {CHROMIUM}: sudo apt-get install chromium")
    server = None
    if arguments.url:
        base_url, password = arguments.url.rstrip("/"), arguments.password or "nrm-demo-password"
    else:
        server, base_url, password = prepare_own_server(arguments.database)
        password = arguments.password or password
    try:
        print(f"Walking {', '.join(ROUTE_NAMES[r] for r in arguments.routes)} on {urlsplit(base_url).netloc}, ")
        print(f"{arguments.runs} run(s) each, signed in as {arguments.email}")
        results = walk_routes(
            base_url, email=arguments.email, password=password, routes=arguments.routes, runs=arguments.runs
        )
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=20)
            empty_queue(QUEUE)
    if arguments.pages:
        for route, runs in results.items():
            print(f"\n{ROUTE_NAMES[route]} ({runs[0].page_loads} page loads):")
            for number, title in enumerate(runs[0].pages, start=1):
                print(f"  {number:>3}. {title}")
    print_results(results)


if __name__ == "__main__":
    main()
