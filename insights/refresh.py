"""Rebuilds the statistics' fact tables from the live tables (design.md: insights reads all, nothing imports it).

One transaction: the old rows are deleted and the new ones inserted, so readers keep seeing the previous refresh
until this one commits (PostgreSQL's MVCC; no reader waits). A second run while one is in progress skips rather
than queueing behind it, so the periodic job is safe to run twice. Categories are copied as codes; labels are
applied when a table is drawn (`insights.categories`)."""

import time

from django.db import connection, transaction

from accounts.models import Organisation
from casework.models import Case, CaseEvent, Decision, Reconsideration
from insights.models import (
    AwaitingChange,
    DecisionFact,
    DisqualificationFact,
    ReconsiderationFact,
    ReferralFact,
    Refresh,
)
from referrals.models import Referral

# An arbitrary constant of this job, for pg_try_advisory_xact_lock.
REFRESH_LOCK = 7_415_003

LONDON_DATE = "(({column}) AT TIME ZONE 'Europe/London')::date"

# The referral's age at exploitation: a child referral is a child; an adult referral says whether they were a
# child when exploited ("not sure" and no answer are "not specified or unknown").
AGE_GROUP = (
    "CASE WHEN r.is_child OR r.child_at_exploitation = 'yes' THEN 'child' "
    "WHEN r.child_at_exploitation = 'no' THEN 'adult' ELSE 'unknown' END"
)

FINISHED = ("withdrawn", "closed", "merged", "disqualified")


def _date(column: str) -> str:
    return LONDON_DATE.format(column=column)


