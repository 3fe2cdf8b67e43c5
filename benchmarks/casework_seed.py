"""Seeds cases for benchmarks/casework.py with set-based SQL: one plan row per case drawn by generate_series and
random(), then drafts, referrals, cases and their first timeline events written from it in one statement each.

A million cases take a few minutes on a 2-core machine: the tables' own indexes are dropped while loading and
built again afterwards (a bulk build is several times faster than a million index insertions), and foreign keys
are not re-checked row by row (`session_replication_role = replica`: the ids come from the rows just written).
The proportions are in the tables below; benchmarks/README.md explains them.
"""

from __future__ import annotations

import random
import time

# Share of all cases in each status (weights): the backlog awaiting a conclusive grounds decision dominates.
STATUS_WEIGHTS = {
    "awaiting_rg": 3.0,
    "rg_negative_review": 0.5,
    "recovery": 6.0,
    "awaiting_cg": 42.0,
    "cg_negative_review": 1.5,
    "confirmed_victim": 15.0,
    "rg_negative_served": 10.0,
    "cg_negative_served": 6.0,
    "closed": 10.0,
    "withdrawn": 3.0,
    "suspended": 2.0,
    "merged": 0.5,
    "disqualified": 0.5,
}
NATION_WEIGHTS = {"england": 88.0, "wales": 5.0, "scotland": 4.5, "northern_ireland": 2.5}
RECOVERY_DAYS = {"england": 30, "wales": 30, "scotland": 90, "northern_ireland": 45}
CHILD_SHARE = 0.4
SCA_SHARE = 0.9
SECOND_TYPE_SHARE = 0.2  # combinations are common (labour and criminal, sexual and domestic)
INFORMATION_REQUESTED_SHARE = 0.05  # of open cases; due between 10 days ago and 14 days ahead
# Chance that a case in this status has a caseworker: decided cases keep their decision maker; the backlog
# awaiting a conclusive grounds decision mostly waits unassigned.
ASSIGNED_SHARE = {
    "awaiting_rg": 0.4,
    "rg_negative_review": 1.0,
    "recovery": 0.2,
    "awaiting_cg": 0.012,
    "cg_negative_review": 1.0,
}
DECIDED_ASSIGNED_SHARE = 0.9
CASEWORKERS = {"sca": 180, "ieca": 20}
MANAGERS = {"sca": 10, "ieca": 2}
REFERRING_ORGANISATIONS = [
    ("Benchmark Metropolitan Police", "police", 20),
    ("Benchmark Midlands Police", "police", 10),
    ("Benchmark Northern Police", "police", 8),
    ("Benchmark City Council", "local_authority", 10),
    ("Benchmark County Council", "local_authority", 8),
    ("Benchmark Border Force", "government_agency", 12),
    ("Benchmark Immigration Enforcement", "government_agency", 10),
    ("Benchmark Salvation Army", "ngo", 8),
    ("Benchmark Migrant Help", "ngo", 7),
    ("Benchmark Children's Charity", "ngo", 7),
]
ANSWER_TEMPLATES_PER_ROUTE = 40
SEEDED_TABLES = ["referrals_draft", "referrals_referral", "casework_case", "casework_caseevent"]


def pick(weights: dict[str, float], draw: str) -> str:
    """A SQL CASE choosing a key of `weights` by the uniform random column `draw`."""
    total, running, branches = sum(weights.values()), 0.0, []
    for key, weight in list(weights.items())[:-1]:
        running += weight / total
        branches.append(f"WHEN {draw} < {running:.6f} THEN '{key}'")
    return f"(CASE {' '.join(branches)} ELSE '{list(weights)[-1]}' END)"


def exploitation_pick(draw: str) -> str:
    from referrals.demo_answers import EXPLOITATION_WEIGHTS
    from referrals.models import Route

    child = {k: float(v) for k, v in EXPLOITATION_WEIGHTS[Route.CHILD].items() if v}
    adult = {k: float(v) for k, v in EXPLOITATION_WEIGHTS[Route.ADULT].items() if v}
    return f"(CASE WHEN is_child THEN {pick(child, draw)} ELSE {pick(adult, draw)} END)"


def _days(expression: str) -> str:
    return f"(({expression}) * interval '1 day')"


