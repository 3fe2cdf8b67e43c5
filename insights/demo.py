"""A statistical history for `manage.py seed_demo`: two years of referrals, cases and decisions, so that the analyst
and the managers land on real figures (issue 11) rather than the few dozen hand-made demo cases.

About 1,500 referrals spread over the last 8 quarters (a little more recent than old), from demo first responder
organisations of every kind: 31% child, 47% adult and 22% Duty to Notify reports (so about 40% of NRM referrals
are children), each carrying one of a set of complete answer sets made by `referrals.demo_answers` (so
nationalities, genders, exploitation types, places and nations come in its proportions, domain.md). Every NRM
referral has its case (6% at the IECA) and, as time allows, a served reasonable grounds decision (about 68%
positive) and, after a positive one, a conclusive grounds decision (about 60% positive) or a place in the backlog
awaiting one; some negative decisions were reconsidered, a few cases were withdrawn or disqualified.

Written with `bulk_create` through the models, not the services (thousands of service calls would take minutes):
the rows are what the services would leave, without letters, notifications or the timeline's intermediate
events. The persons are demo_answers' made-up ones. Known by the responder reference DEMO-HISTORY-NNNN: when any
is there, nothing is added, so this is safe to run again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import connection, transaction
from django.utils import timezone

from accounts.models import Nation, Organisation, User
from accounts.roles import Role
from accounts.services import user_create
from casework.models import IECA_NAME, Case, CaseEvent, CaseNote, Decision, Reconsideration
from casework.services import single_competent_authority
from referrals.demo_answers import EXPLOITATION_WEIGHTS, ROUTE_WEIGHTS, complete_answers
from referrals.models import Draft, Referral, Route
from referrals.questions import EXPLOITATION_GROUPS, QUESTIONNAIRE
from referrals.questions.engine import applicable_answers
from referrals.services.submission import REFERENCE_SEQUENCES, typed_columns

KEY = "DEMO-HISTORY-"
REFERRALS = 1_500
DAYS = 2 * 365  # the last 8 quarters
SEED = 20_261_111
TEMPLATES_PER_ROUTE = 40
LONDON = ZoneInfo("Europe/London")

# Referring organisations of every kind the published tables count (name, kind, nation, weight). Demo names only.
ORGANISATIONS = (
    ("Demo Metropolitan Police", Organisation.Kind.POLICE, Nation.ENGLAND, 14),
    ("Demo Midlands Police", Organisation.Kind.POLICE, Nation.ENGLAND, 8),
    ("Demo Police Scotland", Organisation.Kind.POLICE, Nation.SCOTLAND, 3),
    ("Demo Borough Council", Organisation.Kind.LOCAL_AUTHORITY, Nation.ENGLAND, 12),
    ("Demo County Council (Wales)", Organisation.Kind.LOCAL_AUTHORITY, Nation.WALES, 3),
    ("Demo Border Force", Organisation.Kind.GOVERNMENT_AGENCY, Nation.ENGLAND, 12),
    ("Demo Immigration Enforcement", Organisation.Kind.GOVERNMENT_AGENCY, Nation.ENGLAND, 14),
    ("Demo Victims' Charity", Organisation.Kind.NGO, Nation.ENGLAND, 10),
    ("Demo Children's Charity", Organisation.Kind.NGO, Nation.ENGLAND, 6),
    ("Demo Northern Ireland Charity", Organisation.Kind.NGO, Nation.NORTHERN_IRELAND, 2),
)
IECA_SHARE = 0.06
RG_POSITIVE = {Route.CHILD: 0.74, Route.ADULT: 0.64}
CG_POSITIVE = {Route.CHILD: 0.66, Route.ADULT: 0.56}
WITHDRAWN_SHARE = 0.03
DISQUALIFIED_SHARE = 0.01  # of cases after a positive RG
RECONSIDERED_SHARE = 0.08  # of served negative decisions
RECONSIDERATION_ACCEPTED = 0.45
NEGATIVE_REASONS = {
    Decision.NegativeReason.NO_INDICATORS: 30,
    Decision.NegativeReason.DEFINITION_NOT_MET: 25,
    Decision.NegativeReason.INSUFFICIENT_INFORMATION: 25,
    Decision.NegativeReason.CREDIBILITY: 15,
    Decision.NegativeReason.OTHER: 5,
}
NOT_SPECIFIED_LOCATION_SHARE = 0.02  # the responder did not say where the exploitation happened
REASONS = "Demo decision: the reasons are recorded with the considered evidence (demo history)."
RECONSIDERATION_DETAILS = "Demo history: further evidence was sent after the decision."
DISQUALIFICATION_NOTE = "Demo history: disqualified on public order grounds after the positive RG decision."


@dataclass
class _Plan:
    """One referral and what happened to it, drawn before anything is written."""

    number: int
    route: Route
    answers: dict
    organisation: Organisation
    submitter: User
    submitted_at: datetime
    authority: Organisation | None = None
    status: str = ""
    decisions: list[dict] = field(default_factory=list)
    reconsiderations: list[dict] = field(default_factory=list)
    rg_decided_at: datetime | None = None
    cg_decided_at: datetime | None = None
    closed_at: datetime | None = None
    disqualified_at: datetime | None = None


def seed() -> int:
    """Adds the history once; returns how many referrals it added (0 when it is there already)."""
    if Referral.objects.filter(responder_reference__startswith=KEY).exists():
        return 0
    return _seed()


@transaction.atomic
def _seed() -> int:
    rng = random.Random(SEED)
    now = timezone.now()
    referrers = _referrers()
    sca = single_competent_authority()
    ieca = Organisation.objects.get(name=IECA_NAME, kind=Organisation.Kind.COMPETENT_AUTHORITY)
    deciders = {
        sca.pk: list(User.objects.filter(organisation=sca, role=Role.CASEWORKER).order_by("pk")[:5]),
        ieca.pk: list(User.objects.filter(organisation=ieca, role=Role.CASEWORKER).order_by("pk")[:5]),
    }
    managers = {authority.pk: User.objects.filter(organisation=authority, role=Role.MANAGER).first() for authority in
                (sca, ieca)}  # fmt: skip
    fallback = deciders[sca.pk][0] if deciders[sca.pk] else User.objects.filter(role=Role.MANAGER).first()
    templates = _templates()
    routes, route_weights = list(ROUTE_WEIGHTS), list(ROUTE_WEIGHTS.values())
    plans = []
    for number in range(1, REFERRALS + 1):
        route = rng.choices(routes, weights=route_weights)[0]
        organisation, submitter, _ = rng.choices(referrers, weights=[weight for _, _, weight in referrers])[0]
        answers = dict(rng.choice(templates[route]))
        answers["responder_reference"] = f"{KEY}{number:04d}"
        answers["organisation"] = organisation.name
        if rng.random() < NOT_SPECIFIED_LOCATION_SHARE:
            answers.pop("exploited_in", None)
        submitted_at = now - timedelta(days=DAYS * rng.random() ** 1.15, minutes=rng.randint(0, 600))
        plan = _Plan(number, route, answers, organisation, submitter, submitted_at)
        if route != Route.DUTY_TO_NOTIFY:
            plan.authority = ieca if rng.random() < IECA_SHARE else sca
            _live(plan, rng, now)
        plans.append(plan)
    plans.sort(key=lambda plan: plan.submitted_at)
    _write(plans, deciders, managers, fallback, now)
    return len(plans)


def _referrers() -> list[tuple[Organisation, User, int]]:
    """The demo referring organisations, each with one first responder who sends its history's referrals."""
    found = []
    for name, kind, nation, weight in ORGANISATIONS:
        organisation, _ = Organisation.objects.get_or_create(
            name=name, defaults={"kind": kind, "nation": nation, "email_domains": []}
        )
        slug = "".join(character for character in name.lower() if character.isalnum())
        email = f"history@{slug}.example"
        user = User.objects.filter(email=email).first() or user_create(
            email=email, role=Role.FIRST_RESPONDER, organisation=organisation, full_name=f"{name} responder"
        )
        found.append((organisation, user, weight))
    return found


