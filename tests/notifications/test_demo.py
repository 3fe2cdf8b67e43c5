from notifications import demo
from notifications.models import Notification
from tests.factories import UserFactory


def test_seed_gives_each_user_unread_notifications_once_and_sends_nothing(db, mailoutbox):
    users = [UserFactory(role="first_responder"), UserFactory(role="caseworker")]
    assert demo.seed(users) == 4
    assert demo.seed(users) == 0
    assert Notification.objects.filter(read_at__isnull=True).count() == 4
    assert not Notification.objects.exclude(email_state=Notification.EmailState.SENT).exists()
    assert Notification.objects.filter(recipient=users[1], kind=Notification.Kind.CASE_ASSIGNED).exists()
    assert mailoutbox == []
