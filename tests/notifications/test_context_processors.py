from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory

from notifications.context_processors import unread_notifications
from tests.notifications.factories import NotificationFactory, ReadNotificationFactory


def request_for(user):
    request = RequestFactory().get("/")
    request.user = user
    return request


def test_the_unread_count_is_one_query(first_responder, django_assert_num_queries):
    NotificationFactory.create_batch(3, recipient=first_responder)
    ReadNotificationFactory(recipient=first_responder)
    NotificationFactory()  # someone else's
    request = request_for(first_responder)
    with django_assert_num_queries(1):
        assert unread_notifications(request) == {"unread_notification_count": 3}


def test_anonymous_users_have_no_count_and_cost_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert unread_notifications(request_for(AnonymousUser())) == {"unread_notification_count": 0}
