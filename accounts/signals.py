"""Accounts sits below notifications in design.md's layer map, so its services never import notify(): they call
`tell`, and the notifications app (connected in notifications/apps.py) writes the notification row at once, in
the caller's transaction, its email queued after commit as for every other notification."""

from django.dispatch import Signal

# Sent with recipient (a User), kind (the value of a notifications.models.Notification.Kind) and subject (the
# row the notification is about).
someone_to_tell = Signal()


def tell(*, recipient, kind: str, subject) -> None:
    someone_to_tell.send(sender=None, recipient=recipient, kind=kind, subject=subject)
