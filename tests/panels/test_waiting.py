"""What is waiting for a panel member or chair at the top of their reviews (panels.selectors.waiting_for_panel_user):
the cases waiting for their view (overdue marked) and, for a chair, the reviews ready to conclude, from the review
list's own counts (no query of its own)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from panels import selectors
from panels.models import PanelCase
from tests.panels.factories import PanelCaseFactory, ViewFactory, panel_with_members

pytestmark = pytest.mark.django_db


def waiting_of(user) -> dict:
    listing = selectors.review_list_for(user=user, tab=selectors.tab_named(None))
    return {item.key: (item.count, item.overdue, item.href) for item in selectors.waiting_for_panel_user(listing)}


def test_a_member_is_told_of_the_cases_waiting_for_their_view_with_the_overdue_ones(
    project_data, django_assert_max_num_queries
):
    panel, _, members = panel_with_members()
    PanelCaseFactory(panel=panel)
    PanelCaseFactory(panel=panel, due_date=timezone.localdate() - timedelta(days=1))
    viewed = PanelCaseFactory(panel=panel)
    ViewFactory(panel_case=viewed, membership=members[0])  # now the chair's, not theirs
    PanelCaseFactory()  # another panel's
    listing = selectors.review_list_for(user=members[0].user, tab=selectors.tab_named(None))
    with django_assert_max_num_queries(0):
        waiting = selectors.waiting_for_panel_user(listing)
    reviews = reverse("panels:reviews")
    assert [(item.key, item.count, item.overdue, item.href) for item in waiting] == [
        ("to-review", 2, 1, f"{reviews}?tab=to_review#reviews")
    ]
    assert waiting[0].text == "2 cases waiting for your review"


def test_a_chair_is_told_of_the_quorate_reviews_ready_to_conclude(project_data):
    panel, chair, members = panel_with_members()
    ready = PanelCaseFactory(panel=panel, due_date=timezone.localdate() - timedelta(days=2))
    PanelCase.objects.filter(pk=ready.pk).update(quorate=True)
    PanelCaseFactory(panel=panel)
    assert waiting_of(chair.user) == {
        "to-review": (1, 0, f"{reverse('panels:reviews')}?tab=to_review#reviews"),
        "to-conclude": (1, 1, f"{reverse('panels:reviews')}?tab=awaiting_chair#reviews"),
    }
    assert "to-conclude" not in waiting_of(members[0].user)  # a member never concludes


def test_the_reviews_page_starts_with_what_is_waiting(client, settings, project_data):
    settings.NRM_REQUIRE_STAFF_MFA = False
    panel, _, members = panel_with_members()
    PanelCaseFactory(panel=panel)
    client.force_login(members[0].user)
    page = client.get(reverse("panels:reviews")).text
    assert 'data-testid="waiting-to-review"' in page
    assert "1 case waiting for your review" in page
    assert page.index('data-testid="waiting"') < page.index('data-testid="tabs"')
