"""What the environment turns on: JSON logs by default, Sentry only with a DSN, Notify only with a key and its
template (each read by a fresh process from exactly the environment given, as a production process would)."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CODE = (
    "import json, sentry_sdk; import nrm.settings as s; client = sentry_sdk.get_client(); "
    "print(json.dumps({'LOG_FORMAT': s.LOG_FORMAT, 'formatters': sorted(s.LOGGING['formatters']), "
    "'EMAIL_BACKEND': s.EMAIL_BACKEND, 'sentry_active': client.is_active(), "
    "'environment': client.options.get('environment'), 'release': client.options.get('release'), "
    "'user_info': (client.options.get('data_collection') or {}).get('user_info')}))"
)
NOTIFY_KEY = "nrm_live-26785a09-ab16-4eb0-8407-a37497a57506-3d844edf-8d35-48ac-975b-e847b4f122b0"


def settings_from(environ: dict[str, str]) -> dict:
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "nrm.settings",
        "NRM_DOTENV": "",
        "SECRET_KEY": "x" * 50,
        # Named, so that settings look for no server (nothing connects on import).
        "DATABASE_URL": "postgres://nrm@127.0.0.1:9/nrm",
        "REDIS_URL": "redis://127.0.0.1:9/0",
        **environ,
    }
    result = subprocess.run(
        [sys.executable, "-c", CODE], env=env, cwd=ROOT, capture_output=True, text=True, check=True, timeout=60
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def test_production_logs_json_reports_no_errors_and_sends_email_by_smtp_by_default():
    values = settings_from({})
    assert values["LOG_FORMAT"] == "json"
    assert values["formatters"] == ["json"]
    assert values["EMAIL_BACKEND"] == "django.core.mail.backends.smtp.EmailBackend"
    assert values["sentry_active"] is False


def test_a_sentry_dsn_starts_error_reports_with_its_environment_and_release_and_no_user_details():
    values = settings_from(
        {
            "SENTRY_DSN": "http://publickey@127.0.0.1:9/1",
            "SENTRY_ENVIRONMENT": "staging",
            "SENTRY_RELEASE": "nrm@abc123",
        }
    )
    assert values["sentry_active"] is True
    assert values["environment"] == "staging"
    assert values["release"] == "nrm@abc123"
    assert values["user_info"] is False


def test_a_notify_key_sends_email_through_notify():
    values = settings_from({"NOTIFY_API_KEY": NOTIFY_KEY, "NOTIFY_TEMPLATE_ID": "f33517ff-2a88-4f6e-b855-c550268ce08a"})
    assert values["EMAIL_BACKEND"] == "common.email_backends.NotifyEmailBackend"


@pytest.mark.parametrize(
    "environ",
    [
        {"NOTIFY_API_KEY": NOTIFY_KEY},  # no template
        {"NOTIFY_API_KEY": "3d844edf-8d35-48ac-975b-e847b4f122b0", "NOTIFY_TEMPLATE_ID": "f33517ff"},  # a key's half
    ],
)
def test_a_notify_key_without_its_template_or_cut_short_stops_the_process(environ):
    with pytest.raises(subprocess.CalledProcessError) as failure:
        settings_from(environ)
    assert "NOTIFY_API_KEY needs NOTIFY_TEMPLATE_ID" in failure.value.stderr
    assert NOTIFY_KEY not in failure.value.stderr
