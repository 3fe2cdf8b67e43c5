"""The permission matrix, generated from the URL conf: every page that names an object, for a user of every
role, pointed at objects of another organisation, authority, provider and panel, answers 403 or 404 to GET and
to POST, and writes nothing to the access log."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from casework.models import AccessLogEntry
from tests.factories import UserFactory
from tests.security.urlconf import project_pages
from tests.security.world import build_side, names_an_object, sign_in, url_arguments

# 405: the page takes only the other method, whatever the object (it says nothing about the object). 401: the
# partner API refuses any request without its client's bearer token (a session is none), whatever the object.
REFUSED = {401, 403, 404, 405}


@pytest.fixture
def two_sides(db):
    return build_side("Home"), build_side("Away")


def test_every_page_that_names_an_object_is_in_the_matrix(two_sides):
    _, away = two_sides
    pages = [page for page in project_pages() if page.params and names_an_object(page)]
    assert len(pages) > 30
    for page in pages:
        assert url_arguments(page, away), f"{page} has no object of the other side to point at"


def _asked_to_sign_in(response) -> bool:
    """A partner API client's service user has no session (accounts.backends): every page asks it to sign in."""
    return response.status_code == 302 and response.url.startswith(reverse("account_login"))


def _pages_that_answer(client, side) -> tuple[list[str], int]:
    """Every page naming one of `side`'s objects, asked for with GET and POST: those that did not refuse, and
    how many requests were made."""
    answered = []
    requests = 0
    for page in project_pages():
        if not page.params or not names_an_object(page):
            continue
        for arguments in url_arguments(page, side):
            url = reverse(page.name, kwargs=arguments)
            for method in ("get", "post"):
                response = getattr(client, method)(url)
                requests += 1
                if response.status_code not in REFUSED and not _asked_to_sign_in(response):
                    answered.append(f"{method.upper()} {url} ({page.name}) -> {response.status_code}")
    return answered, requests


@pytest.mark.parametrize("role", list(Role), ids=lambda role: role.value)
def test_no_role_reaches_another_sides_objects_through_any_page(client, two_sides, role):
    home, away = two_sides
    sign_in(client, home.users[role.value])
    logged_before = AccessLogEntry.objects.count()
    answered, requests = _pages_that_answer(client, away)
    assert requests > 50
    assert answered == [], "\n".join(answered)
    assert AccessLogEntry.objects.count() == logged_before


def test_an_unverified_member_reaches_none_of_their_organisations_other_work_through_any_page(client, two_sides):
    """Someone whose request to join is still waiting belongs to the organisation but sees only their own work:
    every page naming the work of its verified members is refused to them."""
    home, _ = two_sides
    waiting = UserFactory(
        role=Role.FIRST_RESPONDER, organisation=home.responder_org, organisation_verified=False, email="new@home.gov.uk"
    )
    sign_in(client, waiting)
    logged_before = AccessLogEntry.objects.count()
    answered, _ = _pages_that_answer(client, home)
    assert answered == [], "\n".join(answered)
    assert AccessLogEntry.objects.count() == logged_before