def _templates() -> dict[Route, list[dict]]:
    """Complete answers per route, as referral_submit freezes them. Every exploitation group that the route's
    weights allow is named alone by one of them: a rare group (organ harvesting) missing from the draw replaces
    the group of a copy of a single-group set."""
    templates = {}
    for route in ROUTE_WEIGHTS:
        made = [
            applicable_answers(QUESTIONNAIRE, complete_answers(route, organisation_name="", seed=SEED + number))
            for number in range(TEMPLATES_PER_ROUTE)
        ]
        wanted = {group for group, weight in EXPLOITATION_WEIGHTS[route].items() if weight and group != "other"}
        single = next(answers for answers in made if len(_groups(answers)) == 1)
        for group in sorted(wanted - {named[0] for named in map(_groups, made) if len(named) == 1}):
            made.append(single | {"exploitation_types": [EXPLOITATION_GROUPS[group][0]]})
        templates[route] = made
    return templates


def _groups(answers: dict) -> list[str]:
    return typed_columns(Route.ADULT, answers)["exploitation_types"]


def _live(plan: _Plan, rng: random.Random, now: datetime) -> None:
    """The case's life up to now: its decisions, reconsiderations and status."""
    opened = plan.submitted_at
    plan.status = Case.Status.AWAITING_RG
    rg_at = opened + timedelta(days=rng.uniform(2, 18))
    withdrawn_at = opened + timedelta(days=rng.uniform(5, 200))
    if rng.random() < WITHDRAWN_SHARE and withdrawn_at < now:
        if rg_at < withdrawn_at:
            plan.decisions.append(_decision(Decision.Stage.RG, Decision.Outcome.POSITIVE, rg_at))
            plan.rg_decided_at = rg_at
        plan.status, plan.closed_at = Case.Status.WITHDRAWN, withdrawn_at
        return
    if rg_at > now:
        return
    positive = rng.random() < RG_POSITIVE[plan.route]
    if not positive:
        plan.decisions.append(_decision(Decision.Stage.RG, Decision.Outcome.NEGATIVE, rg_at, rng))
        plan.status = Case.Status.RG_NEGATIVE_SERVED
        accepted_at = _reconsider(plan, rng, now, rg_at)
        if accepted_at is None:
            return
        rg_at = accepted_at + timedelta(days=rng.uniform(5, 30))  # made again, positive this time
        if rg_at > now:
            plan.status = Case.Status.AWAITING_RG
            return
    plan.decisions.append(_decision(Decision.Stage.RG, Decision.Outcome.POSITIVE, rg_at))
    plan.rg_decided_at = rg_at
    plan.status = Case.Status.RECOVERY if now - rg_at < timedelta(days=30) else Case.Status.AWAITING_CG
    disqualified_at = rg_at + timedelta(days=rng.uniform(20, 120))
    if rng.random() < DISQUALIFIED_SHARE and disqualified_at < now:
        plan.status, plan.disqualified_at = Case.Status.DISQUALIFIED, disqualified_at
        return
    cg_at = rg_at + timedelta(days=45 + rng.random() ** 1.5 * 520)
    if cg_at > now:
        return
    if rng.random() < CG_POSITIVE[plan.route]:
        plan.decisions.append(_decision(Decision.Stage.CG, Decision.Outcome.POSITIVE, cg_at))
        plan.status, plan.cg_decided_at = Case.Status.CONFIRMED_VICTIM, cg_at
        return
    plan.decisions.append(_decision(Decision.Stage.CG, Decision.Outcome.NEGATIVE, cg_at, rng))
    plan.status = Case.Status.CG_NEGATIVE_SERVED
    accepted_at = _reconsider(plan, rng, now, cg_at)
    if accepted_at is not None:
        again = accepted_at + timedelta(days=rng.uniform(10, 60))
        if again < now:
            plan.decisions.append(_decision(Decision.Stage.CG, Decision.Outcome.POSITIVE, again))
            plan.status, plan.cg_decided_at = Case.Status.CONFIRMED_VICTIM, again
        else:
            plan.status = Case.Status.AWAITING_CG


