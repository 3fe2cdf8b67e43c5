"""A seeded world for the statistics tests that covers every category the tables break down by.

Referrals are written with the casework factories and their cases driven through the real services
(`case_in_state`, reconsideration and withdrawal services); then the dates are moved into the past with direct
updates (referral and case opening, decisions served, reconsiderations received and decided, disqualifications
and closures), so that the world spans seven quarters of two years. Every referral carries distinctive personal
data (names, references, dates of birth, free text) that no statistics page or export may ever show:
`World.personal_strings` lists them for the privacy scan."""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from accounts.models import Nation, Organisation
from accounts.roles import Role
from casework.models import Case, CaseEvent, Decision, Reconsideration
from casework.services import (
    case_withdraw,
    reconsideration_accept,
    reconsideration_decline,
    reconsideration_request,
    single_competent_authority,
)
from referrals.models import Draft, Referral
from tests.casework.factories import DutyToNotifyReferralFactory, case_in_state
from tests.factories import OrganisationFactory, UserFactory

# Strings that must never leave the service (see tests/insights/test_privacy.py).
SECRET_FREE_TEXT = "Zanzibarian-marmalade-secret-{n}"
SECRET_FIRST_NAME = "Quillonia{n}"
SECRET_LAST_NAME = "Thistlewaite{n}"
SECRET_RESPONDER_REFERENCE = "RESPREF-{n}-XYZZY"
SECRET_HOME_OFFICE_REFERENCE = "HOREF{n}QQ"


@dataclass
class World:
    sca: Organisation
    ieca: Organisation
    organisations: dict[str, Organisation]
    analyst: object
    sca_manager: object
    ieca_manager: object
    personal_strings: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)


def at(day: date, hour: int = 12, minute: int = 0) -> datetime:
    """A moment in UTC (the tests compute the UK date themselves)."""
    return datetime(day.year, day.month, day.day, hour, minute, tzinfo=UTC)


