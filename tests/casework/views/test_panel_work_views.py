"""What the competent authority sees of independent panels, through the views: the panel's work on the case page
and in the queue's "Under review" tab, the manager's response to a recommendation to reconsider (and who may
give it), the panel's reasons and the authority's response shown to whoever makes the decision again, the
letter of a decision-making panel's decision, the notifications list's links for panel people, and support
ending after a served negative decision."""

import re
from datetime import timedelta
from html import unescape

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case, Decision, PanelResponse, Policy, ReviewRoute
from casework.services import decision_review_return
from notifications.models import Notification
from panels.models import PanelCase
from panels.services import panel_review_conclude, panel_view_record
from tests.casework.test_responder import supported_case_in_state
from tests.casework.views.helpers import answered_case, error_summary, messages_of, staff
from tests.factories import SupportProviderFactory, UserFactory
from tests.panels.factories import panel_with_members

pytestmark = pytest.mark.django_db

PANEL_NAME = "Northern assurance panel"
PANEL_REASONS = "The account of the farm work is consistent and the decision gave too little weight to it."
MAINTAIN_REASONS = "The employment records contradict the account on every date that matters."
RECONSIDER_REASONS = "We accept the panel's view: look again at the account of the farm work."


@pytest.fixture
def panel(project_data):
    """An active assurance panel covering England (the only one): the negative CG decisions of these cases go to
    it when they are proposed."""
    panel, chair, members = panel_with_members(name=PANEL_NAME)
    return panel, chair, members


def under_review(caseworker, manager, *, seed=1, **kwargs) -> Case:
    case = answered_case(
        Case.Status.CG_NEGATIVE_REVIEW, caseworker=caseworker, manager=manager, opened_days_ago=40, seed=seed, **kwargs
    )
    return case


def panel_case_of(case) -> PanelCase:
    return PanelCase.objects.filter(case=case).latest("pk")


def recommend_reconsideration(case, panel) -> PanelCase:
    """The panel's members record their views and the chair concludes: reconsider (the real services)."""
    _, chair, members = panel
    panel_case = panel_case_of(case)
    for seat in members:
        panel_view_record(
            panel_case_id=panel_case.pk, actor=seat.user, opinion="recommend_reconsideration", reasons=PANEL_REASONS
        )
    return panel_review_conclude(
        panel_case_id=panel_case.pk, actor=chair.user, recommendation="recommend_reconsideration", reasons=PANEL_REASONS
    )


def recommended(caseworker, manager, panel, **kwargs) -> Case:
    case = under_review(caseworker, manager, **kwargs)
    recommend_reconsideration(case, panel)
    case.refresh_from_db()
    return case


def respond_url(case) -> str:
    return reverse("casework:respond_to_panel", args=[case.reference])


def response_data(case, response="", reasons="") -> dict:
    return {"version": case.version, "response": response, "reasons": reasons}


def text(response) -> str:
    """The page's HTML with entities read back and white space collapsed."""
    return " ".join(unescape(response.content.decode()).split())


# The case page ------------------------------------------------------------------------------------------------


def test_the_case_page_names_the_panel_reviewing_the_decision_with_its_due_date_and_status(
    client, caseworker, manager, panel
):
    case = under_review(caseworker, manager)
    panel_case = panel_case_of(case)
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    (work,) = response.context["page"].panel_work
    assert work.panel_name == PANEL_NAME
    assert work.is_open
    page = text(response)
    assert 'id="independent-panel"' in page
    assert "Review of the negative conclusive grounds decision" in page
    assert f"{panel_case.due_date:%-d %B %Y}" in page
    assert "With the panel" in page
    assert f"An independent panel, {PANEL_NAME}, is reviewing this decision." in page
    assert 'data-testid="panel-overdue"' not in page


def test_an_overdue_review_is_tagged_overdue_on_the_case_page(client, caseworker, manager, panel):
    case = under_review(caseworker, manager)
    PanelCase.objects.filter(case=case).update(due_date=timezone.localdate() - timedelta(days=2))
    client.force_login(caseworker)
    page = text(client.get(case.get_absolute_url()))
    assert 'data-testid="panel-overdue">Overdue' in page


