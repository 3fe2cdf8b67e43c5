"""A plain signed-in GET writes nothing to the database: the session's idle expiry and allauth's "last seen" move
on at most once a minute (accounts.middleware.activity_refresh_due), and the idle timeout still signs people out."""

from datetime import timedelta

import pytest
import time_machine
from allauth.usersessions.models import UserSession
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from referrals.services import draft_create

pytestmark = pytest.mark.django_db

WRITES = ("INSERT", "UPDATE", "DELETE")


def writes_of(context) -> list[str]:
    return [query["sql"] for query in context.captured_queries if query["sql"].lstrip().upper().startswith(WRITES)]


@pytest.fixture(autouse=True)
def _no_authenticator_needed(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_a_second_get_of_the_queue_a_question_page_and_the_notifications_writes_nothing(caseworker, first_responder):
    draft = draft_create(actor=first_responder)
    question = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "under-18"})
    for user, url in (
        (caseworker, reverse("casework:queue")),
        (caseworker, reverse("notifications:list")),
        (first_responder, question),
        (first_responder, reverse("notifications:list")),
    ):
        client = signed_in(user)
        assert client.get(url).status_code == 200  # the first records the session's activity
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        assert writes_of(context) == [], url


def test_the_activity_is_recorded_again_once_a_minute_has_passed(caseworker):
    client = signed_in(caseworker)
    url = reverse("casework:queue")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        client.get(url)
        first_seen = UserSession.objects.get(user=caseworker).last_seen_at
        traveller.shift(timedelta(seconds=59))
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        assert writes_of(context) == []
        traveller.shift(timedelta(seconds=2))
        with CaptureQueriesContext(connection) as context:
            client.get(url)
        assert any("usersessions_usersession" in sql for sql in writes_of(context))
        assert any("django_session" in sql for sql in writes_of(context))
    assert UserSession.objects.get(user=caseworker).last_seen_at - first_seen == timedelta(seconds=61)


def test_a_change_of_browser_is_recorded_at_once(caseworker):
    client = signed_in(caseworker)
    url = reverse("casework:queue")
    client.get(url, headers={"user-agent": "Firefox"})
    client.get(url, headers={"user-agent": "Chromium"})
    assert UserSession.objects.get(user=caseworker).user_agent == "Chromium"


def test_the_idle_timeout_still_signs_staff_out_after_30_minutes_without_a_request(caseworker):
    client = signed_in(caseworker)
    url = reverse("casework:queue")
    start = timezone.now()
    with time_machine.travel(start, tick=False) as traveller:
        assert client.get(url).status_code == 200
        traveller.shift(timedelta(minutes=29))
        assert client.get(url).status_code == 200  # a request within the idle time keeps the session
        traveller.shift(timedelta(minutes=29))
        assert client.get(url).status_code == 200
        traveller.shift(timedelta(minutes=30, seconds=1))
        response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_a_session_ends_at_most_a_minute_early_and_never_late(caseworker, first_responder, settings):
    """Requests within the minute after the expiry moved on do not move it again: the session ends between its
    idle time less that minute and its idle time after the last request."""
    url = reverse("notifications:list")
    for user, idle in (
        (caseworker, settings.STAFF_IDLE_TIMEOUT_SECONDS),
        (first_responder, settings.FIRST_RESPONDER_IDLE_TIMEOUT_SECONDS),
    ):
        for after_expiry, status in ((-1, 200), (1, 302)):
            client = signed_in(user)
            with time_machine.travel(timezone.now(), tick=False) as traveller:
                assert client.get(url).status_code == 200  # the expiry moves on: idle seconds from now
                traveller.shift(timedelta(seconds=50))
                assert client.get(url).status_code == 200  # within the minute: not moved
                traveller.shift(timedelta(seconds=idle - 50 + after_expiry))
                assert client.get(url).status_code == status, (user.role, after_expiry)
