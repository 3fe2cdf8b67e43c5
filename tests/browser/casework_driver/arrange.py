"""The data the casework browser tests start from, written as the services would have written it: a first responder's
organisation and its referral (complete demo answers, typed columns as `referral_submit` fills them), the
authority's caseworker and manager, and a browser of their own for each person."""

from __future__ import annotations

from dataclasses import dataclass

from accounts.models import Nation, Organisation, User
from accounts.roles import Role
from casework.factors import objective_factors_for
from casework.services import single_competent_authority
from referrals.demo_answers import complete_answers
from referrals.models import Route
from referrals.services.submission import typed_columns
from tests.factories import FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.project_data import ensure_project_data

TIMEOUT_MS = 15_000


def load_reference_data() -> None:
    """What the project's data migrations load (authorities, policies, reference lists): a live-server test flushes
    the database when it ends, so they are loaded again when missing (as the referral journey does)."""
    ensure_project_data()


def adult_answers(organisation: Organisation) -> dict:
    """Complete answers of an adult in England who wants support, with several objective factors to rely on."""
    for seed in range(200):
        answers = complete_answers(Route.ADULT, organisation_name=organisation.name, seed=seed)
        if (
            answers["nation"] == Nation.ENGLAND
            and answers.get("wants_support") == "yes"
            and len(objective_factors_for(answers)) >= 3
        ):
            return {key: value for key, value in answers.items() if not key.startswith("_")}
    raise AssertionError("no demo answers suit the casework tests")


def referral_fields(responder: User, answers: dict) -> dict:
    """SubmittedReferralFactory's arguments for a referral of the responder's organisation with these answers."""
    return {
        "draft__organisation": responder.organisation,
        "draft__created_by": responder,
        "answers": answers,
        **typed_columns(Route.ADULT, answers),
    }


@dataclass
class People:
    responder: User
    caseworker: User
    manager: User
    authority: Organisation


def people() -> People:
    """A first responder of a new organisation, and a caseworker and a manager of the Single Competent Authority."""
    authority = single_competent_authority()
    organisation = FirstResponderOrganisationFactory()
    return People(
        responder=UserFactory(role=Role.FIRST_RESPONDER, organisation=organisation),
        caseworker=UserFactory(role=Role.CASEWORKER, organisation=authority),
        manager=UserFactory(role=Role.MANAGER, organisation=authority),
        authority=authority,
    )


class Browsers:
    """A browser of their own (own cookies) for each person: `new_page()`. Each context bypasses the CSP so that
    axe-core can be injected, as the other browser tests do."""

    def __init__(self, browser, base_url: str):
        self.browser, self.base_url, self.contexts = browser, base_url, []

    def new_page(self):
        context = self.browser.new_context(bypass_csp=True, base_url=self.base_url, accept_downloads=True)
        context.set_default_timeout(TIMEOUT_MS)
        context.set_default_navigation_timeout(TIMEOUT_MS)
        self.contexts.append(context)
        return context.new_page()

    def close(self) -> None:
        for context in self.contexts:
            context.close()
