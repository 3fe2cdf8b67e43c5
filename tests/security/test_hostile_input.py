"""Hostile input never gets a server error. Generated from the URL conf and from the forms each page offers:
for a user of every role, every page of theirs is asked for with hostile path parameters and query strings, and
every form it offers is posted (Hypothesis, a bounded number of examples, derandomised so that CI repeats
itself) with hostile values: Unicode digits, NUL and other control characters, huge strings, duplicated fields,
invalid UTF-8. Every answer must be below 500: a form error, a 4xx, a redirect or the page."""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import NoReverseMatch, reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from accounts.roles import Role
from tests.security.forms import HtmlForm, forms_of
from tests.security.urlconf import project_pages, sign_in_and_admin_pages
from tests.security.world import build_side, page_slugs, sign_in, url_arguments

EXAMPLES_PER_FORM = 4
# Each field alone, the others filled in as a user would: what reaches the code past the form's own checks.
ONE_FIELD_VALUES = ["²", "\x00", "9" * 40, "A" * 100_000]
ARGUMENTS_PER_PAGE = 3

# Characters str.isdigit() accepts that int() refuses, and digits of other scripts that int() accepts.
UNICODE_DIGITS = ["²", "³", "¹", "①", "٣", "१२", "１２", "𝟗", "߂"]  # noqa: RUF001
HOSTILE_VALUES = [
    *UNICODE_DIGITS,
    "\x00",
    "1\x00",
    "NRM-2026-000001\x00",
    "\x07\x08\x1b[2J\x7f",
    "\u202e\u200b\ufeff",
    "\r\nSet-Cookie: x=1",
    "9" * 40,
    "-1",
    "0",
    "1e400",
    "NaN",
    "-0",
    "",
    " ",
    "A" * 100_000,
    "<script>alert(1)</script>",
    "' OR '1'='1' --",
    "../../../../etc/passwd",
    "%00%ff",
    "2026-02-30",
    "{{ 7*7 }}",
]
hostile_text = st.one_of(st.sampled_from(HOSTILE_VALUES), st.text(max_size=60))
HOSTILE_PATH_VALUES = [
    "\x00",
    "NRM-2026-000001\x00",
    "²",
    "NRM-²",
    "A" * 3000,
    "%",
    "\u202e",
    " ",
    "99999999999999999999",
]
HUGE_NUMBER = "9" * 25


def _status(response) -> int:
    return response.status_code


class Probe:
    """Sends the requests and keeps every 5xx."""

    def __init__(self, client: Client):
        self.client = client
        self.requests = 0
        self.server_errors: list[str] = []

    def send(self, verb: str, url: str, **kwargs):
        if verb == "post_raw":  # the body's bytes as they are, whatever the charset says
            response = self.client.generic("POST", url, **kwargs)
        else:
            response = getattr(self.client, verb)(url, **kwargs)
        self.requests += 1
        if _status(response) >= 500:
            shown = {key: (value[:40] if isinstance(value, str) else value) for key, value in kwargs.items()}
            self.server_errors.append(f"{verb.upper()} {url[:200]!r} {str(shown)[:300]} -> {_status(response)}")
        return response


def _hostile_urls(page, arguments: dict) -> list[str]:
    """The page's URL with each parameter replaced by hostile values (an int parameter by a huge number)."""
    urls = []
    for name in arguments:
        for value in [*HOSTILE_PATH_VALUES, HUGE_NUMBER]:
            try:
                urls.append(reverse(page.name, kwargs={**arguments, name: value}))
            except NoReverseMatch:
                continue  # the converter refuses it: the URL cannot be asked for
    return urls


def _post_strategy(form: HtmlForm):
    """A post of the form: each field its page value, a hostile value or several values (duplicated)."""
    names = sorted(form.fields)

    def field_value(name):
        own = form.fields[name] or [""]
        return st.one_of(
            st.sampled_from(own),
            hostile_text,
            st.lists(st.one_of(st.sampled_from(own), hostile_text), min_size=2, max_size=3),
        )

    return st.fixed_dictionaries({name: field_value(name) for name in names})


def _plausible(name: str, values: list[str]) -> str:
    """What a user would put in the field: the page's own value, else something that fits its name."""
    if any(values):
        return next(value for value in values if value)
    lowered = name.lower()
    if lowered.endswith("day") or lowered.endswith("month"):
        return "1"
    if lowered.endswith("year"):
        return str(date.today().year)
    if "email" in lowered:
        return "someone@example.com"
    return "A plausible answer of a few words."


def _fuzz_form(probe: Probe, form: HtmlForm, *, thorough: bool = True) -> None:
    """`thorough=False` (Django admin's many wide forms) tries fewer values a field and fewer examples."""
    baseline = {name: _plausible(name, values) for name, values in form.fields.items()}
    for name in sorted(form.fields):
        for value in ONE_FIELD_VALUES if thorough else ONE_FIELD_VALUES[:2]:
            probe.send("post", form.action, data={**baseline, name: value})

    @settings(
        max_examples=EXAMPLES_PER_FORM if thorough else 2,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=_post_strategy(form))
    def post(data):
        probe.send("post", form.action, data=data)

    post()
    # Invalid UTF-8 in a urlencoded body, and the same bytes in every field.
    raw = "&".join(f"{name}=%FF%FE%00" for name in form.fields).encode() + b"&junk=\xff\xfe"
    probe.send("post_raw", form.action, data=raw, content_type="application/x-www-form-urlencoded")
    probe.send("post_raw", form.action, data=raw, content_type="application/x-www-form-urlencoded; charset=bogus")


