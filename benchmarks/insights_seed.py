"""Seeds the statistics' volume for benchmarks/insights.py: the cases of benchmarks/casework_seed.py (one referral
and one case each, over six years, in its mix of states), then, with set-based SQL of this module:

- the referrals' typed columns that casework_seed leaves blank (gender, nationalities, location, age at
  exploitation), read from each referral's own answer set (demo_answers' proportions), so the nationality, gender
  and location tables group over realistic categories;
- Duty to Notify reports (a fifth as many as the cases, from demo_answers' Duty to Notify answer sets);
- the served decisions the states imply: a positive RG on every case with `rg_decided_at`, a negative RG on
  every negative RG served, a positive CG on every case with `cg_decided_at`, a negative CG on every negative CG
  served (negative reasons drawn in the published categories);
- reconsiderations of 6% of the served negative decisions (40% accepted, 45% declined, the rest pending) and a
  "disqualified" timeline event for every disqualified case.

Loaded with the seeded tables' own indexes dropped and built again afterwards, as casework_seed does.
"""

from __future__ import annotations

import json
import random
import time

DUTY_TO_NOTIFY_SHARE = 0.2
RECONSIDERED_SHARE = 0.06
NEGATIVE_REASONS = {
    "no_indicators": 30,
    "definition_not_met": 25,
    "insufficient_information": 25,
    "credibility": 15,
    "other": 5,
}
TEMPLATES = 40
SEEDED_TABLES = [
    "referrals_draft",
    "referrals_referral",
    "casework_decision",
    "casework_reconsideration",
    "casework_caseevent",
]

CHILD_AT_EXPLOITATION = """
    CASE WHEN is_child THEN (CASE WHEN answers->>'under_18' = 'yes' THEN 'yes' ELSE 'not_sure' END)
         ELSE COALESCE(answers->>'child_during_exploitation', '') END
"""
NATIONALITIES = """
    ARRAY(SELECT n FROM unnest(ARRAY[answers->>'nationality', answers->>'second_nationality']) AS n
          WHERE COALESCE(n, '') <> '')
"""
TYPED_SQL = f"""
UPDATE referrals_referral SET
    gender = COALESCE(answers->>'gender', ''),
    exploited_in = COALESCE(answers->>'exploited_in', ''),
    nationalities = {NATIONALITIES},
    child_at_exploitation = {CHILD_AT_EXPLOITATION}
WHERE route <> 'duty_to_notify'
"""  # noqa: S608 - constants of this module
DTN_PLAN_SQL = """
CREATE UNLOGGED TABLE bench_dtn AS
SELECT %(first_id)s + g AS id, random() AS r_org, random() AS r_template, random() AS r_type,
       %(now)s - (power(random(), 0.8) * 2190) * interval '1 day' AS submitted_at
FROM generate_series(1, %(count)s) AS g
"""
DTN_DRAFTS_SQL = """
INSERT INTO referrals_draft (id, created_at, updated_at, answers, version, furthest_page, submitted_at,
                             organisation_id, created_by_id, last_changed_by_id)
SELECT id, submitted_at - interval '1 day', submitted_at, '{}', 30, '', submitted_at,
       (%(organisations)s::bigint[])[1 + floor(r_org * %(organisation_count)s)::int],
       (%(responders)s::bigint[])[1 + floor(r_org * %(organisation_count)s)::int],
       (%(responders)s::bigint[])[1 + floor(r_org * %(organisation_count)s)::int]
FROM bench_dtn
"""
DTN_REFERRALS_SQL = f"""
INSERT INTO referrals_referral (id, reference, route, submitted_at, answers, responder_reference, nation, is_child,
                                child_at_exploitation, gender, nationalities, exploitation_types, exploited_in,
                                person_name_key, date_of_birth, home_office_reference, draft_id, organisation_id,
                                submitted_by_id)
SELECT d.id,
       'DTN-' || extract(year FROM d.submitted_at) || '-' || lpad(
           (row_number() OVER (PARTITION BY extract(year FROM d.submitted_at) ORDER BY d.submitted_at, d.id))::text,
           6, '0'),
       'duty_to_notify', d.submitted_at, t.answers, '', COALESCE(t.answers->>'nation', 'england'), false,
       COALESCE(t.answers->>'child_during_exploitation', ''), COALESCE(t.answers->>'gender', ''),
       ARRAY(SELECT n FROM unnest(ARRAY[t.answers->>'nationality', t.answers->>'second_nationality']) AS n
             WHERE COALESCE(n, '') <> ''),
       t.exploitation_types, COALESCE(t.answers->>'exploited_in', ''), '', NULL, '', d.id,
       (%(organisations)s::bigint[])[1 + floor(d.r_org * %(organisation_count)s)::int],
       (%(responders)s::bigint[])[1 + floor(d.r_org * %(organisation_count)s)::int]
FROM bench_dtn AS d
JOIN bench_dtn_answers AS t ON t.number = floor(d.r_template * {TEMPLATES})::int
"""  # noqa: S608 - constants of this module