def _statements() -> list[tuple[str, list]]:
    referral = Referral._meta.db_table
    case = Case._meta.db_table
    decision = Decision._meta.db_table
    reconsideration = Reconsideration._meta.db_table
    event = CaseEvent._meta.db_table
    organisation = Organisation._meta.db_table
    age = AGE_GROUP
    return [
        (f"DELETE FROM {ReferralFact._meta.db_table}", []),  # noqa: S608 - table names from the models
        (
            f"""
            INSERT INTO {ReferralFact._meta.db_table} (
                referral_id, referred_on, is_duty_to_notify, route, nation, authority_id, age_group, gender,
                nationalities, exploitation, location, responder_kind, organisation_id, police_force,
                local_authority, towns, status, rg_positive_on, cg_first_on, finished_on)
            SELECT
                r.id, {_date("r.submitted_at")}, r.route = 'duty_to_notify', r.route, r.nation, c.authority_id,
                {age}, r.gender, r.nationalities,
                ARRAY(SELECT g FROM unnest(ARRAY['sexual', 'labour', 'domestic', 'organ', 'criminal'])
                      WITH ORDINALITY AS o(g, n) WHERE g = ANY(r.exploitation_types) ORDER BY n),
                r.exploited_in, o.kind, r.organisation_id,
                COALESCE(NULLIF(r.answers->>'police_force', ''), CASE WHEN o.kind = 'police' THEN o.name END, ''),
                COALESCE(NULLIF(r.answers->>'la_name', ''),
                         CASE WHEN o.kind = 'local_authority' THEN o.name END, ''),
                ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(r.answers->'uk_towns') = 'array'
                                                            THEN r.answers->'uk_towns' ELSE '[]'::jsonb END)),
                COALESCE(c.status, ''),
                {_date("c.rg_decided_at")},
                first_cg.served_on,
                CASE WHEN c.status = ANY(%s) THEN {_date("c.closed_at")} END
            FROM {referral} r
            JOIN {organisation} o ON o.id = r.organisation_id
            LEFT JOIN {case} c ON c.referral_id = r.id
            LEFT JOIN (
                SELECT d.case_id, MIN({_date("d.served_at")}) AS served_on FROM {decision} d
                WHERE d.stage = 'cg' AND d.state = 'served' GROUP BY d.case_id
            ) AS first_cg ON first_cg.case_id = c.id
            """,  # noqa: S608 - table names from the models, values as parameters
            [list(FINISHED)],
        ),
        (f"DELETE FROM {AwaitingChange._meta.db_table}", []),  # noqa: S608 - table names from the models
        (
            f"""
            INSERT INTO {AwaitingChange._meta.db_table} (day, nation, authority_id, age_group, cases, referred_days)
            SELECT day, nation, authority_id, age_group, SUM(delta), SUM(delta * referred) FROM (
                SELECT f.rg_positive_on AS day, f.nation, f.authority_id, f.age_group, 1 AS delta,
                       f.referred_on - DATE '2000-01-01' AS referred
                FROM {ReferralFact._meta.db_table} f WHERE f.rg_positive_on IS NOT NULL
                UNION ALL
                -- LEAST and GREATEST skip NULLs: a case still waiting has no stop.
                SELECT GREATEST(LEAST(f.cg_first_on, f.finished_on), f.rg_positive_on), f.nation, f.authority_id,
                       f.age_group, -1, f.referred_on - DATE '2000-01-01'
                FROM {ReferralFact._meta.db_table} f
                WHERE f.rg_positive_on IS NOT NULL AND COALESCE(f.cg_first_on, f.finished_on) IS NOT NULL
            ) AS events
            GROUP BY day, nation, authority_id, age_group
            """,  # noqa: S608 - table names from the models, values as parameters
            [],
        ),
        (f"DELETE FROM {DecisionFact._meta.db_table}", []),  # noqa: S608 - table names from the models
        (
            f"""
            INSERT INTO {DecisionFact._meta.db_table} (
                decision_id, referral_id, stage, outcome, decided_on, nation, authority_id, age_group,
                days_from_referral, days_from_rg, negative_reason, by_panel, reviewed)
            SELECT
                d.id, r.id, d.stage, d.outcome, {_date("d.served_at")}, c.nation, c.authority_id, {age},
                {_date("d.served_at")} - {_date("r.submitted_at")},
                CASE WHEN d.stage = 'cg' THEN {_date("d.served_at")} - {_date("c.rg_decided_at")} END,
                d.negative_reason, d.decision_maker_name <> '', d.review_route <> ''
            FROM {decision} d
            JOIN {case} c ON c.id = d.case_id
            JOIN {referral} r ON r.id = c.referral_id
            WHERE d.state = 'served' AND d.served_at IS NOT NULL
            """,  # noqa: S608 - table names from the models, values as parameters
            [],
        ),
        (f"DELETE FROM {ReconsiderationFact._meta.db_table}", []),  # noqa: S608 - table names from the models
        (
            f"""
            INSERT INTO {ReconsiderationFact._meta.db_table} (
                reconsideration_id, stage, received_on, decided_on, state, grounds, nation, authority_id, age_group)
            SELECT
                x.id, d.stage, {_date("x.requested_at")}, {_date("x.decided_at")}, x.state, x.grounds, c.nation,
                c.authority_id, {age}
            FROM {reconsideration} x
            JOIN {decision} d ON d.id = x.decision_id
            JOIN {case} c ON c.id = x.case_id
            JOIN {referral} r ON r.id = c.referral_id
            """,  # noqa: S608 - table names from the models, values as parameters
            [],
        ),
        (f"DELETE FROM {DisqualificationFact._meta.db_table}", []),  # noqa: S608 - table names from the models
        (
            f"""
            INSERT INTO {DisqualificationFact._meta.db_table} (event_id, decided_on, nation, authority_id, age_group)
            SELECT e.id, {_date("e.created_at")}, c.nation, c.authority_id, {age}
            FROM {event} e
            JOIN {case} c ON c.id = e.case_id
            JOIN {referral} r ON r.id = c.referral_id
            WHERE e.kind = %s
            """,  # noqa: S608 - table names from the models, values as parameters
            [CaseEvent.Kind.DISQUALIFIED.value],
        ),
    ]


def facts_refresh() -> Refresh | None:
    """Rebuilds every fact table in one transaction and records the refresh; None when another run holds it."""
    started = time.monotonic()
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_xact_lock(%s)", [REFRESH_LOCK])
            (acquired,) = cursor.fetchone()
            if not acquired:
                return None
            for sql, params in _statements():
                cursor.execute(sql, params)
        refresh = Refresh.objects.create(
            seconds=round(time.monotonic() - started, 3),
            referrals=ReferralFact.objects.count(),
            decisions=DecisionFact.objects.count(),
        )
    _tidy_up()
    return refresh


FACT_TABLES = (ReferralFact, AwaitingChange, DecisionFact, ReconsiderationFact, DisqualificationFact)


def _tidy_up() -> None:
    """After the rebuild commits: VACUUM clears the old rows' space and sets the visibility map (so the pages'
    counts are index-only scans), ANALYZE gives the planner the new figures. VACUUM cannot run inside a
    transaction (a test's, or a caller's): then only ANALYZE."""
    command = "ANALYZE" if connection.in_atomic_block else "VACUUM (ANALYZE)"
    with connection.cursor() as cursor:
        for model in FACT_TABLES:
            cursor.execute(f"{command} {model._meta.db_table}")
