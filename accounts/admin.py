from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from accounts.forms import AdminUserChangeForm, AdminUserCreationForm
from accounts.membership import (
    MembershipError,
    member_change_role,
    member_remove,
    membership_request_approve,
    membership_request_decline,
    organisation_set_require_mfa,
)
from accounts.models import FirstResponderEmailDomain, Invitation, MembershipRequest, Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, Role
from accounts.services import (
    ACCESS_FIELDS,
    AccessChangeRefused,
    invitation_send,
    may_invite,
    needs_invitation,
    user_change_access,
    user_invite,
    user_sync_role_group,
)
from common.admin import HistoryAdmin, ReadOnlyAdminMixin


@admin.register(Organisation)
class OrganisationAdmin(HistoryAdmin):
    list_display = ["name", "short_name", "kind", "nation", "is_active"]
    list_filter = ["kind", "nation", "is_active"]
    search_fields = ["name", "short_name", "email_domains"]
    autocomplete_fields = ["parent"]

    def save_model(self, request, obj, form, change):
        """The authenticator requirement changes through the same service as on the organisation's own page."""
        require_mfa = obj.require_mfa
        if change:
            obj.require_mfa = Organisation.objects.values_list("require_mfa", flat=True).get(pk=obj.pk)
        super().save_model(request, obj, form, change)
        if change:
            organisation_set_require_mfa(organisation_id=obj.pk, actor=request.user, require_mfa=require_mfa)


@admin.register(FirstResponderEmailDomain)
class FirstResponderEmailDomainAdmin(HistoryAdmin):
    list_display = ["domain", "match"]
    list_filter = ["match"]
    search_fields = ["domain"]


