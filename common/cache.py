"""The cache: Redis for what may be forgotten, PostgreSQL for the sign-in rate limits and lockout that may not.

`ResilientRedisCache` is Django's Redis cache with two differences (docs/adr/0019-redis-timeouts-and-rate-limit-
fallback.md):

- allauth's rate-limit counters and their locks (keys `allauth:rl:...`: failed sign-ins per account and per
  address, codes requested, password resets) are kept in PostgreSQL, always, through Django's database cache on
  the table OPTIONS["RATE_LIMITS_TABLE"] (accounts.RateLimitCounter). Sign-in then works while Redis is down or
  frozen, and a lockout holds across every web process and survives a Redis outage or restart. Falling back to
  the database only when Redis fails would split the counts between two stores at each failure and each
  recovery: an attacker's failures counted in one would be forgotten by the other.
- Anything else is in Redis, and a Redis error (refused, timed out) is a miss: `get` returns the default, `add`
  False, `set` and `delete` do nothing, each logged. After a call that waited out its socket timeout, Redis is
  left alone for OPTIONS["PAUSE_SECONDS"] in this process, so a frozen Redis costs a request one timeout at
  most and the requests after it none. A key whose delete failed is deleted again once Redis answers.

The other OPTIONS (socket_timeout, socket_connect_timeout, ...) go to redis-py as for Django's RedisCache.
"""

import logging
import threading
import time

import redis.exceptions
from django.core.cache.backends.base import DEFAULT_TIMEOUT
from django.core.cache.backends.db import DatabaseCache
from django.core.cache.backends.redis import RedisCache, RedisCacheClient

from common.broker import SlowFailurePause

logger = logging.getLogger(__name__)

RATE_LIMIT_PREFIX = "allauth:rl:"
REDIS_ERRORS = (redis.exceptions.RedisError, OSError)

# One pause per Redis server and process, shared by every thread's cache object.
_pauses: dict[str, SlowFailurePause] = {}
_pauses_lock = threading.Lock()


def redis_pause(location: str) -> SlowFailurePause:
    with _pauses_lock:
        return _pauses.setdefault(location, SlowFailurePause())


class CountersCache(DatabaseCache):
    """Django's database cache, except for its cull. Django's deletes a third of the entries (live lockouts
    included) once MAX_ENTRIES is passed; this one deletes only expired entries, and does at every write
    (MAX_ENTRIES 0), so a counter (which may hold a client's IP address) is kept no longer than its window."""

    def _cull(self, db, cursor, now, num):
        from django.db import connections

        connection = connections[db]
        table = connection.ops.quote_name(self._table)  # from settings, never from a request
        cursor.execute(
            f"DELETE FROM {table} WHERE expires < %s",  # noqa: S608
            [connection.ops.adapt_datetimefield_value(now)],
        )