def test_a_case_never_sent_to_a_panel_has_no_panel_section(client, caseworker, manager, case):
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    assert response.context["page"].panel_work == ()
    assert 'id="independent-panel"' not in response.content.decode()


def test_the_panels_recommendation_and_reasons_show_once_it_concludes_and_a_manager_is_offered_the_response(
    client, caseworker, manager, panel
):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    response = client.get(case.get_absolute_url())
    page = text(response)
    (work,) = response.context["page"].panel_work
    assert work.recommendation_label == "Recommend reconsideration"
    assert 'data-testid="panel-recommendation">Recommend reconsideration' in page
    assert PANEL_REASONS in page
    assert "Panel recommends reconsideration" in page  # the decision card's state
    assert f"The independent panel ({PANEL_NAME}) recommends reconsidering this decision." in page
    assert f'href="{respond_url(case)}"' in page
    actions = {action.name: action for action in response.context["page"].actions}
    assert actions["respond_to_panel"].label == "Respond to the panel's recommendation"
    assert actions["respond_to_panel"].url == respond_url(case)


def test_a_caseworker_sees_the_recommendation_but_is_offered_no_response(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(caseworker)
    response = client.get(case.get_absolute_url())
    page = response.content.decode()
    assert "Panel recommends reconsideration" in page
    assert respond_url(case) not in page
    assert "respond_to_panel" not in {action.name for action in response.context["page"].actions}


def page_queries(client, case) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(case.get_absolute_url()).status_code == 200
    return len(queries)


def test_the_case_page_reads_all_of_a_cases_panel_work_in_one_query(client, caseworker, manager, panel):
    one = under_review(caseworker, manager, seed=2)
    many = under_review(caseworker, manager, seed=3)
    for days in (30, 20):  # earlier reviews, concluded, of the same case
        PanelCase.objects.create(
            panel=panel[0],
            case=many,
            kind=PanelCase.Kind.REVIEW,
            stage="cg",
            due_date=timezone.localdate() - timedelta(days=days),
            state=PanelCase.State.CONCLUDED,
            recommendation=PanelCase.Recommendation.AGREE,
            reasons="Agreed.",
            concluded_at=timezone.now() - timedelta(days=days),
        )
    client.force_login(caseworker)
    page_queries(client, one)  # warm caches (content types, policy)
    assert page_queries(client, one) == page_queries(client, many)
    response = client.get(many.get_absolute_url())
    assert len(response.context["page"].panel_work) == 3


# The manager's response ---------------------------------------------------------------------------------------


def test_the_response_page_shows_the_decision_and_the_panels_recommendation_and_reasons(
    client, caseworker, manager, panel
):
    case = recommended(caseworker, manager, panel)
    decision = case.decisions.get(state=Decision.State.RECONSIDERATION_RECOMMENDED)
    client.force_login(manager)
    response = client.get(respond_url(case))
    assert response.status_code == 200
    page = text(response)
    assert "Respond to the panel's recommendation" in page
    assert PANEL_NAME in page
    assert PANEL_REASONS in page
    assert decision.reasons[:40] in page
    assert "Reconsider the decision" in page
    assert "Maintain the decision and serve it" in page
    assert f'name="version" value="{case.version}"' in page
    assert response.context["decision"].pk == decision.pk


def test_maintaining_needs_reasons_and_keeps_what_was_chosen(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    response = client.post(respond_url(case), response_data(case, PanelResponse.MAINTAIN))
    assert response.status_code == 200
    assert error_summary(response) == ["Enter why the authority maintains the decision"]
    (maintain,) = re.findall(r'<input[^>]*value="maintain"[^>]*>', response.content.decode())
    assert "checked" in maintain
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW


def test_a_response_must_be_chosen(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    response = client.post(respond_url(case), response_data(case, reasons="Some reasons"))
    assert error_summary(response) == ["Select whether the authority reconsiders or maintains the decision"]
    assert "Some reasons" in response.content.decode()


def test_reconsidering_returns_the_decision_and_its_maker_sees_the_panels_reasons_and_the_response(
    client, caseworker, manager, panel
):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    response = client.post(respond_url(case), response_data(case, PanelResponse.RECONSIDER, RECONSIDER_REASONS))
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    (banner,) = messages_of(client.get(response.url))
    assert banner.startswith("Negative conclusive grounds decision will be made again")
    case.refresh_from_db()
    assert case.status == Case.Status.AWAITING_CG
    decision = case.decisions.get(stage="cg")
    assert decision.state == Decision.State.RETURNED
    assert decision.authority_response == PanelResponse.RECONSIDER
    assert decision.authority_responded_by == manager

    client.force_login(caseworker)
    page = text(client.get(reverse("casework:cg_decision", args=[case.reference])))
    assert 'data-testid="returned-decision"' in page
    assert f"{PANEL_NAME} recommended reconsidering the earlier negative conclusive grounds decision" in page
    assert "the authority decided to reconsider it" in page
    assert PANEL_REASONS in page
    assert RECONSIDER_REASONS in page
    assert "Reconsider the decision" in page
    assert "Morgan Manager" in page

    response = client.get(case.get_absolute_url())
    card = text(response)
    assert PANEL_REASONS in card
    assert RECONSIDER_REASONS in card
    assert "Authority's response" in card
    timeline = {entry.kind: entry for entry in response.context["page"].timeline}
    assert timeline["reconsideration_recommended"].lines == (f"Panel's reasons: {PANEL_REASONS}",)
    assert timeline["panel_recommendation_answered"].lines == (
        "Response: Reconsider the decision",
        f"Authority's reasons: {RECONSIDER_REASONS}",
    )


def test_maintaining_serves_the_decision_with_the_authoritys_reasons(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    response = client.post(respond_url(case), response_data(case, PanelResponse.MAINTAIN, MAINTAIN_REASONS))
    assert response.status_code == 302
    assert messages_of(client.get(response.url))[0] == (
        "Negative conclusive grounds decision maintained and served: the letter is being prepared"
    )
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_SERVED
    decision = case.decisions.get(stage="cg")
    assert decision.state == Decision.State.SERVED
    assert decision.authority_response_reasons == MAINTAIN_REASONS
    page = text(client.get(case.get_absolute_url()))
    assert MAINTAIN_REASONS in page
    assert "Maintain the decision and serve it" in page


def test_a_caseworker_is_told_why_they_cannot_respond(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(caseworker)
    response = client.get(respond_url(case))
    assert response.status_code == 302
    assert response.url == case.get_absolute_url()
    (message,) = messages_of(client.get(response.url))
    assert message.startswith("You cannot respond to the panel's recommendation now:")
    response = client.post(respond_url(case), response_data(case, PanelResponse.MAINTAIN, MAINTAIN_REASONS))
    assert response.status_code == 200
    (refusal,) = error_summary(response)
    assert "manager" in refusal.lower()
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW


@pytest.mark.parametrize("method", ["get", "post"])
def test_another_authoritys_manager_gets_404(client, caseworker, manager, panel, ieca, method):
    case = recommended(caseworker, manager, panel)
    client.force_login(staff(ieca, Role.MANAGER))
    response = getattr(client, method)(respond_url(case), response_data(case, PanelResponse.RECONSIDER, "x"))
    assert response.status_code == 404


@pytest.mark.parametrize("role", [Role.PANEL_CHAIR, Role.PANEL_MEMBER, Role.FIRST_RESPONDER, Role.SUPPORT_PROVIDER])
def test_the_response_page_is_not_found_for_other_roles(client, caseworker, manager, panel, role):
    case = recommended(caseworker, manager, panel)
    client.force_login(UserFactory(role=role))
    assert client.get(respond_url(case)).status_code == 404


def test_a_stale_response_says_so_and_saves_nothing(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    client.force_login(manager)
    stale = {**response_data(case, PanelResponse.MAINTAIN, MAINTAIN_REASONS), "version": case.version - 1}
    response = client.post(respond_url(case), stale)
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this case")
    assert MAINTAIN_REASONS in response.content.decode()
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_REVIEW


def test_the_response_page_sends_a_manager_back_when_no_recommendation_waits(client, caseworker, manager, panel):
    case = under_review(caseworker, manager)  # still with the panel
    client.force_login(manager)
    response = client.get(respond_url(case))
    assert response.status_code == 302
    (message,) = messages_of(client.get(response.url))
    assert message.startswith("You cannot respond to the panel's recommendation now:")
    response = client.post(respond_url(case), response_data(case, PanelResponse.RECONSIDER, RECONSIDER_REASONS))
    assert response.status_code == 200
    assert error_summary(response)
    assert PanelCase.objects.get(case=case).is_open


def test_the_cg_form_says_a_negative_decision_goes_to_a_panel(client, caseworker, manager, panel):
    case = answered_case(Case.Status.AWAITING_CG, caseworker=caseworker, manager=manager, opened_days_ago=40)
    client.force_login(caseworker)
    page = text(client.get(reverse("casework:cg_decision", args=[case.reference])))
    assert "A negative decision goes to an independent panel for review before it is served" in page
    assert 'data-testid="returned-decision"' not in page


def test_a_second_reviewers_return_is_still_shown_as_the_reviewers(client, caseworker, manager, project_data):
    Policy.objects.filter(nation="england").update(negative_cg_review_route=ReviewRoute.SECOND_REVIEWER)
    case = under_review(caseworker, manager)
    decision = case.decisions.get(state=Decision.State.UNDER_REVIEW)
    decision_review_return(decision_id=decision.pk, actor=manager, reasons="Look at the dates again.")
    client.force_login(caseworker)
    page = text(client.get(reverse("casework:cg_decision", args=[case.reference])))
    assert "was returned by the reviewer" in page
    assert "Reviewer's reasons" in page
    assert "Look at the dates again." in page


# The queue's "Under review" tab ------------------------------------------------------------------------------


def under_review_tab(client):
    return client.get(reverse("casework:queue"), {"tab": "under_review"})


def test_the_under_review_tab_shows_each_cases_panel_due_date_and_status(client, caseworker, manager, panel):
    case = under_review(caseworker, manager)
    panel_case = panel_case_of(case)
    client.force_login(manager)
    response = under_review_tab(client)
    (row,) = response.context["listing"].rows
    assert row.panel_review.panel_name == PANEL_NAME
    page = text(response)
    assert "Reviewed by" in page
    assert PANEL_NAME in page
    assert f'Due <time datetime="{panel_case.due_date:%Y-%m-%d}">{panel_case.due_date:%-d %b %Y}</time>' in page
    assert "With the panel" in page


def test_a_case_with_a_second_reviewer_says_so_in_the_under_review_tab(client, caseworker, manager, project_data):
    Policy.objects.filter(nation="england").update(negative_cg_review_route=ReviewRoute.SECOND_REVIEWER)
    under_review(caseworker, manager)
    client.force_login(manager)
    response = under_review_tab(client)
    (row,) = response.context["listing"].rows
    assert row.panel_review is None
    assert 'data-testid="review">' in response.content.decode()
    assert "Second reviewer" in text(response)


def test_a_recommendation_waiting_for_the_manager_says_so_in_the_under_review_tab(client, caseworker, manager, panel):
    recommended(caseworker, manager, panel)
    client.force_login(manager)
    assert ": recommend reconsideration</span>" in text(under_review_tab(client))


def test_the_under_review_tab_marks_an_overdue_review(client, caseworker, manager, panel):
    case = under_review(caseworker, manager)
    PanelCase.objects.filter(case=case).update(due_date=timezone.localdate() - timedelta(days=1))
    client.force_login(manager)
    assert 'data-testid="review-overdue">Overdue' in text(under_review_tab(client))


def tab_queries(client) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert under_review_tab(client).status_code == 200
    return len(queries)


def test_the_under_review_tab_reads_the_panel_work_of_its_page_in_one_query(client, caseworker, manager, panel):
    under_review(caseworker, manager, seed=2)
    client.force_login(manager)
    under_review_tab(client)  # warm caches
    one = tab_queries(client)
    for seed in (3, 4, 5, 6):
        under_review(caseworker, manager, seed=seed)
    assert len(under_review_tab(client).context["listing"].rows) == 5
    assert tab_queries(client) == one


def test_other_tabs_do_not_read_panel_work(client, caseworker, manager, panel):
    under_review(caseworker, manager)
    client.force_login(manager)
    with CaptureQueriesContext(connection) as queries:
        client.get(reverse("casework:queue"), {"tab": "overdue"})
    assert not any("panels_panelcase" in query["sql"] for query in queries)


# Notifications for panel people -------------------------------------------------------------------------------


def notification_links(client) -> str:
    return client.get(reverse("notifications:list")).content.decode()


def test_a_panel_persons_notifications_open_the_panels_pages(client, caseworker, manager, panel):
    case = under_review(caseworker, manager)
    _, chair, _ = panel
    Notification.objects.create(recipient=chair.user, kind=Notification.Kind.PANEL_MEETING_SCHEDULED)
    assert Notification.objects.filter(recipient=chair.user, kind=Notification.Kind.PANEL_CASE_ROUTED).exists()
    client.force_login(chair.user)
    page = notification_links(client)
    assert f'href="{reverse("panels:open", args=[case.reference])}"' in page
    assert f'href="{reverse("panels:meetings")}"' in page
    assert reverse("casework:open", args=[case.reference]) not in page


def test_a_managers_panel_recommendation_notification_opens_the_case(client, caseworker, manager, panel):
    case = recommended(caseworker, manager, panel)
    assert Notification.objects.filter(recipient=manager, kind=Notification.Kind.PANEL_RECOMMENDATION).exists()
    client.force_login(manager)
    page = notification_links(client)
    assert f'href="{reverse("casework:open", args=[case.reference])}"' in page
    assert "An independent panel recommends reconsidering a decision on" in page


# Support after a served negative decision --------------------------------------------------------------------


def test_a_person_leaves_being_supported_when_support_ends_after_a_maintained_negative_decision(
    client, caseworker, manager, panel
):
    provider = SupportProviderFactory(nation="england")
    case = supported_case_in_state(
        Case.Status.CG_NEGATIVE_REVIEW,
        provider=provider,
        caseworker=caseworker,
        manager=manager,
        authority=caseworker.organisation,
        opened_days_ago=40,
    )
    recommend_reconsideration(case, panel)
    case.refresh_from_db()
    client.force_login(manager)
    client.post(respond_url(case), response_data(case, PanelResponse.MAINTAIN, MAINTAIN_REASONS))
    case.refresh_from_db()
    assert case.status == Case.Status.CG_NEGATIVE_SERVED
    ends = timezone.localtime(case.support_ends_at).date()
    assert 9 <= (ends - timezone.localdate()).days <= 15  # 9 working days

    provider_staff = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)
    client.force_login(provider_staff)
    listing = client.get(reverse("casework:supported"))
    assert [row.reference for row in listing.context["rows"]] == [case.reference]
    assert f"{ends:%-d %b %Y}" in text(listing)
    person = text(client.get(reverse("casework:supported_case", args=[case.reference])))
    assert f"{ends:%-d %B %Y}" in person or f"{ends:%-d %b %Y}" in person

    client.force_login(caseworker)
    deadlines = {d.label: d for d in client.get(case.get_absolute_url()).context["page"].deadlines}
    assert deadlines["Support ends"].running

    with time_machine.travel(case.support_ends_at + timedelta(hours=1)):
        client.force_login(provider_staff)
        assert client.get(reverse("casework:supported")).context["rows"] == []
        ended = client.get(reverse("casework:supported"), {"show": "ended"})
        assert [row.reference for row in ended.context["rows"]] == [case.reference]
        assert "Ended" in text(ended)
