"""Defaults are production-safe; the security headers are on every page."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

ROOT = Path(__file__).resolve().parents[2]


def settings_with(environ: dict[str, str]) -> dict:
    """The settings a fresh process reads from exactly this environment (no .env file)."""
    code = (
        "import json, django; from django.conf import settings; django.setup(); "
        "names = ['DEBUG', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', "
        "'SECURE_HSTS_SECONDS', 'SECURE_SSL_REDIRECT', 'NRM_REQUIRE_STAFF_MFA', 'X_FRAME_OPTIONS', "
        "'SECURE_REFERRER_POLICY', 'STAFF_IDLE_TIMEOUT_SECONDS', 'EMAIL_BACKEND', 'CLAMD_SOCKET', 'CLAMD_HOST']; "
        "print(json.dumps({n: getattr(settings, n) for n in names}))"
    )
    env = {"PATH": os.environ["PATH"], "DJANGO_SETTINGS_MODULE": "nrm.settings", "NRM_DOTENV": "", **environ}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_the_defaults_are_safe_for_production():
    # A scanner is required outside demo mode (tests/uploads covers the refusal without one).
    values = settings_with(
        {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0", "CLAMD_HOST": "clamav.internal"}
    )
    assert values["DEBUG"] is False
    assert values["SESSION_COOKIE_SECURE"]
    assert values["CSRF_COOKIE_SECURE"]
    assert values["SESSION_COOKIE_HTTPONLY"]
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["NRM_REQUIRE_STAFF_MFA"] is True
    assert values["X_FRAME_OPTIONS"] == "DENY"
    assert values["SECURE_REFERRER_POLICY"] == "same-origin"
    assert values["STAFF_IDLE_TIMEOUT_SECONDS"] == 30 * 60
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"


def test_without_a_secret_key_the_app_refuses_to_start():
    with pytest.raises(subprocess.CalledProcessError) as failure:
        settings_with({"REDIS_URL": "redis://127.0.0.1:6379/0"})
    assert "SECRET_KEY" in failure.value.stderr


def test_demo_mode_relaxes_only_staff_mfa():
    values = settings_with({"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0", "NRM_DEMO": "true"})
    assert values["NRM_REQUIRE_STAFF_MFA"] is False
    assert values["SESSION_COOKIE_SECURE"] is True


def test_demo_mode_scans_with_the_daemon_clamd_host_names_rather_than_make_runs_socket():
    """docker compose's demo stack (NRM_DEMO=true, CLAMD_HOST=clamav): the local socket of `make run` does not exist
    in a container, and a socket set wins over a host, so every upload stayed "being checked" for ever."""
    base = {"SECRET_KEY": "x" * 50, "REDIS_URL": "redis://127.0.0.1:6379/0", "NRM_DEMO": "true"}
    in_containers = settings_with({**base, "CLAMD_HOST": "clamav"})
    assert in_containers["CLAMD_HOST"] == "clamav"
    assert in_containers["CLAMD_SOCKET"] == ""
    on_a_laptop = settings_with(base)
    assert on_a_laptop["CLAMD_SOCKET"] == str(ROOT / ".data" / "clamav" / "clamd.sock")
    chosen = settings_with({**base, "CLAMD_HOST": "clamav", "CLAMD_SOCKET": "/run/clamd.sock"})
    assert chosen["CLAMD_SOCKET"] == "/run/clamd.sock"


@pytest.mark.django_db
def test_every_page_sends_the_security_headers(client):
    response = client.get(reverse("home"))
    csp = response.headers["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in csp
    assert "default-src 'self'" in csp
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Content-Type-Options"] == "nosniff"


@pytest.mark.django_db
def test_error_pages_use_the_service_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Page not found" in response.text
    assert "govuk-header" in response.text


def test_the_server_error_page_renders_without_a_request():
    from django.template.loader import render_to_string

    html = render_to_string("500.html")  # Django renders it with an empty context
    assert "Sorry, there is a problem with the service" in html
    assert "govuk-footer" in html


@pytest.mark.django_db
def test_a_forged_post_gets_a_clear_403_page():
    from django.test import Client

    response = Client(enforce_csrf_checks=True).post(reverse("account_login"), {"login": "a@b.example"})
    assert response.status_code == 403
    assert "nothing was changed" in response.text