class ReusedRedisCacheClient(RedisCacheClient):
    """Django's Redis cache client, keeping one redis-py client per connection pool. Django's builds a new
    `redis.Redis` on every cache call (a tenth of a millisecond of a cache read); a client is only a handle on its
    pool and safe to share between threads, so the same one serves every call."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._clients = {}

    def get_client(self, key=None, *, write=False):
        index = self._get_connection_pool_index(write)
        client = self._clients.get(index)
        if client is None:
            client = self._clients[index] = self._client(connection_pool=self._get_connection_pool(write))
        return client


class ResilientRedisCache(RedisCache):
    def __init__(self, server, params):
        params = {**params, "OPTIONS": dict(params.get("OPTIONS", {}))}
        options = params["OPTIONS"]
        table = options.pop("RATE_LIMITS_TABLE")
        self._pause_seconds = float(options.pop("PAUSE_SECONDS", 15))
        self._slow_after = float(options.get("socket_timeout") or 1)
        super().__init__(server, params)
        self._class = ReusedRedisCacheClient
        self.counters = CountersCache(
            table,
            {
                "TIMEOUT": params.get("TIMEOUT", DEFAULT_TIMEOUT),
                "KEY_PREFIX": params.get("KEY_PREFIX", ""),
                "VERSION": params.get("VERSION", 1),
                "KEY_FUNCTION": params.get("KEY_FUNCTION"),
                "OPTIONS": {"MAX_ENTRIES": 0},  # cull (expired entries only) at every write
            },
        )
        self._pause = redis_pause(str(server))
        self._to_delete_later: set[str] = set()

    @property
    def key_prefix(self):
        return self._key_prefix

    @key_prefix.setter
    def key_prefix(self, value):
        # tests/conftest.py gives each test run its own prefix by setting it on the cache in place.
        self._key_prefix = value
        if hasattr(self, "counters"):
            self.counters.key_prefix = value

    def _redis(self, operation: str, miss, call):
        """call(), or `miss` when Redis fails or is paused after failing slowly a moment ago."""
        if self._pause.active():
            return miss
        started = time.monotonic()
        try:
            if self._to_delete_later:
                self._delete_again()
            return call()
        except REDIS_ERRORS as error:
            self._pause.failed(
                waited=time.monotonic() - started, slow_after=self._slow_after, pause=self._pause_seconds
            )
            logger.warning("Cache unavailable (%s): %s treated as a miss", type(error).__name__, operation)
            return miss

    def _delete_again(self) -> None:
        keys = list(self._to_delete_later)
        super().delete_many(keys)
        self._to_delete_later.difference_update(keys)

    @staticmethod
    def _counter(key) -> bool:
        return isinstance(key, str) and key.startswith(RATE_LIMIT_PREFIX)

    def add(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._counter(key):
            return self.counters.add(key, value, timeout, version)
        return self._redis("add", False, lambda: super(ResilientRedisCache, self).add(key, value, timeout, version))

    def get(self, key, default=None, version=None):
        if self._counter(key):
            return self.counters.get(key, default, version)
        return self._redis("get", default, lambda: super(ResilientRedisCache, self).get(key, default, version))

    def set(self, key, value, timeout=DEFAULT_TIMEOUT, version=None):
        if self._counter(key):
            return self.counters.set(key, value, timeout, version)
        return self._redis("set", None, lambda: super(ResilientRedisCache, self).set(key, value, timeout, version))

    def touch(self, key, timeout=DEFAULT_TIMEOUT, version=None):
        if self._counter(key):
            return self.counters.touch(key, timeout, version)
        return self._redis("touch", False, lambda: super(ResilientRedisCache, self).touch(key, timeout, version))

    def delete(self, key, version=None):
        if self._counter(key):
            return self.counters.delete(key, version)
        deleted = self._redis("delete", None, lambda: super(ResilientRedisCache, self).delete(key, version))
        if deleted is None:  # not deleted: a stale value must not come back with Redis
            self._to_delete_later.add(self.make_and_validate_key(key, version=version))
            return False
        return deleted

    def has_key(self, key, version=None):
        if self._counter(key):
            return self.counters.has_key(key, version)
        return self._redis("has_key", False, lambda: super(ResilientRedisCache, self).has_key(key, version))

    def incr(self, key, delta=1, version=None):
        if self._counter(key):
            return self.counters.incr(key, delta, version)
        # A counter that cannot be read cannot be incremented: as for a missing key.
        missing = ValueError(f"Key '{key}' not found (the cache is unavailable)")
        result = self._redis("incr", missing, lambda: super(ResilientRedisCache, self).incr(key, delta, version))
        if result is missing:
            raise missing
        return result

    def get_many(self, keys, version=None):
        keys = list(keys)
        counters = [key for key in keys if self._counter(key)]
        others = [key for key in keys if not self._counter(key)]
        found = self.counters.get_many(counters, version) if counters else {}
        if others:
            found |= self._redis("get_many", {}, lambda: super(ResilientRedisCache, self).get_many(others, version))
        return found

    def set_many(self, data, timeout=DEFAULT_TIMEOUT, version=None):
        counters = {key: value for key, value in data.items() if self._counter(key)}
        others = {key: value for key, value in data.items() if not self._counter(key)}
        failed = self.counters.set_many(counters, timeout, version) if counters else []
        if others:
            call = lambda: super(ResilientRedisCache, self).set_many(others, timeout, version)  # noqa: E731
            failed += self._redis("set_many", list(others), call)
        return failed

    def delete_many(self, keys, version=None):
        for key in keys:
            self.delete(key, version)

    def clear(self):
        self.counters.clear()
        return self._redis("clear", False, lambda: super(ResilientRedisCache, self).clear())
