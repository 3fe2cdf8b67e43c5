"""Benchmark of the casework queue, the team page, "Get next case" and the case page, at volume.

    .venv/bin/python benchmarks/casework.py [--count 1000000] [--requests 100] [--reseed] [--explain]

Uses its own database (`nrm_bench_casework` on the app's PostgreSQL server; --database to name another), which
it creates and migrates. It seeds `--count` cases in a plausible mix of states once (benchmarks/casework_seed.py,
set-based SQL); a later run with the same count reuses them, another count starts the database again. Then it
times pages through Django's test client, signed in as an SCA caseworker (and a manager for the team page), and
prints p50/p95 server times and query counts. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the queue's queries.
See benchmarks/README.md and docs/performance.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import measure, prepare_database, print_rows, use_own_database  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="cases to seed (default 1000000)")
    parser.add_argument("--requests", type=int, default=100, help="requests per measured page (default 100)")
    parser.add_argument("--database", default="nrm_bench_casework", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    parser.add_argument("--explain", action="store_true", help="print the plans of the queue's queries")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    return parser.parse_args()


def seeded_count() -> int:
    from casework.models import Case

    return Case.objects.filter(reference__startswith="NRM-").count()


# --- measuring ------------------------------------------------------------------------------------------------
CASEWORKER = "caseworker1@sca.bench.example"
CLAIMER = "caseworker180@sca.bench.example"  # "Get next case" assigns to this one; undone after measuring
MANAGER = "manager1@sca.bench.example"


def signed_in(email: str):
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=email))
    return client


FILTERS = [
    ("filtered: unassigned, children, criminal",
     {"tab": "unassigned", "age": "child", "exploitation_type": "criminal"}),
    ("filtered: awaiting CG, Scotland, oldest", {"tab": "awaiting_cg", "nation": "scotland", "sort": "oldest"}),
    ("filtered: overdue, adults, labour", {"tab": "overdue", "age": "adult", "exploitation_type": "labour"}),
    ("filtered: awaiting RG, nearest deadline", {"tab": "awaiting_rg", "sort": "deadline"}),
    ("filtered: unassigned, newest", {"tab": "unassigned", "sort": "newest"}),
    ("filtered: mine, any status, newest", {"tab": "mine", "status": "all", "sort": "newest"}),
    ("filtered: confirmed victims", {"tab": "unassigned", "status": "confirmed_victim"}),
    ("filtered: Wales, domestic (rare)", {"tab": "unassigned", "nation": "wales", "exploitation_type": "domestic"}),
]  # fmt: skip


def scenarios(requests: int) -> list[tuple[str, str, list, dict]]:
    """(name, who, URLs, options) of every measure."""
    from urllib.parse import urlencode

    from django.urls import reverse

    from casework.models import Case
    from casework.queue import COUNT_CAP, PER_PAGE, TABS

    rng = random.Random(11)
    queue = reverse("casework:queue")
    last_page = COUNT_CAP // PER_PAGE

    def repeat(make) -> list[str]:
        return [make(number) for number in range(requests)]

    references = list(
        Case.objects.filter(authority__short_name="SCA").order_by("?").values_list("reference", flat=True)[:requests]
    )
    rows = [(f"tab: {tab.label}", CASEWORKER, repeat(lambda n, t=tab: f"{queue}?tab={t.slug}"), {}) for tab in TABS]
    rows += [
        ("unassigned, pages 2 to 40", CASEWORKER,
         repeat(lambda n: f"{queue}?tab=unassigned&page={rng.randint(2, 40)}"), {}),
        (f"unassigned, any page (up to {last_page})", CASEWORKER,
         repeat(lambda n: f"{queue}?tab=unassigned&page={rng.randint(1, last_page)}"), {}),
        (f"unassigned, last page ({last_page})", CASEWORKER,
         repeat(lambda n: f"{queue}?tab=unassigned&page={last_page}"), {}),
    ]  # fmt: skip
    rows += [(name, CASEWORKER, repeat(lambda n, p=params: f"{queue}?{urlencode(p)}"), {}) for name, params in FILTERS]
    rows += [
        ("team page (manager), unassigned", MANAGER, repeat(lambda n: reverse("casework:team")), {}),
        ('"Get next case" (POST)', CLAIMER, repeat(lambda n: reverse("casework:claim_next")),
         {"method": "post", "expect": (302,)}),
        ("case page", CASEWORKER, [reverse("casework:case", args=[reference]) for reference in references], {}),
    ]  # fmt: skip
    return rows


def run(requests: int) -> list[tuple[str, dict]]:
    from accounts.models import User
    from casework.models import Case

    clients: dict[str, object] = {}
    results = []
    claimer = User.objects.get(email=CLAIMER)
    before = set(Case.objects.filter(assignee=claimer).values_list("pk", flat=True))
    try:
        for name, who, urls, options in scenarios(requests):
            client = clients.setdefault(who, signed_in(who))
            results.append((name, measure(client, urls, **options)))
            print(f"  {name}: done", flush=True)
    finally:
        # What "Get next case" took goes back to the queue, so that the next run measures the same data.
        Case.objects.filter(assignee=claimer).exclude(pk__in=before).update(assignee=None)
    return results


def explain(requests: int) -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every query of one request of each queue measure (docs/performance.md)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for name, who, urls, options in scenarios(1):
        if options or name == "case page":
            continue
        client = signed_in(who)
        client.get(urls[0])
        with CaptureQueriesContext(connection) as context:
            client.get(urls[0])
        print(f"\n### {name}: {urls[0]}")
        for query in context.captured_queries:
            if "casework_case" not in query["sql"]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
                print("--")


def print_table(count: int, rows: list[tuple[str, dict]]) -> None:
    from casework.models import Case

    sca_open = Case.objects.filter(authority__short_name="SCA", status__in=Case.OPEN_STATUSES).count()
    print(f"\n{count:,} cases seeded; the SCA has {sca_open:,} open cases (25 a page)\n")
    print_rows(rows)


def main() -> int:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    os.environ["NRM_REQUIRE_STAFF_MFA"] = "false"  # force_login signs staff in without an authenticator

    from benchmarks.casework_seed import seed

    prepare_database(
        url=url,
        database=arguments.database,
        count=arguments.count,
        reseed=arguments.reseed,
        noun="cases",
        seeded_count=seeded_count,
        seed=lambda count: seed(count, log=lambda message: print(message, flush=True)),
    )
    if arguments.seed_only:
        return 0
    if arguments.explain:
        explain(arguments.requests)
        return 0
    load_before = os.getloadavg()[0]
    rows = run(arguments.requests)
    print_table(arguments.count, rows)
    print(f"Load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
