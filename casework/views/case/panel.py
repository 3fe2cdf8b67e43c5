"""A manager's response to an independent panel's recommendation to reconsider a negative decision: reconsider it
(the case goes back to wait for the decision, the panel's reasons shown to the decision maker) or maintain it
(it is served, with the authority's reasons recorded). The panel advises; the authority decides."""

from django.http import Http404
from django.views.decorators.http import require_http_methods

from accounts.permissions import role_required
from casework.forms.case import PanelResponseForm
from casework.models import PanelResponse
from casework.selectors.case_page import decision_awaiting_response_row
from casework.services import decision_panel_respond
from casework.views.case.common import STAFF, action_page, posted, staff_case


@require_http_methods(["GET", "POST"])
@role_required(*STAFF)
def respond_to_panel(request, reference: str):
    """Any of the authority's staff reach the page, so that a caseworker is told why they cannot respond (only a
    manager can) rather than finding nothing; another authority's case is not found."""
    case = staff_case(request, reference)
    decision_id, shown = decision_awaiting_response_row(case)
    if decision_id is None and request.method == "POST":
        raise Http404  # a case without any decision: nothing a panel could have reviewed
    form = PanelResponseForm(posted(request), case=case)

    def perform(data, version):
        return decision_panel_respond(
            decision_id=decision_id,
            actor=request.user,
            response=data["response"],
            reasons=data["reasons"],
            expected_version=version,
        )

    def success(result) -> str:
        title = shown.title if shown else "The decision"
        if form.cleaned_data["response"] == PanelResponse.RECONSIDER:
            return f"{title} will be made again: the decision maker sees the panel's reasons and yours"
        return f"{title} maintained and served: the letter is being prepared"

    return action_page(
        request, case, form, template="casework/case/panel_response.html",
        title="Respond to the panel's recommendation", perform=perform, success=success,
        submit="Save the response", context={"decision": shown},
        gate=("respond_to_panel", "respond to the panel's recommendation"),
    )  # fmt: skip
