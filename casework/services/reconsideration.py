"""Reconsideration of a served negative decision: asked for by the first responder, the support provider or a
caseworker on the person's behalf, within the policy's window (later only with exceptional circumstances);
accepted (the case reopens at the stage decided, the earlier decision kept) or declined by a manager."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework.models import Case, CaseEvent, Decision, Policy, Reconsideration
from casework.rules import can_request_reconsideration
from casework.selectors.decisions import decision_open_to_reconsideration, reconsideration_is_late
from casework.services.base import (
    IllegalTransition,
    InvalidInput,
    NotPermitted,
    lock_case,
    manager_recipients,
    referrer_recipients,
    require_manager,
    save_case,
    tell,
)
from casework.services.information import case_files_attach
from common.calendar import add_working_days
from notifications.models import Notification


@transaction.atomic
def reconsideration_request(
    *,
    case_id: int,
    actor: User,
    grounds: Sequence[str],
    details: str,
    exceptional_circumstances: str = "",
    uploaded_files: Sequence[UploadedFile] = (),
    expected_version: int | None = None,
) -> Reconsideration:
    case = lock_case(case_id, expected_version=expected_version)
    if not can_request_reconsideration(actor, case):
        raise NotPermitted(f"You cannot ask for reconsideration of {case.reference}")
    decision = decision_open_to_reconsideration(case)
    if decision is None:
        raise IllegalTransition(
            f"Reconsideration can only be asked for a served negative decision: {case.reference} is "
            f"{case.get_status_display().lower()}"
        )
    if decision.reconsiderations.filter(state=Reconsideration.State.PENDING).exists():
        raise IllegalTransition(f"A reconsideration of this decision on {case.reference} is already waiting")
    grounds = list(dict.fromkeys(grounds))
    if not grounds or any(ground not in Reconsideration.Ground.values for ground in grounds):
        raise InvalidInput("Select the grounds for reconsideration", field="grounds")
    details = (details or "").strip()
    if not details:
        raise InvalidInput("Enter why the decision should be reconsidered", field="details")
    is_late = reconsideration_is_late(decision)
    exceptional_circumstances = (exceptional_circumstances or "").strip()
    if is_late and not exceptional_circumstances:
        deadline = date_format(decision.reconsideration_deadline, "j F Y")
        raise InvalidInput(
            f"The time to ask ended on {deadline}: enter the exceptional circumstances for asking now",
            field="exceptional_circumstances",
        )
    reconsideration = Reconsideration.objects.create(
        case=case,
        decision=decision,
        requested_by=actor,
        requester_organisation_id=actor.organisation_id,
        grounds=grounds,
        details=details,
        is_late=is_late,
        exceptional_circumstances=exceptional_circumstances if is_late else "",
    )
    case_files_attach(case=case, actor=actor, uploaded_files=uploaded_files, reconsideration=reconsideration)
    save_case(
        case,
        actor=actor,
        kind=CaseEvent.Kind.RECONSIDERATION_REQUESTED,
        reconsideration_id=reconsideration.pk,
        decision_id=decision.pk,
        late=is_late,
    )
    tell(manager_recipients(case), kind=Notification.Kind.RECONSIDERATION_REQUESTED, case=case)
    return reconsideration


def _locked_pending(reconsideration_id: int, actor: User, expected_version: int | None):
    case_id = Reconsideration.objects.values_list("case_id", flat=True).get(pk=reconsideration_id)
    case = lock_case(case_id, expected_version=expected_version)
    require_manager(actor, case)
    reconsideration = Reconsideration.objects.select_for_update().get(pk=reconsideration_id, case=case)
    if reconsideration.state != Reconsideration.State.PENDING:
        raise IllegalTransition(
            f"This reconsideration of {case.reference} has been {reconsideration.get_state_display().lower()}"
        )
    return case, reconsideration


def _decide(case, reconsideration, actor, *, state, reasons, kind) -> None:
    reconsideration.state = state
    reconsideration.decided_by, reconsideration.decided_at = actor, timezone.now()
    reconsideration.decision_reasons = reasons
    reconsideration.save()
    save_case(case, actor=actor, kind=kind, reconsideration_id=reconsideration.pk)
    requester = [reconsideration.requested_by] if reconsideration.requested_by.is_active else []
    tell(requester + referrer_recipients(case), kind=Notification.Kind.RECONSIDERATION_DECIDED, case=case)


@transaction.atomic
def reconsideration_accept(
    *, reconsideration_id: int, actor: User, reasons: str = "", expected_version: int | None = None
) -> Reconsideration:
    """The decision will be made again: the case goes back to waiting for it (a new RG target date for an RG);
    the earlier decision stays, served, in the case's history."""
    case, reconsideration = _locked_pending(reconsideration_id, actor, expected_version)
    if decision_open_to_reconsideration(case) != reconsideration.decision:
        raise IllegalTransition(f"The decision this request is about is no longer the current one on {case.reference}")
    if reconsideration.decision.stage == Decision.Stage.RG:
        case.status = Case.Status.AWAITING_RG
        policy = Policy.for_nation(case.nation)
        case.rg_due_at = add_working_days(timezone.localtime(), policy.rg_target_working_days)
    else:
        case.status = Case.Status.AWAITING_CG
    _decide(
        case,
        reconsideration,
        actor,
        state=Reconsideration.State.ACCEPTED,
        reasons=(reasons or "").strip(),
        kind=CaseEvent.Kind.RECONSIDERATION_ACCEPTED,
    )
    return reconsideration


@transaction.atomic
def reconsideration_decline(
    *, reconsideration_id: int, actor: User, reasons: str, expected_version: int | None = None
) -> Reconsideration:
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("Enter why the reconsideration is declined", field="reasons")
    case, reconsideration = _locked_pending(reconsideration_id, actor, expected_version)
    _decide(
        case,
        reconsideration,
        actor,
        state=Reconsideration.State.DECLINED,
        reasons=reasons,
        kind=CaseEvent.Kind.RECONSIDERATION_DECLINED,
    )
    return reconsideration
