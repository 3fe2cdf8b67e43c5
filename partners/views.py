"""The partnership coordinator's pages (issue 14, section 3): their partnerships, the area's figures (never a
person) and the local pathway they keep for their member organisations' first responders."""

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from accounts.permissions import role_required
from accounts.roles import Role
from insights import periods
from partners.models import PathwayContact
from partners.partnership_forms import AreaFiguresForm, PathwayContactForm, PathwayIntroductionForm
from partners.selectors.partnerships import area_figures, coordinated_partnership, coordinated_partnerships
from partners.services.partnerships import (
    CONTACT_FIELDS,
    pathway_contact_remove,
    pathway_contact_save,
    pathway_introduction_update,
)


@require_GET
@role_required(Role.PARTNERSHIP_COORDINATOR)
def partnership_home(request):
    partnerships = list(coordinated_partnerships(user=request.user))
    if len(partnerships) == 1:
        return redirect("partnerships:figures", pk=partnerships[0].pk)
    return render(request, "partners/partnership_home.html", {"partnerships": partnerships})


@require_GET
@role_required(Role.PARTNERSHIP_COORDINATOR)
def figures(request, pk: int):
    partnership = coordinated_partnership(user=request.user, pk=pk)
    today = timezone.localdate()
    form = AreaFiguresForm(request.GET or None, today=today)
    year = form.cleaned_data["year"] if form.is_bound and form.is_valid() else today.year
    period = periods.calendar_year(year)
    context = {"partnership": partnership, "form": form, "period": period, "filters": {"period": period}}
    if not form.errors:
        context.update(area_figures(partnership, period))
    return render(request, "partners/partnership_figures.html", context)


@require_http_methods(["GET", "POST"])
@role_required(Role.PARTNERSHIP_COORDINATOR)
def pathway(request, pk: int):
    partnership = coordinated_partnership(user=request.user, pk=pk)
    form = PathwayIntroductionForm(request.POST or None, initial={"introduction": partnership.pathway_introduction})
    if request.method == "POST" and form.is_valid():
        pathway_introduction_update(partnership=partnership, actor=request.user, text=form.cleaned_data["introduction"])
        messages.success(request, "Local pathway saved")
        return redirect("partnerships:pathway", pk=partnership.pk)
    contacts = partnership.pathway_contacts.order_by("kind", "name", "pk")
    history = partnership.history.select_related("history_user").order_by("-history_date")[:10]
    return render(
        request,
        "partners/partnership_pathway.html",
        {"partnership": partnership, "form": form, "contacts": contacts, "history": history},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.PARTNERSHIP_COORDINATOR)
def pathway_contact(request, pk: int, contact_id: int | None = None):
    partnership = coordinated_partnership(user=request.user, pk=pk)
    contact = None
    if contact_id is not None:
        contact = get_object_or_404(PathwayContact, pk=contact_id, partnership=partnership)
    form = PathwayContactForm(request.POST or None, instance=contact)
    if request.method == "POST" and form.is_valid():
        pathway_contact_save(
            partnership=partnership,
            actor=request.user,
            contact=contact,
            **{name: form.cleaned_data[name] for name in CONTACT_FIELDS},
        )
        messages.success(request, "Contact saved")
        return redirect("partnerships:pathway", pk=partnership.pk)
    return render(
        request,
        "partners/partnership_contact.html",
        {"partnership": partnership, "form": form, "contact": contact},
    )


@require_http_methods(["GET", "POST"])
@role_required(Role.PARTNERSHIP_COORDINATOR)
def pathway_contact_delete(request, pk: int, contact_id: int):
    partnership = coordinated_partnership(user=request.user, pk=pk)
    contact = get_object_or_404(PathwayContact, pk=contact_id, partnership=partnership)
    if request.method == "POST":
        pathway_contact_remove(contact=contact, actor=request.user)
        messages.success(request, "Contact removed")
        return redirect("partnerships:pathway", pk=partnership.pk)
    return render(request, "partners/partnership_contact_remove.html", {"partnership": partnership, "contact": contact})