def plan_sql() -> str:
    recovery_days = "(CASE nation " + " ".join(f"WHEN '{n}' THEN {d}" for n, d in RECOVERY_DAYS.items()) + " END)"
    assigned_share = "(CASE status " + " ".join(f"WHEN '{s}' THEN {v}" for s, v in ASSIGNED_SHARE.items())
    assigned_share += f" ELSE {DECIDED_ASSIGNED_SHARE} END)"
    organisation = pick({str(i): w for i, (_, _, w) in enumerate(REFERRING_ORGANISATIONS, 1)}, "r_org")
    open_statuses = "('awaiting_rg', 'rg_negative_review', 'recovery', 'awaiting_cg', 'cg_negative_review')"
    # When each case opened and was decided, by status: awaiting RG within the last 10 days (a third past its
    # 7-day target), recovery within its period (2% just past it, before the nightly job), the backlog up to
    # 6 years old (median about two years), and outcomes spread over the years. Only constants of this module
    # are formatted in; the values are parameters.
    return f"""
    CREATE UNLOGGED TABLE bench_plan AS
    WITH raw AS (
        SELECT g, random() AS r_status, random() AS r_age, random() AS r_child, random() AS r_nation,
               random() AS r_type1, random() AS r_type2, random() AS r_combo, random() AS r_assign, random() AS r_who,
               random() AS r_info, random() AS r_due, random() AS r_authority, random() AS r_org, random() AS r_gap,
               random() AS r_template
        FROM generate_series(1, %(count)s) AS g
    ), drawn AS (
        SELECT raw.*, {pick(STATUS_WEIGHTS, "r_status")} AS status, r_child < {CHILD_SHARE} AS is_child,
               {pick(NATION_WEIGHTS, "r_nation")} AS nation, r_authority < {SCA_SHARE} AS at_sca,
               {organisation}::int AS organisation_index
        FROM raw
    ), typed AS (
        SELECT drawn.*, {exploitation_pick("r_type1")} AS type1, {exploitation_pick("r_type2")} AS type2,
               {recovery_days} AS recovery_days
        FROM drawn
    ), dated AS (
        SELECT typed.*, CASE status
            WHEN 'awaiting_rg' THEN %(now)s - {_days("r_age * 10")}
            WHEN 'rg_negative_review' THEN %(now)s - {_days("3 + r_age * 20")}
            WHEN 'recovery' THEN %(now)s - {_days("r_age * 1.02 * recovery_days + 2 + r_gap * 8")}
            WHEN 'awaiting_cg' THEN %(now)s - {_days("45 + power(r_age, 1.6) * 2100")}
            WHEN 'cg_negative_review' THEN %(now)s - {_days("120 + r_age * 1500")}
            WHEN 'confirmed_victim' THEN %(now)s - {_days("r_age * 45 + 100 + r_gap * 900")}
            ELSE %(now)s - {_days("20 + r_age * 2180")}
        END AS opened_at
        FROM typed
    ), decided AS (
        SELECT dated.*,
            CASE WHEN status IN ('awaiting_rg', 'rg_negative_review', 'rg_negative_served') THEN NULL
                 WHEN status = 'recovery' THEN %(now)s - {_days("r_age * 1.02 * recovery_days")}
                 ELSE opened_at + {_days("2 + r_gap * 8")} END AS rg_decided_at,
            CASE WHEN status = 'confirmed_victim' THEN %(now)s - {_days("r_age * 45")}
                 WHEN status = 'closed' THEN opened_at + {_days("200 + r_gap * 600")} END AS cg_decided_at,
            CASE WHEN status IN {open_statuses} AND r_info < {INFORMATION_REQUESTED_SHARE}
                 THEN date_trunc('day', %(now)s) + {_days("floor(r_due * 24) - 10")} + interval '23:59:59'
            END AS information_due_at,
            CASE WHEN r_assign < {assigned_share} THEN
                CASE WHEN at_sca THEN (%(sca_workers)s::bigint[])[1 + floor(r_who * %(sca_count)s)::int]
                     ELSE (%(ieca_workers)s::bigint[])[1 + floor(r_who * %(ieca_count)s)::int] END
            END AS assignee_id
        FROM dated
    ), deadlines AS (
        SELECT decided.*, opened_at + interval '7 days' AS rg_due_at,
               rg_decided_at + {_days("recovery_days")} AS recovery_ends_at,
               CASE WHEN status = 'confirmed_victim' THEN cg_decided_at + interval '45 days'
                    WHEN rg_decided_at IS NOT NULL THEN rg_decided_at + interval '90 days' END AS support_ends_at
        FROM decided
    )
    SELECT deadlines.*,
        CASE status
            WHEN 'awaiting_rg' THEN LEAST(rg_due_at, information_due_at)
            WHEN 'recovery' THEN LEAST(recovery_ends_at, information_due_at)
            WHEN 'confirmed_victim' THEN support_ends_at
            ELSE CASE WHEN status IN {open_statuses} THEN information_due_at END
        END AS next_deadline_at,
        'NRM-' || extract(year FROM opened_at) || '-' || lpad(
            (row_number() OVER (PARTITION BY extract(year FROM opened_at) ORDER BY opened_at, g))::text, 6, '0'
        ) AS reference
    FROM deadlines
    """  # noqa: S608


