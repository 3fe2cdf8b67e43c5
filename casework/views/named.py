"""A case opened by an organisation the referral names (the police force, a child's local authority): what it
was told about, and whom to ask; casework.selectors.named decides what that is."""

from django.http import Http404
from django.shortcuts import render
from django.views.decorators.http import require_GET

from accounts.permissions import role_required
from accounts.roles import FIRST_RESPONDER_ROLES
from casework.models import AccessLogEntry, Case
from casework.selectors.named import named_case_view
from casework.services import access_log_record


@require_GET
@role_required(*FIRST_RESPONDER_ROLES)
def named_case(request, reference: str):
    case = named_case_view(user=request.user, reference=reference)
    if case is None:
        raise Http404
    # No name or answer is shown, but an outcome is about a person: the read is written down all the same.
    access_log_record(user=request.user, case=Case.objects.get(reference=case.reference), what=AccessLogEntry.What.CASE)
    return render(request, "casework/named_case.html", {"case": case})
