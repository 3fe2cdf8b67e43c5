"""Opening a case for a submitted referral, and flagging possible duplicates of it."""

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from accounts.models import Organisation
from casework.deadlines import refresh_next_deadline
from casework.errors import CaseOpenRefused
from casework.models import SCA_NAME, SCA_SHORT_NAME, Case, CaseEvent, Policy
from casework.panel_port import panels
from common.calendar import add_working_days
from referrals.models import Referral


class CompetentAuthorityMissing(Exception):
    """The database lacks the competent authority its migrations create."""


def single_competent_authority() -> Organisation:
    """The SCA, which receives every new case (IECA cases reach it by transfer). casework's data migration
    (0003_competent_authorities) creates it: a database without it is broken, and opening a case there fails."""
    authority = Organisation.objects.filter(
        kind=Organisation.Kind.COMPETENT_AUTHORITY, name=SCA_NAME, short_name=SCA_SHORT_NAME
    ).first()
    if authority is None:
        raise CompetentAuthorityMissing(
            f"No {SCA_NAME} ({SCA_SHORT_NAME}): casework's data migration 0003_competent_authorities creates it; "
            "run the migrations, or add it in admin"
        )
    return authority


@transaction.atomic
def case_open_for_referral(*, referral: Referral) -> Case:
    """Opens the case of a just-submitted NRM referral, inside the submission's transaction (a savepoint
    here): awaiting a reasonable grounds decision by the SCA, due by the nation's target in working days."""
    if referral.is_duty_to_notify:
        raise CaseOpenRefused(f"{referral.reference} is a Duty to Notify report, which never becomes a case")
    if Case.objects.filter(referral=referral).exists():
        raise CaseOpenRefused(f"{referral.reference} already has a case")
    policy = Policy.for_nation(referral.nation)
    # In local time, so that the working days counted are the days of England & Wales, whatever the hour.
    submitted_at = timezone.localtime(referral.submitted_at)
    case = Case(
        referral=referral,
        reference=referral.reference,
        authority=single_competent_authority(),
        status=Case.Status.AWAITING_RG,
        nation=referral.nation,
        is_child=referral.is_child,
        route=referral.route,
        exploitation_types=list(referral.exploitation_types),
        opened_at=timezone.now(),
        rg_due_at=add_working_days(submitted_at, policy.rg_target_working_days),
    )
    refresh_next_deadline(case)
    case.save()
    CaseEvent.record(case, referral.submitted_by, CaseEvent.Kind.OPENED, from_status="", referral_id=referral.pk)
    case_flag_possible_duplicates(case=case)
    # A case in a decision-making panel's scope is that panel's to decide from the start.
    panels().case_moved(case=case, from_status="", to_status=case.status)
    return case


def _possible_duplicates_of(case: Case, *, lookback_days: int):
    referral = case.referral
    same_person = Q()
    if referral.person_name_key and referral.date_of_birth is not None:
        same_person |= Q(
            referral__person_name_key=referral.person_name_key, referral__date_of_birth=referral.date_of_birth
        )
    if referral.home_office_reference:
        same_person |= Q(referral__home_office_reference=referral.home_office_reference)
    if not same_person:
        return Case.objects.none()
    return (
        Case.objects.filter(same_person)
        .filter(
            referral__submitted_at__gte=referral.submitted_at - timedelta(days=lookback_days),
            referral__submitted_at__lte=referral.submitted_at,
        )
        .exclude(pk=case.pk)
    )


@transaction.atomic
def case_flag_possible_duplicates(*, case: Case) -> list[int]:
    """Links the case to earlier cases of the same person (same name and date of birth, or same Home Office
    reference) within the policy's lookback, for a caseworker to review. Returns the ids newly linked."""
    policy = Policy.for_case(case)
    already_linked = set(case.possible_duplicates.values_list("pk", flat=True))
    found = _possible_duplicates_of(case, lookback_days=policy.duplicate_lookback_days)
    new_ids = sorted(set(found.values_list("pk", flat=True)) - already_linked)
    if not new_ids:
        return []
    case.possible_duplicates.add(*new_ids)
    if not case.duplicate_review_needed:
        case.duplicate_review_needed = True
        case.save(update_fields=["duplicate_review_needed"])
    # Ids only: the timeline says which cases to compare, never whose they are or who referred them.
    CaseEvent.record(case, None, CaseEvent.Kind.POSSIBLE_DUPLICATE_FLAGGED, case_ids=new_ids)
    return new_ids


def case_possible_duplicate_found(*, case: Case) -> bool:
    """Whether the case was linked to a possible duplicate: the responder's confirmation says so, without
    naming the other referral or its organisation."""
    return case.possible_duplicates.exists()