def _reason(draw: str) -> str:
    from benchmarks.casework_seed import pick

    return pick({key: float(value) for key, value in NEGATIVE_REASONS.items()}, draw)


def _served(column: str) -> str:
    return f"""'{{}}'::varchar[], 'Benchmark decision.', {{reason}}, (({column}) AT TIME ZONE 'Europe/London')::date,
        COALESCE(assignee_id, %(worker)s), '', {column}, 'served', '', '', '', '', {column}"""


DECISION_COLUMNS = """case_id, stage, outcome, factors, reasons, negative_reason, decision_date, decided_by_id,
    decision_maker_name, created_at, state, review_route, review_reasons, authority_response,
    authority_response_reasons, served_at"""


def decisions_sql() -> str:
    rg_negative = "opened_at + (2 + random() * 10) * interval '1 day'"
    cg_negative = "LEAST(%(now)s - interval '1 day', rg_decided_at + (120 + random() * 600) * interval '1 day')"
    return f"""
    INSERT INTO casework_decision ({DECISION_COLUMNS})
    SELECT id, 'rg', 'positive', {_served("rg_decided_at").replace("{reason}", "''")}
    FROM casework_case WHERE rg_decided_at IS NOT NULL
    UNION ALL
    SELECT id, 'rg', 'negative', {_served("served").replace("{reason}", _reason("r"))}
    FROM (SELECT *, {rg_negative} AS served, random() AS r FROM casework_case
          WHERE status = 'rg_negative_served') AS c
    UNION ALL
    SELECT id, 'cg', 'positive', {_served("cg_decided_at").replace("{reason}", "''")}
    FROM casework_case WHERE cg_decided_at IS NOT NULL
    UNION ALL
    SELECT id, 'cg', 'negative', {_served("served").replace("{reason}", _reason("r"))}
    FROM (SELECT *, {cg_negative} AS served, random() AS r FROM casework_case
          WHERE status = 'cg_negative_served' AND rg_decided_at IS NOT NULL) AS c
    """  # noqa: S608 - constants of this module


RECONSIDERATIONS_SQL = f"""
INSERT INTO casework_reconsideration (case_id, decision_id, requested_by_id, requester_organisation_id, requested_at,
                                      grounds, details, is_late, exceptional_circumstances, state, decided_by_id,
                                      decided_at, decision_reasons)
SELECT d.case_id, d.id, r.submitted_by_id, r.organisation_id, d.served_at + interval '10 days',
       CASE WHEN x.r_grounds < 0.5 THEN ARRAY['new_evidence'] WHEN x.r_grounds < 0.8
            THEN ARRAY['guidance_not_followed'] ELSE ARRAY['new_evidence', 'guidance_not_followed'] END::varchar[],
       'Benchmark.', false, '',
       CASE WHEN x.r_state < 0.4 THEN 'accepted' WHEN x.r_state < 0.85 THEN 'declined' ELSE 'pending' END,
       CASE WHEN x.r_state < 0.85 THEN %(worker)s END,
       CASE WHEN x.r_state < 0.85 THEN d.served_at + interval '30 days' END, ''
FROM (SELECT id, random() AS r_pick, random() AS r_grounds, random() AS r_state
      FROM casework_decision WHERE outcome = 'negative' AND state = 'served') AS x
JOIN casework_decision AS d ON d.id = x.id
JOIN casework_case AS c ON c.id = d.case_id
JOIN referrals_referral AS r ON r.id = c.referral_id
WHERE x.r_pick < {RECONSIDERED_SHARE}
"""  # noqa: S608 - constants of this module
DISQUALIFIED_SQL = """
INSERT INTO casework_caseevent (created_at, data, actor_id, case_id, kind)
SELECT COALESCE(rg_decided_at, opened_at) + interval '60 days',
       jsonb_build_object('from_status', 'awaiting_cg', 'to_status', 'disqualified', 'note_id', NULL),
       %(worker)s, id, 'disqualified'
FROM casework_case WHERE status = 'disqualified'
"""


