"""gunicorn.conf.py sizes the web process from the CPUs it may use, and the environment overrides it (ADR 0022)."""

import os
import runpy
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "gunicorn.conf.py"
SIZING = (
    "WEB_CONCURRENCY",
    "WEB_THREADS",
    "WEB_TIMEOUT",
    "WEB_KEEPALIVE",
    "WEB_MAX_REQUESTS",
    "WEB_ACCESS_LOG",
    "WEB_PRELOAD",
)


def config_with(monkeypatch, **environment) -> dict:
    for name in SIZING:
        monkeypatch.delenv(name, raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    return runpy.run_path(str(CONFIG))


def test_the_web_process_has_two_workers_of_two_threads_a_cpu_by_default(monkeypatch):
    config = config_with(monkeypatch)
    cpus = len(os.sched_getaffinity(0))
    assert config["workers"] == max(2, 2 * cpus)
    assert (config["threads"], config["worker_class"]) == (2, "gthread")


def test_the_environment_overrides_the_size_and_one_thread_gives_sync_workers(monkeypatch):
    config = config_with(monkeypatch, WEB_CONCURRENCY="3", WEB_THREADS="1", WEB_TIMEOUT="20", WEB_ACCESS_LOG="")
    assert (config["workers"], config["threads"], config["worker_class"]) == (3, 1, "sync")
    assert config["timeout"] == 20
    assert config["accesslog"] is None


def test_gunicorn_times_out_before_the_balancer_and_keeps_idle_connections_longer_than_it(monkeypatch):
    config = config_with(monkeypatch)
    balancer_timeout = 60  # the usual load balancers' request and idle timeouts (docs/deployment.md)
    assert config["timeout"] < balancer_timeout < config["keepalive"]


def test_workers_are_forks_of_an_arbiter_that_imported_django_unless_told_otherwise(monkeypatch):
    """A worker replaced after max_requests (or a crash) serves at once instead of importing Django first."""
    assert config_with(monkeypatch)["preload_app"] is True
    assert config_with(monkeypatch, WEB_PRELOAD="false")["preload_app"] is False


def test_gunicorn_reads_the_file_as_its_configuration():
    """gunicorn loads the file and the app with it, and its validators accept every value the file sets."""
    check = subprocess.run(
        [sys.executable, "-m", "gunicorn", "--check-config", "--config", str(CONFIG), "nrm.wsgi"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "nrm.settings"},
    )
    assert check.returncode == 0, check.stderr[-2000:]
