import factory
from django.utils import timezone

from notifications.models import Notification
from tests.factories import UserFactory


class NotificationFactory(factory.django.DjangoModelFactory):
    """A notification written straight to the table: no email is queued (services.notify queues one)."""

    class Meta:
        model = Notification

    recipient = factory.SubFactory(UserFactory)
    kind = Notification.Kind.DECISION_SERVED
    reference = factory.Sequence(lambda n: f"NRM-2026-{n + 100000:06d}")


class SentNotificationFactory(NotificationFactory):
    email_state = Notification.EmailState.SENT
    email_sent_at = factory.LazyFunction(timezone.now)


class ReadNotificationFactory(SentNotificationFactory):
    read_at = factory.LazyFunction(timezone.now)
