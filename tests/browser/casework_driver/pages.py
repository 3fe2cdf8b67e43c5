"""Every casework page the journeys (test_casework_journeys.py) do not reach, for test_accessibility.py: cases in
the states that open each page, and the pages each role uses, by address. The journeys reach the queue's default
tabs, "Get next case", the case page, the decision, review and reconsideration pages, and the responder's side."""

from __future__ import annotations

from dataclasses import dataclass, field

from django.urls import reverse

from accounts.models import Nation, User
from accounts.roles import Role
from casework.models import Case, Policy, ReviewRoute
from casework.services import case_assign, information_request_create
from tests.browser.casework_driver.arrange import adult_answers, load_reference_data, people, referral_fields
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory, case_in_state
from tests.factories import SupportProviderFactory, UserFactory


@dataclass(frozen=True)
class ErrorPage:
    """A form sent as it is, empty: it comes back with the GOV.UK error summary."""

    path: str
    button: str


@dataclass
class CaseworkSite:
    users: dict[Role, User] = field(default_factory=dict)
    pages: dict[Role, dict[str, str]] = field(default_factory=dict)
    error_pages: dict[Role, dict[str, ErrorPage]] = field(default_factory=dict)


def _url(name: str, case: Case, *args) -> str:
    return reverse(f"casework:{name}", args=[case.reference, *args])


def casework_site() -> CaseworkSite:
    """The cases (each through the real services) and, per role, the pages to check."""
    load_reference_data()
    cast = people()
    provider = SupportProviderFactory(nation=Nation.ENGLAND)
    # Adults of England who want support go to this provider; a negative CG goes to a second reviewer.
    Policy.objects.filter(nation=Nation.ENGLAND).update(
        support_provider=provider, negative_cg_review_route=ReviewRoute.SECOND_REVIEWER
    )
    fields = referral_fields(cast.responder, adult_answers(cast.responder.organisation))

    def case(status: str, days_ago: int = 2) -> Case:
        return case_in_state(
            status,
            opened_days_ago=days_ago,
            caseworker=cast.caseworker,
            manager=cast.manager,
            authority=cast.authority,
            **fields,
        )

    working = case_assign(case_id=case(Case.Status.AWAITING_RG).pk, actor=cast.manager, assignee=cast.caseworker)
    question = information_request_create(
        case_id=working.pk, actor=cast.caseworker, question="When did the person leave the farm?"
    )
    unassigned = AwaitingRgCaseFactory(referral=SubmittedReferralFactory(**fields))
    recovery = case(Case.Status.RECOVERY)
    refused = case(Case.Status.CG_NEGATIVE_SERVED, days_ago=40)
    suspended = case(Case.Status.SUSPENDED)
    supporter = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)

    site = CaseworkSite(
        users={Role.CASEWORKER: cast.caseworker, Role.MANAGER: cast.manager, Role.SUPPORT_PROVIDER: supporter}
    )
    site.pages[Role.CASEWORKER] = {
        "queue-unassigned-sorted": f"{reverse('casework:queue')}?tab=unassigned&sort=newest",
        "queue-empty-tab": f"{reverse('casework:queue')}?tab=under_review",
        "case-with-open-request": working.get_absolute_url(),
        "withdraw-information-request": _url("withdraw_information_request", working, question.pk),
        "suspend": _url("suspend", working),
        "withdraw": _url("withdraw", working),
        "transfer": _url("transfer", working),
        "mark-duplicate": _url("mark_duplicate", working),
        "release": _url("release", working),
        "assign-to-me": _url("assign", unassigned),
        "resume": _url("resume", suspended),
        "case-suspended": suspended.get_absolute_url(),
    }
    site.error_pages[Role.CASEWORKER] = {
        "rg-decision-errors": ErrorPage(_url("rg_decision", working), "Continue"),
        "request-information-errors": ErrorPage(_url("request_information", working), "Send the request"),
    }
    site.pages[Role.MANAGER] = {
        "team": reverse("casework:team"),
        "assign": _url("assign", unassigned),
        "disqualify": _url("disqualify", recovery),
        "case-negative-served": refused.get_absolute_url(),
        "request-reconsideration-on-behalf": _url("request_reconsideration", refused),
    }
    site.error_pages[Role.MANAGER] = {"team-errors": ErrorPage(reverse("casework:team"), "Assign")}
    site.pages[Role.SUPPORT_PROVIDER] = {
        "supported-people": reverse("casework:supported"),
        "supported-person": reverse("casework:supported_case", args=[recovery.reference]),
        "supported-reconsideration": reverse("casework:supported_reconsideration", args=[refused.reference]),
    }
    site.error_pages[Role.SUPPORT_PROVIDER] = {
        "supported-reconsideration-errors": ErrorPage(
            reverse("casework:supported_reconsideration", args=[refused.reference]), "Ask for reconsideration"
        )
    }
    return site
