"""`make run`'s supervisor (supervisord.conf): a killed worker or beat is started again and the site stays up;
SIGINT (Ctrl-C) stops every process.

The project's own supervisord.conf runs, with its web, worker and beat, on this test's database and on a Redis
the test starts itself (own_redis), on the test run's own Celery queue. The scanner program is left out: it runs
clamd on the checkout's .data/clamav, which a `make run` in another terminal may be using.
"""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest

from tests.fixtures.celery_worker import database_url_for
from tests.fixtures.own_servers import free_port

ROOT = Path(__file__).resolve().parents[2]
START_TIMEOUT_SECONDS = 180


def children(pid: int) -> list[int]:
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def descendants(pid: int) -> set[int]:
    found = set()
    for child in children(pid):
        found |= {child, *descendants(child)}
    return found


def alive(pid: int) -> bool:
    try:
        return (Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]) != "Z"
    except OSError:
        return False


def command_line(pid: int) -> str:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
    except OSError:
        return ""


def wait_for(condition, timeout: float, what: str, log: Path):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    pytest.fail(f"Gave up waiting for {what}. supervisord's output ends:\n{log.read_text(errors='replace')[-5000:]}")


def healthz(port: int, timeout: float = 5) -> int | str:
    """/healthz's status, or the error that stopped it (refused, reset, timed out)."""
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        connection.request("GET", "/healthz", headers={"Host": "localhost"})
        return connection.getresponse().status
    except OSError as error:
        return repr(error)


def program_pid(supervisord: int, program: str) -> int | None:
    """The pid of `program`'s main process (a direct child of supervisord)."""
    pattern = {"web": "gunicorn nrm.wsgi", "worker": "-A nrm worker", "beat": "-A nrm beat"}[program]
    for pid in children(supervisord):
        if pattern in command_line(pid) and alive(pid):
            return pid
    return None


def test_make_run_restarts_a_killed_worker_and_beat_keeps_the_site_up_and_ctrl_c_stops_everything(
    transactional_db, own_redis, tmp_path
):
    from django.db import connection

    # The programs of this interpreter's environment (the project's .venv under `make test`).
    bin_dir = str(Path(sys.executable).parent)
    config = (ROOT / "supervisord.conf").read_text()
    assert "%(here)s/.venv/bin/" in config
    config = config.replace("%(here)s/.venv/bin", bin_dir).replace("%(here)s", str(ROOT))
    config = re.sub(r"\[program:scanner\].*?(?=\n\[|\Z)", "", config, flags=re.DOTALL)
    assert {"[program:web]", "[program:worker]", "[program:beat]"} <= set(re.findall(r"\[program:\w+\]", config))
    (tmp_path / "supervisord.conf").write_text(config)
    port = free_port()
    environment = {
        **os.environ,
        "PORT": str(port),
        "DATABASE_URL": database_url_for(connection.settings_dict),
        "REDIS_URL": own_redis.url,
        "CELERY_QUEUE": f"nrm-test-supervisor-{uuid.uuid4().hex[:8]}",
    }
    log = tmp_path / "supervisord.out"
    with log.open("wb") as output:
        process = subprocess.Popen(
            [
                str(Path(bin_dir) / "supervisord"),
                "-n",
                "-c", str(tmp_path / "supervisord.conf"),
                "-j", str(tmp_path / "supervisord.pid"),
                "-l", str(tmp_path / "supervisord.log"),
            ],
            stdout=output,
            stderr=subprocess.STDOUT,
            env=environment,
            cwd=ROOT,
            start_new_session=True,
        )  # fmt: skip
    every_process: set[int] = set()
    try:
        wait_for(lambda: healthz(port) == 200, START_TIMEOUT_SECONDS, "the web to answer", log)
        worker = wait_for(lambda: program_pid(process.pid, "worker"), 30, "the worker", log)
        beat = wait_for(lambda: program_pid(process.pid, "beat"), 30, "beat", log)
        wait_for(lambda: log.read_text(errors="replace").count(" ready.") >= 1, 60, "the worker to be ready", log)
        every_process |= descendants(process.pid)

        # The site is asked for /healthz all the time the worker and beat are killed and started again.
        # A generous timeout: this machine may be busy, and the question is whether the site answers at all.
        statuses: list[int | str] = []
        stop_asking = threading.Event()

        def keep_asking():
            while not stop_asking.is_set():
                statuses.append(healthz(port, timeout=30))
                time.sleep(0.1)

        asker = threading.Thread(target=keep_asking)
        asker.start()
        try:
            os.kill(worker, signal.SIGKILL)
            os.kill(beat, signal.SIGKILL)
            new_worker = wait_for(
                lambda: (pid := program_pid(process.pid, "worker")) not in (None, worker) and pid,
                30,
                "a new worker",
                log,
            )
            new_beat = wait_for(
                lambda: (pid := program_pid(process.pid, "beat")) not in (None, beat) and pid, 30, "a new beat", log
            )
            # The new worker takes work again: it says it is ready a second time.
            wait_for(lambda: log.read_text(errors="replace").count(" ready.") >= 2, 60, "the new worker", log)
            time.sleep(1)
        finally:
            stop_asking.set()
            asker.join()
        assert alive(new_worker)
        assert alive(new_beat)
        assert len(statuses) > 10
        assert set(statuses) == {200}, f"the site stopped answering while worker and beat restarted: {statuses}"
        supervisor_lines = log.read_text(errors="replace")
        assert "exited: worker (terminated by SIGKILL; not expected)" in supervisor_lines
        assert "exited: beat (terminated by SIGKILL; not expected)" in supervisor_lines
        every_process |= descendants(process.pid)

        # Ctrl-C: supervisord stops every process it started, then exits.
        os.kill(process.pid, signal.SIGINT)
        process.wait(timeout=60)
        wait_for(lambda: not [pid for pid in every_process if alive(pid)], 30, "every process to stop", log)
        assert "ConnectionRefusedError" in str(healthz(port))
    finally:
        # supervisord puts each program in a process group of its own: every one is killed, not only supervisord's.
        every_process |= descendants(process.pid)
        if process.poll() is None:
            process.kill()
            process.wait()
        for pid in every_process:
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
