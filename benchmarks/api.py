"""Benchmark of the partner API: sending referrals through POST /api/v1/referrals and reading their status, beside
the web form's sending of the same answers.

    .venv/bin/python benchmarks/api.py [--submissions 40] [--requests 200] [--database nrm_bench_api]

Uses its own database (`nrm_bench_api` on the app's PostgreSQL server), created and migrated on the first run and
reused afterwards (`--reseed` starts it again); the referrals it sends stay there, so later runs read a growing
organisation. An API client of its own police organisation (partners.services.clients.api_client_create) gets a
token from the token endpoint, as a partner would. Every request goes through Django's test client (middleware,
authentication, scope, rate, request log, view, queries; no network), one after the other, after warming up, and
the script prints p50/p95 server times, queries, and requests a second (1,000 / mean ms: one client, one process).

Measures:
- the token endpoint (client credentials, HTTP Basic);
- POST /api/v1/referrals with a complete answer set for a plausible route (referrals.demo_answers), with an
  Idempotency-Key: the question declaration's checks, referral_submit (reference, case, PDF job), the key's row;
- the web form's sending of the same kind of answers: a draft saved as the pages do, then `referral_submit`;
- GET /api/v1/referrals/{reference} (status, outcomes, deadlines; an access-log row), a different referral each
  time; GET /api/v1/referrals (first page); GET /api/v1/changes (first page).
Emails and jobs are queued to a queue of the benchmark's own, emptied at the end: nobody runs them.
"""

from __future__ import annotations

import argparse
import base64
import os
import random
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import (  # noqa: E402
    empty_queue,
    measure,
    print_rows,
    recreate_database,
    sql_milliseconds,
    summary,
    use_own_database,
)

QUEUE = "nrm-api-benchmark"
ORGANISATION = "Benchmark API Police"
CLIENT_NAME = "Benchmark case system"


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--submissions", type=int, default=40, help="referrals sent by each way (default 40)")
    parser.add_argument("--requests", type=int, default=200, help="requests for each read (default 200)")
    parser.add_argument("--database", default="nrm_bench_api")
    parser.add_argument("--reseed", action="store_true", help="drop the benchmark's database first")
    return parser.parse_args()


def prepare(url: str, *, reseed: bool) -> None:
    import django

    os.environ["CELERY_QUEUE"] = QUEUE
    os.environ["CLAMD_ENABLED"] = "false"
    os.environ["PARTNER_API_RATE_PER_MINUTE"] = "1000000"  # the benchmark measures the calls, not the limit
    if reseed:
        recreate_database(url)
    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client's host, and email kept in memory
    call_command("migrate", verbosity=0)


def organisation_and_responder():
    from accounts.models import Nation, Organisation, User
    from accounts.roles import Role
    from accounts.services import user_create

    organisation = Organisation.objects.get_or_create(
        name=ORGANISATION, defaults={"kind": "police", "nation": Nation.ENGLAND, "email_domains": []}
    )[0]
    email = f"responder{organisation.pk}@bench.example"
    responder = User.objects.filter(email=email).first() or user_create(
        email=email, role=Role.FIRST_RESPONDER, organisation=organisation, full_name="Benchmark Responder"
    )
    return organisation, responder


def admin_of(organisation):
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create

    email = f"admin{organisation.pk}@bench.example"
    return User.objects.filter(email=email).first() or user_create(
        email=email, role=Role.ORGANISATION_ADMIN, organisation=organisation, full_name="Benchmark Admin"
    )


def new_client(organisation) -> tuple[str, str]:
    """A fresh API client with every scope (its secret is shown only at creation): (client id, secret)."""
    from partners.models import ApiClient
    from partners.scopes import Scope
    from partners.services.clients import api_client_create

    created = api_client_create(
        actor=admin_of(organisation),
        organisation=organisation,
        name=f"{CLIENT_NAME} {ApiClient.objects.filter(organisation=organisation).count() + 1}",
        scopes=[scope.value for scope in Scope],
    )
    return created.client.client_id, created.client_secret


def token_benchmark(client, client_id: str, secret: str, requests: int) -> tuple[dict, str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    basic = "Basic " + base64.b64encode(f"{client_id}:{secret}".encode()).decode()
    times, sql_times, queries, token = [], [], set(), ""
    for number in range(requests + 3):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/oauth/token", {"grant_type": "client_credentials"}, HTTP_AUTHORIZATION=basic
            )
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            return {"n": number, "failed": f"answered {response.status_code}"}, ""
        token = response.json()["access_token"]
        if number >= 3:
            times.append(elapsed)
            sql_times.append(sql_milliseconds(context))
            queries.add(len(context))
    return summary(times, sql_times, queries), token