# One NRM referral: when, who and what, and how far its case goes.
# (submitted, route, child_during_exploitation, gender, nationalities, checked exploitation groups, exploited_in,
#  responder organisation key, nation, authority "sca"/"ieca", case status, extra)
NRM = [
    # 2025 Q2 and Q3
    (
        at(date(2025, 4, 10)),
        "adult",
        "no",
        "female",
        ["Albanian"],
        ["sexual"],
        "uk",
        "police",
        "england",
        "sca",
        Case.Status.CONFIRMED_VICTIM,
        {"rg": 3, "cg": 200},
    ),
    (
        at(date(2025, 5, 2)),
        "child",
        "",
        "male",
        ["British"],
        ["criminal"],
        "uk",
        "la",
        "wales",
        "sca",
        Case.Status.AWAITING_CG,
        {"rg": 5},
    ),
    (
        at(date(2025, 6, 30), 23, 30),
        "adult",
        "yes",
        "male",
        ["Eritrean", "Ethiopian"],
        ["labour", "sexual"],
        "both",
        "ngo",
        "scotland",
        "sca",
        Case.Status.RG_NEGATIVE_SERVED,
        {"rg": 8, "reason": "credibility"},
    ),
    (
        at(date(2025, 8, 15)),
        "adult",
        "not_sure",
        "",
        [],
        ["other"],
        "",
        "government",
        "england",
        "ieca",
        Case.Status.CG_NEGATIVE_SERVED,
        {"rg": 2, "cg": 150, "reason": "no_indicators"},
    ),
    (
        at(date(2025, 9, 1)),
        "adult",
        "no",
        "other",
        ["Vietnamese"],
        ["labour", "domestic", "criminal"],
        "overseas",
        "police",
        "northern_ireland",
        "sca",
        Case.Status.DISQUALIFIED,
        {"rg": 10, "disqualified": 60},
    ),
    # 2025 Q4
    (
        at(date(2025, 10, 3)),
        "adult",
        "",
        "female",
        ["Albanian"],
        ["organ"],
        "overseas",
        "ngo",
        "england",
        "sca",
        Case.Status.CONFIRMED_VICTIM,
        {"rg": 4, "cg": 120},
    ),
    (
        at(date(2025, 11, 20)),
        "child",
        "",
        "female",
        ["Vietnamese", "Chinese"],
        [],
        "uk",
        "la",
        "england",
        "ieca",
        Case.Status.AWAITING_CG,
        {"rg": 1},
    ),
    (
        at(date(2025, 12, 31), 23, 45),
        "adult",
        "no",
        "male",
        ["Sudanese"],
        ["sexual", "labour", "domestic", "criminal"],
        "both",
        "government",
        "wales",
        "sca",
        Case.Status.AWAITING_RG,
        {},
    ),
    # 2026 Q1
    (
        at(date(2026, 1, 1), 0, 30),
        "adult",
        "no",
        "male",
        ["Albanian"],
        ["labour"],
        "uk",
        "police",
        "england",
        "ieca",
        Case.Status.RG_NEGATIVE_SERVED,
        {"rg": 6, "reconsider": ("accept", ["new_evidence"])},
    ),
    (
        at(date(2026, 2, 14)),
        "adult",
        "yes",
        "female",
        ["British"],
        ["sexual"],
        "uk",
        "ngo",
        "england",
        "sca",
        Case.Status.CG_NEGATIVE_SERVED,
        {"rg": 7, "cg": 90, "reconsider": ("decline", ["new_evidence", "guidance_not_followed"])},
    ),
    (
        at(date(2026, 3, 31), 22, 0),
        "child",
        "",
        "male",
        ["Eritrean", "Ethiopian"],
        ["criminal", "sexual"],
        "uk",
        "police",
        "scotland",
        "sca",
        Case.Status.CONFIRMED_VICTIM,
        {"rg": 2, "cg": 60},
    ),
    # 2026 Q2 (British Summer Time: 23:30 UTC on 30 June is 1 July in the UK)
    (
        at(date(2026, 4, 7)),
        "adult",
        "not_sure",
        "male",
        ["Albanian"],
        ["labour"],
        "both",
        "la",
        "wales",
        "ieca",
        Case.Status.CONFIRMED_VICTIM,
        {"rg": 3, "cg": 45},
    ),
    (
        at(date(2026, 5, 5)),
        "adult",
        "no",
        "",
        ["Polish"],
        ["domestic"],
        "",
        "government",
        "england",
        "sca",
        Case.Status.CG_NEGATIVE_SERVED,
        {"rg": 9, "cg": 70, "reconsider": ("accept", ["guidance_not_followed"])},
    ),
    (
        at(date(2026, 6, 30), 23, 30),
        "adult",
        "no",
        "female",
        ["Albanian"],
        ["sexual", "labour"],
        "uk",
        "police",
        "england",
        "sca",
        Case.Status.AWAITING_CG,
        {"rg": 4, "withdrawn": 50},
    ),
    # 2026 Q3
    (
        at(date(2026, 7, 2)),
        "child",
        "",
        "other",
        ["British"],
        ["sexual"],
        "uk",
        "la",
        "england",
        "sca",
        Case.Status.RG_NEGATIVE_SERVED,
        {"rg": 5, "reason": ""},
    ),
    (
        at(date(2026, 8, 19)),
        "adult",
        "yes",
        "male",
        ["Nigerian"],
        ["labour"],
        "overseas",
        "ngo",
        "northern_ireland",
        "ieca",
        Case.Status.AWAITING_CG,
        {"rg": 3},
    ),
    (
        at(date(2026, 9, 9)),
        "adult",
        "no",
        "female",
        ["Albanian"],
        ["sexual"],
        "uk",
        "police",
        "england",
        "sca",
        Case.Status.CONFIRMED_VICTIM,
        {"rg": 2, "cg": 40},
    ),
    # 2026 Q4 (to date)
    (
        at(date(2026, 10, 12)),
        "adult",
        "no",
        "male",
        ["Albanian"],
        ["labour"],
        "uk",
        "police",
        "england",
        "sca",
        Case.Status.RECOVERY,
        {"rg": 4},
    ),
    (
        at(date(2026, 11, 2)),
        "adult",
        "not_sure",
        "female",
        [],
        ["other", "sexual"],
        "uk",
        "ngo",
        "wales",
        "sca",
        Case.Status.AWAITING_RG,
        {},
    ),
    (
        at(date(2026, 11, 5)),
        "child",
        "",
        "",
        ["British"],
        ["criminal"],
        "uk",
        "la",
        "england",
        "ieca",
        Case.Status.AWAITING_RG,
        {},
    ),
]

# Duty to Notify reports: (submitted, gender, nationalities, groups, organisation key, nation)
DTN = [
    (at(date(2025, 7, 1)), "male", ["Albanian"], ["labour"], "government", "england"),
    (at(date(2025, 12, 31), 23, 30), "female", ["Vietnamese"], ["sexual", "labour"], "police", "wales"),
    (at(date(2026, 3, 3)), "male", [], ["other"], "government", "england"),
    (at(date(2026, 8, 8)), "male", ["Albanian"], ["labour"], "police", "england"),
]

