from django.contrib import admin, messages

from common.admin import HistoryAdmin
from notifications.models import Notification
from notifications.services import notification_resend_email


@admin.register(Notification)
class NotificationAdmin(HistoryAdmin):
    """Read-only: services write notifications. Failed emails show here with their error and can be resent."""

    list_display = [
        "created_at",
        "kind",
        "reference",
        "recipient",
        "email_state",
        "email_attempts",
        "email_last_error",
        "email_sent_at",
        "read_at",
    ]
    list_filter = ["email_state", "kind"]
    list_select_related = ["recipient"]
    search_fields = ["reference", "recipient__email"]
    date_hierarchy = "created_at"
    ordering = ["-created_at", "-id"]
    actions = ["send_email_again"]
    fields = [
        "recipient",
        "kind",
        "reference",
        "content_type",
        "object_id",
        "created_at",
        "read_at",
        "email_state",
        "email_attempts",
        "email_last_error",
        "email_sent_at",
    ]
    readonly_fields = fields

    def has_add_permission(self, request):
        return False

    @admin.action(description="Send the email again", permissions=["change"])
    def send_email_again(self, request, queryset):
        failed = queryset.filter(email_state=Notification.EmailState.FAILED).values_list("pk", flat=True)
        resent = sum(notification_resend_email(notification_id=pk) for pk in failed)
        skipped = queryset.count() - resent
        if resent:
            self.message_user(request, f"{resent} email{'s' if resent != 1 else ''} queued to be sent again")
        if skipped:
            self.message_user(
                request,
                f"{skipped} notification{'s were' if skipped != 1 else ' was'} not resent: only failed emails are",
                messages.WARNING,
            )
