"""Fault drills: Redis frozen (connects, never answers) or stopped, under the broker and the cache of a real request.

Each drill points Celery's broker and Django's cache at the drill's own Redis (`own_redis`, never the shared one),
breaks it, and checks what a user sees: no request hangs, nothing committed is reported as failed, sign-in works
and its lockout holds (docs/adr/0019-redis-timeouts-and-rate-limit-fallback.md).
"""

import base64
import json
import time
from datetime import timedelta

import pytest
import redis
from django.conf import settings as django_settings
from django.contrib.auth import SESSION_KEY
from django.core.cache import cache
from django.db import transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from kombu import pools

from accounts.models import RateLimitCounter
from accounts.roles import Role
from casework.models import Case
from common.broker import broker_pause
from common.cache import redis_pause
from notifications.models import Notification
from notifications.services import notify
from notifications.tasks import notification_sweep_unsent
from nrm.celery import app
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Referral, Route
from referrals.services import draft_create
from tests.factories import TEST_PASSWORD, UserFactory

# A frozen Redis costs one publish about (1 + 2 retries) socket timeouts, and one cache call one: this is "a few".
A_FEW_SECONDS = 8


def use_broker(url: str) -> None:
    """Celery publishes to `url` from now on: its pooled connections (and producers) to the old one are closed."""
    pools.reset()
    app._pool = None
    app.amqp._producer_pool = None
    app.conf.broker_url = url
    broker_pause.end()


@pytest.fixture
def redis_under_test(own_redis, settings):
    """The broker and the cache on the drill's own Redis for this test; the shared ones again afterwards."""
    settings.REDIS_PAUSE_SECONDS = 2  # short, so that a drill can see publishing resume
    settings.CACHES = {
        "default": {
            **django_settings.CACHES["default"],
            "LOCATION": own_redis.url_for(1),
            "OPTIONS": {**django_settings.CACHES["default"]["OPTIONS"], "PAUSE_SECONDS": 2},
        }
    }
    previous = app.conf.broker_url
    use_broker(own_redis.url)
    try:
        yield own_redis
    finally:
        own_redis.thaw()
        use_broker(previous)


def queued_task_arguments(server, queue: str) -> list:
    """The arguments of every task message waiting in `queue` on the drill's Redis (Celery's protocol 2)."""
    client = redis.Redis.from_url(server.url, socket_timeout=5)
    arguments = []
    for raw in client.lrange(queue, 0, -1):
        message = json.loads(raw)
        arguments.append(json.loads(base64.b64decode(message["body"]))[0])
    return arguments


def password_sign_in(client, user, password=TEST_PASSWORD):
    return client.post(reverse("account_login"), {"login": user.email, "password": password})