EXPLOITATION_CHECKBOXES = {
    "labour": "forced_labour",
    "sexual": "forced_prostitution",
    "criminal": "forced_criminality",
    "domestic": "domestic_servitude",
    "organ": "organ_removal",
    "other": "other",
}

ORGANISATIONS = {
    "police": ("Kent Police", Organisation.Kind.POLICE, Nation.ENGLAND),
    "la": ("Cardiff Council", Organisation.Kind.LOCAL_AUTHORITY, Nation.WALES),
    "government": ("UK Border Force", Organisation.Kind.GOVERNMENT_AGENCY, Nation.ENGLAND),
    "ngo": ("Hope Charity", Organisation.Kind.NGO, Nation.SCOTLAND),
}

# Where a referral names a police force, a local authority or towns (otherwise the responder's own name counts).
PLACES = {
    0: {"police_force": "Greater Manchester Police", "uk_towns": ["Manchester", "Bolton"]},
    1: {"la_name": "Swansea Council", "uk_towns": ["Swansea"]},
    5: {"police_force": "Metropolitan Police", "la_name": "Camden Council"},
    9: {"uk_towns": ["Leeds", "Manchester"]},
    13: {"uk_towns": ["Manchester"]},
    16: {"la_name": "Leeds City Council", "uk_towns": ["Leeds"]},
}


def _answers(n: int, *, gender, nationalities, groups, exploited_in, nation, extra=None) -> dict:
    answers = {
        "nation": nation,
        "first_name": SECRET_FIRST_NAME.format(n=n),
        "last_name": SECRET_LAST_NAME.format(n=n),
        "date_of_birth": date(1990, 1, 1 + n % 28).isoformat(),
        "responder_reference": SECRET_RESPONDER_REFERENCE.format(n=n),
        "home_office_reference": SECRET_HOME_OFFICE_REFERENCE.format(n=n),
        "how_it_started": SECRET_FREE_TEXT.format(n=n),
        "exploiters_details": SECRET_FREE_TEXT.format(n=f"{n}-exploiters"),
        "exploitation_types": [EXPLOITATION_CHECKBOXES[g] for g in groups],
        "exploitation_other": SECRET_FREE_TEXT.format(n=f"{n}-other") if "other" in groups else "",
        "exploited_in": exploited_in,
        "gender": gender,
    }
    for index, key in enumerate(("nationality", "second_nationality")):
        if index < len(nationalities):
            answers[key] = nationalities[index]
    answers.update(extra or {})
    return answers


def _typed(n, *, gender, nationalities, groups, exploited_in, nation, extra=None) -> dict:
    """The referral's typed columns, as the submission service writes them from the answers."""
    return {
        "answers": _answers(
            n,
            gender=gender,
            nationalities=nationalities,
            groups=groups,
            exploited_in=exploited_in,
            nation=nation,
            extra=extra,
        ),
        "gender": gender,
        "nationalities": list(nationalities),
        "exploitation_types": list(groups),
        "exploited_in": exploited_in,
        "nation": nation,
        "responder_reference": SECRET_RESPONDER_REFERENCE.format(n=n),
        "home_office_reference": SECRET_HOME_OFFICE_REFERENCE.format(n=n),
        "person_name_key": f"{SECRET_FIRST_NAME.format(n=n)} {SECRET_LAST_NAME.format(n=n)}".casefold(),
        "date_of_birth": date(1990, 1, 1 + n % 28),
    }


def _move_case(case: Case, submitted: datetime, extra: dict) -> None:
    """Moves the case's dates into the past: the referral, the RG served `rg` days after it, the CG `cg` days
    after that, and disqualification or withdrawal `disqualified`/`withdrawn` days after the RG."""
    Referral.objects.filter(pk=case.referral_id).update(submitted_at=submitted)
    Draft.objects.filter(referral__pk=case.referral_id).update(submitted_at=submitted)
    Case.objects.filter(pk=case.pk).update(opened_at=submitted)
    rg_at = submitted + timedelta(days=extra.get("rg", 0), hours=1)
    decisions = case.decisions.all()
    for decision in decisions.filter(stage=Decision.Stage.RG):
        Decision.objects.filter(pk=decision.pk).update(served_at=rg_at if decision.served_at else None)
        if decision.outcome == Decision.Outcome.POSITIVE and decision.served_at:
            Case.objects.filter(pk=case.pk).update(rg_decided_at=rg_at)
    if "cg" in extra:
        cg_at = rg_at + timedelta(days=extra["cg"])
        for decision in decisions.filter(stage=Decision.Stage.CG, served_at__isnull=False):
            Decision.objects.filter(pk=decision.pk).update(served_at=cg_at)
            if decision.outcome == Decision.Outcome.POSITIVE:
                Case.objects.filter(pk=case.pk).update(cg_decided_at=cg_at)
    if "reason" in extra:
        decisions.filter(outcome=Decision.Outcome.NEGATIVE).update(negative_reason=extra["reason"])
    for key, kind in (("disqualified", CaseEvent.Kind.DISQUALIFIED), ("withdrawn", CaseEvent.Kind.WITHDRAWN)):
        if key in extra:
            ended = rg_at + timedelta(days=extra[key])
            case.events.filter(kind=kind).update(created_at=ended)
            Case.objects.filter(pk=case.pk).update(closed_at=ended)


