def unread_notifications(request):
    return {"unread_notification_count": 0}