@pytest.fixture
def responder(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    return UserFactory(role=Role.FIRST_RESPONDER)


# --- a frozen Redis under the referral's send --------------------------------------------------------------------


def test_a_frozen_redis_does_not_fail_a_committed_referral(transactional_db, project_data, redis_under_test, responder):
    draft = draft_create(actor=responder)
    answers = complete_answers(Route.ADULT, organisation_name=responder.organisation.name, seed=0)
    Draft.objects.filter(pk=draft.pk).update(answers=answers)
    draft.refresh_from_db()
    client = Client()
    client.force_login(responder)

    redis_under_test.freeze()
    started = time.monotonic()
    response = client.post(
        reverse("referrals:send", kwargs={"pk": draft.pk}), {"declaration": "yes", "version": draft.version}
    )
    confirmation = client.get(response.url)
    elapsed = time.monotonic() - started

    assert response.status_code == 302
    assert confirmation.status_code == 200
    assert "NRM referral sent" in confirmation.text
    assert elapsed < A_FEW_SECONDS
    referral = Referral.objects.get(draft=draft)
    assert Case.objects.filter(referral=referral).exists()
    notifications = list(Notification.objects.filter(email_state=Notification.EmailState.PENDING))
    assert responder.pk in {notification.recipient_id for notification in notifications}

    # Redis thaws; once the pause has passed, the sweep (every 5 minutes in production) queues what was left.
    redis_under_test.thaw()
    Notification.objects.update(created_at=timezone.now() - timedelta(minutes=10))
    deadline = time.monotonic() + 10
    while broker_pause.active() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert notification_sweep_unsent() == len(notifications)
    queued = queued_task_arguments(redis_under_test, app.conf.task_default_queue)
    assert sorted(arguments[0] for arguments in queued) == sorted(notification.pk for notification in notifications)


def test_a_publish_that_finds_redis_frozen_pauses_the_next_ones_in_the_process(transactional_db, redis_under_test):
    recipients = UserFactory.create_batch(3, role=Role.FIRST_RESPONDER)
    redis_under_test.freeze()
    started = time.monotonic()
    with transaction.atomic():
        for recipient in recipients:
            notify(recipient=recipient, kind=Notification.Kind.DECISION_SERVED, reference="NRM-2026-000001")
    elapsed = time.monotonic() - started

    assert elapsed < A_FEW_SECONDS  # one publish waits out its timeouts; the other two are not tried
    assert Notification.objects.filter(email_state=Notification.EmailState.PENDING).count() == 3


# --- sign-in without Redis --------------------------------------------------------------------------------------


@pytest.mark.parametrize("fault", ["stopped", "frozen"])
def test_signing_in_with_the_right_password_works_while_redis_is_down(db, redis_under_test, settings, fault):
    settings.NRM_REQUIRE_STAFF_MFA = False
    caseworker = UserFactory(role=Role.CASEWORKER)
    client = Client()
    redis_under_test.stop() if fault == "stopped" else redis_under_test.freeze()

    started = time.monotonic()
    response = password_sign_in(client, caseworker)
    assert response.status_code == 302
    assert client.session[SESSION_KEY] == str(caseworker.pk)
    assert client.get(reverse("casework:queue")).status_code == 200
    assert time.monotonic() - started < A_FEW_SECONDS


def test_the_lockout_holds_while_redis_is_stopped_counting_the_failures_before_it(db, redis_under_test, settings):
    caseworker = UserFactory(role=Role.CASEWORKER)
    client = Client()
    failures = settings.LOGIN_FAILURES_BEFORE_LOCKOUT
    for _ in range(2):  # while Redis answers
        assert "There is a problem" in password_sign_in(client, caseworker, password="wrong password").text

    redis_under_test.stop()
    for _ in range(failures - 2):
        response = password_sign_in(client, caseworker, password="wrong password")
        assert "There is a problem" in response.text
        assert "You have tried to sign in too many times" not in response.text
    response = password_sign_in(Client(), caseworker)  # another browser, the right password
    assert "You have tried to sign in too many times" in response.text
    assert SESSION_KEY not in client.session

    # Redis back (empty, as after a restart): the account is still locked.
    redis_under_test.start()
    response = password_sign_in(Client(), caseworker)
    assert "You have tried to sign in too many times" in response.text
    # The counters are rows in PostgreSQL, which every web process shares; none holds the address itself.
    keys = list(RateLimitCounter.objects.values_list("cache_key", flat=True))
    assert keys
    assert not [key for key in keys if caseworker.email in key]


# --- the cache under a request ----------------------------------------------------------------------------------


def test_a_signed_in_page_answers_while_redis_is_frozen(db, redis_under_test, responder):
    draft = draft_create(actor=responder)
    Draft.objects.filter(pk=draft.pk).update(answers={"under_18": "yes", "_visited": ["under-18"]})
    client = Client()
    client.force_login(responder)
    url = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": "local-authority"})  # a cached reference list
    assert client.get(url).status_code == 200

    redis_under_test.freeze()
    started = time.monotonic()
    page = client.get(url)
    first = time.monotonic() - started
    started = time.monotonic()
    again = client.get(url)
    second = time.monotonic() - started

    assert page.status_code == 200
    assert "Leeds City Council" in page.text  # the list, read from the database
    assert again.status_code == 200
    assert first < A_FEW_SECONDS
    assert second < 1  # the cache leaves the frozen Redis alone for a while


def test_a_key_deleted_while_redis_was_frozen_is_deleted_once_it_answers(db, redis_under_test):
    cache.set("drill:names", ["old"])
    redis_under_test.freeze()
    assert cache.delete("drill:names") is False
    assert cache.get("drill:names", "missed") == "missed"

    redis_under_test.thaw()
    pause = redis_pause(redis_under_test.url_for(1))
    deadline = time.monotonic() + 10
    while pause.active() and time.monotonic() < deadline:
        time.sleep(0.1)
    assert cache.get("drill:names") is None  # the first call that reaches Redis deletes it first


def test_a_sign_in_counter_is_kept_in_postgresql_no_longer_than_its_window(db):
    cache.set("allauth:rl:drill:old", [1.0], timeout=60)
    RateLimitCounter.objects.update(expires=timezone.now() - timedelta(seconds=1))
    cache.set("allauth:rl:drill:new", [2.0], timeout=60)

    kept = list(RateLimitCounter.objects.values_list("cache_key", flat=True))
    assert kept == [cache.make_key("allauth:rl:drill:new")]
    assert cache.get("allauth:rl:drill:new") == [2.0]
    assert cache.get("allauth:rl:drill:old") is None
