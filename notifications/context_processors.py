from notifications.selectors import unread_count_for


def unread_notifications(request):
    """The header's count of unread notifications: one query for a signed-in user, none otherwise."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"unread_notification_count": 0}
    return {"unread_notification_count": unread_count_for(user=user)}
