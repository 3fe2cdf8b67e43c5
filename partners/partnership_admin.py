"""Service admin of partnerships (issue 14, part F): a partnership's area (the referrals' reference lists), its
member organisations and its coordinators. Its local pathway is its coordinators' (partners.services.partnerships):
read only here, its history in the history view."""

from django.contrib import admin

from accounts.selectors import first_responder_organisations
from common.admin import HistoryAdmin
from partners.models import Partnership, PathwayContact


class PathwayContactInline(admin.TabularInline):
    """The local pathway is the coordinator's (partners.services.partnerships): read only here."""

    model = PathwayContact
    fields = ["kind", "name", "organisation", "phone", "email", "updated_at", "updated_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Partnership)
class PartnershipAdmin(HistoryAdmin):
    """Part F: a partnership's area (reference lists), member organisations and coordinators (users with the role
    Partnership coordinator). Its pathway is kept by its coordinators on their pages."""

    list_display = ["name", "pathway_updated_at"]
    search_fields = ["name"]
    fields = [
        "name",
        "local_authorities",
        "police_forces",
        "member_organisations",
        "coordinators",
        "pathway_introduction",
        "pathway_updated_at",
    ]
    readonly_fields = ["pathway_introduction", "pathway_updated_at"]
    filter_horizontal = ["local_authorities", "police_forces", "member_organisations", "coordinators"]
    inlines = [PathwayContactInline]

    def formfield_for_manytomany(self, db_field, request, **kwargs):
        if db_field.name == "member_organisations":
            kwargs["queryset"] = first_responder_organisations()
        return super().formfield_for_manytomany(db_field, request, **kwargs)
