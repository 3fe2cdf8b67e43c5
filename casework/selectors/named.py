"""What an organisation named in a referral (the police force of its crime reference, the local authority of a
child) may see of a case it did not refer: the services tell its staff of decisions and suspensions
(casework.services.base), so they may open what they were told, and nothing more. No name, no answers, no
account: the reference, its status in the referrer's words, the served decisions, and whom to ask."""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Q, QuerySet

from accounts.models import Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES
from casework.letters import authority_contact
from casework.models import Case, Decision
from casework.selectors.referrer import case_status_label_for_outsider

# The referral's answer naming an organisation of each kind: the same keys the services tell (services.base).
NAMING_ANSWER = {
    Organisation.Kind.POLICE: "police_force",
    Organisation.Kind.LOCAL_AUTHORITY: "la_name",
}


def cases_naming_organisation_of(*, user: User) -> QuerySet[Case]:
    """The cases whose referral names the user's organisation, for its verified first responders (the people
    the services tell); none for anyone else."""
    organisation = user.organisation
    if (
        user.role not in FIRST_RESPONDER_ROLES
        or organisation is None
        or not user.organisation_verified
        or organisation.kind not in NAMING_ANSWER
    ):
        return Case.objects.none()
    key = NAMING_ANSWER[organisation.kind]
    return Case.objects.filter(Q(**{f"referral__answers__{key}__iexact": organisation.name}))


@dataclass(frozen=True)
class ServedDecision:
    stage: str
    outcome: str
    served_at: datetime


@dataclass(frozen=True)
class NamedCase:
    case_id: int  # for the access log
    reference: str
    status_label: str
    authority_name: str
    authority_contact: dict
    decisions: tuple[ServedDecision, ...]
    named_as: str


def named_case_view(*, user: User, reference: str) -> NamedCase | None:
    case = cases_naming_organisation_of(user=user).select_related("authority").filter(reference=reference).first()
    if case is None:
        return None
    served = Decision.objects.filter(case=case, state=Decision.State.SERVED).order_by("served_at")
    named_as = {
        Organisation.Kind.POLICE: "the police force of the crime reference",
        Organisation.Kind.LOCAL_AUTHORITY: "the local authority responsible for the child",
    }[user.organisation.kind]
    return NamedCase(
        case_id=case.pk,
        reference=case.reference,
        status_label=case_status_label_for_outsider(case),
        authority_name=case.authority.name,
        authority_contact=authority_contact(case.authority),
        decisions=tuple(
            ServedDecision(decision.get_stage_display(), decision.get_outcome_display(), decision.served_at)
            for decision in served
        ),
        named_as=named_as,
    )
