"""Benchmark of the statistics: every table page, the landing page, the downloads and the research extract, at
national volume (issue 11: every statistics page and export under 1 s at 1,000,000 referrals and their cases).

    .venv/bin/python benchmarks/insights.py [--count 1000000] [--requests 20] [--reseed] [--explain]

Uses its own database (`nrm_bench_insights` on the app's PostgreSQL server; --database to name another), which it
creates and migrates. It seeds `--count` cases with their referrals once (benchmarks/casework_seed.py), then the
served decisions, reconsiderations, disqualifications and Duty to Notify reports (benchmarks/insights_seed.py);
a later run with the same count reuses them. Each run rebuilds the fact tables with `facts_refresh()` (timed),
then times pages through Django's test client signed in as an analyst and prints p50/p95 server times and query
counts. --explain prints EXPLAIN (ANALYZE, BUFFERS) of the fact-table queries of each table page instead.
See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import measure, prepare_database, print_rows, use_own_database  # noqa: E402

ANALYST = "analyst@bench.example"
# Two representative tables downloaded in every format: the widest quarterly one, and a long breakdown.
EXPORTED_TABLES = ("referrals-by-age-and-location", "referrals-by-nationality")
ALL_YEARS = 10


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=1_000_000, help="cases (and NRM referrals) to seed")
    parser.add_argument("--requests", type=int, default=20, help="requests per measure (default 20)")
    parser.add_argument("--database", default="nrm_bench_insights", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    parser.add_argument("--explain", action="store_true", help="print the plans of the table pages' queries")
    parser.add_argument("--seed-only", action="store_true", help="seed and refresh, then stop")
    parser.add_argument("--only", default="", help="measure only the rows whose name contains this")
    return parser.parse_args()


def seeded_count() -> int:
    """The seeded cases, once the statistics' additions are there too (otherwise 0: the seed completes them)."""
    from casework.models import Case, Decision

    return Case.objects.count() if Decision.objects.exists() else 0


def analyst():
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create
    from casework.services import single_competent_authority

    return User.objects.filter(email=ANALYST).first() or user_create(
        email=ANALYST, role=Role.ANALYST, organisation=single_competent_authority(), full_name="Bench Analyst"
    )


def all_years_query() -> str:
    """A custom period of the last ten years, as the filter form posts it."""
    from urllib.parse import urlencode

    from django.utils import timezone

    today = timezone.localdate()
    return urlencode(
        {
            "period": "custom",
            "start_0": 1,
            "start_1": 1,
            "start_2": today.year - ALL_YEARS + 1,
            "end_0": today.day,
            "end_1": today.month,
            "end_2": today.year,
        }
    )


def scenarios(requests: int) -> list[tuple[str, list[str]]]:
    from django.urls import reverse
    from django.utils import timezone

    from insights.tables import TABLES

    def repeat(url: str) -> list[str]:
        return [url] * requests

    everything = all_years_query()
    rows = [("landing page", repeat(reverse("insights:statistics")))]
    for table in TABLES:
        url = reverse("insights:table", args=[table.key])
        rows.append((f"{table.key}, this year", repeat(url)))
        rows.append((f"{table.key}, {ALL_YEARS} years", repeat(f"{url}?{everything}")))
    for key in EXPORTED_TABLES:
        for file_format in ("csv", "xlsx", "ods"):
            url = reverse("insights:export", args=[key, file_format])
            rows.append((f"{key}.{file_format}, this year", repeat(url)))
            rows.append((f"{key}.{file_format}, {ALL_YEARS} years", repeat(f"{url}?{everything}")))
    last_year = timezone.localdate().year - 1
    rows.append(("research extract page", repeat(reverse("insights:extract"))))
    for file_format in ("csv", "xlsx", "ods"):
        url = reverse("insights:extract_download", args=[file_format])
        rows.append((f"research extract .{file_format}, {last_year}", repeat(f"{url}?period=y-{last_year}")))
    return rows


def run(requests: int, only: str) -> list[tuple[str, dict]]:
    from django.test import Client

    client = Client()
    client.force_login(analyst())
    results = []
    for name, urls in scenarios(requests):
        if only and only not in name:
            continue
        results.append((name, measure(client, urls)))
        result = results[-1][1]
        figure = result.get("failed") or f"p50 {result['p50']:.0f} ms, p95 {result['p95']:.0f} ms"
        print(f"  {name}: {figure}", flush=True)
    return results


def explain() -> None:
    """EXPLAIN (ANALYZE, BUFFERS) of every fact-table query of each table page (this year and ten years)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(analyst())
    for name, urls in scenarios(1):
        if "download" in urls[0] or "research" in name:
            continue
        client.get(urls[0])
        with CaptureQueriesContext(connection) as context:
            client.get(urls[0])
        print(f"\n### {name}: {urls[0]}")
        for query in context.captured_queries:
            if "insights_" not in query["sql"] or "insights_refresh" in query["sql"]:
                continue
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + query["sql"])
                print("\n".join(row[0] for row in cursor.fetchall()))
                print("--")


def refresh() -> float:
    from django.db import connection

    from insights.refresh import facts_refresh

    started = time.perf_counter()
    facts_refresh()
    seconds = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in ("referralfact", "decisionfact", "reconsiderationfact", "disqualificationfact"):
            cursor.execute(f"VACUUM ANALYZE insights_{table}")
    return seconds


def main() -> int:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    os.environ["NRM_REQUIRE_STAFF_MFA"] = "false"  # force_login signs staff in without an authenticator

    from benchmarks.insights_seed import seed

    prepare_database(
        url=url,
        database=arguments.database,
        count=arguments.count,
        reseed=arguments.reseed,
        noun="cases",
        seeded_count=seeded_count,
        seed=lambda count: seed(count, log=lambda message: print(message, flush=True)),
    )
    seconds = refresh()
    from insights.models import DecisionFact, ReferralFact

    print(
        f"facts_refresh(): {seconds:.1f} s for {ReferralFact.objects.count():,} referrals "
        f"({ReferralFact.objects.filter(is_duty_to_notify=True).count():,} Duty to Notify) and "
        f"{DecisionFact.objects.count():,} decisions",
        flush=True,
    )
    if arguments.seed_only:
        return 0
    if arguments.explain:
        explain()
        return 0
    load_before = os.getloadavg()[0]
    rows = run(arguments.requests, arguments.only)
    print()
    print_rows(rows, width=62)
    slow = [name for name, result in rows if "failed" in result or result["p95"] >= 1000]
    print(f"\nOver the 1 s target (p95): {', '.join(slow) if slow else 'none'}")
    print(f"Load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
