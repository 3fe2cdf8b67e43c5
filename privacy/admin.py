"""The retention policy is edited here; runs and exports are only looked at; revert is refused (HistoryAdmin).
The dry run page lists what the policy would remove now (references and counts), through the same service the
daily job runs."""

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.template.response import TemplateResponse
from django.urls import path, reverse

from common.admin import HistoryAdmin, ReadOnlyAdminMixin
from privacy.models import RetentionPolicy, RetentionRun, SubjectAccessExport
from privacy.services import retention_apply


@admin.register(RetentionPolicy)
class RetentionPolicyAdmin(HistoryAdmin):
    list_display = [
        "__str__",
        "closed_case_days",
        "closed_case_action",
        "duty_to_notify_days",
        "duty_to_notify_action",
        "access_log_days",
        "notification_days",
    ]
    actions = ["preview"]

    def has_add_permission(self, request):
        return False  # one row, created by a migration

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.action(description="Preview what the policy would remove now (a dry run)", permissions=["view"])
    def preview(self, request, queryset):
        return dry_run_page(self.admin_site, request)


class _ReadOnly(ReadOnlyAdminMixin, HistoryAdmin):
    pass


@admin.register(RetentionRun)
class RetentionRunAdmin(_ReadOnly):
    list_display = ["__str__", "started_at", "finished_at", "dry_run", "trigger", "started_by", "counts"]
    list_filter = ["dry_run", "trigger"]
    fields = list_display[1:]
    readonly_fields = fields
    date_hierarchy = "started_at"

    def get_urls(self):
        return [
            path("dry-run/", self.admin_site.admin_view(self.dry_run_view), name="privacy_retentionrun_dry_run"),
            *super().get_urls(),
        ]

    def dry_run_view(self, request):
        return dry_run_page(self.admin_site, request)

    def changelist_view(self, request, extra_context=None):
        extra_context = {**(extra_context or {}), "dry_run_url": reverse("admin:privacy_retentionrun_dry_run")}
        return super().changelist_view(request, extra_context)


def dry_run_page(admin_site, request):
    """GET: what a dry run does; POST: runs it (and records it) and lists what would go."""
    if not request.user.has_perm("privacy.view_retentionpolicy"):
        raise PermissionDenied
    outcome = None
    if request.method == "POST" and "dry_run" in request.POST:
        outcome = retention_apply(dry_run=True, trigger=RetentionRun.Trigger.ADMIN, actor=request.user)
        messages.info(request, f"Dry run {outcome.run.pk}: nothing was changed.")
    context = {
        **admin_site.each_context(request),
        "title": "Retention: what would be removed now",
        "policy": RetentionPolicy.current(),
        "outcome": outcome,
        "opts": RetentionRun._meta,
    }
    response = TemplateResponse(request, "admin/privacy/dry_run.html", context)
    return response


@admin.register(SubjectAccessExport)
class SubjectAccessExportAdmin(_ReadOnly):
    list_display = ["__str__", "reference", "exported_by", "exported_at", "file_count"]
    fields = ["reference", "exported_by", "exported_at", "file_count"]
    readonly_fields = fields
    list_select_related = ["exported_by"]
    search_fields = ["=reference"]
    date_hierarchy = "exported_at"