def _decision(stage, outcome, served_at: datetime, rng: random.Random | None = None) -> dict:
    reason = ""
    if outcome == Decision.Outcome.NEGATIVE:
        reason = rng.choices(list(NEGATIVE_REASONS), weights=list(NEGATIVE_REASONS.values()))[0]
    return {"stage": stage, "outcome": outcome, "served_at": served_at, "negative_reason": reason}


def _reconsider(plan: _Plan, rng: random.Random, now: datetime, served_at: datetime) -> datetime | None:
    """Some served negative decisions are asked to be reconsidered; returns when one was accepted."""
    if rng.random() >= RECONSIDERED_SHARE:
        return None
    requested_at = served_at + timedelta(days=rng.uniform(3, 25))
    if requested_at > now:
        return None
    grounds = rng.choice(
        [
            [Reconsideration.Ground.NEW_EVIDENCE],
            [Reconsideration.Ground.GUIDANCE_NOT_FOLLOWED],
            [Reconsideration.Ground.NEW_EVIDENCE, Reconsideration.Ground.GUIDANCE_NOT_FOLLOWED],
        ]
    )
    decided_at = requested_at + timedelta(days=rng.uniform(5, 40))
    if decided_at > now:
        state, decided_at = Reconsideration.State.PENDING, None
    else:
        accepted = rng.random() < RECONSIDERATION_ACCEPTED
        state = Reconsideration.State.ACCEPTED if accepted else Reconsideration.State.DECLINED
    plan.reconsiderations.append(
        {"decision": len(plan.decisions) - 1, "requested_at": requested_at, "grounds": grounds, "state": state,
         "decided_at": decided_at}
    )  # fmt: skip
    return decided_at if state == Reconsideration.State.ACCEPTED else None


