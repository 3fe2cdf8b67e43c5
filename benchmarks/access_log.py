"""The access log in Django admin, and the retention job's trims, at volume.

Seeds (once; a later run at the same --count reuses them) 5,000 cases and --count access log entries (default
2,000,000) spread over three years across 200 caseworkers, and as many notifications as a tenth of that, with
set-based SQL in its own database (`nrm_bench_access_log`). Then times, as a superuser through the test client:
the access log's changelist unfiltered, searched by a case reference and by an address, filtered to the past 7
days, one day and this year; and the retention dry run's counts. With --trim, also
a real trim of everything older than the policy's period (the seed is then gone: --reseed next time).

    .venv/bin/python benchmarks/access_log.py [--count N] [--requests N] [--explain] [--trim]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import measure, prepare_database, print_rows, use_own_database  # noqa: E402

CASES = 5_000
CASEWORKERS = 200


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=2_000_000, help="access log entries (default 2000000)")
    parser.add_argument("--requests", type=int, default=20, help="requests per measure (default 20)")
    parser.add_argument("--database", default="nrm_bench_access_log", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    parser.add_argument("--explain", action="store_true", help="print the plans of the searches")
    parser.add_argument("--trim", action="store_true", help="also run the real trims (removes part of the seed)")
    return parser.parse_args()


def seeded_count() -> int:
    from casework.models import AccessLogEntry

    return AccessLogEntry.objects.count()


def seed(count: int) -> None:
    from django.db import connection
    from django.utils import timezone

    from accounts.models import Nation, Organisation, User
    from accounts.roles import Role
    from casework.models import Case
    from casework.services import single_competent_authority
    from referrals.models import Draft, Referral, Route

    started = time.perf_counter()
    authority = single_competent_authority()
    responders = Organisation.objects.create(name="Benchmark Constabulary", kind=Organisation.Kind.POLICE)
    responder = User.objects.create_user("responder@police.bench.example", role=Role.FIRST_RESPONDER,
                                         organisation=responders)  # fmt: skip
    User.objects.bulk_create(
        User(email=f"caseworker{n}@sca.bench.example", role=Role.CASEWORKER, organisation=authority)
        for n in range(CASEWORKERS)
    )
    User.objects.create_superuser("admin@bench.example", "benchmark-password")
    now = timezone.now()
    drafts = Draft.objects.bulk_create(
        Draft(organisation=responders, created_by=responder, last_changed_by=responder, submitted_at=now)
        for _ in range(CASES)
    )
    referrals = Referral.objects.bulk_create(
        Referral(reference=f"NRM-2026-{n:06d}", route=Route.ADULT, draft=draft, organisation=responders,
                 submitted_by=responder, submitted_at=now, answers={}, nation=Nation.ENGLAND, is_child=False)
        for n, draft in enumerate(drafts)
    )  # fmt: skip
    Case.objects.bulk_create(
        Case(referral=referral, reference=referral.reference, authority=authority, nation=Nation.ENGLAND,
             is_child=False, status=Case.Status.AWAITING_RG)
        for referral in referrals
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO casework_accesslogentry (case_id, user_id, what, viewed_at)
            SELECT cases.ids[1 + (n::bigint * 7919) %% array_length(cases.ids, 1)],
                   users.ids[1 + (n::bigint * 104729) %% array_length(users.ids, 1)],
                   (ARRAY['case', 'referral_pdf', 'letter', 'file'])[1 + n %% 4],
                   now() - (n::float / %s) * interval '1096 days'
            FROM generate_series(1, %s) AS n,
                 (SELECT array_agg(id) AS ids FROM casework_case) AS cases,
                 (SELECT array_agg(id) AS ids FROM accounts_user WHERE role = 'caseworker') AS users
            """,
            [count, count],
        )
        cursor.execute(
            """
            INSERT INTO notifications_notification (recipient_id, kind, reference, created_at, email_state,
                                                    email_attempts, email_last_error)
            SELECT users.ids[1 + n %% array_length(users.ids, 1)], 'case_assigned',
                   'NRM-2026-' || lpad(n::text, 6, '0'),
                   now() - (n::float / %s) * interval '1096 days', 'sent', 1, ''
            FROM generate_series(1, %s) AS n,
                 (SELECT array_agg(id) AS ids FROM accounts_user WHERE role = 'caseworker') AS users
            """,
            [count // 10, count // 10],
        )
        cursor.execute("VACUUM ANALYZE casework_accesslogentry")
        cursor.execute("VACUUM ANALYZE notifications_notification")
    seconds = time.perf_counter() - started
    print(f"Seeded {count:,} access log entries and {count // 10:,} notifications in {seconds:.0f} s")


def main() -> None:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    prepare_database(
        url=url, database=arguments.database, count=arguments.count, reseed=arguments.reseed,
        noun="access log entries", seeded_count=seeded_count, seed=seed,
    )  # fmt: skip
    from datetime import timedelta
    from urllib.parse import urlencode

    from django.conf import settings
    from django.contrib import admin
    from django.db import connection
    from django.test import Client
    from django.urls import reverse
    from django.utils import timezone

    from accounts.models import User
    from casework.models import AccessLogEntry, Case
    from privacy.services import retention_apply

    settings.NRM_REQUIRE_STAFF_MFA = False
    client = Client()
    client.force_login(User.objects.get(email="admin@bench.example"))
    changelist = reverse("admin:casework_accesslogentry_changelist")
    references = list(Case.objects.order_by("?").values_list("reference", flat=True)[: arguments.requests])
    emails = [f"caseworker{n}@sca.bench.example" for n in range(arguments.requests)]
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    days = [today - timedelta(days=n * 17) for n in range(arguments.requests)]

    def page(**query) -> str:
        return f"{changelist}?{urlencode(query)}"

    week = {"viewed_at__gte": str(today - timedelta(days=7)), "viewed_at__lt": str(today + timedelta(days=1))}
    rows = [
        ("access log: newest first, page 1", measure(client, [page()] * arguments.requests)),
        ("access log: newest first, page 50", measure(client, [page(p=50)] * arguments.requests)),
        ("access log: search a case reference", measure(client, [page(q=ref) for ref in references])),
        ("access log: search a user's address", measure(client, [page(q=email) for email in emails])),
        ("access log: past 7 days", measure(client, [page(**week)] * arguments.requests)),
        (
            "access log: one day (a from-to range)",
            measure(
                client,
                [page(viewed_at__gte=str(d), viewed_at__lt=str(d + timedelta(days=1))) for d in days],
            ),
        ),
        (
            "access log: this year (the date filter)",
            measure(client, [page(viewed_at__gte=str(today.replace(month=1, day=1)))] * 5),
        ),
        ("access log: case reference and past 7 days", measure(client, [page(q=ref, **week) for ref in references])),
    ]
    print(f"\n{AccessLogEntry.objects.count():,} access log entries\n")
    print_rows(rows)

    started = time.perf_counter()
    dry = retention_apply(dry_run=True)
    print(f"\nRetention dry run: {(time.perf_counter() - started) * 1000:.0f} ms, {dry.counts}")
    if arguments.explain:
        with connection.cursor() as cursor:
            for label, term in (("reference", references[0]), ("address", emails[0])):
                queryset = AccessLogEntry.objects.all()
                model_admin = admin.site._registry[AccessLogEntry]
                queryset, _ = model_admin.get_search_results(None, queryset, term)
                sql, params = queryset.order_by("-viewed_at", "-id")[:100].query.sql_with_params()
                cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
                print(f"\nPlan of the search by {label}:")
                print("\n".join(row[0] for row in cursor.fetchall()))
    if arguments.trim:
        started = time.perf_counter()
        real = retention_apply()
        print(f"Retention run: {time.perf_counter() - started:.1f} s, {real.counts}")


if __name__ == "__main__":
    main()
