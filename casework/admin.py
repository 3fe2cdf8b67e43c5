"""Casework in Django admin: policy is edited here; everything else is only looked at, because every change to a
case goes through a casework service, which the casework pages call.

Free text about a person (decision reasons, notes, questions and answers, reconsideration grounds) and files are
not shown here, not even in the history's field changes: the case pages show them to the authority's staff and
write each view to the access log.
"""

import dataclasses

from django.contrib import admin
from django.core.paginator import Paginator
from django.db import connection
from django.utils.functional import cached_property
from simple_history.template_utils import HistoricalRecordContextHelper

from accounts.models import User
from casework.models import (
    AccessLogEntry,
    Case,
    CaseEvent,
    CaseFile,
    CaseNote,
    Decision,
    InformationRequest,
    Letter,
    Policy,
    Reconsideration,
    SupportExtension,
    SupportRecord,
)
from common.admin import HistoryAdmin, ReadOnlyAdminMixin

NOT_SHOWN = "(not shown in admin)"


@admin.register(Policy)
class PolicyAdmin(HistoryAdmin):
    list_display = [
        "nation",
        "rg_target_working_days",
        "recovery_days",
        "move_on_days",
        "minimum_support_days",
        "reconsideration_window_days",
        "review_negative_rg",
        "negative_cg_review_route",
        "support_provider",
    ]
    list_select_related = ["support_provider"]

    def get_readonly_fields(self, request, obj=None):
        # One row per nation, created by a migration: the nation of a row never changes.
        return ["nation"] if obj else []

    def has_delete_permission(self, request, obj=None):
        return False


class ReadOnlyAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Rows the casework services write: listed and shown, never added, changed or deleted here."""

    def get_readonly_fields(self, request, obj=None):
        # Shown, not editable: the same fields the page lists.
        return self.fields or super().get_readonly_fields(request, obj)


class _PrivateChangesHidden(HistoricalRecordContextHelper):
    def __init__(self, model, historical_record, *, hidden: frozenset[str]):
        super().__init__(model, historical_record)
        self.hidden = hidden

    def format_delta_change(self, change):
        formatted = super().format_delta_change(change)
        if change.field in self.hidden:
            return dataclasses.replace(formatted, old=NOT_SHOWN, new=NOT_SHOWN)
        return formatted


class ReadOnlyHistoryAdmin(ReadOnlyAdmin, HistoryAdmin):
    """Read-only, with the change history. `private_fields` are left out of the page and of the history."""

    private_fields: frozenset[str] = frozenset()

    def get_historical_record_context_helper(self, request, historical_record):
        return _PrivateChangesHidden(self.model, historical_record, hidden=self.private_fields)


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
class CaseAdmin(ReadOnlyHistoryAdmin):
    list_display = [
        "reference",
        "authority",
        "status",
        "is_child",
        "nation",
        "assignee",
        "next_deadline_at",
        "next_deadline_kind",
        "duplicate_review_needed",
    ]
    list_filter = [
        "status",
        ("authority", admin.RelatedOnlyFieldListFilter),
        "is_child",
        "nation",
        "next_deadline_kind",
        "duplicate_review_needed",
    ]
    list_select_related = ["authority", "assignee"]
    search_fields = ["reference"]
    date_hierarchy = "opened_at"
    inlines = [CaseEventInline]


@admin.register(Decision)
class DecisionAdmin(ReadOnlyHistoryAdmin):
    private_fields = frozenset({"reasons", "review_reasons"})
    fields = [
        "case",
        "stage",
        "outcome",
        "state",
        "factors",
        "decision_date",
        "decided_by",
        "created_at",
        "review_route",
        "reviewed_by",
        "reviewed_at",
        "served_at",
        "reconsideration_deadline",
    ]
    list_display = ["case", "stage", "outcome", "state", "review_route", "decision_date", "decided_by", "served_at"]
    list_filter = ["stage", "outcome", "state", "review_route"]
    list_select_related = ["case", "decided_by"]
    search_fields = ["case__reference"]
    date_hierarchy = "created_at"


@admin.register(Letter)
class LetterAdmin(ReadOnlyHistoryAdmin):
    """Downloaded from the case page (which checks who may, and logs it), not here."""

    private_fields = frozenset({"file"})
    fields = ["decision", "created_at", "rendered_at"]
    list_display = ["__str__", "created_at", "rendered_at"]
    list_select_related = ["decision__case"]
    search_fields = ["decision__case__reference"]
    date_hierarchy = "created_at"


@admin.register(InformationRequest)
class InformationRequestAdmin(ReadOnlyHistoryAdmin):
    private_fields = frozenset({"question", "answer"})
    fields = [
        "case",
        "state",
        "due_date",
        "requested_by",
        "requested_at",
        "answered_by",
        "answered_at",
        "reminded_before_at",
        "reminded_after_at",
    ]
    list_display = ["__str__", "state", "due_date", "requested_by", "answered_at"]
    list_filter = ["state"]
    list_select_related = ["case", "requested_by"]
    search_fields = ["case__reference"]
    date_hierarchy = "requested_at"


@admin.register(Reconsideration)
class ReconsiderationAdmin(ReadOnlyHistoryAdmin):
    private_fields = frozenset({"details", "exceptional_circumstances", "decision_reasons"})
    fields = [
        "case",
        "decision",
        "grounds",
        "is_late",
        "requested_by",
        "requester_organisation",
        "requested_at",
        "state",
        "decided_by",
        "decided_at",
    ]
    list_display = ["case", "state", "is_late", "requester_organisation", "requested_at", "decided_at"]
    list_filter = ["state", "is_late"]
    list_select_related = ["case", "requester_organisation"]
    search_fields = ["case__reference"]
    date_hierarchy = "requested_at"


@admin.register(CaseNote)
class CaseNoteAdmin(ReadOnlyHistoryAdmin):
    private_fields = frozenset({"text"})
    fields = ["case", "kind", "author", "created_at"]
    list_display = ["case", "kind", "author", "created_at"]
    list_filter = ["kind"]
    list_select_related = ["case", "author"]
    search_fields = ["case__reference"]
    date_hierarchy = "created_at"


@admin.register(CaseFile)
class CaseFileAdmin(ReadOnlyHistoryAdmin):
    """Downloaded through the casework pages (which check who may), not here."""

    private_fields = frozenset({"file", "original_name"})
    fields = [
        "case",
        "information_request",
        "is_answer",
        "reconsideration",
        "content_type",
        "size",
        "uploaded_by",
        "uploaded_at",
        "scan_status",
        "scanned_at",
        "scan_result",
        "quarantined_as",
    ]
    list_display = ["pk", "case", "content_type", "size", "is_answer", "scan_status", "uploaded_by", "uploaded_at"]
    list_filter = ["scan_status"]
    list_select_related = ["case", "uploaded_by"]
    search_fields = ["case__reference"]
    date_hierarchy = "uploaded_at"


class _EstimatedCountPaginator(Paginator):
    """The unfiltered log's size from PostgreSQL's statistics (counting millions of rows on every page view costs a
    second); any filtered or searched list is counted exactly."""

    @cached_property
    def count(self) -> int:
        if self.object_list.query.where:
            return super().count
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [AccessLogEntry._meta.db_table]
            )
            estimate = cursor.fetchone()[0]
        # -1 before the table is first analysed; a small table is counted.
        return estimate if estimate >= 100_000 else super().count


@admin.register(AccessLogEntry)
class AccessLogEntryAdmin(ReadOnlyAdmin):
    """Who viewed a person's details, and when: written by the pages, never changed (no add, change, delete or
    history to revert). Searched by a case reference or a user's address, each one indexed lookup (a name is
    not searchable here: admin's search is a GET, and a victim's name would end up in the address); filtered
    by what and by date ranges, newest first through accesslog_viewed_idx. No date hierarchy: its first level is
    a DISTINCT over every row (a second at two million entries, benchmarks/access_log.py)."""

    fields = ["viewed_at", "user", "what", "case"]
    list_display = fields
    list_filter = ["what", ("viewed_at", admin.DateFieldListFilter)]
    list_select_related = ["user", "case"]
    search_fields = ["case__reference", "user__email"]
    search_help_text = "A case reference (for example NRM-2026-004217) or a user's email address, in full"
    show_full_result_count = False  # the log only grows: no count of every row under each search
    paginator = _EstimatedCountPaginator

    def get_search_results(self, request, queryset, search_term):
        """An exact match on one indexed column, chosen by the term's shape: never a LIKE over every row, nor an
        OR across two joined tables, which no index serves. The id is looked up first, so that the planner sees
        the value and picks the (case, viewed_at) or (user, viewed_at) index for it."""
        term = "".join(search_term.split())
        if not term:
            return queryset, False
        if "@" in term:
            user_id = User.objects.filter(email=term.lower()).values_list("pk", flat=True).first()
            return queryset.filter(user_id=user_id) if user_id else queryset.none(), False
        case_id = Case.objects.filter(reference=term.upper()).values_list("pk", flat=True).first()
        return queryset.filter(case_id=case_id) if case_id else queryset.none(), False


@admin.register(SupportRecord)
class SupportRecordAdmin(ReadOnlyHistoryAdmin):
    """The support provider's records (casework.services.support): dates and codes from lists only."""

    list_display = ["case", "started_on", "rna_completed_on", "last_seen_on", "ended_on", "end_reason"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]


@admin.register(SupportExtension)
class SupportExtensionAdmin(ReadOnlyAdmin):
    list_display = ["case", "previous_ends_on", "ends_on", "reason", "recorded_at"]
    list_select_related = ["case"]
    search_fields = ["case__reference"]
