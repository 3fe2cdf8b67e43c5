"""Settings for `benchmarks/throughput.py` only: the project's settings with a URL conf that adds the bare page
(`/bench/bare/<size>`). Never used by the service."""

import os

from nrm.settings import *  # noqa: F403

ROOT_URLCONF = "benchmarks.bench_urls"
# --refresh-every-request: the session's expiry and allauth's last seen written on every request, as before ADR 0022.
if os.environ.get("BENCH_REFRESH_EVERY_REQUEST") == "true":
    SESSION_ACTIVITY_REFRESH_SECONDS = 0
