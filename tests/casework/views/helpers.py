"""Shared by the case page tests (tests/casework/views/): staff of each authority, cases with
complete referral answers driven to a state through the real services, and reading a page's error summary."""

import re
from html import unescape

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case
from referrals.demo_answers import complete_answers
from referrals.models import Route
from referrals.services.submission import typed_columns
from tests.casework.factories import case_in_state
from tests.factories import UserFactory

# The smallest file that reads as a PDF.
PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def staff(authority, role=Role.CASEWORKER, **fields):
    return UserFactory(role=role, organisation=authority, **fields)


def answered_case(status=Case.Status.AWAITING_RG, *, caseworker, manager, child=False, seed=1, **kwargs) -> Case:
    """A case of `caseworker`'s authority whose referral has every answer (an English referral, so the policy is
    England's), driven to `status` by the services, assigned to `caseworker` when it can be."""
    route = Route.CHILD if child else Route.ADULT
    answers = complete_answers(route, organisation_name="Metropolitan Police Service", seed=seed)
    answers["nation"] = Nation.ENGLAND.value
    columns = typed_columns(route, answers)
    for key in ("is_child", "responder_reference"):
        columns.pop(key)
    case = case_in_state(
        status,
        child=child,
        caseworker=caseworker,
        manager=manager,
        authority=caseworker.organisation,
        answers=answers,
        **columns,
        **kwargs,
    )
    if case.assignee_id is None and status == Case.Status.AWAITING_RG:
        Case.objects.filter(pk=case.pk).update(assignee=caseworker)
        case.refresh_from_db()
    return case


def error_summary(response) -> list[str]:
    """The messages of the page's GOV.UK error summary, in order."""
    html = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", match[1], re.S)]


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]] if response.context else []
