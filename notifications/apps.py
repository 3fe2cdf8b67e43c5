from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "notifications"

    def ready(self):
        # accounts is below notifications: its services tell through a signal, written here as a notification.
        from accounts.signals import someone_to_tell
        from notifications.services import notify_someone_told

        someone_to_tell.connect(notify_someone_told, dispatch_uid="notifications.someone_to_tell")