def answer_sets(organisation_name: str, count: int, *, for_api: bool = True) -> list[dict]:
    from referrals.demo_answers import complete_answers, plausible_route

    rng = random.Random(time.time_ns())
    sets = []
    for _ in range(count):
        answers = complete_answers(
            plausible_route(rng), organisation_name=organisation_name, seed=rng.randint(10**6, 10**9)
        )
        if for_api:
            answers.pop("_visited", None)  # the pages' own bookkeeping, no question
        sets.append(answers)
    return sets


def api_send_benchmark(client, token: str, answers: list[dict]) -> tuple[dict, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    times, sql_times, queries, references = [], [], set(), []
    for number, answer_set in enumerate(answers):
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            response = client.post(
                "/api/v1/referrals",
                {"answers": answer_set},
                content_type="application/json",
                HTTP_AUTHORIZATION=f"Bearer {token}",
                HTTP_IDEMPOTENCY_KEY=str(uuid.uuid4()),
            )
            elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 201:
            return {"n": number, "failed": f"answered {response.status_code}: {response.content[:300]!r}"}, []
        references.append(response.json()["reference"])
        if number >= 2:  # the first two warm up
            times.append(elapsed)
            sql_times.append(sql_milliseconds(context))
            queries.add(len(context))
    return summary(times, sql_times, queries), references


def web_send_benchmark(responder, answers: list[dict]) -> dict:
    """The web's way: the answers saved into a draft as the question pages do, then referral_submit (what the
    check-answers page's Send calls); only the sending is timed, as in benchmarks/referrals.py."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from referrals.services import draft_create, draft_save_page
    from referrals.services.submission import referral_submit

    times, sql_times, queries = [], [], set()
    for number, answer_set in enumerate(answers):
        draft = draft_create(actor=responder)
        draft, _ = draft_save_page(
            draft_id=draft.pk,
            actor=responder,
            page_slug="your-details",
            page_answers=answer_set,
            expected_version=draft.version,
        )
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            referral_submit(draft_id=draft.pk, actor=responder)
            elapsed = (time.perf_counter() - started) * 1000
        if number >= 2:
            times.append(elapsed)
            sql_times.append(sql_milliseconds(context))
            queries.add(len(context))
    return summary(times, sql_times, queries)


def main() -> int:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    prepare(url, reseed=arguments.reseed)

    from django.test import Client

    organisation, responder = organisation_and_responder()
    client_id, secret = new_client(organisation)
    http = Client()
    load_before = os.getloadavg()[0]
    rows = []
    token_result, token = token_benchmark(http, client_id, secret, min(arguments.requests, 50))
    rows.append(("POST /api/v1/oauth/token", token_result))
    if not token:
        print_table(rows, arguments, load_before)
        return 1
    api_result, references = api_send_benchmark(http, token, answer_sets(organisation.name, arguments.submissions))
    rows.append(("POST /api/v1/referrals (send)", api_result))
    rows.append(("web: referral_submit of a saved draft", web_send_benchmark(responder, answer_sets(
        organisation.name, arguments.submissions, for_api=False))))  # fmt: skip
    if references:
        reads = [f"/api/v1/referrals/{references[n % len(references)]}" for n in range(arguments.requests)]
        auth = Client(HTTP_AUTHORIZATION=f"Bearer {token}")
        rows.append(("GET /api/v1/referrals/{reference}", measure(auth, reads)))
        rows.append(("GET /api/v1/referrals (first page)", measure(auth, ["/api/v1/referrals"] * arguments.requests)))
        rows.append(("GET /api/v1/changes (first page)", measure(auth, ["/api/v1/changes"] * arguments.requests)))
    empty_queue(QUEUE)
    print_table(rows, arguments, load_before)
    return 0


def print_table(rows, arguments, load_before: float) -> None:
    from referrals.models import Referral

    total = Referral.objects.filter(organisation__name=ORGANISATION).count()
    print(f"\n{total:,} referrals in {ORGANISATION} after this run ({arguments.submissions} sent each way)\n")
    print_rows(rows, width=40)
    print("\nrequests a second, one client in one process (1,000 / mean ms):")
    for name, result in rows:
        if "failed" not in result:
            print(f"  {name:<40} {1000 / result['mean']:>7.1f}")
    print(f"\nload average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} (2 cores)")


if __name__ == "__main__":
    sys.exit(main())
