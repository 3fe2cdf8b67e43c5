"""Where PostgreSQL and Redis are: the environment's URL, else the local servers, else embedded ones."""

import os
import signal
import socket
import subprocess
import sys
from pathlib import Path

import psycopg
import pytest
import redis

from common import infrastructure

LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_REDIS = ("127.0.0.1", 6379)


def closed_port() -> tuple[str, int]:
    """A loopback port where nothing listens."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return ("127.0.0.1", probe.getsockname()[1])


def test_the_environments_urls_win_over_everything():
    environ = {"DATABASE_URL": "postgres://u@db.internal:5432/nrm", "REDIS_URL": "redis://cache.internal:6379/0"}
    assert infrastructure.database_url(environ=environ, local=LOCAL_POSTGRES) == environ["DATABASE_URL"]
    assert infrastructure.redis_url(environ=environ, local=LOCAL_REDIS) == environ["REDIS_URL"]


def test_the_local_servers_are_used_when_they_answer(tmp_path):
    assert infrastructure.database_url(environ={}, local=LOCAL_POSTGRES, data_dir=tmp_path) == (
        "postgres://postgres@127.0.0.1:5432/nrm"
    )
    assert infrastructure.redis_url(environ={}, local=LOCAL_REDIS, data_dir=tmp_path) == "redis://127.0.0.1:6379/0"
    assert not any(tmp_path.iterdir())  # nothing embedded was started


def test_an_embedded_redis_starts_when_no_server_answers_and_is_reused(tmp_path):
    url = infrastructure.redis_url(environ={}, local=closed_port(), data_dir=tmp_path)
    try:
        client = redis.Redis.from_url(url)
        assert client.ping()
        client.set("written-by", "test")
        # A second process of the app finds the same server rather than starting another.
        assert infrastructure.redis_url(environ={}, local=closed_port(), data_dir=tmp_path) == url
        assert redis.Redis.from_url(url).get("written-by") == b"test"
    finally:
        pid = int((tmp_path / "redis" / "redis.pid").read_text())
        os.kill(pid, signal.SIGTERM)


def test_an_embedded_postgresql_starts_when_no_server_answers(tmp_path):
    # In a child process, as a fresh machine would: pgserver keeps its server after that process exits.
    code = (
        "import sys; from pathlib import Path; from common import infrastructure as i; "
        "url = i.database_url(environ={}, local=('127.0.0.1', int(sys.argv[1])), data_dir=Path(sys.argv[2])); "
        "i.ensure_database(url); print(url)"
    )
    port = closed_port()[1]
    result = subprocess.run(
        [sys.executable, "-c", code, str(port), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=Path(__file__).resolve().parents[2],
        check=True,
    )
    url = result.stdout.strip().splitlines()[-1]
    pgdata = tmp_path / "postgres"
    try:
        assert url.startswith("postgres://postgres@")
        assert url.endswith("/nrm")
        with psycopg.connect(host=str(pgdata), dbname="nrm", user="postgres") as connection:
            assert connection.execute("SELECT current_database()").fetchone() == ("nrm",)
    finally:
        _stop_embedded_postgres(pgdata)


def _stop_embedded_postgres(pgdata: Path) -> None:
    code = "import sys, pgserver; pgserver.get_server(sys.argv[1], cleanup_mode='stop').cleanup()"
    subprocess.run([sys.executable, "-c", code, str(pgdata)], capture_output=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("url", "number", "expected"),
    [("redis://127.0.0.1:6379/0", 1, "redis://127.0.0.1:6379/1"), ("redis://h:1", 2, "redis://h:1/2")],
)
def test_the_cache_uses_another_database_of_the_same_redis(url, number, expected):
    assert infrastructure.with_database(url, number) == expected
