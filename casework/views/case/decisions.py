"""Reasonable and conclusive grounds decisions, the second review of a negative one, and reconsideration: asked
for on the person's behalf, and a manager's answer."""

from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.formats import date_format
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from casework.forms.case import DecisionForm, ReconsiderationDecisionForm, ReconsiderationRequestForm, ReviewForm
from casework.models import Decision, Policy, ReviewRoute
from casework.offers import why_not
from casework.selectors import decision_open_to_reconsideration
from casework.selectors.case_page import returned_decision_row
from casework.selectors.case_rows import DECISION_PEOPLE, decision_row, reconsideration_row
from casework.selectors.decisions import open_information_request_due
from casework.selectors.timeline import person_name
from casework.services import (
    IllegalTransition,
    case_make_cg_decision,
    case_make_rg_decision,
    decision_review_agree,
    decision_review_return,
    reconsideration_accept,
    reconsideration_decline,
    reconsideration_request,
)
from casework.services.decision_effects import decision_preview
from casework.views.case.common import STAFF, action_page, posted, staff_case


def _served_message(decision: Decision) -> str:
    if decision.is_served:
        return f"{decision.title} served: the letter is being prepared"
    return f"{decision.title} sent for review"


def _negative_route(case, stage: Decision.Stage) -> str:
    """What the case's policy does with a negative decision of this stage, in words."""
    policy = Policy.for_case(case)
    if stage == Decision.Stage.RG and not policy.review_negative_rg:
        return "A negative decision is served at once."
    route = policy.negative_rg_review_route if stage == Decision.Stage.RG else policy.negative_cg_review_route
    if route == ReviewRoute.PANEL:
        return (
            "A negative decision goes to an independent panel for review before it is served (when no active panel "
            "covers the case, a manager other than you reviews it)."
        )
    return "A negative decision is reviewed by a manager other than you before it is served."


def _decision_page(request, reference: str, stage: Decision.Stage):
    case = staff_case(request, reference)
    name = "rg_decision" if stage == Decision.Stage.RG else "cg_decision"
    service = case_make_rg_decision if stage == Decision.Stage.RG else case_make_cg_decision
    form = DecisionForm(posted(request), case=case, stage=stage)

    def perform(data, version):
        return service(case_id=case.pk, actor=request.user, expected_version=version, **form.service_arguments())

    information_due = open_information_request_due(case)

    def check(data, version):
        """The check page: the answers, and what recording them will do, before "Confirm and serve"."""
        refused = why_not(
            name,
            case,
            request.user,
            decisions=list(case.decisions.all()),
            reconsiderations=list(case.reconsiderations.all()),
        )
        if refused:
            raise IllegalTransition(f"You cannot make this decision now: {refused}")
        preview = decision_preview(case=case, stage=stage, **form.service_arguments())
        page = {
            "case": case,
            "title": f"Check the {stage.label.lower()} decision",
            "version": version,
            "answers": form.shown_answers(),
            "carried": form.carried(),
            "preview": preview,
            "information_due": information_due,
            "submit": "Confirm and serve" if preview.served_now else "Confirm and send for review",
        }
        return render(request, "casework/case/decision_check.html", page)

    waits_until = None
    if stage == Decision.Stage.CG and case.recovery_ends_at and timezone.now() < case.recovery_ends_at:
        waits_until = date_format(timezone.localtime(case.recovery_ends_at).date(), "j F Y")
    return action_page(
        request, case, form, template="casework/case/decision.html", title=f"{stage.label} decision",
        perform=perform, success=_served_message, submit="Continue", check=check,
        context={
            "stage": stage,
            "information_due": information_due,
            "recovery_ends_on": waits_until,
            "negative_route": _negative_route(case, stage),
            "returned": returned_decision_row(case, stage),
        },
        gate=(name, f"make a {stage.label.lower()} decision"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def rg_decision(request, reference: str):
    return _decision_page(request, reference, Decision.Stage.RG)


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def cg_decision(request, reference: str):
    return _decision_page(request, reference, Decision.Stage.CG)


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def review_decision(request, reference: str, decision_id: int):
    """The second reviewer (a manager other than the decision maker) agrees or returns a negative decision. A
    decision the policy sends to an independent panel is only described: the panel reviews it."""
    case = staff_case(request, reference)
    decision = get_object_or_404(case.decisions.select_related(*DECISION_PEOPLE), pk=decision_id)
    form = ReviewForm(posted(request), case=case)

    def perform(data, version):
        if data["review"] == ReviewForm.AGREE:
            return decision_review_agree(decision_id=decision.pk, actor=request.user, expected_version=version)
        return decision_review_return(
            decision_id=decision.pk, actor=request.user, reasons=data["reasons"], expected_version=version
        )

    def success(result):
        if result.is_served:
            return f"{result.title} served: the letter is being prepared"
        return f"{result.title} returned to {person_name(result.decided_by)}"

    context = {
        "decision": decision_row(decision),
        "by_panel": decision.review_route == ReviewRoute.PANEL,
        "own_decision": decision.decided_by_id == request.user.pk,
        "under_review": decision.state == Decision.State.UNDER_REVIEW,
    }
    return action_page(
        request, case, form, template="casework/case/review.html", title=f"Review: {decision.title.lower()}",
        perform=perform, success=success, submit="Save the review", context=context,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def request_reconsideration(request, reference: str):
    case = staff_case(request, reference)
    decision = decision_open_to_reconsideration(case)
    late_since = None
    if decision and decision.reconsideration_deadline and timezone.localdate() > decision.reconsideration_deadline:
        late_since = decision.reconsideration_deadline
    form = ReconsiderationRequestForm(posted(request), request.FILES or None, case=case, late_since=late_since)

    def perform(data, version):
        return reconsideration_request(
            case_id=case.pk,
            actor=request.user,
            grounds=data["grounds"],
            details=data["details"],
            exceptional_circumstances=data.get("exceptional_circumstances", ""),
            uploaded_files=data["files"],
            expected_version=version,
        )

    return action_page(
        request, case, form, template="casework/case/action.html", title="Request reconsideration",
        perform=perform, success="Reconsideration requested: a manager will decide", submit="Request reconsideration",
        context={"decision": decision},
        gate=("request_reconsideration", "request reconsideration"),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@role_required(Role.MANAGER)
def decide_reconsideration(request, reference: str, reconsideration_id: int):
    case = staff_case(request, reference)
    reconsideration = get_object_or_404(
        case.reconsiderations.select_related("decision", "requester_organisation", "requested_by", "decided_by"),
        pk=reconsideration_id,
    )
    shown = reconsideration_row(reconsideration, list(reconsideration.files.all()))
    form = ReconsiderationDecisionForm(posted(request), case=case)

    def perform(data, version):
        service = (
            reconsideration_accept if data["answer"] == ReconsiderationDecisionForm.ACCEPT else reconsideration_decline
        )
        return service(
            reconsideration_id=reconsideration.pk, actor=request.user, reasons=data["reasons"], expected_version=version
        )

    def success(result):
        return (
            "Reconsideration accepted: the decision will be made again"
            if result.state == "accepted"
            else "Reconsideration declined"
        )

    return action_page(
        request, case, form, template="casework/case/reconsideration.html", title="Decide the reconsideration request",
        perform=perform, success=success, submit="Save the decision", context={"reconsideration": shown},
    )  # fmt: skip
