"""A caseworker's own double post (a double-clicked "Confirm and serve", an assignment posted twice) is told
"You have already …" on the page of what they did, never "Someone else changed this case"; nothing is done
twice. Someone else's change in between still gets the stale message (casework.lifecycle.double_posts)."""

import pytest
from django.test import Client
from django.urls import reverse

from casework.errors import AlreadyDone, StaleCase
from casework.models import Case, CaseEvent, Decision
from casework.services import decision_review_agree
from notifications.models import Notification
from tests.casework.views.helpers import answered_case, error_summary, messages_of, staff
from tests.casework.views.test_case_views_decisions import cg_url, decision_data, rg_url

pytestmark = pytest.mark.django_db


def twice(client, url, data):
    """The same form posted twice, as a double click sends it: both carry the version the page was opened at. The
    browser follows the second answer only, so the page it shows has the banners of both."""
    first = client.post(url, data)
    second = client.post(url, data, follow=True)
    return first, second


def test_a_double_clicked_reasonable_grounds_decision_is_served_once_and_the_second_click_says_so(
    client, caseworker, case
):
    client.force_login(caseworker)
    first, second = twice(client, rg_url(case), decision_data(case))

    assert first.status_code == 302
    assert second.redirect_chain == [(case.get_absolute_url(), 302)]
    assert messages_of(second)[-1] == f"You have already made the reasonable grounds decision on {case.reference}"
    assert "Someone else changed" not in second.content.decode()
    assert Decision.objects.filter(case=case).count() == 1
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    assert case.events.filter(kind=CaseEvent.Kind.DECISION_SERVED).count() == 1


def test_a_double_clicked_conclusive_grounds_decision_is_served_once_and_the_second_click_says_so(
    client, caseworker, manager
):
    case = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
    client.force_login(caseworker)
    first, second = twice(client, cg_url(case), decision_data(case))

    assert first.status_code == 302
    assert messages_of(second)[-1] == f"You have already made the conclusive grounds decision on {case.reference}"
    assert Decision.objects.filter(case=case, stage=Decision.Stage.CG).count() == 1
    assert Notification.objects.filter(kind=Notification.Kind.DECISION_SERVED, reference=case.reference).exists()


def test_an_assignment_posted_twice_is_made_once_and_the_second_post_says_so(client, sca, case):
    Case.objects.filter(pk=case.pk).update(assignee=None)
    case.refresh_from_db()
    colleague = staff(sca, full_name="Cam Colleague")
    client.force_login(colleague)
    url = reverse("casework:assign", args=[case.reference])
    first, second = twice(client, url, {"version": case.version, "assignee": colleague.pk})

    assert first.status_code == 302
    assert messages_of(second) == [
        f"{case.reference} is assigned to you",  # the first post's banner
        f"You have already assigned {case.reference} to yourself",
    ]
    assert case.events.filter(kind=CaseEvent.Kind.ASSIGNED, actor=colleague).count() == 1


def test_a_managers_second_assignment_to_someone_else_is_not_taken_for_a_double_post(client, sca, manager, case):
    first_choice, second_choice = staff(sca), staff(sca)
    client.force_login(manager)
    url = reverse("casework:assign", args=[case.reference])
    client.post(url, {"version": case.version, "assignee": first_choice.pk})

    response = client.post(url, {"version": case.version, "assignee": second_choice.pk})

    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this case")
    case.refresh_from_db()
    assert case.assignee == first_choice


def test_someone_elses_decision_in_between_is_still_someone_else_changing_the_case(client, sca, caseworker, case):
    other_manager = staff(sca, "manager")
    first, second = Client(), Client()
    first.force_login(other_manager)
    second.force_login(caseworker)
    assert first.post(rg_url(case), decision_data(case)).status_code == 302

    response = second.post(rg_url(case), decision_data(case))

    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this case")


def test_a_second_reviewers_agreement_posted_twice_serves_the_decision_once(caseworker, manager):
    case = answered_case(Case.Status.RG_NEGATIVE_REVIEW, caseworker=caseworker, manager=manager)
    decision = case.decisions.get(state=Decision.State.UNDER_REVIEW)
    version = case.version
    decision_review_agree(decision_id=decision.pk, actor=manager, expected_version=version)

    with pytest.raises(AlreadyDone, match=f"^You have already reviewed the decision on {case.reference}$"):
        decision_review_agree(decision_id=decision.pk, actor=manager, expected_version=version)

    assert issubclass(AlreadyDone, StaleCase)  # nothing more is saved, as for any stale post
    assert case.events.filter(kind=CaseEvent.Kind.DECISION_SERVED).count() == 1