def _dtn_templates(cursor) -> None:
    from referrals.demo_answers import complete_answers
    from referrals.questions import QUESTIONNAIRE
    from referrals.questions.engine import applicable_answers
    from referrals.services.submission import typed_columns

    cursor.execute("CREATE UNLOGGED TABLE bench_dtn_answers (number int, answers jsonb, exploitation_types text[])")
    rows = []
    for number in range(TEMPLATES):
        answers = applicable_answers(
            QUESTIONNAIRE, complete_answers("duty_to_notify", organisation_name="", seed=number)
        )
        rows.append((number, json.dumps(answers), typed_columns("duty_to_notify", answers)["exploitation_types"]))
    cursor.executemany("INSERT INTO bench_dtn_answers VALUES (%s, %s, %s)", rows)


def _drop_indexes(cursor) -> list[str]:
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
    """casework_seed's cases (unless already there), then what the statistics add to them."""
    from django.db import connection, transaction
    from django.utils import timezone

    from benchmarks import casework_seed
    from casework.models import Case, Decision
    from referrals.models import Referral

    started = time.perf_counter()

    def step(message: str) -> None:
        log(f"  {message} ({time.perf_counter() - started:.0f} s)")

    if Case.objects.count() != count:
        casework_seed.seed(count, log=log)
    if Decision.objects.exists():
        return
    cast = casework_seed.people(*_authorities())
    parameters = {
        "now": timezone.now(),
        "count": round(count * DUTY_TO_NOTIFY_SHARE),
        "first_id": Referral.objects.order_by("-pk").values_list("pk", flat=True).first() or 0,
        "organisations": [organisation.pk for organisation in cast["organisations"]],
        "responders": [user.pk for user in cast["responders"]],
        "organisation_count": len(cast["organisations"]),
        "worker": cast["sca_workers"][0].pk,
    }
    log("Adding what the statistics read…")
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL session_replication_role = replica")
        cursor.execute("SET LOCAL work_mem = '256MB'")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        cursor.execute(f"SELECT setseed({random.Random(20261206).random() * 2 - 1})")
        cursor.execute("DROP TABLE IF EXISTS bench_dtn, bench_dtn_answers")
        definitions = _drop_indexes(cursor)
        cursor.execute(TYPED_SQL)
        step(f"typed columns of {cursor.rowcount:,} referrals read from their answers")
        _dtn_templates(cursor)
        cursor.execute(DTN_PLAN_SQL, parameters)
        cursor.execute(DTN_DRAFTS_SQL, parameters)
        cursor.execute(DTN_REFERRALS_SQL, parameters)
        step(f"{cursor.rowcount:,} Duty to Notify reports written")
        cursor.execute(decisions_sql(), parameters)
        step(f"{cursor.rowcount:,} served decisions written")
        cursor.execute(RECONSIDERATIONS_SQL, parameters)
        step(f"{cursor.rowcount:,} reconsiderations written")
        cursor.execute(DISQUALIFIED_SQL, parameters)
        step(f"{cursor.rowcount:,} disqualifications written")
        for definition in definitions:
            cursor.execute(definition)
        step(f"{len(definitions)} indexes built")
        for table in SEEDED_TABLES:
            sql = f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"  # noqa: S608
            cursor.execute(sql)
        cursor.execute("SELECT setval('referrals_dtn_reference_seq', %s)", [parameters["count"]])
        cursor.execute("DROP TABLE bench_dtn, bench_dtn_answers")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    step("vacuumed and analysed")


def _authorities():
    from accounts.models import Organisation
    from casework.models import IECA_NAME
    from casework.services import single_competent_authority

    return single_competent_authority(), Organisation.objects.get(name=IECA_NAME)
