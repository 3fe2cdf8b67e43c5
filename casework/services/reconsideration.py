"""Reconsideration of a served negative decision: asked for by the first responder, the support provider or a
caseworker on the person's behalf, within the policy's window (later only with exceptional circumstances);
accepted (the case reopens at the stage decided, the earlier decision kept) or declined by a manager."""

from collections.abc import Sequence

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format

from accounts.models import User
from casework.errors import IllegalTransition, InvalidInput
from casework.lifecycle import CaseFacts, Move, begin, begin_locked, lock_case_for
from casework.models import Case, Decision, Policy, Reconsideration
from casework.selectors.decisions import decision_open_to_reconsideration, reconsideration_is_late
from casework.services.base import manager_recipients, referrer_recipients, tell
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
    move = begin("request_reconsideration", case_id=case_id, actor=actor, expected_version=expected_version)
    case = move.case
    decision = decision_open_to_reconsideration(case)
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
    move.finish(reconsideration_id=reconsideration.pk, decision_id=decision.pk, late=is_late)
    tell(manager_recipients(case), kind=Notification.Kind.RECONSIDERATION_REQUESTED, case=case)
    return reconsideration


def _begin_on_pending(
    name: str, reconsideration_id: int, actor: User, expected_version: int | None
) -> tuple[Move, Reconsideration]:
    case_id = Reconsideration.objects.values_list("case_id", flat=True).get(pk=reconsideration_id)
    case = lock_case_for(name, case_id, actor=actor, expected_version=expected_version)
    reconsideration = Reconsideration.objects.select_for_update().get(pk=reconsideration_id, case=case)
    if reconsideration.state != Reconsideration.State.PENDING:
        raise IllegalTransition(
            f"This reconsideration of {case.reference} has been {reconsideration.get_state_display().lower()}"
        )
    move = begin_locked(name, case=case, actor=actor, facts=CaseFacts(case, reconsiderations=[reconsideration]))
    return move, reconsideration


def _decide(move: Move, reconsideration: Reconsideration, *, state: Reconsideration.State, reasons: str) -> None:
    case = move.case
    reconsideration.state = state
    reconsideration.decided_by, reconsideration.decided_at = move.actor, timezone.now()
    reconsideration.decision_reasons = reasons
    reconsideration.save()
    move.finish(reconsideration_id=reconsideration.pk)
    requester = [reconsideration.requested_by] if reconsideration.requested_by.is_active else []
    tell(requester + referrer_recipients(case), kind=Notification.Kind.RECONSIDERATION_DECIDED, case=case)


@transaction.atomic
def reconsideration_accept(
    *, reconsideration_id: int, actor: User, reasons: str = "", expected_version: int | None = None
) -> Reconsideration:
    """The decision will be made again: the case goes back to waiting for it (a new RG target date for an RG);
    the earlier decision stays, served, in the case's history."""
    move, reconsideration = _begin_on_pending(
        "decide_reconsideration_accept", reconsideration_id, actor, expected_version
    )
    case = move.case
    if decision_open_to_reconsideration(case) != reconsideration.decision:
        raise IllegalTransition(f"The decision this request is about is no longer the current one on {case.reference}")
    if reconsideration.decision.stage == Decision.Stage.RG:
        move.enter(Case.Status.AWAITING_RG)
        policy = Policy.for_case(case)
        case.rg_due_at = add_working_days(timezone.localtime(), policy.rg_target_working_days)
    else:
        move.enter(Case.Status.AWAITING_CG)
    _decide(move, reconsideration, state=Reconsideration.State.ACCEPTED, reasons=(reasons or "").strip())
    return reconsideration


@transaction.atomic
def reconsideration_decline(
    *, reconsideration_id: int, actor: User, reasons: str, expected_version: int | None = None
) -> Reconsideration:
    reasons = (reasons or "").strip()
    if not reasons:
        raise InvalidInput("Enter why the reconsideration is declined", field="reasons")
    move, reconsideration = _begin_on_pending(
        "decide_reconsideration_decline", reconsideration_id, actor, expected_version
    )
    _decide(move, reconsideration, state=Reconsideration.State.DECLINED, reasons=reasons)
    return reconsideration
