"""Statistics in Django admin: the small-number suppression policy is edited here (one row; its history kept,
revert refused like every history admin); the export log and the refreshes are only looked at, because only the
download views and the refresh job write them."""

from django.contrib import admin

from casework.admin import ReadOnlyAdmin
from common.admin import HistoryAdmin
from insights.models import ExportLogEntry, Refresh, SuppressionPolicy


@admin.register(SuppressionPolicy)
class SuppressionPolicyAdmin(HistoryAdmin):
    list_display = ["__str__", "threshold", "on_screen", "in_exports", "updated_at"]
    fields = ["threshold", "on_screen", "in_exports"]

    def has_add_permission(self, request):
        # One row: the first save makes it (until then the defaults apply); after that it is only changed.
        return super().has_add_permission(request) and not SuppressionPolicy.objects.exists()

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(ExportLogEntry)
class ExportLogEntryAdmin(ReadOnlyAdmin):
    list_display = ["exported_at", "user", "what", "file_format", "suppressed", "rows"]
    list_filter = ["file_format", "suppressed", "what"]
    list_select_related = ["user"]
    fields = ["exported_at", "user", "what", "file_format", "filters", "suppressed", "rows"]
    readonly_fields = fields
    date_hierarchy = "exported_at"
    search_fields = ["=what", "user__email"]


@admin.register(Refresh)
class RefreshAdmin(ReadOnlyAdmin):
    list_display = ["finished_at", "seconds", "referrals", "decisions"]
    fields = list_display
    readonly_fields = fields
    date_hierarchy = "finished_at"
