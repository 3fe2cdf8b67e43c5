"""A member's view and conflict of interest, and the chair's conclusion or decision."""

from collections.abc import Callable

from django.urls import reverse
from django.views.decorators.http import require_http_methods

from panels import selectors
from panels.forms import ConcludeForm, ConflictForm, DecideForm, ViewForm
from panels.models import PanelCase
from panels.quorum import exclusion_for, quorum_for
from panels.services import (
    panel_conflict_declare,
    panel_decision_make,
    panel_review_conclude,
    panel_view_record,
)
from panels.views.common import form_page, panel_people, posted


def _case_context(request, panel_case: PanelCase, title: str, submit: str) -> dict:
    membership = selectors.seat_of(user=request.user, panel=panel_case.panel)
    return {
        "panel_case": panel_case,
        "case": panel_case.case,
        "membership": membership,
        "title": title,
        "submit": submit,
        "exclusion": exclusion_for(membership, panel_case),
        "back_url": reverse("panels:case", args=[panel_case.pk]),
    }


def _case_url(panel_case: PanelCase) -> str:
    return reverse("panels:case", args=[panel_case.pk])


def _panel_case_version(panel_case: PanelCase) -> Callable[[], int]:
    def version() -> int:
        panel_case.refresh_from_db(fields=["version"])
        return panel_case.version

    return version


@require_http_methods(["GET", "POST"])
@panel_people
def record_view(request, pk: int):
    """A member records their view, or changes it until the chair concludes. The version posted is their
    view's (0 when they had none: a view recorded meanwhile, in another tab, makes the post stale)."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _case_context(request, panel_case, "Your view", "Save your view")
    my_view = panel_case.views.filter(membership=context["membership"]).first()
    initial = {"opinion": my_view.opinion, "reasons": my_view.reasons} if my_view else {}
    form = ViewForm(posted(request), panel_case=panel_case, initial=initial)
    if my_view is not None:
        context["title"] = "Change your view"

    def perform(data, version):
        expected = None if version == 0 and my_view is None else version
        return panel_view_record(
            panel_case_id=panel_case.pk,
            actor=request.user,
            opinion=data["opinion"],
            reasons=data["reasons"],
            expected_version=expected,
        )

    def current_version() -> int:
        view = panel_case.views.filter(membership=context["membership"]).first()
        return view.version if view else 0

    return form_page(
        request, form, template="panels/action.html", context=context, version=my_view.version if my_view else 0,
        perform=perform, success="Your view is recorded", done_url=_case_url(panel_case),
        refresh_version=current_version,
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@panel_people
def declare_conflict(request, pk: int):
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _case_context(request, panel_case, "Declare a conflict of interest", "Declare the conflict")
    form = ConflictForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_conflict_declare(panel_case_id=panel_case.pk, actor=request.user, details=data["details"])

    return form_page(
        request, form, template="panels/action.html", context=context, version=panel_case.version,
        perform=perform, success="Your conflict of interest is recorded: you take no part in this case",
        done_url=_case_url(panel_case),
    )  # fmt: skip


def _chair_context(request, panel_case: PanelCase, title: str, submit: str) -> dict:
    context = _case_context(request, panel_case, title, submit)
    membership = context["membership"]
    context["is_chair"] = membership.is_chair
    context["quorum"] = quorum_for(panel_case, chair=membership if membership.is_chair else None)
    context["decision"] = selectors.proposed_decision(panel_case.decision)
    return context


@require_http_methods(["GET", "POST"])
@panel_people
def conclude(request, pk: int):
    """The chair of an assurance panel concludes its review once quorate: the page says what is missing."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    context = _chair_context(request, panel_case, "Conclude the panel's review", "Conclude the review")
    form = ConcludeForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_review_conclude(
            panel_case_id=panel_case.pk,
            actor=request.user,
            recommendation=data["recommendation"],
            reasons=data["reasons"],
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/conclude.html", context=context, version=panel_case.version,
        perform=perform, success="The panel's review is concluded", done_url=_case_url(panel_case),
        refresh_version=_panel_case_version(panel_case),
    )  # fmt: skip


@require_http_methods(["GET", "POST"])
@panel_people
def decide(request, pk: int):
    """The chair of a decision-making panel records the panel's decision once quorate; casework serves it."""
    panel_case = selectors.panel_case_of(user=request.user, pk=pk)
    title = f"Record the panel's decision: {selectors.work_label(panel_case).lower()}"
    context = _chair_context(request, panel_case, title, "Record the decision")
    form = DecideForm(posted(request), panel_case=panel_case)

    def perform(data, version):
        return panel_decision_make(
            panel_case_id=panel_case.pk,
            actor=request.user,
            outcome=data["outcome"],
            negative_reason=data["negative_reason"],
            reasons=data["reasons"],
            decision_date=data["decision_date"],
            factors=data.get("factors", []),
            expected_version=version,
        )

    return form_page(
        request, form, template="panels/conclude.html", context=context, version=panel_case.version,
        perform=perform, success="The panel's decision is recorded and served: the letter is being prepared",
        done_url=_case_url(panel_case), refresh_version=_panel_case_version(panel_case),
    )  # fmt: skip
