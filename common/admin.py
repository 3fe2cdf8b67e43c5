"""The one base class of every admin that shows a model's change history (django-simple-history).

Revert is off. django-simple-history's history page saves whatever version is posted to it (a "revert") for
anyone who may merely view the model, and hiding the button (SIMPLE_HISTORY_REVERT_DISABLED) does not stop a post:
a reverted notification went back to "pending" and the sweep emailed it again. So a post to that page is refused
here, for every model, unless the admin declares a documented need (`revert_allowed = True`, with the reason in
its docstring), and even then only for a user who may change the model. A start-up check (common.checks) refuses
any history admin that does not come through this class. See docs/adr (admin privilege rules).
"""

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from simple_history.admin import SimpleHistoryAdmin

from common.models import OutboxTask


class ValidChoicesAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks up the posted value to show it again; a value that is not an id of the
    related model ("²", a NUL byte) made that lookup raise (a 500 where the form should just say it is invalid)."""

    def optgroups(self, name, value, attr=None):
        target = self.field.target_field
        return super().optgroups(name, [choice for choice in value if _is_valid(target, choice)], attr)


def _is_valid(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return "\x00" not in str(value)


class ValidAutocompleteMixin:
    """For a ModelAdmin or an inline: its autocomplete fields use ValidChoicesAutocompleteSelect."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if "widget" not in kwargs and db_field.name in self.get_autocomplete_fields(request):
            kwargs["widget"] = ValidChoicesAutocompleteSelect(db_field, self.admin_site, using=kwargs.get("using"))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdminMixin:
    """Rows that services write (or nobody edits): listed and shown in admin, never added, changed or deleted."""

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class HistoryAdmin(ValidAutocompleteMixin, SimpleHistoryAdmin):
    revert_allowed = False

    def revert_disabled(self, request, obj=None) -> bool:
        return not (self.revert_allowed and self.has_change_permission(request, obj))

    def history_view(self, request, object_id, extra_context=None):
        self._check_id(self.model, object_id)
        return super().history_view(request, object_id, extra_context)

    def history_form_view(self, request, object_id, version_id, extra_context=None):
        self._check_id(self.model, object_id)
        self._check_id(getattr(self.model, self.model._meta.simple_history_manager_attribute).model, version_id)
        if request.method != "GET" and self.revert_disabled(request):
            raise PermissionDenied
        return super().history_form_view(request, object_id, version_id, extra_context)

    @staticmethod
    def _check_id(model, value: str) -> None:
        # An id that is not one (a NUL byte, letters) is a 404 rather than a ValueError from the query.
        try:
            model._meta.pk.to_python(unquote(value))
        except ValidationError:
            raise Http404 from None


@admin.register(OutboxTask)
class OutboxTaskAdmin(admin.ModelAdmin):
    """The outbox's rows, to read only (common.outbox): what is pending, what failed and with which error class.
    Rows are written and run by the code alone; the sweep tries a pending row again by itself."""

    list_display = ("pk", "handler", "state", "attempts", "created_at", "next_attempt_at", "done_at", "last_error")
    list_filter = ("state", "handler")
    readonly_fields = (*list_display[1:], "args")
    ordering = ("-created_at", "-pk")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