def build_world() -> World:
    sca = single_competent_authority()
    ieca = Organisation.objects.get(kind=Organisation.Kind.COMPETENT_AUTHORITY, short_name="IECA")
    authorities = {"sca": sca, "ieca": ieca}
    organisations = {
        key: OrganisationFactory(name=name, kind=kind, nation=nation)
        for key, (name, kind, nation) in ORGANISATIONS.items()
    }
    responders = {key: UserFactory(role=Role.FIRST_RESPONDER, organisation=org) for key, org in organisations.items()}
    staff = {
        key: (UserFactory(role=Role.CASEWORKER, organisation=org), UserFactory(role=Role.MANAGER, organisation=org))
        for key, org in authorities.items()
    }
    world = World(
        sca=sca,
        ieca=ieca,
        organisations=organisations,
        analyst=UserFactory(role=Role.ANALYST),
        sca_manager=staff["sca"][1],
        ieca_manager=staff["ieca"][1],
    )
    for n, (
        submitted,
        route,
        child_at,
        gender,
        nationalities,
        groups,
        where,
        org,
        nation,
        authority,
        status,
        extra,
    ) in enumerate(NRM):
        caseworker, manager = staff[authority]
        fields = _typed(
            n,
            gender=gender,
            nationalities=nationalities,
            groups=groups,
            exploited_in=where,
            nation=nation,
            extra=PLACES.get(n),
        )
        fields["child_at_exploitation"] = "yes" if route == "child" else child_at
        if route == "adult":
            fields["answers"]["child_during_exploitation"] = child_at
        responder = responders[org]
        referral_fields = {
            **fields,
            "draft__organisation": organisations[org],
            "draft__created_by": responder,
        }
        case = case_in_state(
            status,
            opened_days_ago=200,
            child=route == "child",
            caseworker=caseworker,
            manager=manager,
            authority=authorities[authority],
            **referral_fields,
        )
        if "reconsider" in extra:
            action, grounds = extra["reconsider"]
            request = reconsideration_request(
                case_id=case.pk, actor=responder, grounds=grounds, details=SECRET_FREE_TEXT.format(n=f"{n}-recon")
            )
            if action == "accept":
                reconsideration_accept(reconsideration_id=request.pk, actor=manager)
            else:
                reconsideration_decline(
                    reconsideration_id=request.pk, actor=manager, reasons=SECRET_FREE_TEXT.format(n=f"{n}-decl")
                )
        if "withdrawn" in extra:
            case_withdraw(case_id=case.pk, actor=caseworker, reason=SECRET_FREE_TEXT.format(n=f"{n}-withdrawn"))
        _move_case(case, submitted, extra)
        if "reconsider" in extra:
            served = case.decisions.filter(outcome=Decision.Outcome.NEGATIVE).values_list("served_at", flat=True)[0]
            Reconsideration.objects.filter(case=case).update(
                requested_at=served + timedelta(days=10), decided_at=served + timedelta(days=20)
            )
        world.references.append(case.reference)
        world.personal_strings += [
            SECRET_FIRST_NAME.format(n=n),
            SECRET_LAST_NAME.format(n=n),
            SECRET_RESPONDER_REFERENCE.format(n=n),
            SECRET_HOME_OFFICE_REFERENCE.format(n=n),
            SECRET_FREE_TEXT.format(n=n),
            date(1990, 1, 1 + n % 28).isoformat(),
        ]
    for m, (submitted, gender, nationalities, groups, org, nation) in enumerate(DTN):
        n = 100 + m
        fields = _typed(n, gender=gender, nationalities=nationalities, groups=groups, exploited_in="uk", nation=nation)
        referral = DutyToNotifyReferralFactory(
            submitted_at=submitted,
            child_at_exploitation="",
            draft__organisation=organisations[org],
            draft__created_by=responders[org],
            **fields,
        )
        world.references.append(referral.reference)
        world.personal_strings += [SECRET_FIRST_NAME.format(n=n), SECRET_RESPONDER_REFERENCE.format(n=n)]
    return world
