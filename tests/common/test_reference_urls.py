"""References in URLs: one converter accepts only the reference shape, so a NUL byte (which PostgreSQL refuses in
text) or anything else in a reference is a 404 before any view runs. Generated from the URL conf."""

import re

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from accounts.roles import Role
from common.converters import ReferenceConverter, is_reference
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


PARAMETER = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")
GROUP = re.compile(r"\(\?P<(?P<name>\w+)>[^)]*\)")


def url_patterns(resolver=None, prefix=""):
    """(route, pattern) of every URL the project serves, its includes' prefixes joined on."""
    for entry in (resolver or get_resolver()).url_patterns:
        route = prefix + str(entry.pattern).lstrip("^").rstrip("$").replace("\\Z", "").replace("\\", "")
        if isinstance(entry, URLResolver):
            yield from url_patterns(entry, route)
        elif isinstance(entry, URLPattern):
            yield route, entry


def with_hostile(route: str, hostile: str) -> str:
    """The route with every non-integer parameter set to `hostile` and every integer one to 1."""

    def parameter(match):
        return "1" if match.group("converter") == "int" else hostile

    return "/" + GROUP.sub(lambda m: hostile, PARAMETER.sub(parameter, route)).replace("^", "")


PROJECT_APPS = ("referrals", "casework", "notifications", "panels", "insights", "accounts", "common")
ALL_ROUTES = sorted({route for route, _ in url_patterns()})
PROJECT_ROUTES = [
    route
    for route, pattern in url_patterns()
    if pattern.callback.__module__.split(".")[0] in PROJECT_APPS and not route.startswith("admin/")
]
STRING_ROUTES = [route for route in ALL_ROUTES if PARAMETER.search(route) or GROUP.search(route)]


def test_every_reference_in_the_projects_urls_goes_through_the_reference_converter():
    for route in PROJECT_ROUTES:
        for match in PARAMETER.finditer(route):
            assert match.group("converter") in ("int", "reference", "slug"), route
    assert sum("<reference:reference>" in route for route in PROJECT_ROUTES) >= 27


@pytest.mark.parametrize(
    "text", ["NRM-2026-000001%00", "NRM-2026-000001\x00", "nrm-2026-000001", "NRM-2026-1", "drafts", "X" * 500]
)
def test_a_url_with_anything_but_a_reference_is_not_found(client, text):
    client.force_login(UserFactory(role=Role.CASEWORKER))
    for route in PROJECT_ROUTES:
        if "<reference:reference>" in route:
            url = "/" + route.replace("<reference:reference>", text).replace("<int:", "").replace(">", "")
            url = re.sub(r"(decision_id|request_id|reconsideration_id)", "1", url)
            assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("reference", ["NRM-2026-000001", "DTN-2026-004217", "NRM-2031-1234567"])
def test_references_of_either_route_make_urls(reference):
    assert is_reference(reference)
    assert reverse("casework:case", args=[reference]).endswith(f"/{reference}/")
    assert reverse("referrals:detail", args=[reference]).endswith(f"/{reference}/")
    assert ReferenceConverter().to_python(reference) == reference


@pytest.mark.parametrize("role", [None, "superuser", Role.CASEWORKER, Role.FIRST_RESPONDER])
def test_a_nul_byte_in_any_string_parameter_of_any_url_is_never_a_server_error(client, role):
    if role == "superuser":
        client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    elif role:
        client.force_login(UserFactory(role=role))
    failures = []
    for route in STRING_ROUTES:
        url = with_hostile(route, "1%00")
        status = client.get(url).status_code
        if status >= 500:
            failures.append((url, status))
    assert failures == []


@pytest.mark.parametrize(
    "url",
    [
        "/admin/casework/case/?status=%00",
        "/admin/notifications/notification/?kind=x%00",
        "/admin/accounts/user/?q=%00",
        "/admin/?x%00=1",
    ],
)
def test_a_nul_byte_in_the_query_of_an_admin_page_is_a_bad_request(client, url):
    client.force_login(UserFactory(role=Role.ADMIN))
    response = client.get(url)
    assert response.status_code == 400
    assert "There is a problem" in response.content.decode() or response.templates[0].name == "400.html"


def test_a_query_without_nul_bytes_reaches_the_page_and_the_services_pages_read_nul_through_their_forms(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    assert client.get("/admin/casework/case/?status=awaiting_rg").status_code == 200
    client.force_login(UserFactory(role=Role.FIRST_RESPONDER))
    assert client.get("/referrals/?q=NRM%00").status_code == 200
