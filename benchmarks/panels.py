"""Benchmark of the panels' pages at volume: the review list (landing page and each tab), the review page, the
meetings list, the dashboard and the panel record PDF.

    .venv/bin/python benchmarks/panels.py [--cases 1000000] [--panel-cases 4000] [--requests 100] [--reseed]

Uses its own database (`nrm_bench_panels` on the app's PostgreSQL server; --database to name another). The cases
are seeded as benchmarks/casework.py seeds them (benchmarks/casework_seed.py, set-based SQL; about 4 minutes for
1,000,000 on this 2-core machine), once: a later run with the same --cases reuses them. On top, once, the panels:

- **England** (assurance, the whole nation): --panel-cases reviews of negative CG decisions (default 4,000);
- **North West and Yorkshire** (assurance, some regions): half as many;
- **South West** (regional decision-making): a quarter as many RG decisions to make;
- **Isles** (assurance): 40 reviews, the small panel whose pages are measured beside England's to show that
  the number of queries does not depend on the number of rows.

Each panel has a chair and five members (police, local authority, health, NGO, UKVI). 92% of its cases are
concluded (spread over two years, 5 to 20 days after they were sent: most agreed; a third of the rest recommended
reconsideration, answered by the authority or not), 8% open (sent in the last three weeks, some overdue, none,
one or two views recorded), with the decision under review, two views per concluded case and its participants,
and a meeting a month (attendance recorded) plus one to come with an agenda. Rows are written with bulk_create.

Then it times the pages through Django's test client (server time: middleware, view, queries, template) as the
England chair, an England member and the Isles chair, and an SCA manager for the dashboard, and prints p50/p95
and the queries of each request. Target (issue 10): p95 under 150 ms for the review list and the review page.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.harness import measure, prepare_database, print_rows, use_own_database  # noqa: E402

PANEL_BODY = "Benchmark Panel Secretariat"
PANELS = [
    # key, name, kind, regions, share of --panel-cases (None: SMALL_PANEL_CASES)
    ("england", "Benchmark assurance panel: England", "assurance", [], 1.0),
    ("north", "Benchmark assurance panel: North West and Yorkshire", "assurance", ["Greater Manchester", "Merseyside",
                                                                                 "West Yorkshire"], 0.5),
    ("south_west", "Benchmark South West regional panel", "decision_making", ["Devon", "Cornwall", "Bristol"], 0.25),
    ("isles", "Benchmark assurance panel: Isles", "assurance", ["Isle of Wight"], None),
]  # fmt: skip
SMALL_PANEL_CASES = 40
OPEN_SHARE = 0.08
AGENCIES = ["police", "local_authority", "health", "ngo", "ukvi"]
REASONS = (
    "The decision weighs the account against the indicators recorded and follows the statutory guidance; the "
    "credibility concerns it relies on are set out and evidenced in the referral and the answers to requests."
)


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cases", type=int, default=1_000_000, help="cases to seed (default 1000000)")
    parser.add_argument("--panel-cases", type=int, default=4000, help="cases of the largest panel (default 4000)")
    parser.add_argument("--requests", type=int, default=100, help="requests per measured page (default 100)")
    parser.add_argument("--pdf-requests", type=int, default=20, help="requests of the record PDF (default 20)")
    parser.add_argument("--database", default="nrm_bench_panels", help="the benchmark's own database")
    parser.add_argument("--reseed", action="store_true", help="start the database again even at the same count")
    parser.add_argument("--seed-only", action="store_true", help="seed, then stop")
    parser.add_argument("--only", default="", help="measure only the rows whose name contains this text")
    return parser.parse_args()


def seeded_count() -> int:
    from casework.models import Case

    return Case.objects.filter(reference__startswith="NRM-").count()


# --- seeding the panels ---------------------------------------------------------------------------------------
def email(key: str, seat: str) -> str:
    return f"{seat}.{key}@panels.bench.example"


def seed_panels(panel_cases: int, log=print) -> None:
    """The panels, their seats and their cases, once (a later run finds the England panel and leaves them)."""
    import time

    from django.db import connection, transaction
    from django.utils import timezone

    from accounts.models import Nation, Organisation, User
    from accounts.services import user_create
    from casework.models import Case, Decision
    from casework.services import single_competent_authority
    from panels.models import Meeting, Membership, Panel, PanelCase, View
    from panels.services import panel_cases_refresh_quorate

    if Panel.objects.filter(name=PANELS[0][1]).exists():
        print(f"Reusing the panels already seeded ({PanelCase.objects.count():,} panel cases)")
        return
    started = time.perf_counter()
    rng = random.Random(20261206)
    now = timezone.now()
    body = Organisation.objects.get_or_create(
        name=PANEL_BODY, defaults={"kind": Organisation.Kind.PANEL_BODY, "nation": Nation.ENGLAND}
    )[0]
    sca = single_competent_authority()
    fallback_caseworker = User.objects.filter(organisation=sca, role="caseworker").order_by("pk").first()
    used: set[int] = set()

    def cases_in(status: str, count: int) -> list[tuple]:
        """`count` English cases in `status` not used yet: (id, opened_at, assignee_id)."""
        rows = list(
            Case.objects.filter(status=status, nation=Nation.ENGLAND, authority=sca)
            .exclude(pk__in=list(used))
            .order_by("pk")
            .values_list("pk", "opened_at", "assignee_id")[:count]
        )
        used.update(row[0] for row in rows)
        return rows

    with transaction.atomic():
        for key, name, kind, regions, share in PANELS:
            size = SMALL_PANEL_CASES if share is None else round(panel_cases * share)
            is_review = kind == "assurance"
            panel = Panel.objects.create(
                name=name,
                kind=kind,
                nation=Nation.ENGLAND,
                regions=regions,
                active_from=(now - timedelta(days=800)).date(),
                reviews_negative_cg=is_review,
                decides_rg=not is_review,
                decides_cg=not is_review,
                quorum_minimum_present=3 if is_review else 5,
            )
            seats = []
            for number, role in enumerate(["chair"] + ["member"] * len(AGENCIES)):
                address = email(key, "chair" if role == "chair" else f"member{number}")
                user = User.objects.filter(email=address).first() or user_create(
                    email=address,
                    role="panel_chair" if role == "chair" else "panel_member",
                    organisation=body,
                    full_name=f"{key.title()} {role.title()} {number}",
                )
                seats.append(
                    Membership.objects.create(
                        panel=panel,
                        user=user,
                        role=role,
                        agency="other" if role == "chair" else AGENCIES[number - 1],
                        term_start=panel.active_from,
                    )
                )
            chair, members = seats[0], seats[1:]
            open_count = max(3, round(size * OPEN_SHARE))
            concluded_count = size - open_count
            # Monthly meetings over two years, attendance recorded; one to come.
            meetings = Meeting.objects.bulk_create(
                Meeting(
                    panel=panel,
                    starts_at=now - timedelta(days=30 * month + 3),
                    format="video",
                    where="",
                    scheduled_by=chair.user,
                    scheduled_at=now - timedelta(days=30 * month + 20),
                    attendance_recorded_at=now - timedelta(days=30 * month + 3),
                )
                for month in range(24)
            )
            upcoming = Meeting.objects.create(
                panel=panel, starts_at=now + timedelta(days=5), format="video", scheduled_by=chair.user
            )
            Meeting.attendees.through.objects.bulk_create(
                Meeting.attendees.through(meeting=meeting, membership=seat)
                for meeting in meetings
                for seat in seats[:4]
            )
            if is_review:
                agree_rows = cases_in("cg_negative_served", round(concluded_count * 0.8))
                reconsidered_rows = cases_in("awaiting_cg", round(concluded_count * 0.08))
                waiting_rows = cases_in("cg_negative_review", round(concluded_count * 0.04))
                maintained_rows = cases_in("cg_negative_served", concluded_count - len(agree_rows)
                                           - len(reconsidered_rows) - len(waiting_rows))  # fmt: skip
                open_rows = cases_in("cg_negative_review", open_count)
                concluded_sets = [
                    ("agree", "", "served", agree_rows),
                    ("recommend_reconsideration", "reconsider", "returned", reconsidered_rows),
                    ("recommend_reconsideration", "", "recommended", waiting_rows),
                    ("recommend_reconsideration", "maintain", "served", maintained_rows),
                ]
            else:
                concluded_sets = [("positive", "", "served", cases_in("recovery", concluded_count))]
                open_rows = cases_in("awaiting_rg", open_count)
            decisions, work = [], []
            for recommendation, response, state, rows in concluded_sets:
                for case_id, _opened_at, assignee_id in rows:
                    routed = now - timedelta(days=rng.uniform(21, 720))
                    concluded = routed + timedelta(days=rng.uniform(5, 20))
                    decided_by = chair.user_id if not is_review else assignee_id or fallback_caseworker.pk
                    decisions.append(
                        Decision(
                            case_id=case_id,
                            stage="cg" if is_review else "rg",
                            outcome="negative" if is_review else "positive",
                            reasons=REASONS,
                            decision_date=(routed if is_review else concluded).date(),
                            decided_by_id=decided_by,
                            decision_maker_name="" if is_review else name,
                            created_at=routed,
                            state=state,
                            review_route="panel" if is_review else "",
                            served_at=concluded if state == "served" else None,
                            authority_response=response,
                            authority_response_reasons=REASONS if response else "",
                            authority_responded_at=concluded + timedelta(days=3) if response else None,
                        )
                    )
                    month = min(23, int((now - concluded).days // 30))
                    work.append(
                        PanelCase(
                            panel=panel,
                            case_id=case_id,
                            kind="review" if is_review else "decision",
                            stage="cg" if is_review else "rg",
                            routed_at=routed,
                            due_date=(routed + timedelta(days=14)).date(),
                            state="concluded",
                            meeting=meetings[month] if rng.random() < 0.6 else None,
                            recommendation=recommendation,
                            reasons=REASONS,
                            concluded_by=chair.user,
                            concluded_at=concluded,
                        )
                    )
            for case_id, _opened_at, assignee_id in open_rows:
                routed = now - timedelta(days=rng.uniform(0, 21))
                decision = None
                if is_review:
                    decision = Decision(
                        case_id=case_id,
                        stage="cg",
                        outcome="negative",
                        reasons=REASONS,
                        decision_date=routed.date(),
                        decided_by_id=assignee_id or fallback_caseworker.pk,
                        created_at=routed,
                        state="under_review",
                        review_route="panel",
                    )
                decisions.append(decision)
                work.append(
                    PanelCase(
                        panel=panel,
                        case_id=case_id,
                        kind="review" if is_review else "decision",
                        stage="cg" if is_review else "rg",
                        routed_at=routed,
                        due_date=(routed + timedelta(days=14)).date(),
                        state="open",
                        meeting=upcoming if rng.random() < 0.3 else None,
                    )
                )
            made = iter(Decision.objects.bulk_create([d for d in decisions if d is not None], batch_size=2000))
            for panel_case, decision in zip(work, decisions, strict=True):
                if decision is not None and (is_review or panel_case.state == "concluded"):
                    panel_case.decision = next(made)
            work = PanelCase.objects.bulk_create(work, batch_size=2000)
            views, participants = [], []
            for panel_case in work:
                opinions = {"agree": ["agree", "agree"], "recommend_reconsideration": ["recommend_reconsideration",
                            "agree"], "positive": ["positive", "positive", "positive", "positive"]}  # fmt: skip
                if panel_case.state == "concluded":
                    chosen = opinions[panel_case.recommendation]
                    for member, opinion in zip(members, chosen, strict=False):
                        views.append(View(panel_case=panel_case, membership=member, opinion=opinion, reasons=REASONS,
                                          recorded_at=panel_case.concluded_at - timedelta(days=1)))  # fmt: skip
                    for seat in [chair, *members[: len(chosen)]]:
                        participants.append(PanelCase.participants.through(panelcase=panel_case, membership=seat))
                else:
                    opinion = "agree" if is_review else "positive"
                    for member in members[: rng.choice([0, 1, 2, 2 if is_review else 4])]:
                        views.append(View(panel_case=panel_case, membership=member, opinion=opinion, reasons=REASONS,
                                          recorded_at=panel_case.routed_at + timedelta(hours=6)))  # fmt: skip
            View.objects.bulk_create(views, batch_size=2000)
            PanelCase.participants.through.objects.bulk_create(participants, batch_size=2000)
            # The flag the services keep after each view (a chair's tabs sort on it), as they would have.
            panel_cases_refresh_quorate([panel_case.pk for panel_case in work if panel_case.state == "open"])
            log(f"  {name}: {len(work):,} panel cases, {len(views):,} views ({time.perf_counter() - started:.0f} s)")
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    log(f"  vacuumed and analysed ({time.perf_counter() - started:.0f} s)")


# --- measuring ------------------------------------------------------------------------------------------------
def signed_in(address: str):
    from django.test import Client

    from accounts.models import User

    client = Client()
    client.force_login(User.objects.get(email=address))
    return client


def scenarios(requests: int, pdf_requests: int) -> list[tuple[str, str, list, dict]]:
    from django.urls import reverse

    from panels.models import Panel, PanelCase

    rng = random.Random(7)
    reviews = reverse("panels:reviews")
    rows = []
    for key, label in (("england", "England"), ("isles", "Isles (40)")):
        panel = Panel.objects.get(name=next(name for k, name, *_ in PANELS if k == key))
        chair = email(key, "chair")
        member = email(key, "member1")
        cases = PanelCase.objects.filter(panel=panel)
        open_ids = list(cases.filter(state="open").values_list("pk", flat=True))
        concluded_ids = list(cases.filter(state="concluded").values_list("pk", flat=True))
        concluded_pages = max(1, len(concluded_ids) // 25)

        def pick(ids, count=requests):
            return [rng.choice(ids) for _ in range(count)]

        rows += [
            (f"{label}: list, landing (chair)", chair, [reviews] * requests, {}),
            (f"{label}: list, to review (chair)", chair, [f"{reviews}?tab=to_review"] * requests, {}),
            (f"{label}: list, awaiting chair (chair)", chair, [f"{reviews}?tab=awaiting_chair"] * requests, {}),
            (f"{label}: list, concluded (chair)", chair, [f"{reviews}?tab=concluded"] * requests, {}),
            (f"{label}: list, concluded, any page", chair,
             [f"{reviews}?tab=concluded&page={rng.randint(1, concluded_pages)}" for _ in range(requests)], {}),
            (f"{label}: list, landing (member)", member, [reviews] * requests, {}),
            (f"{label}: review page, open (chair)", chair,
             [reverse("panels:case", args=[pk]) for pk in pick(open_ids)], {}),
            (f"{label}: review page, open (member)", member,
             [reverse("panels:case", args=[pk]) for pk in pick(open_ids)], {}),
            (f"{label}: review page, concluded (chair)", chair,
             [reverse("panels:case", args=[pk]) for pk in pick(concluded_ids)], {}),
            (f"{label}: meetings (chair)", chair, [reverse("panels:meetings")] * requests, {}),
            (f"{label}: dashboard (chair), 12 months", chair, [reverse("panels:dashboard")] * requests, {}),
            (f"{label}: record PDF (chair)", chair,
             [reverse("panels:record_pdf", args=[pk]) for pk in pick(concluded_ids, pdf_requests)], {}),
        ]  # fmt: skip
    dashboard = reverse("panels:dashboard")
    rows += [
        ("SCA manager: dashboard, 12 months", "manager1@sca.bench.example", [dashboard] * requests, {}),
        ("SCA manager: dashboard, all time", "manager1@sca.bench.example", [f"{dashboard}?period=all"] * requests, {}),
    ]
    return rows


def run(requests: int, pdf_requests: int, only: str = "") -> list[tuple[str, dict]]:
    clients: dict[str, object] = {}
    results = []
    for name, who, urls, options in scenarios(requests, pdf_requests):
        if only not in name:
            continue
        client = clients.setdefault(who, signed_in(who))
        results.append((name, measure(client, urls, **options)))
        print(f"  {name}: done", flush=True)
    return results


def main() -> int:
    arguments = parse_arguments()
    url = use_own_database(arguments.database)
    os.environ["NRM_REQUIRE_STAFF_MFA"] = "false"  # force_login signs staff in without an authenticator

    from benchmarks.casework_seed import seed

    prepare_database(
        url=url,
        database=arguments.database,
        count=arguments.cases,
        reseed=arguments.reseed,
        noun="cases",
        seeded_count=seeded_count,
        seed=lambda count: seed(count, log=lambda message: print(message, flush=True)),
    )
    seed_panels(arguments.panel_cases, log=lambda message: print(message, flush=True))
    if arguments.seed_only:
        return 0
    from casework.models import Case
    from panels.models import PanelCase

    load_before = os.getloadavg()[0]
    rows = run(arguments.requests, arguments.pdf_requests, arguments.only)
    print(f"\n{Case.objects.count():,} cases; {PanelCase.objects.count():,} panel cases\n")
    print_rows(rows, width=48)
    print(f"Load average before: {load_before:.2f}, after: {os.getloadavg()[0]:.2f} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
