"""Service admin for the partner API (issue 14).

API clients are made and revoked only through partners.services.clients: the add page calls the service and shows
the new secret once (the answer to its POST, never cached, never stored but as a hash); revoking is an action.
Nothing else about a client is changed here. The request log is read only. django-oauth-toolkit's own admins
(applications, tokens, grants) are taken away: an application made there would be no partner API client, and a
token made there would skip the service's rules.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.core.exceptions import PermissionDenied, ValidationError
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers
from oauth2_provider.models import (
    get_access_token_model,
    get_application_model,
    get_grant_model,
    get_id_token_model,
    get_refresh_token_model,
)

from accounts.selectors import first_responder_organisations
from common.admin import HistoryAdmin, ReadOnlyAdminMixin
from partners import partnership_admin  # noqa: F401 (part F: the partnerships' admin)
from partners.models import (
    ApiClient,
    ApiRequestLogEntry,
    ImportedReferral,
    WebhookDelivery,
    WebhookEndpoint,
)
from partners.scopes import Scope
from partners.selectors.clients import api_clients_all
from partners.services.clients import ApiClientRefused, api_client_create, api_client_revoke
from partners.services.webhooks import webhook_endpoint_delete

for _model in (
    get_application_model(),
    get_access_token_model(),
    get_refresh_token_model(),
    get_grant_model(),
    get_id_token_model(),
):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)


class ApiClientAddForm(forms.Form):
    organisation = forms.ModelChoiceField(queryset=None, help_text="A first responder organisation")
    name = forms.CharField(max_length=ApiClient._meta.get_field("name").max_length)
    scopes = forms.MultipleChoiceField(choices=Scope.choices, widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = first_responder_organisations()


@admin.register(ApiClient)
class ApiClientAdmin(HistoryAdmin):
    list_display = ["name", "organisation", "client_id", "scope_list", "created_at", "last_used", "revoked_at"]
    list_filter = [("revoked_at", admin.EmptyFieldListFilter)]
    search_fields = ["name", "organisation__name", "=application__client_id"]
    fields = [
        "name",
        "organisation",
        "client_id",
        "scope_list",
        "rate_per_minute",
        "user",
        "created_by",
        "created_at",
        "last_used",
        "revoked_at",
        "revoked_by",
    ]
    readonly_fields = fields
    actions = ["revoke"]

    def get_queryset(self, request):
        return api_clients_all().select_related("user", "created_by", "revoked_by")

    @admin.display(description="client ID")
    def client_id(self, obj):
        return obj.application.client_id

    @admin.display(description="scopes")
    def scope_list(self, obj):
        return ", ".join(obj.scopes)

    @admin.display(description="last used", ordering="last_used_at")
    def last_used(self, obj):
        return obj.last_used_at or "Never"

    def has_delete_permission(self, request, obj=None):
        return False  # revoked, never deleted: the request log and the referrals it sent name it

    def change_view(self, request, object_id, form_url="", extra_context=None):
        if request.method == "POST":
            raise PermissionDenied  # nothing is edited here: revoke is an action, the rest is the service's
        extra_context = {
            **(extra_context or {}),
            "show_save": False,
            "show_save_and_continue": False,
            "show_save_and_add_another": False,
            "show_delete": False,
        }
        return super().change_view(request, object_id, form_url, extra_context)

    def add_view(self, request, form_url="", extra_context=None):
        """Through api_client_create; the secret is on the answer to the POST only."""
        if not self.has_add_permission(request):
            raise PermissionDenied
        form = ApiClientAddForm(request.POST or None)
        if request.method == "POST" and form.is_valid():
            try:
                new = api_client_create(actor=request.user, **form.cleaned_data)
            except ApiClientRefused as refusal:
                raise PermissionDenied from refusal
            except ValidationError as invalid:
                for field, errors in invalid.message_dict.items():
                    for error in errors:
                        form.add_error(field if field in form.fields else None, error)
            else:
                context = {
                    **self.admin_site.each_context(request),
                    "title": "Partner API client created",
                    "opts": self.model._meta,
                    "client": new.client,
                    "secret": new.client_secret,
                }
                response = TemplateResponse(request, "admin/partners/apiclient/created.html", context)
                add_never_cache_headers(response)
                return response
        context = {
            **self.admin_site.each_context(request),
            "title": "Add partner API client",
            "opts": self.model._meta,
            "form": form,
            "adminform": helpers.AdminForm(form, [(None, {"fields": list(form.fields)})], {}),
            "errors": helpers.AdminErrorList(form, []),
        }
        return TemplateResponse(
            request, "admin/partners/apiclient/add.html", context, status=400 if form.errors else 200
        )

    @admin.action(description="Revoke the selected clients (their systems stop at once)", permissions=["change"])
    def revoke(self, request, queryset):
        revoked = 0
        for client in queryset.filter(revoked_at__isnull=True):
            try:
                api_client_revoke(actor=request.user, client_id=client.pk)
            except ApiClientRefused:
                self.message_user(request, f"You cannot revoke {client}", messages.ERROR)
                continue
            revoked += 1
        self.message_user(request, f"{revoked} client{'s' if revoked != 1 else ''} revoked", messages.SUCCESS)


@admin.register(ApiRequestLogEntry)
class ApiRequestLogEntryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["at", "client", "method", "route", "status", "request_id"]
    list_filter = ["status", "method"]
    search_fields = ["client__name", "client__organisation__name", "route", "=request_id"]
    list_select_related = ["client__organisation"]
    fields = list_display
    readonly_fields = fields
    show_full_result_count = False  # the log grows with every call


# --- Part D: webhooks. Registered by the clients through the API (the secret is never shown here); the service
# admin may only switch an endpoint off. Deliveries are the log: read only.


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["url", "client", "event_list", "active", "created_at", "deleted_at"]
    list_filter = ["active"]
    search_fields = ["url", "client__name", "client__organisation__name"]
    list_select_related = ["client__organisation"]
    fields = ["client", "url", "event_list", "active", "created_at", "deleted_at"]
    readonly_fields = fields
    actions = ["switch_off"]

    @admin.display(description="events")
    def event_list(self, obj):
        return ", ".join(obj.events) or "Every kind of change"

    def has_change_permission(self, request, obj=None):
        return obj is None and request.user.has_perm("partners.change_webhookendpoint")  # the action only

    @admin.action(description="Switch the selected webhooks off (nothing more is sent to them)", permissions=["change"])
    def switch_off(self, request, queryset):
        endpoints = list(queryset.filter(active=True))
        for endpoint in endpoints:
            webhook_endpoint_delete(endpoint=endpoint)
        self.message_user(request, f"{len(endpoints)} webhook{'s' if len(endpoints) != 1 else ''} switched off")


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ["created_at", "endpoint", "event", "event_id", "status", "attempts", "last_status_code"]
    list_filter = ["status", "event"]
    search_fields = ["=event_id", "endpoint__url", "endpoint__client__name"]
    list_select_related = ["endpoint__client__organisation"]
    fields = ["endpoint", *WebhookDelivery.LOG_FIELDS]
    readonly_fields = fields
    show_full_result_count = False  # the log grows with every change


@admin.register(ImportedReferral)
class ImportedReferralAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Part E: which GOV.UK report (ExternalId) became which referral. The values kept as received are not shown:
    they are parts of a person's account, read through the case."""

    list_display = ["imported_at", "external_id", "referral", "client", "through_command"]
    list_filter = ["through_command"]
    search_fields = ["=external_id", "=referral__reference"]
    list_select_related = ["referral", "client__organisation"]
    fields = ["external_id", "referral", "client", "through_command", "imported_at"]
    readonly_fields = fields
    show_full_result_count = False
