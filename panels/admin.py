"""Panels in Django admin: the panels, their seats and quorum, and the Slavery Safeguarding Leads are kept here;
what a panel does on a case (meetings, views, conflicts, conclusions) is only looked at, because the panels'
services write it. Reasons and views are not shown here: the panel's pages show them and write the access log."""

from django.contrib import admin

from casework.admin import ReadOnlyHistoryAdmin
from common.admin import HistoryAdmin, ValidAutocompleteMixin
from panels.models import ConflictOfInterest, Meeting, Membership, Panel, PanelCase, SafeguardingLead, View
from panels.quorum import ASSURANCE_QUORUM, default_quorum


class MembershipInline(ValidAutocompleteMixin, admin.TabularInline):
    model = Membership
    fields = ["user", "role", "agency", "home_organisation", "term_start", "term_end"]
    autocomplete_fields = ["user", "home_organisation"]
    extra = 1


@admin.register(Panel)
class PanelAdmin(HistoryAdmin):
    list_display = ["name", "kind", "nation", "active_from", "active_to", "quorum_minimum_present"]
    list_filter = ["kind", "nation"]
    search_fields = ["name"]
    inlines = [MembershipInline]
    fieldsets = [
        (None, {"fields": ["name", "kind", "nation", "active_from", "active_to"]}),
        ("Area", {"fields": ["regions", "local_authorities"]}),
        ("What it reviews (assurance)", {"fields": ["reviews_negative_cg", "reviews_negative_rg"]}),
        ("What it decides (decision-making)", {"fields": ["decides_rg", "decides_cg", "children_only"]}),
        ("Timescale", {"fields": ["review_working_days"]}),
        (
            "Quorum",
            {
                "fields": ["quorum_minimum_present", "quorum_requires_chair", "quorum_agencies"],
                "description": "Left at the assurance default, a new decision-making panel gets its kind's default: "
                "5 present for a regional panel; a local authority, health and police member for a children's "
                "panel.",
            },
        ),
    ]

    def save_model(self, request, obj, form, change):
        quorum_untouched = all(getattr(obj, name) == value for name, value in ASSURANCE_QUORUM.items())
        if not change and obj.kind == Panel.Kind.DECISION_MAKING and quorum_untouched:
            for name, value in default_quorum(kind=obj.kind, children_only=obj.children_only).items():
                setattr(obj, name, value)
        super().save_model(request, obj, form, change)


@admin.register(SafeguardingLead)
class SafeguardingLeadAdmin(HistoryAdmin):
    list_display = ["organisation", "user", "is_active", "named_at"]
    list_filter = ["is_active"]
    autocomplete_fields = ["organisation", "user"]


@admin.register(Meeting)
class MeetingAdmin(ReadOnlyHistoryAdmin):
    list_display = ["panel", "starts_at", "format", "attendance_recorded_at"]
    list_filter = ["panel"]
    fields = ["panel", "starts_at", "format", "where", "scheduled_by", "attendance_recorded_at"]


@admin.register(PanelCase)
class PanelCaseAdmin(ReadOnlyHistoryAdmin):
    list_display = ["case", "panel", "kind", "stage", "state", "due_date", "recommendation", "concluded_at"]
    list_filter = ["panel", "kind", "state"]
    list_select_related = ["case", "panel"]
    fields = ["panel", "case", "kind", "stage", "state", "due_date", "meeting", "recommendation", "concluded_at"]
    private_fields = frozenset({"reasons"})


@admin.register(View)
class ViewAdmin(ReadOnlyHistoryAdmin):
    list_display = ["panel_case", "membership", "opinion", "recorded_at"]
    fields = ["panel_case", "membership", "opinion", "recorded_at"]
    private_fields = frozenset({"reasons"})


@admin.register(ConflictOfInterest)
class ConflictOfInterestAdmin(ReadOnlyHistoryAdmin):
    list_display = ["panel_case", "membership", "ground", "declared_at"]
    fields = ["panel_case", "membership", "ground", "declared_at"]
    private_fields = frozenset({"details"})
