"""An organisation administrator's pages: the organisation's members and the requests to join it (approve,
decline), removing a member, a member's role, and the organisation's authenticator requirement. And a first
responder's own page about their membership (asking to join).

Thin views: every read through a selector scoped to the administrator's own organisation (a 404 outside it),
every change through one service in accounts.membership, then POST, redirect, GET.
"""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_http_methods

from accounts.forms import MemberRoleForm, MembershipRequestForm, OrganisationSettingsForm
from accounts.membership import (
    MembershipError,
    member_change_role,
    member_remove,
    membership_request_approve,
    membership_request_create,
    membership_request_decline,
    organisation_set_require_mfa,
)
from accounts.permissions import admin_of_organisation_or_404, organisation_admin_only, role_required
from accounts.roles import Role
from accounts.selectors import latest_membership_request_of, members_for, membership_requests_for
from accounts.waiting import waiting_for_organisation_admin


@require_http_methods(["GET"])
@organisation_admin_only
def members(request):
    admin_of_organisation_or_404(request)
    return render(
        request,
        "accounts/organisation/members.html",
        {
            "organisation": request.user.organisation,
            "waiting": waiting_for_organisation_admin(user=request.user),
            "requests": list(membership_requests_for(user=request.user)),
            "members": list(members_for(user=request.user)),
        },
    )


def _decide(request, request_id: int, *, approve: bool):
    admin_of_organisation_or_404(request)
    membership_request = get_object_or_404(membership_requests_for(user=request.user), pk=request_id)
    error = ""
    if request.method == "POST":
        service = membership_request_approve if approve else membership_request_decline
        try:
            service(request_id=membership_request.pk, actor=request.user)
        except MembershipError as refusal:
            error = str(refusal)
        else:
            person = membership_request.user.full_name or membership_request.user.email
            messages.success(request, f"{person} {'is now a member' if approve else 'was not added'}")
            return redirect("organisation:members")
    return render(
        request,
        "accounts/organisation/decide.html",
        {"membership_request": membership_request, "approve": approve, "error": error},
        status=409 if error else 200,
    )


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def approve(request, request_id: int):
    return _decide(request, request_id, approve=True)


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def decline(request, request_id: int):
    return _decide(request, request_id, approve=False)


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def remove(request, member_id: int):
    admin_of_organisation_or_404(request)
    member = get_object_or_404(members_for(user=request.user), pk=member_id)
    error = "You cannot remove yourself: ask another administrator" if member.pk == request.user.pk else ""
    if request.method == "POST" and not error:
        try:
            member_remove(member_id=member.pk, actor=request.user)
        except MembershipError as refusal:
            error = str(refusal)
        else:
            messages.success(request, f"{member.full_name or member.email} has been removed and signed out")
            return redirect("organisation:members")
    return render(
        request,
        "accounts/organisation/remove.html",
        {"member": member, "error": error},
        status=409 if error and request.method == "POST" else 200,
    )


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def change_role(request, member_id: int):
    admin_of_organisation_or_404(request)
    member = get_object_or_404(members_for(user=request.user), pk=member_id)
    form = MemberRoleForm(request.POST or None, initial={"role": member.role, "expected_role": member.role})
    if request.method == "POST" and form.is_valid():
        try:
            member_change_role(
                member_id=member.pk,
                actor=request.user,
                role=Role(form.cleaned_data["role"]),
                expected_role=form.cleaned_data["expected_role"] or None,
            )
        except MembershipError as refusal:
            form.add_error("role", str(refusal))
        else:
            messages.success(request, f"{member.full_name or member.email}'s role has been changed")
            return redirect("organisation:members")
    return render(
        request,
        "accounts/organisation/role.html",
        {"member": member, "form": form, "error_links": _error_links(form, "role", "role-0")},
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@organisation_admin_only
def settings(request):
    admin_of_organisation_or_404(request)
    organisation = request.user.organisation
    form = OrganisationSettingsForm(request.POST or None, initial={"require_mfa": organisation.require_mfa})
    if request.method == "POST" and form.is_valid():
        try:
            organisation_set_require_mfa(
                organisation_id=organisation.pk, actor=request.user, require_mfa=form.cleaned_data["require_mfa"]
            )
        except MembershipError as refusal:
            form.add_error("require_mfa", str(refusal))
        else:
            messages.success(request, "Your organisation's settings have been saved")
            return redirect("organisation:members")
    return render(
        request,
        "accounts/organisation/settings.html",
        {
            "organisation": organisation,
            "form": form,
            "error_links": _error_links(form, "require_mfa", "require_mfa"),
        },
        status=400 if form.errors else 200,
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.FIRST_RESPONDER)
def membership(request):
    """A first responder's membership: verified, waiting, or (declined, expired) asking again."""
    user = request.user
    latest = latest_membership_request_of(user=user)
    may_ask = not user.organisation_verified and not (latest and latest.is_pending)
    form = MembershipRequestForm(request.POST or None, user=user)
    if request.method == "POST":
        if not may_ask:
            return redirect("organisation:membership")
        if form.is_valid():
            try:
                membership_request_create(user=user, organisation=form.cleaned_data["organisation"])
            except MembershipError as refusal:
                form.add_error("organisation", str(refusal))
            else:
                messages.success(request, f"Your request to join {form.cleaned_data['organisation']} has been sent")
                return redirect("organisation:membership")
    return render(
        request,
        "accounts/organisation/membership.html",
        {
            "latest": latest,
            "may_ask": may_ask,
            "form": form,
            "error_links": _error_links(form, "organisation", "id_organisation"),
        },
        status=400 if form.errors else 200,
    )


def _error_links(form, name: str, anchor: str) -> list[tuple[str, str]]:
    """(anchor, message) for the error summary. These forms have one visible question, `name`: every message,
    a forged hidden field's included, links to its first input."""
    if not form.is_bound:
        return []
    messages_ = [*form.non_field_errors(), *form.errors.get(name, [])]
    messages_ += [
        message for field, errors in form.errors.items() if field not in (name, "__all__") for message in errors
    ]
    return [(anchor, str(message)) for message in messages_]
