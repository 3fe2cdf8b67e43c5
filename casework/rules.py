"""Who may do what on a case: the one statement of each rule, as predicates over (user, case).

The services require them (casework.lifecycle checks a transition's rule before the service body runs) and the
pages offer actions from them, so a page can never offer a move its service refuses. Nothing else decides who
is authority staff, a manager, the case's worker or its second reviewer.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from accounts.models import Organisation, User
from accounts.roles import AUTHORITY_ROLES, PANEL_ROLES, Role
from casework.panel_port import panels

if TYPE_CHECKING:
    from casework.models import Case, Decision


def _active_in(user: User, roles, kind: Organisation.Kind) -> bool:
    """Signed in, active, in one of `roles`, of an organisation of `kind`."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in roles
        and user.organisation_id is not None
        and user.organisation.kind == kind
    )


def is_authority_member(user: User) -> bool:
    """A caseworker or manager of a competent authority, whatever the case: who may take cases at all."""
    return _active_in(user, AUTHORITY_ROLES, Organisation.Kind.COMPETENT_AUTHORITY)


def is_authority_staff(user: User, case: Case) -> bool:
    """A caseworker or manager of the authority deciding `case`."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role in AUTHORITY_ROLES
        and user.organisation_id is not None
        and user.organisation_id == case.authority_id
    )


def is_manager(user: User, case: Case) -> bool:
    """A manager of the authority deciding `case`."""
    return is_authority_staff(user, case) and user.role == Role.MANAGER


def works_the_case(user: User, case: Case) -> bool:
    """The case's own caseworker (its assignee) or a manager of its authority: who makes its decisions and
    requests, and who suspends, withdraws or transfers it."""
    return is_authority_staff(user, case) and (user.role == Role.MANAGER or case.assignee_id == user.pk)


def may_take_or_assign(user: User, case: Case) -> bool:
    """A manager assigns to anyone; a caseworker takes an unassigned case (or keeps their own)."""
    return is_manager(user, case) or (is_authority_staff(user, case) and case.assignee_id in (None, user.pk))


def may_release(user: User, case: Case) -> bool:
    """The case's caseworker, or a manager."""
    return is_manager(user, case) or (is_authority_staff(user, case) and case.assignee_id == user.pk)


def is_second_reviewer(user: User, case: Case, decision: Decision) -> bool:
    """A manager of the case's authority other than the decision's maker."""
    return is_manager(user, case) and decision.decided_by_id != user.pk


def is_panel_member(user: User) -> bool:
    """A chair or member of an independent panel body; which panels they sit on, and in which role, is the
    panels app's (told through casework.panel_port)."""
    return _active_in(user, PANEL_ROLES, Organisation.Kind.PANEL_BODY)


def chairs_the_review(user: User, decision: Decision | None) -> bool:
    """Who concludes a panel's review of a negative decision: the chair of the panel it was sent to."""
    return decision is not None and is_panel_member(user) and panels().may_conclude(user=user, decision=decision)


def chairs_the_deciding_panel(user: User, case: Case, stage: str) -> bool:
    """Who records a decision-making panel's decision: the chair of the panel that decides the case's stage."""
    return is_panel_member(user) and panels().may_decide(user=user, case=case, stage=stage)


def can_request_reconsideration(user: User, case: Case) -> bool:
    """The referring organisation's first responders, the case's support provider, and the authority's staff
    (on the person's behalf)."""
    if not (user.is_authenticated and user.is_active and user.organisation_id):
        return False
    if user.is_first_responder:
        return user.sees_work_of(organisation_id=case.referral.organisation_id, owner_id=case.referral.submitted_by_id)
    if user.role == Role.SUPPORT_PROVIDER:
        return case.support_provider_id is not None and user.organisation_id == case.support_provider_id
    return is_authority_staff(user, case)


def supports_the_case(user: User, case: Case) -> bool:
    """A member of the support provider the person was referred to: who records the support they give."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.role == Role.SUPPORT_PROVIDER
        and case.support_provider_id is not None
        and user.organisation_id == case.support_provider_id
    )


def can_answer_information_request(user: User, case: Case) -> bool:
    """The referring organisation (only the sender until their membership is verified)."""
    return bool(
        user.is_authenticated
        and user.is_active
        and user.sees_work_of(organisation_id=case.referral.organisation_id, owner_id=case.referral.submitted_by_id)
    )
