import re

import pytest
from django.urls import reverse

from notifications.models import Notification
from tests.factories import UserFactory
from tests.notifications.factories import NotificationFactory, ReadNotificationFactory

LIST_URL = reverse("notifications:list")


@pytest.fixture
def signed_in(client, first_responder):
    client.force_login(first_responder)
    return client


def rows(response):
    return response.content.decode().count('data-testid="notification"')


def test_the_list_needs_sign_in(client, db):
    response = client.get(LIST_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


def test_mark_read_needs_sign_in(client, db):
    notification = NotificationFactory()
    response = client.post(reverse("notifications:mark_read", args=[notification.pk]))
    assert response.status_code == 302
    assert Notification.objects.get(pk=notification.pk).is_unread


def test_the_list_shows_only_the_users_own_notifications_newest_first(signed_in, first_responder):
    older = NotificationFactory(recipient=first_responder, kind=Notification.Kind.CASE_ASSIGNED, reference="NRM-A")
    newer = ReadNotificationFactory(recipient=first_responder, reference="NRM-B")
    NotificationFactory(reference="NRM-SOMEONE-ELSE")
    Notification.objects.filter(pk=older.pk).update(created_at=newer.created_at.replace(year=2025))

    response = signed_in.get(LIST_URL)

    page = response.content.decode()
    assert response.status_code == 200
    assert rows(response) == 2
    assert page.index("A decision has been made on NRM-B") < page.index("Case NRM-A has been assigned to you")
    assert "NRM-SOMEONE-ELSE" not in page
    assert page.count('<strong class="govuk-tag govuk-tag--blue">Unread</strong>') == 1
    assert page.count(">Mark as read<") == 1
    assert "Mark all as read" in page
    assert "2025" in page


def test_an_empty_list_says_so(signed_in):
    response = signed_in.get(LIST_URL)
    assert "You have no notifications." in response.content.decode()
    assert "Mark all as read" not in response.content.decode()


def test_the_list_is_paginated_25_a_page(signed_in, first_responder):
    NotificationFactory.create_batch(30, recipient=first_responder)
    first = signed_in.get(LIST_URL)
    second = signed_in.get(LIST_URL, {"page": 2})
    assert rows(first) == 25
    assert rows(second) == 5
    assert 'class="govuk-pagination"' in first.content.decode()
    assert 'href="?page=2"' in first.content.decode()
    assert rows(signed_in.get(LIST_URL, {"page": "not-a-number"})) == 25


def test_the_list_makes_the_same_number_of_queries_however_many_notifications(
    signed_in, first_responder, django_assert_max_num_queries
):
    NotificationFactory.create_batch(2, recipient=first_responder)
    with django_assert_max_num_queries(100) as few:
        signed_in.get(LIST_URL)
    NotificationFactory.create_batch(40, recipient=first_responder)
    with django_assert_max_num_queries(len(few.captured_queries)):
        signed_in.get(LIST_URL)


def test_the_list_refuses_post(signed_in):
    assert signed_in.post(LIST_URL).status_code == 405


def test_mark_read_refuses_get(signed_in, first_responder):
    notification = NotificationFactory(recipient=first_responder)
    assert signed_in.get(reverse("notifications:mark_read", args=[notification.pk])).status_code == 405
    assert signed_in.get(reverse("notifications:mark_all_read")).status_code == 405


def test_mark_read_marks_it_and_returns_to_the_same_page(signed_in, first_responder):
    notification = NotificationFactory(recipient=first_responder)
    response = signed_in.post(reverse("notifications:mark_read", args=[notification.pk]), {"page": "2"})
    assert response.status_code == 302
    assert response["Location"] == f"{LIST_URL}?page=2"
    assert not Notification.objects.get(pk=notification.pk).is_unread


@pytest.mark.parametrize("page", ["", "1", "-1", "2x", "²", "https://evil.example/"])
def test_mark_read_returns_to_the_list_whatever_page_is_posted(signed_in, first_responder, page):
    notification = NotificationFactory(recipient=first_responder)
    response = signed_in.post(reverse("notifications:mark_read", args=[notification.pk]), {"page": page})
    assert response["Location"] == LIST_URL


def test_another_users_notification_is_not_found(signed_in):
    someone_elses = NotificationFactory()
    response = signed_in.post(reverse("notifications:mark_read", args=[someone_elses.pk]))
    assert response.status_code == 404
    assert Notification.objects.get(pk=someone_elses.pk).is_unread


def test_mark_all_read(signed_in, first_responder):
    NotificationFactory.create_batch(3, recipient=first_responder)
    someone_elses = NotificationFactory()

    response = signed_in.post(reverse("notifications:mark_all_read"), follow=True)

    assert response.redirect_chain == [(LIST_URL, 302)]
    page = response.content.decode()
    assert "All your notifications are marked as read" in page
    assert "Unread</strong>" not in page
    assert not Notification.objects.filter(recipient=first_responder, read_at__isnull=True).exists()
    assert Notification.objects.get(pk=someone_elses.pk).is_unread


def test_posts_without_a_csrf_token_are_refused(first_responder):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(first_responder)
    notification = NotificationFactory(recipient=first_responder)
    assert client.post(reverse("notifications:mark_read", args=[notification.pk])).status_code == 403
    assert client.post(reverse("notifications:mark_all_read")).status_code == 403
    assert Notification.objects.get(pk=notification.pk).is_unread


def test_the_header_shows_the_unread_count(signed_in, first_responder):
    NotificationFactory.create_batch(3, recipient=first_responder)
    ReadNotificationFactory(recipient=first_responder)
    page = signed_in.get(LIST_URL).content.decode()
    count = re.search(r'data-testid="unread-count">(\d+)<', page)
    assert count is not None
    assert count.group(1) == "3"


def test_another_role_sees_its_own_notifications(client, db, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    caseworker = UserFactory(role="caseworker")
    NotificationFactory(recipient=caseworker, kind=Notification.Kind.CASE_ASSIGNED, reference="NRM-2026-000321")
    client.force_login(caseworker)
    response = client.get(LIST_URL)
    assert "Case NRM-2026-000321 has been assigned to you" in response.content.decode()
