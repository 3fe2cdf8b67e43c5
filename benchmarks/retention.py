"""The retention job's search for ended cases past their period, at volume.

Seeds (set-based SQL, its own database `nrm_bench_retention`; reused at the same --count) --count cases
(default 500,000) opened evenly over eight years, 40% of them ended (closed, withdrawn, merged, negative
decision served), each with an "opened" event and, for ended ones, a last event when it ended; then times the
dry run (which walks the same queries as the real run) and prints the plan of the ended-case search.

    .venv/bin/python benchmarks/retention.py [--count N]
"""

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import prepare_database, use_own_database  # noqa: E402


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=500_000, help="cases to seed (default 500000)")
    parser.add_argument("--database", default="nrm_bench_retention", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    return parser.parse_args()


def seeded_count() -> int:
    from casework.models import Case

    return Case.objects.count()


def seed(count: int) -> None:
    from django.db import connection

    from accounts.models import Organisation, User
    from accounts.roles import Role
    from casework.services import single_competent_authority

    started = time.perf_counter()
    authority = single_competent_authority()
    responders = Organisation.objects.create(name="Benchmark Constabulary", kind=Organisation.Kind.POLICE)
    responder = User.objects.create_user("responder@police.bench.example", role=Role.FIRST_RESPONDER,
                                         organisation=responders)  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute(
            """
            INSERT INTO referrals_draft (organisation_id, created_by_id, last_changed_by_id, answers, version,
                                         furthest_page, submitted_at, created_at, updated_at)
            SELECT %(org)s, %(user)s, %(user)s, '{}', 1, '', now() - (n::float / %(count)s) * interval '2920 days',
                   now(), now()
            FROM generate_series(1, %(count)s) AS n
            """,
            {"org": responders.pk, "user": responder.pk, "count": count},
        )
        cursor.execute(
            """
            INSERT INTO referrals_referral (reference, route, draft_id, organisation_id, submitted_by_id,
                submitted_at, answers, responder_reference, nation, is_child, child_at_exploitation, gender,
                nationalities, exploitation_types, exploited_in, person_name_key, home_office_reference)
            SELECT 'NRM-' || lpad(id::text, 10, '0'), 'adult', id, organisation_id, created_by_id, submitted_at,
                   '{}', '', 'england', false, '', '', '{}', '{}', '', '', ''
            FROM referrals_draft
            """
        )
        cursor.execute(
            """
            INSERT INTO casework_case (referral_id, reference, authority_id, status, nation, is_child, route,
                exploitation_types, opened_at, version, duplicate_review_needed, status_before_suspension,
                next_deadline_kind, closed_at, policy_overrides)
            SELECT id, reference, %(authority)s,
                   (ARRAY['awaiting_cg', 'awaiting_cg', 'recovery', 'confirmed_victim', 'awaiting_cg', 'awaiting_rg',
                          'closed', 'withdrawn', 'rg_negative_served', 'cg_negative_served'])[1 + id %% 10],
                   'england', false, 'adult', '{}', submitted_at, 1, false, '', '',
                   CASE WHEN id %% 10 >= 6 THEN submitted_at + interval '200 days' END, '{}'::jsonb
            FROM referrals_referral
            """,
            {"authority": authority.pk},
        )
        cursor.execute(
            """
            INSERT INTO casework_caseevent (case_id, kind, created_at, data)
            SELECT id, 'opened', opened_at, '{}'::jsonb FROM casework_case
            UNION ALL
            SELECT id, 'closed', closed_at, '{}'::jsonb FROM casework_case WHERE closed_at IS NOT NULL
            """
        )
        for table in ("referrals_draft", "referrals_referral", "casework_case", "casework_caseevent"):
            cursor.execute(f"VACUUM ANALYZE {table}")
    print(f"Seeded {count:,} cases in {time.perf_counter() - started:.0f} s")


def main() -> None:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    prepare_database(
        url=url, database=arguments.database, count=arguments.count, reseed=arguments.reseed,
        noun="cases", seeded_count=seeded_count, seed=seed,
    )  # fmt: skip
    from django.db import connection

    from privacy.models import RetentionPolicy
    from privacy.services import retention_apply
    from privacy.services.retention import Cutoffs, cases_due

    timings = []
    for _ in range(3):
        started = time.perf_counter()
        outcome = retention_apply(dry_run=True)
        timings.append((time.perf_counter() - started) * 1000)
    print(f"\n{seeded_count():,} cases; dry run {min(timings):.0f} ms (best of 3), {outcome.counts}")
    from django.utils import timezone

    policy = RetentionPolicy.current()
    queryset = cases_due(policy, Cutoffs.of(policy, timezone.now())).values_list("pk", "referral_id", "reference")
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(f"EXPLAIN ANALYZE {sql}", params)
        print("\nPlan of the ended-case search:")
        print("\n".join(row[0] for row in cursor.fetchall()))


if __name__ == "__main__":
    main()
