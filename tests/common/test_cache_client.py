"""The cache keeps one redis-py client per connection pool instead of building one on every call (common.cache)."""

from django.core.cache import cache


def test_every_cache_call_of_a_process_uses_the_same_redis_client_and_still_reaches_redis(db):
    client = cache._cache.get_client()
    cache.set("reused-client-check", "kept", 30)
    assert cache.get("reused-client-check") == "kept"
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: reads and writes share its pool
    cache.delete("reused-client-check")
    assert cache.get("reused-client-check") is None
