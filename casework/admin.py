from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from casework.models import Case, CaseEvent, Policy


@admin.register(Policy)
class PolicyAdmin(SimpleHistoryAdmin):
    list_display = [
        "nation",
        "rg_target_working_days",
        "recovery_days",
        "move_on_days",
        "minimum_support_days",
        "reconsideration_window_days",
        "review_negative_rg",
        "negative_cg_review_route",
    ]

    def get_readonly_fields(self, request, obj=None):
        # One row per nation, created by a migration: the nation of a row never changes.
        return ["nation"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


class CaseEventInline(admin.TabularInline):
    model = CaseEvent
    fields = ["created_at", "kind", "actor", "data"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = False

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(Case)
class CaseAdmin(SimpleHistoryAdmin):
    """Read-only: every change to a case goes through a casework service, which the casework pages call."""

    list_display = ["reference", "authority", "status", "rg_due_at", "duplicate_review_needed"]
    list_filter = ["status", ("authority", admin.RelatedOnlyFieldListFilter), "duplicate_review_needed"]
    list_select_related = ["authority"]
    search_fields = ["reference"]
    date_hierarchy = "opened_at"
    inlines = [CaseEventInline]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