DRAFTS_SQL = """
INSERT INTO referrals_draft (id, created_at, updated_at, answers, version, furthest_page, submitted_at,
                             organisation_id, created_by_id, last_changed_by_id)
SELECT g, opened_at - interval '1 day', opened_at, '{}', 40, '', opened_at,
       (%(organisations)s::bigint[])[organisation_index], (%(responders)s::bigint[])[organisation_index],
       (%(responders)s::bigint[])[organisation_index]
FROM bench_plan
"""
REFERRALS_SQL = """
INSERT INTO referrals_referral (id, reference, route, submitted_at, answers, responder_reference, nation, is_child,
                                child_at_exploitation, gender, nationalities, exploitation_types, exploited_in,
                                person_name_key, date_of_birth, home_office_reference, draft_id, organisation_id,
                                submitted_by_id)
SELECT g, reference, plan.route, opened_at, template.answers, '', nation, is_child, '', '', '{}',
       types, '', '', NULL, '', g, (%(organisations)s::bigint[])[organisation_index],
       (%(responders)s::bigint[])[organisation_index]
FROM (SELECT bench_plan.*, CASE WHEN is_child THEN 'child' ELSE 'adult' END AS route,
             CASE WHEN r_combo < %(second_share)s AND type2 <> type1 THEN ARRAY[type1, type2] ELSE ARRAY[type1] END
             AS types
      FROM bench_plan) AS plan
JOIN bench_answers AS template
  ON template.route = plan.route AND template.number = floor(plan.r_template * %(templates)s)::int
"""
CASES_SQL = """
INSERT INTO casework_case (id, reference, status, nation, is_child, opened_at, rg_due_at, recovery_ends_at,
                           support_ends_at, version, duplicate_review_needed, assignee_id, authority_id, referral_id,
                           cg_decided_at, closed_at, exploitation_types, information_due_at, merged_into_id,
                           next_deadline_at, next_deadline_kind, rg_decided_at, route, status_before_suspension,
                           support_provider_id, support_started_at, support_warning_days_sent, policy_overrides)
SELECT plan.g, plan.reference, status, referral.nation, referral.is_child, opened_at, rg_due_at, recovery_ends_at,
       support_ends_at, 3, false, assignee_id, CASE WHEN at_sca THEN %(sca)s ELSE %(ieca)s END, plan.g,
       cg_decided_at,
       CASE WHEN status IN ('closed', 'withdrawn', 'merged') THEN opened_at + interval '300 days' END,
       referral.exploitation_types, information_due_at,
       CASE WHEN status = 'merged' AND plan.g > 1 THEN plan.g - 1 END,
       next_deadline_at,
       CASE WHEN next_deadline_at IS NULL THEN ''
            WHEN next_deadline_at = information_due_at THEN 'information_due'
            WHEN status = 'awaiting_rg' THEN 'rg_due'
            WHEN status = 'recovery' THEN 'recovery_ends'
            ELSE 'support_ends' END,
       rg_decided_at, referral.route, CASE WHEN status = 'suspended' THEN 'awaiting_cg' ELSE '' END,
       CASE WHEN rg_decided_at IS NOT NULL AND NOT referral.is_child THEN %(provider)s END,
       rg_decided_at, NULL, '{}'::jsonb
FROM bench_plan AS plan JOIN referrals_referral AS referral ON referral.id = plan.g
"""
EVENTS_SQL = """
INSERT INTO casework_caseevent (created_at, data, actor_id, case_id, kind)
SELECT opened_at, jsonb_build_object('referral_id', referral_id, 'from_status', '', 'to_status', 'awaiting_rg'),
       NULL::bigint, id, 'opened'
FROM casework_case
UNION ALL
SELECT opened_at + interval '1 day',
       jsonb_build_object('assignee_id', assignee_id, 'previous_assignee_id', NULL, 'from_status', 'awaiting_rg',
                          'to_status', 'awaiting_rg'),
       NULL, id, 'assigned'
FROM casework_case WHERE assignee_id IS NOT NULL
"""


def staff(authority, kind: str, role, count: int) -> list:
    from accounts.models import User
    from accounts.services import user_create

    users = []
    for number in range(1, count + 1):
        email = f"{role}{number}@{kind}.bench.example"
        user = User.objects.filter(email=email).first() or user_create(
            email=email, role=role, organisation=authority, full_name=f"{kind.upper()} {role.title()} {number}"
        )
        users.append(user)
    return users