@admin.register(User)
class UserAdmin(HistoryAdmin, DjangoUserAdmin):
    add_form = AdminUserCreationForm
    form = AdminUserChangeForm
    add_form_template = "admin/accounts/user/add_form.html"
    ordering = ["email"]
    list_display = ["email", "full_name", "role", "organisation", "is_active", "last_login"]
    list_filter = ["role", "is_active", "organisation__kind"]
    search_fields = ["email", "full_name"]
    autocomplete_fields = ["organisation"]
    # Membership is verified by the organisation's own email domain or by approving a request (the services).
    readonly_fields = ["last_login", "date_joined", "organisation_verified"]
    fieldsets = [
        (None, {"fields": ["email", "full_name", "password"]}),
        ("Role", {"fields": ["role", "organisation", "organisation_verified", "is_active"]}),
        ("Django admin", {"fields": ["is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [
        (
            None,
            {
                "classes": ["wide"],
                # No password: staff choose theirs from the invitation, first responders sign in by code.
                "fields": ["email", "full_name", "role", "organisation"],
            },
        ),
    ]

    # Only superusers change these (accounts.services.may_change_access); to anyone else they are read-only, so a
    # forged post of them is ignored, and a role change goes through user_change_access (history, admins told).
    SUPERUSER_ONLY_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser or obj is None:
            return readonly
        readonly += self.SUPERUSER_ONLY_FIELDS
        if obj.role not in FIRST_RESPONDER_ROLES:
            # A staff account's role, and its address (a password reset sent elsewhere would take it over).
            readonly += ["role", "email"]
        return readonly

    def formfield_for_choice_field(self, db_field, request, **kwargs):
        if db_field.name == "role" and not request.user.is_superuser:
            kwargs["choices"] = [(role.value, role.label) for role in Role if role in FIRST_RESPONDER_ROLES]
        return super().formfield_for_choice_field(db_field, request, **kwargs)

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_superuser and not request.user.is_superuser:
            return False  # a superuser's account (its address, password, roles) is changed by superusers only
        return super().has_change_permission(request, obj)

    def get_urls(self):
        invite = path(
            "<path:object_id>/invite/",
            self.admin_site.admin_view(self.invite_view),
            name="accounts_user_invite",
        )
        return [invite, *super().get_urls()]

    def user_change_password(self, request, id, form_url=""):
        """Nobody sets a password for someone else (it would be signing in as them): "Reset password" sends a new
        invitation, by which they choose one themselves."""
        if not may_invite(actor=request.user):
            raise PermissionDenied
        return redirect("admin:accounts_user_invite", unquote(id))

    def invite_view(self, request, object_id):
        user = self.get_object(request, unquote(object_id))
        if user is None:
            raise Http404
        change_url = reverse("admin:accounts_user_change", args=[user.pk])
        if not (self.has_change_permission(request, user) and may_invite(actor=request.user)):
            raise PermissionDenied
        if not needs_invitation(user):
            self.message_user(
                request, "First responders sign in with a code emailed to them: they have no password", messages.INFO
            )
            return redirect(change_url)
        if request.method == "POST":
            try:
                invitation_send(actor=request.user, user_id=user.pk)
            except AccessChangeRefused as refusal:
                self.message_user(request, str(refusal), messages.ERROR)
            else:
                self.message_user(request, "A new invitation has been emailed; earlier links no longer work")
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "title": "Send a new invitation",
            "opts": self.opts,
            "original": user,
            "change_url": change_url,
            "days": settings.NRM_INVITATION_DAYS,
        }
        return TemplateResponse(request, "admin/accounts/user/invite.html", context)

    def add_view(self, request, form_url="", extra_context=None):
        extra_context = {"title": "Invite a user", **(extra_context or {})}
        return super().add_view(request, form_url, extra_context)

    @admin.action(description="Send a new invitation to the selected staff", permissions=["change"])
    def send_invitation(self, request, queryset):
        sent, skipped = 0, 0
        for user in queryset:
            if not may_invite(actor=request.user):
                raise PermissionDenied
            try:
                invitation_send(actor=request.user, user_id=user.pk)
            except AccessChangeRefused:
                skipped += 1
            else:
                sent += 1
        if sent:
            self.message_user(request, f"Invitations emailed: {sent}", messages.SUCCESS)
        if skipped:
            self.message_user(
                request, f"Not sent to {skipped} first responders or deactivated accounts", messages.WARNING
            )

    def save_model(self, request, obj, form, change):
        wanted = {field: getattr(obj, field) for field in ACCESS_FIELDS}
        if change:
            stored = User.objects.only(*ACCESS_FIELDS).get(pk=obj.pk)
            for field in ACCESS_FIELDS:
                setattr(obj, field, getattr(stored, field))  # changed below, by the service, or not at all
        elif not request.user.is_superuser and (
            obj.role not in FIRST_RESPONDER_ROLES or obj.is_staff or obj.is_superuser
        ):
            raise AccessChangeRefused("Only a superuser can create a staff account")
        if not change:
            user = user_invite(
                actor=request.user,
                email=obj.email,
                role=obj.role,
                organisation=obj.organisation,
                full_name=obj.full_name,
            )
            obj.pk, obj._state.adding, obj._state.db = user.pk, False, user._state.db
            if needs_invitation(user):
                self.message_user(request, "An invitation to choose a password has been emailed to them")
            else:
                self.message_user(request, "They can sign in now with a code emailed to them: they need no password")
            return
        super().save_model(request, obj, form, change)
        user_sync_role_group(user=obj)
        user_change_access(actor=request.user, user_id=obj.pk, **wanted)


# Membership: a service admin approves, declines, removes and changes roles through the same services as an
# organisation's administrators (accounts.membership), so the same checks and history apply.


def _run_membership_service(modeladmin, request, queryset, service, done: str) -> None:
    changed, refusals = 0, []
    for pk in queryset.values_list("pk", flat=True):
        try:
            service(pk)
        except MembershipError as refusal:
            refusals.append(str(refusal))
        else:
            changed += 1
    if changed:
        modeladmin.message_user(request, f"{done}: {changed}", messages.SUCCESS)
    for refusal in sorted(set(refusals)):
        modeladmin.message_user(request, refusal, messages.ERROR)


@admin.register(MembershipRequest)
class MembershipRequestAdmin(HistoryAdmin):
    list_display = ["user", "organisation", "state", "requested_at", "expires_at", "decided_by"]
    list_filter = ["state"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation", "decided_by"]
    readonly_fields = ["user", "organisation", "state", "requested_at", "expires_at", "decided_at", "decided_by"]
    actions = ["approve", "decline"]

    def has_add_permission(self, request):
        return False  # people ask through the service; admins approve, decline or verify here

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Approve the selected requests", permissions=["change"])
    def approve(self, request, queryset):
        _run_membership_service(
            self,
            request,
            queryset,
            lambda pk: membership_request_approve(request_id=pk, actor=request.user),
            "Requests approved",
        )

    @admin.action(description="Decline the selected requests", permissions=["change"])
    def decline(self, request, queryset):
        _run_membership_service(
            self,
            request,
            queryset,
            lambda pk: membership_request_decline(request_id=pk, actor=request.user),
            "Requests declined",
        )


@admin.action(
    description="Remove the selected members from their organisation (ends their sessions)", permissions=["change"]
)
def remove_from_organisation(modeladmin, request, queryset):
    _run_membership_service(
        modeladmin, request, queryset, lambda pk: member_remove(member_id=pk, actor=request.user), "Members removed"
    )


@admin.action(description="Make the selected members their organisation's administrators", permissions=["change"])
def make_organisation_admin(modeladmin, request, queryset):
    _run_membership_service(
        modeladmin,
        request,
        queryset,
        lambda pk: member_change_role(member_id=pk, actor=request.user, role=Role.ORGANISATION_ADMIN),
        "Made administrators",
    )


@admin.action(description="Make the selected organisation administrators members again", permissions=["change"])
def make_member(modeladmin, request, queryset):
    _run_membership_service(
        modeladmin,
        request,
        queryset,
        lambda pk: member_change_role(member_id=pk, actor=request.user, role=Role.FIRST_RESPONDER),
        "Made members",
    )


UserAdmin.actions = [
    *(UserAdmin.actions or []),
    "send_invitation",
    remove_from_organisation,
    make_organisation_admin,
    make_member,
]


@admin.register(Invitation)
class InvitationAdmin(ReadOnlyAdminMixin, HistoryAdmin):
    """Who was invited, by whom, and what became of it. Read only: invitations are sent from the user's page."""

    list_display = ["user", "state", "created_at", "expires_at", "accepted_at", "invited_by"]
    list_filter = ["state"]
    search_fields = ["user__email"]
    list_select_related = ["user", "invited_by"]
    readonly_fields = ["user", "state", "invited_by", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]
