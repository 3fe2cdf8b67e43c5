"""The WSGI module gunicorn preloads does the work a worker would otherwise do on its first request."""

import json
import os
import subprocess
import sys
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# Our packages, as import-linter's configuration names them (one list: a new app is counted without a change here).
OURS = tuple(tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]["root_packages"])

FIRST_REQUEST = f"""
import json, sys
import nrm.wsgi
import django.test
from django.db import connections
opened = [alias for alias in connections if connections[alias].connection is not None]
before = set(sys.modules)
response = django.test.Client(HTTP_HOST="localhost").get("/healthz")
new = sorted(name for name in set(sys.modules) - before if name.split(".")[0] in {OURS!r})
print(json.dumps({{"status": response.status_code, "opened": opened, "new": new}}))
"""


def test_a_new_workers_first_request_imports_none_of_our_modules_and_the_arbiter_opened_no_connection():
    """Without the warm-up the first request imported every view module (about a second); a connection opened
    in the arbiter would be shared by every forked worker."""
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "nrm.settings", "ALLOWED_HOSTS": "localhost"}
    result = subprocess.run(
        [sys.executable, "-c", FIRST_REQUEST], cwd=ROOT, env=environment, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr[-2000:]
    outcome = json.loads(result.stdout.strip().splitlines()[-1])
    assert outcome["status"] == 200
    assert outcome["new"] == []
    assert outcome["opened"] == []