def _query_strings(forms: list[HtmlForm]) -> list[dict]:
    names = {"page", "sort", "q", "status", "tab"} | {
        name for form in forms if form.method == "get" for name in form.fields
    }
    return [{name: value for name in sorted(names)} for value in ("²", "\x00", "9" * 40, "A" * 5000, "-1")] + [
        {name: ["1", "2"] for name in sorted(names)}
    ]


def _own_arguments(page, side, role) -> list[dict]:
    if page.params == ("pk", "slug"):
        # The first responder posts to every question page of one draft (number, date and text questions alike);
        # the organisation's administrator, whose question pages are the same, to a few.
        slugs = page_slugs() if role == Role.FIRST_RESPONDER else page_slugs()[:ARGUMENTS_PER_PAGE]
        return [{"pk": side.drafts[0].pk, "slug": slug} for slug in slugs]
    return url_arguments(page, side)


def _fuzz_page(
    probe: Probe, page, arguments: dict, seen_forms: set, skip_actions: tuple = ("/accounts/",), thorough: bool = True
) -> bool:
    """The page with hostile path parameters and query strings, and every form it offers; False when the page
    did not answer (so there was nothing to fuzz)."""
    try:
        url = reverse(page.name, kwargs=arguments)
    except (NoReverseMatch, ValueError):
        return False  # a regex pattern with unnamed groups (django-simple-history's revert page): not asked for
    response = probe.send("get", url)
    if _status(response) != 200:
        return False
    html = "html" in response.get("Content-Type", "")
    forms = forms_of(response.content.decode(errors="replace"), url) if html else []
    for query in _query_strings(forms):
        probe.send("get", url, data=query)
    for hostile_url in _hostile_urls(page, arguments):
        probe.send("get", hostile_url)
        probe.send("post", hostile_url, data={"version": "²"})
    for form in forms:
        # Django admin's add and change pages post the same form to two addresses: it is fuzzed once.
        key = (form.action if thorough else "", tuple(sorted(form.fields)))
        if form.method != "post" or key in seen_forms or form.action.startswith(skip_actions):
            continue
        seen_forms.add(key)
        _fuzz_form(probe, form, thorough=thorough)
    return True


@pytest.fixture
def home(db):
    return build_side("Home")


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_no_hostile_request_to_any_page_or_form_gets_a_server_error(home, role):
    client = Client(raise_request_exception=False)
    sign_in(client, home.users[role.value])
    probe = Probe(client)
    seen_forms: set[tuple] = set()
    # The question pages first, while their draft is still a draft: later forms send it or delete it.
    for page in sorted(project_pages(), key=lambda page: page.name != "referrals:page"):
        answered = 0
        for arguments in _own_arguments(page, home, role):
            if answered >= ARGUMENTS_PER_PAGE and page.name != "referrals:page":
                break
            answered += _fuzz_page(probe, page, arguments, seen_forms)
    print(f"{role.value}: {probe.requests} hostile requests, {len(probe.server_errors)} server errors")
    assert probe.requests > 0
    assert probe.server_errors == [], "\n".join(probe.server_errors)


# Forms that end the session or change the way in: fuzzed by the anonymous pass, or not at all.
SESSION_ENDING = ("/accounts/logout/", "/admin/logout/", "/accounts/sessions/", "/accounts/2fa/", "/accounts/password/")


def _admin_object_arguments(page) -> list[dict]:
    """Django admin's object pages, for the first object of the model the page's name is about."""
    from django.contrib import admin

    if page.params != ("object_id",):
        return [] if page.params else [{}]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}_"
        if page.name.startswith(prefix) and not page.name.endswith("_delete"):
            first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
            return [{"object_id": str(first)}] if first is not None else []
    return []


@pytest.mark.parametrize("who", ["anonymous", Role.ADMIN.value, Role.DATA_PROTECTION.value])
def test_no_hostile_request_to_sign_in_or_django_admin_gets_a_server_error(home, who):
    client = Client(raise_request_exception=False)
    if who != "anonymous":
        sign_in(client, home.users[who])
    probe = Probe(client)
    seen_forms: set[tuple] = set()
    for page in sign_in_and_admin_pages():
        if page.name.endswith("_delete") or page.route.startswith(SESSION_ENDING):
            continue
        for arguments in _admin_object_arguments(page):
            thorough = not page.name.startswith("admin:")
            _fuzz_page(probe, page, arguments, seen_forms, skip_actions=SESSION_ENDING, thorough=thorough)
    print(f"{who}: {probe.requests} hostile requests, {len(probe.server_errors)} server errors")
    assert probe.requests > 100
    assert probe.server_errors == [], "\n".join(probe.server_errors)
