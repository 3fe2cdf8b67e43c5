"""Publishing a task to Celery's broker from a web request, without ever making the request wait on Redis.

A publish runs after the change that needs it has committed, so it must never fail or stall the response: the
row it is about stays pending and a sweep queues it later. The broker's socket timeouts and short publish retries
(nrm/settings.py, docs/configuration.md) bound one publish to a few seconds when Redis is frozen; `publish` then
stops trying for REDIS_PAUSE_SECONDS in this process, so that a request publishing a dozen tasks, and the
requests after it, do not each pay that wait (docs/adr/0019-redis-timeouts-and-rate-limit-fallback.md).

    try:
        publish(notification_send_email, notification.pk)
    except BROKER_ERRORS as error:
        ...  # log the id and type(error).__name__; the sweep sends it later
"""

import threading
import time

import kombu.exceptions
import redis.exceptions
from django.conf import settings


class BrokerPaused(Exception):
    """Not published: a publish in this process waited for a broker that did not answer a moment ago."""


# What a broker outage looks like to the publisher: kombu wraps most errors (OperationalError), redis-py and the
# socket may not (redis's ConnectionError and TimeoutError, socket.timeout, ConnectionRefusedError are OSError or
# RedisError), and BrokerPaused is ours.
BROKER_ERRORS = (kombu.exceptions.KombuError, redis.exceptions.RedisError, OSError, BrokerPaused)


class SlowFailurePause:
    """Remembers, in this process, that a server let a call wait until its timeout, and for how long to leave it
    alone. A failure that came back at once (connection refused) pauses nothing: trying again costs nothing."""

    def __init__(self) -> None:
        self._until = 0.0
        self._lock = threading.Lock()

    def active(self) -> bool:
        return time.monotonic() < self._until

    def failed(self, *, waited: float, slow_after: float, pause: float) -> None:
        if waited >= slow_after:
            with self._lock:
                self._until = max(self._until, time.monotonic() + pause)

    def end(self) -> None:
        with self._lock:
            self._until = 0.0


broker_pause = SlowFailurePause()


def publish(task, *args, **kwargs):
    """`task.delay(*args, **kwargs)`, or BrokerPaused at once while the broker is known not to answer. Raises one
    of BROKER_ERRORS when the broker cannot take it."""
    if broker_pause.active():
        raise BrokerPaused(f"the broker did not answer within {settings.REDIS_SOCKET_TIMEOUT} s a moment ago")
    started = time.monotonic()
    try:
        return task.delay(*args, **kwargs)
    except BROKER_ERRORS:
        broker_pause.failed(
            waited=time.monotonic() - started,
            slow_after=settings.REDIS_SOCKET_TIMEOUT,
            pause=settings.REDIS_PAUSE_SECONDS,
        )
        raise
