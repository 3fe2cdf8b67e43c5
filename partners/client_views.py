"""An organisation administrator's partner API clients (under /organisation/api-clients/): the list, a new client
(its secret shown once, on the answer to the POST that made it), and revoking one after a confirmation.

Thin views: reads through partners.selectors.clients, scoped to the administrator's own organisation (a 404
outside it); changes through partners.services.clients. The secret is never put in a URL, a message, the session or
a log: it exists only in the one response that shows it, which no cache may keep.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_http_methods

from accounts.permissions import admin_of_organisation_or_404, organisation_admin_only
from partners.client_forms import ApiClientForm
from partners.selectors.clients import api_clients_for
from partners.services.clients import ApiClientRefused, api_client_create, api_client_revoke


@require_http_methods(["GET"])
@organisation_admin_only
def client_list(request):
    admin_of_organisation_or_404(request)
    return render(
        request,
        "partners/clients/list.html",
        {"organisation": request.user.organisation, "clients": list(api_clients_for(user=request.user))},
    )


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def client_new(request):
    admin_of_organisation_or_404(request)
    form = ApiClientForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            new = api_client_create(
                actor=request.user,
                organisation=request.user.organisation,
                name=form.cleaned_data["name"],
                scopes=form.cleaned_data["scopes"],
            )
        except ApiClientRefused as refusal:
            raise Http404 from refusal
        except ValidationError as invalid:
            for field, errors in invalid.message_dict.items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
        else:
            # The answer to this POST is the one place the secret is ever shown: no redirect (it would have to
            # carry it), and no cache (browser or proxy) may keep the page.
            response = render(
                request, "partners/clients/created.html", {"client": new.client, "secret": new.client_secret}
            )
            add_never_cache_headers(response)
            return response
    return render(
        request,
        "partners/clients/new.html",
        {"organisation": request.user.organisation, "form": form},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def client_revoke(request, api_client_id: int):
    admin_of_organisation_or_404(request)
    client = get_object_or_404(api_clients_for(user=request.user), pk=api_client_id)
    if request.method == "POST" and client.is_active:
        try:
            api_client_revoke(actor=request.user, client_id=client.pk)
        except ApiClientRefused as refusal:
            raise Http404 from refusal
        messages.success(request, f"{client.name} has been revoked: its system can no longer use the API")
        return redirect("api_clients:list")
    return render(request, "partners/clients/revoke.html", {"client": client})