def people(sca, ieca) -> dict:
    """The authorities' caseworkers and managers, and one first responder per referring organisation."""
    from accounts.models import Nation, Organisation
    from accounts.roles import Role

    organisations, responders = [], []
    for name, kind, _ in REFERRING_ORGANISATIONS:
        organisation = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "nation": Nation.ENGLAND, "email_domains": []}
        )[0]
        organisations.append(organisation)
        responders.append(staff(organisation, f"fro{organisation.pk}", Role.FIRST_RESPONDER, 1)[0])
    provider = Organisation.objects.get_or_create(
        name="Benchmark Support Provider",
        defaults={"kind": Organisation.Kind.SUPPORT_PROVIDER, "nation": Nation.ENGLAND, "email_domains": []},
    )[0]
    return {
        "organisations": organisations,
        "responders": responders,
        "provider": provider,
        "sca_workers": staff(sca, "sca", Role.CASEWORKER, CASEWORKERS["sca"]),
        "ieca_workers": staff(ieca, "ieca", Role.CASEWORKER, CASEWORKERS["ieca"]),
        "sca_managers": staff(sca, "sca", Role.MANAGER, MANAGERS["sca"]),
        "ieca_managers": staff(ieca, "ieca", Role.MANAGER, MANAGERS["ieca"]),
    }


def answer_templates(cursor) -> None:
    """Complete answers per route (demo_answers' proportions), reused across referrals: the case page reads them."""
    import json

    from referrals.demo_answers import complete_answers
    from referrals.questions import QUESTIONNAIRE
    from referrals.questions.engine import applicable_answers

    cursor.execute("CREATE UNLOGGED TABLE bench_answers (route text, number int, answers jsonb)")
    rows = [
        (route, number, json.dumps(applicable_answers(QUESTIONNAIRE, complete_answers(route, organisation_name="",
                                                                                         seed=number))))
        for route in ("child", "adult")
        for number in range(ANSWER_TEMPLATES_PER_ROUTE)
    ]  # fmt: skip
    cursor.executemany("INSERT INTO bench_answers VALUES (%s, %s, %s)", rows)


def drop_indexes(cursor) -> list[str]:
    """The seeded tables' indexes other than constraints', dropped for the load; returns their definitions."""
    cursor.execute(
        """SELECT indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s) AND indexname NOT IN (
               SELECT conname FROM pg_constraint WHERE contype IN ('p', 'u'))""",
        [SEEDED_TABLES],
    )
    definitions = []
    for name, definition in cursor.fetchall():
        cursor.execute(f'DROP INDEX "{name}"')
        definitions.append(definition)
    return definitions


def seed(count: int, log=print) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation
    from casework.models import IECA_NAME
    from casework.services import single_competent_authority

    started = time.perf_counter()

    def step(message: str) -> None:
        log(f"  {message} ({time.perf_counter() - started:.0f} s)")

    log(f"Seeding {count:,} cases…")
    sca, ieca = single_competent_authority(), Organisation.objects.get(name=IECA_NAME)
    cast = people(sca, ieca)
    parameters = {
        "count": count,
        "now": timezone.now(),
        "sca": sca.pk,
        "ieca": ieca.pk,
        "provider": cast["provider"].pk,
        "sca_workers": [user.pk for user in cast["sca_workers"]],
        "ieca_workers": [user.pk for user in cast["ieca_workers"]],
        "sca_count": len(cast["sca_workers"]),
        "ieca_count": len(cast["ieca_workers"]),
        "organisations": [organisation.pk for organisation in cast["organisations"]],
        "responders": [user.pk for user in cast["responders"]],
        "second_share": SECOND_TYPE_SHARE,
        "templates": ANSWER_TEMPLATES_PER_ROUTE,
    }
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")  # no row-by-row foreign key checks
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(f"SELECT setseed({random.Random(20261201).random() * 2 - 1})")
        cursor.execute("DROP TABLE IF EXISTS bench_plan, bench_answers")
        answer_templates(cursor)
        cursor.execute(plan_sql(), parameters)
        step("plan drawn")
        definitions = drop_indexes(cursor)
        for name, sql in (("drafts", DRAFTS_SQL), ("referrals", REFERRALS_SQL), ("cases", CASES_SQL)):
            cursor.execute(sql, parameters)
            step(f"{cursor.rowcount:,} {name} written")
        cursor.execute(EVENTS_SQL)
        step(f"{cursor.rowcount:,} timeline events written")
        for definition in definitions:
            cursor.execute(definition)
        step(f"{len(definitions)} indexes built")
        for table in SEEDED_TABLES:
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
        cursor.execute("SELECT setval('referrals_nrm_reference_seq', %s)", [count])
        cursor.execute("DROP TABLE bench_plan, bench_answers")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")  # statistics, and the visibility map that index-only scans need
    step("vacuumed and analysed")
