"""Benchmark of the organisation's referrals list, a referral's page and sending a referral, at volume.

    .venv/bin/python benchmarks/referrals.py [--count 100000] [--requests 100] [--submissions 20]
                                             [--with-proposed-indexes]

Uses its own database (`nrm_bench` on the same PostgreSQL server as the app; --database to name another), which
it creates and migrates. It seeds `--count` sent referrals of plausible shape (benchmarks/README.md) once: a later
run with the same count reuses them, another count starts the database again. Then it times pages through
Django's test client, signed in as a first responder of the largest organisation, and prints p50/p95 server times
and query counts, and the time `referral_submit` takes for fresh complete drafts. See benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import (  # noqa: E402
    measure,
    prepare_database,
    print_rows,
    sql_milliseconds,
    summary,
    use_own_database,
)

BIG_ORGANISATION = "Benchmark Constabulary"
BIG_SHARE = 0.2  # of all referrals, at most BIG_MAX: a large police force's few years of referrals
BIG_MAX = 20_000
OTHER_ORGANISATIONS = [
    # name, kind (Organisation.Kind values), weight
    ("Benchmark Metropolitan Police", "police", 14),
    ("Benchmark Midlands Police", "police", 8),
    ("Benchmark Northern Police", "police", 6),
    ("Benchmark Coastal Police", "police", 4),
    ("Benchmark Regional Organised Crime Unit", "police", 3),
    ("Benchmark City Council", "local_authority", 8),
    ("Benchmark County Council", "local_authority", 6),
    ("Benchmark Borough Council", "local_authority", 5),
    ("Benchmark Children's Trust", "local_authority", 3),
    ("Benchmark Border Force", "government_agency", 9),
    ("Benchmark Immigration Enforcement", "government_agency", 8),
    ("Benchmark Visas and Immigration", "government_agency", 7),
    ("Benchmark Salvation Army", "ngo", 6),
    ("Benchmark Migrant Help", "ngo", 5),
    ("Benchmark Anti-Slavery Charity", "ngo", 4),
    ("Benchmark Children's Charity", "ngo", 4),
]
SUBMISSION_ORGANISATION = "Benchmark Submissions Police"  # fresh sends go here, outside the seeded count
TEMPLATES_PER_ROUTE = 150
BATCH = 2_000
YEARS = 3  # referrals spread over the last three years


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--count", type=int, default=100_000, help="sent referrals to seed (default 100000)")
    parser.add_argument("--requests", type=int, default=100, help="requests per measured page (default 100)")
    parser.add_argument("--submissions", type=int, default=20, help="referrals sent and timed (default 20)")
    parser.add_argument("--database", default="nrm_bench", help="the benchmark's own database (default nrm_bench)")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    parser.add_argument(
        "--with-proposed-indexes",
        action="store_true",
        help="measure with the indexes of PROPOSED_INDEXES (not in the models yet); without it they are dropped",
    )
    return parser.parse_args()


# Indexes the models do not have yet, created in this database only to measure what they would bring
# (benchmarks/README.md has the figures): the responder's own reference matched by its start in any case.
PROPOSED_INDEXES = {
    "bench_referral_own_reference_prefix": "referrals_referral "
    "(organisation_id, upper(responder_reference) varchar_pattern_ops)",
}
# Dropped whatever the run: once proposed here, now declared in the models.
RETIRED_INDEXES = ["bench_case_status"]


def set_proposed_indexes(*, present: bool) -> None:
    from django.db import connection

    with connection.cursor() as cursor:
        for name in RETIRED_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        for name, definition in PROPOSED_INDEXES.items():
            if present:
                cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
            else:
                cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute("ANALYZE referrals_referral")
        cursor.execute("ANALYZE casework_case")


# --- seeding --------------------------------------------------------------------------------------------------
def seeded_count() -> int:
    from referrals.models import Referral

    return Referral.objects.exclude(organisation__name=SUBMISSION_ORGANISATION).count()


def responder_for(organisation):
    from accounts.models import User
    from accounts.roles import Role
    from accounts.services import user_create

    email = f"responder{organisation.pk}@bench.example"
    return User.objects.filter(email=email).first() or user_create(
        email=email, role=Role.FIRST_RESPONDER, organisation=organisation, full_name=f"Responder {organisation.pk}"
    )


def organisation(name: str, kind: str):
    from accounts.models import Nation, Organisation

    return Organisation.objects.get_or_create(
        name=name, defaults={"kind": kind, "nation": Nation.ENGLAND, "email_domains": []}
    )[0]


def answer_templates(rng: random.Random) -> dict[str, list[dict]]:
    """Complete answers per route (demo_answers' proportions of age, nationality, exploitation and place)."""
    from referrals.demo_answers import complete_answers
    from referrals.models import Route
    from referrals.questions import QUESTIONNAIRE
    from referrals.questions.engine import applicable_answers

    return {
        route: [
            applicable_answers(QUESTIONNAIRE, complete_answers(route, organisation_name="", seed=seed))
            for seed in range(TEMPLATES_PER_ROUTE)
        ]
        for route in Route
    }


def vary_person(answers: dict, rng: random.Random, when: date) -> dict:
    """Another person of the same origin, so that the duplicate check finds only the rare real coincidence."""
    from referrals.demo_answers import ORIGINS

    origin = ORIGINS.get(answers.get("nationality", ""))
    if origin and answers.get("first_name"):
        names = origin.first_names_female if answers.get("gender") == "female" else origin.first_names_male
        answers["first_name"], answers["last_name"] = rng.choice(names), rng.choice(origin.last_names)
    if answers.get("date_of_birth"):
        born = date.fromisoformat(answers["date_of_birth"])
        answers["date_of_birth"] = (born - (date.today() - when) - timedelta(days=rng.randint(-180, 180))).isoformat()
    if answers.get("home_office_reference"):
        answers["home_office_reference"] = f"{answers['last_name'][0].upper()}{rng.randint(1000000, 9999999)}"
    return answers


# How far a case has gone, by the age of its referral in days: (older than, [(status, weight)]).
STATUS_BY_AGE = [
    (500, [("confirmed_victim", 45), ("awaiting_cg", 22), ("cg_negative_served", 9), ("rg_negative_served", 10),
           ("closed", 6), ("withdrawn", 4), ("suspended", 3), ("merged", 1)]),
    (45, [("awaiting_cg", 72), ("recovery", 3), ("rg_negative_served", 11), ("cg_negative_review", 2),
          ("suspended", 5), ("withdrawn", 4), ("confirmed_victim", 3)]),
    (7, [("recovery", 62), ("awaiting_rg", 18), ("rg_negative_served", 10), ("rg_negative_review", 6),
         ("withdrawn", 2), ("suspended", 2)]),
    (-1, [("awaiting_rg", 94), ("rg_negative_review", 6)]),
]  # fmt: skip


def status_for(age_days: int, rng: random.Random) -> str:
    for older_than, weights in STATUS_BY_AGE:
        if age_days > older_than:
            statuses, shares = zip(*weights, strict=True)
            return rng.choices(statuses, weights=shares)[0]
    raise AssertionError("unreachable")


def seed(count: int) -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Organisation
    from casework.models import IECA_NAME, Case, Policy
    from casework.services import single_competent_authority
    from common.calendar import add_working_days
    from referrals.demo_answers import ROUTE_WEIGHTS
    from referrals.models import Draft, Referral, Route
    from referrals.services.submission import typed_columns

    rng = random.Random(20260101)
    started = time.perf_counter()
    print(f"Seeding {count:,} referrals…", flush=True)
    templates = answer_templates(rng)
    big_count = min(BIG_MAX, round(count * BIG_SHARE))
    organisations = [(organisation(BIG_ORGANISATION, Organisation.Kind.POLICE), None)]
    organisations += [(organisation(name, kind), weight) for name, kind, weight in OTHER_ORGANISATIONS]
    responders = {org.pk: responder_for(org) for org, _ in organisations}
    # The big organisation's share exactly, the rest by weight.
    owners = [organisations[0][0]] * big_count
    others = [org for org, _ in organisations[1:]]
    owners += rng.choices(others, weights=[w for _, w in organisations[1:]], k=count - big_count)
    rng.shuffle(owners)

    sca, ieca = single_competent_authority(), Organisation.objects.filter(name=IECA_NAME).first()
    targets = {nation: Policy.for_nation(nation).rg_target_working_days for nation in ("england", "wales",
               "scotland", "northern_ireland")}  # fmt: skip
    now = timezone.now()
    routes, weights = zip(*ROUTE_WEIGHTS.items(), strict=True)
    numbers = {"NRM": 0, "DTN": 0}
    due_after: dict[tuple[date, int], timedelta] = {}
    for start in range(0, count, BATCH):
        batch_owners = owners[start : start + BATCH]
        drafts, referrals, plans = [], [], []
        for owner in batch_owners:
            route = rng.choices(routes, weights=weights)[0]
            # Newest referrals are the most numerous (referrals keep rising: domain.md).
            age_days = int(YEARS * 365 * (1 - rng.random() ** 0.8))
            submitted_at = now - timedelta(days=age_days, seconds=rng.randint(0, 86_399))
            answers = vary_person(dict(rng.choice(templates[route])), rng, submitted_at.date())
            answers["organisation"] = owner.name
            answers["responder_reference"] = f"{rng.choice(['MS', 'CR', 'SG', 'OP'])}/{submitted_at:%y}/" + str(
                rng.randint(10_000, 999_999)
            )
            prefix = "DTN" if route == Route.DUTY_TO_NOTIFY else "NRM"
            numbers[prefix] += 1
            responder = responders[owner.pk]
            drafts.append(
                Draft(organisation=owner, created_by=responder, last_changed_by=responder, answers={},
                      version=rng.randint(20, 80), submitted_at=submitted_at)
            )  # fmt: skip
            referrals.append(
                Referral(
                    reference=f"{prefix}-{timezone.localtime(submitted_at).year}-{numbers[prefix]:06d}",
                    route=route, organisation=owner, submitted_by=responder, submitted_at=submitted_at,
                    answers=answers, **typed_columns(Route(route), answers),
                )
            )  # fmt: skip
            plans.append(age_days)
        with transaction.atomic():
            # Submitted drafts keep no answers here: no page reads them once the referral is sent.
            Draft.objects.bulk_create(drafts)
            for draft, referral in zip(drafts, referrals, strict=True):
                referral.draft = draft
            Referral.objects.bulk_create(referrals)
            cases = []
            for referral, age_days in zip(referrals, plans, strict=True):
                if referral.route == Route.DUTY_TO_NOTIFY:
                    continue
                submitted_local = timezone.localtime(referral.submitted_at)
                key = (submitted_local.date(), targets[referral.nation])
                if key not in due_after:  # the working-day calendar is slow enough to matter 80,000 times
                    due_after[key] = add_working_days(submitted_local, key[1]).date() - key[0]
                cases.append(
                    Case(
                        referral=referral, reference=referral.reference,
                        authority=ieca if ieca and rng.random() < 0.06 else sca,
                        status=status_for(age_days, rng), nation=referral.nation, is_child=referral.is_child,
                        opened_at=referral.submitted_at,
                        rg_due_at=submitted_local + due_after[key],
                    )
                )  # fmt: skip
            Case.objects.bulk_create(cases)
        done = start + len(batch_owners)
        print(f"  {done:>9,} of {count:,} ({time.perf_counter() - started:.0f} s)", flush=True)

    big, responder = organisations[0][0], responders[organisations[0][0].pk]
    open_drafts(big, responder, templates, rng, now)
    with connection.cursor() as cursor:
        cursor.execute("SELECT setval('referrals_nrm_reference_seq', %s)", [max(numbers["NRM"], 1)])
        cursor.execute("SELECT setval('referrals_dtn_reference_seq', %s)", [max(numbers["DTN"], 1)])
        cursor.execute("VACUUM ANALYZE")
    print(f"Seeded in {time.perf_counter() - started:.0f} s", flush=True)


def open_drafts(owner, responder, templates, rng, now) -> None:
    """A dozen drafts in progress for the measured organisation, changed over the last four weeks."""
    from referrals.demo import partly
    from referrals.models import Draft, Route

    drafts = Draft.objects.bulk_create(
        Draft(organisation=owner, created_by=responder, last_changed_by=responder,
              answers=partly(dict(rng.choice(templates[rng.choice(list(Route))])), rng.uniform(0.2, 0.95)))
        for _ in range(12)
    )  # fmt: skip
    for draft in drafts:
        Draft.objects.filter(pk=draft.pk).update(updated_at=now - timedelta(hours=rng.randint(1, 27 * 24)))


def page_benchmarks(requests: int) -> list[tuple[str, dict]]:
    from django.test import Client
    from django.urls import reverse

    from accounts.models import Organisation
    from referrals.models import Referral

    big = Organisation.objects.get(name=BIG_ORGANISATION)
    client = Client()
    client.force_login(responder_for(big))
    rng = random.Random(7)
    base = reverse("referrals:list")
    mine = Referral.objects.filter(organisation=big)
    total = mine.count()
    last_page = max(1, -(-total // 25))
    sample = list(mine.order_by("?").values_list("reference", "responder_reference")[: requests * 2])
    years = sorted({reference[4:8] for reference, _ in sample})

    def repeat(make) -> list[str]:
        return [make(number) for number in range(requests)]

    scenarios = [
        ("list, first page", repeat(lambda n: base)),
        ("list, pages 2 to 40", repeat(lambda n: f"{base}?page={rng.randint(2, min(40, last_page))}")),
        ("list, any page (deep)", repeat(lambda n: f"{base}?page={rng.randint(1, last_page)}")),
        ("search, exact reference", repeat(lambda n: f"{base}?q={sample[n][0]}")),
        ("search, reference prefix", repeat(lambda n: f"{base}?q=NRM-{rng.choice(years)}-0{rng.randint(0, 9)}")),
        ("search, your reference (lower case)", repeat(lambda n: f"{base}?q={sample[n][1].lower()}")),
        ("filter, status", repeat(lambda n: f"{base}?status={rng.choice(STATUS_CHOICES)}")),
        ("filter, status + route, page 2", repeat(
            lambda n: f"{base}?status={rng.choice(STATUS_CHOICES)}&route={rng.choice(ROUTES)}&page=2")),
        ("referral page", repeat(lambda n: reverse("referrals:detail", kwargs={"reference": sample[n][0]}))),
    ]  # fmt: skip
    return [(name, measure(client, urls)) for name, urls in scenarios]


STATUS_CHOICES = ["awaiting_rg", "recovery", "awaiting_cg", "confirmed_victim", "rg_negative", "withdrawn", "merged"]
ROUTES = ["child", "adult", "duty_to_notify"]


def submission_benchmark(submissions: int) -> dict:
    """referral_submit of fresh complete drafts: the reference, the frozen answers and typed columns, the case
    with its deadline, the duplicate check against every seeded referral, the notification."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from notifications import services as notification_services
    from referrals.demo_answers import complete_answers, plausible_route
    from referrals.services import draft_create, draft_save_page
    from referrals.services.submission import referral_submit

    # The email is queued after commit, to the app's Redis: not from here, where the ids are another database's.
    notification_services.notification_queue_email = lambda **kwargs: True
    responder = responder_for(organisation(SUBMISSION_ORGANISATION, "police"))
    rng = random.Random(time.time_ns())
    times, sql_times, queries = [], [], set()
    for _ in range(submissions + 2):
        answers = complete_answers(plausible_route(rng), organisation_name=responder.organisation.name,
                                   seed=rng.randint(10**6, 10**9))  # fmt: skip
        draft = draft_create(actor=responder)
        draft, _ = draft_save_page(draft_id=draft.pk, actor=responder, page_slug="your-details",
                                   page_answers=answers, expected_version=draft.version)  # fmt: skip
        with CaptureQueriesContext(connection) as context:
            started = time.perf_counter()
            referral_submit(draft_id=draft.pk, actor=responder)
            times.append((time.perf_counter() - started) * 1000)
        queries.add(len(context))
        sql_times.append(sql_milliseconds(context))
    return summary(times[2:], sql_times[2:], queries)  # the first two warm up


def main() -> int:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    prepare_database(
        url=url,
        database=arguments.database,
        count=arguments.count,
        reseed=arguments.reseed,
        noun="referrals",
        seeded_count=seeded_count,
        seed=seed,
    )

    from referrals.models import Referral

    set_proposed_indexes(present=arguments.with_proposed_indexes)
    load_before = os.getloadavg()[0]
    rows = page_benchmarks(arguments.requests)
    rows.append(("referral_submit (fresh complete draft)", submission_benchmark(arguments.submissions)))
    big_total = Referral.objects.filter(organisation__name=BIG_ORGANISATION).count()
    print(f"\n{arguments.count:,} referrals seeded; the measured organisation has {big_total:,} (25 a page)\n")
    print_rows(rows, width=40)
    print(
        f"Proposed indexes: {'present' if arguments.with_proposed_indexes else 'absent'}; load average before: "
        f"{load_before:.2f}, after: {os.getloadavg()[0]:.2f} (2 cores)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