def _references(plans: list[_Plan]) -> list[str]:
    """References from the service's own sequences, in the order the referrals were sent."""
    numbers = {}
    with connection.cursor() as cursor:
        for prefix, sequence in REFERENCE_SEQUENCES.values():
            if prefix in numbers:
                continue
            count = sum(1 for plan in plans if REFERENCE_SEQUENCES[plan.route][0] == prefix)
            cursor.execute("SELECT nextval(%s) FROM generate_series(1, %s)", [sequence, count])
            numbers[prefix] = iter(sorted(number for (number,) in cursor.fetchall()))
    references = []
    for plan in plans:
        prefix = REFERENCE_SEQUENCES[plan.route][0]
        references.append(f"{prefix}-{plan.submitted_at.astimezone(LONDON).year}-{next(numbers[prefix]):06d}")
    return references


def _write(plans: list[_Plan], deciders: dict, managers: dict, fallback: User, now: datetime) -> None:
    references = _references(plans)
    drafts = Draft.objects.bulk_create(
        [
            Draft(organisation=plan.organisation, created_by=plan.submitter, last_changed_by=plan.submitter,
                  answers={}, version=30, submitted_at=plan.submitted_at)
            for plan in plans
        ]
    )  # fmt: skip
    referrals = Referral.objects.bulk_create(
        [
            Referral(
                reference=reference,
                route=plan.route,
                draft=draft,
                organisation=plan.organisation,
                submitted_by=plan.submitter,
                submitted_at=plan.submitted_at,
                answers=plan.answers,
                **typed_columns(plan.route, plan.answers),
            )
            for plan, draft, reference in zip(plans, drafts, references, strict=True)
        ]
    )
    with_cases = [(plan, referral) for plan, referral in zip(plans, referrals, strict=True) if plan.authority]
    cases = Case.objects.bulk_create([_case(plan, referral) for plan, referral in with_cases])
    events, decisions, decision_plans = [], [], []
    for (plan, referral), case in zip(with_cases, cases, strict=True):
        events.append(
            CaseEvent(case=case, kind=CaseEvent.Kind.OPENED, created_at=plan.submitted_at,
                      data={"from_status": "", "to_status": Case.Status.AWAITING_RG, "referral_id": referral.pk})
        )  # fmt: skip
        people = deciders[plan.authority.pk] or [fallback]
        for index, made in enumerate(plan.decisions):
            decisions.append(
                Decision(
                    case=case,
                    stage=made["stage"],
                    outcome=made["outcome"],
                    reasons=REASONS,
                    negative_reason=made["negative_reason"],
                    decision_date=timezone.localdate(made["served_at"]),
                    decided_by=people[(plan.number + index) % len(people)],
                    created_at=made["served_at"],
                    state=Decision.State.SERVED,
                    served_at=made["served_at"],
                )
            )
            decision_plans.append((plan, case, index))
    Decision.objects.bulk_create(decisions)
    served = {(plan.number, index): decision for (plan, _, index), decision in zip(decision_plans, decisions,
                                                                                  strict=True)}  # fmt: skip
    reconsiderations = []
    notes = []
    for (plan, _), case in zip(with_cases, cases, strict=True):
        manager = managers[plan.authority.pk] or fallback
        for asked in plan.reconsiderations:
            reconsiderations.append(
                Reconsideration(
                    case=case,
                    decision=served[(plan.number, asked["decision"])],
                    requested_by=plan.submitter,
                    requester_organisation=plan.organisation,
                    requested_at=asked["requested_at"],
                    grounds=asked["grounds"],
                    details=RECONSIDERATION_DETAILS,
                    state=asked["state"],
                    decided_by=manager if asked["decided_at"] else None,
                    decided_at=asked["decided_at"],
                )
            )
        if plan.disqualified_at:
            note = CaseNote(
                case=case,
                kind=CaseNote.Kind.DISQUALIFICATION,
                author=manager,
                text=DISQUALIFICATION_NOTE,
                created_at=plan.disqualified_at,
            )
            notes.append((plan, case, note))
    Reconsideration.objects.bulk_create(reconsiderations)
    CaseNote.objects.bulk_create([note for _, _, note in notes])
    for plan, case, note in notes:
        events.append(
            CaseEvent(case=case, kind=CaseEvent.Kind.DISQUALIFIED, created_at=plan.disqualified_at, actor=note.author,
                      data={"from_status": Case.Status.AWAITING_CG, "to_status": Case.Status.DISQUALIFIED,
                            "note_id": note.pk})
        )  # fmt: skip
    CaseEvent.objects.bulk_create(events)


def _case(plan: _Plan, referral: Referral) -> Case:
    opened = plan.submitted_at
    rg_due = opened + timedelta(days=7)
    recovery_ends = plan.rg_decided_at + timedelta(days=30) if plan.rg_decided_at else None
    deadline, kind = None, ""
    if plan.status == Case.Status.AWAITING_RG:
        deadline, kind = rg_due, Case.DeadlineKind.RG_DUE
    elif plan.status == Case.Status.RECOVERY:
        deadline, kind = recovery_ends, Case.DeadlineKind.RECOVERY_ENDS
    return Case(
        referral=referral,
        reference=referral.reference,
        authority=plan.authority,
        status=plan.status,
        nation=referral.nation,
        is_child=referral.is_child,
        route=referral.route,
        exploitation_types=referral.exploitation_types,
        opened_at=opened,
        rg_due_at=rg_due,
        rg_decided_at=plan.rg_decided_at,
        recovery_ends_at=recovery_ends,
        cg_decided_at=plan.cg_decided_at,
        next_deadline_at=deadline,
        next_deadline_kind=kind,
        closed_at=plan.closed_at or plan.disqualified_at,
        version=2,
    )
