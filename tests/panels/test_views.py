"""The panel people's pages: who may open them (404 for everyone else), the reviews in tabs, the review page and
its access log, a member's view and conflict of interest, the chair's conclusion and decision, meetings."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.core.files.base import ContentFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import AccessLogEntry, Case, Decision
from panels.models import Agency, ConflictOfInterest, Meeting, Membership, Panel, PanelCase, View
from panels.quorum import quorum_for
from panels.services import panel_conflict_declare, panel_review_conclude, panel_view_record
from referrals.models import EvidenceFile
from tests.casework.factories import AwaitingRgCaseFactory
from tests.factories import UserFactory
from tests.panels.factories import (
    ChairFactory,
    MeetingFactory,
    PanelCaseFactory,
    PanelFactory,
    SafeguardingLeadFactory,
    panel_with_members,
    reviewed_panel_case,
)

pytestmark = pytest.mark.django_db

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
REASONS = "The decision follows the guidance and the evidence recorded supports it."


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def seats(project_data):
    """The assurance panel covering England: (panel, chair, [two members])."""
    return panel_with_members(name="Assurance panel for England")


@pytest.fixture
def other_seats(project_data):
    """Another panel (Wales: nothing of England's is routed to it), with its own chair and member."""
    return panel_with_members(members=1, name="Assurance panel for Wales", nation=Nation.WALES)


@pytest.fixture
def review(seats, caseworker, manager):
    """A negative CG decision under review, routed to the England panel by casework's proposal."""
    return reviewed_panel_case(seats[0], caseworker=caseworker, manager=manager)


def error_summary(response) -> list[str]:
    html = response.content.decode()
    match = re.search(r'<ul class="govuk-list govuk-error-summary__list">(.*?)</ul>', html, re.S)
    if not match:
        return []
    return [unescape(re.sub(r"<[^>]+>", "", item)).strip() for item in re.findall(r"<li>(.*?)</li>", match[1], re.S)]


def text_of(response) -> str:
    return unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", response.content.decode())))


def url(name: str, *args) -> str:
    return reverse(f"panels:{name}", args=args)


def case_urls(panel_case: PanelCase) -> list[str]:
    names = ["case", "record_view", "declare_conflict", "conclude", "decide"]
    return [url(name, panel_case.pk) for name in names] + [
        url("evidence", panel_case.pk, 1),
        url("case_file", panel_case.pk, 1),
    ]


def meeting_urls(meeting: Meeting) -> list[str]:
    return [url(name, meeting.pk) for name in ("meeting", "meeting_agenda", "meeting_attendance")]


def record_views(panel_case: PanelCase, memberships, opinion=PanelCase.Recommendation.AGREE) -> None:
    for membership in memberships:
        panel_view_record(panel_case_id=panel_case.pk, actor=membership.user, opinion=opinion, reasons=REASONS)


# Scope -----------------------------------------------------------------------------------------------------------


def test_a_member_of_another_panel_gets_404_on_the_review_and_its_pages(client, review, other_seats):
    meeting = MeetingFactory(panel=review.panel)
    _, other_chair, other_members = other_seats
    for user in (other_chair.user, other_members[0].user):
        client.force_login(user)
        for address in case_urls(review) + meeting_urls(meeting):
            assert client.get(address).status_code == 404, address
        assert client.post(url("record_view", review.pk), {"opinion": "agree", "reasons": "x"}).status_code == 404
        assert client.post(url("conclude", review.pk), {"recommendation": "agree"}).status_code == 404
        assert client.get(url("open", review.case.reference)).status_code == 404
        assert client.get(url("meeting_new") + f"?panel={review.panel_id}").status_code == 404


@pytest.mark.parametrize("role", [Role.CASEWORKER, Role.MANAGER, Role.FIRST_RESPONDER, Role.SUPPORT_PROVIDER])
def test_other_roles_get_404_on_every_panel_page(client, review, role):
    meeting = MeetingFactory(panel=review.panel)
    client.force_login(UserFactory(role=role))
    addresses = [url("reviews"), url("meetings"), url("meeting_new"), url("open", review.case.reference)]
    for address in addresses + case_urls(review) + meeting_urls(meeting):
        assert client.get(address).status_code == 404, address


def test_the_decision_maker_never_reaches_the_panel_pages(client, review):
    client.force_login(review.decision.decided_by)
    assert client.get(url("case", review.pk)).status_code == 404


def test_signed_out_people_are_asked_to_sign_in(client, review):
    response = client.get(url("case", review.pk))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_a_panel_person_without_an_active_seat_sees_no_reviews(client, review, seats):
    _, _, members = seats
    Membership.objects.filter(pk=members[0].pk).update(term_end=timezone.localdate() - timedelta(days=1))
    client.force_login(members[0].user)
    assert client.get(url("case", review.pk)).status_code == 404
    response = client.get(url("reviews"))
    assert response.status_code == 200
    assert review.case.reference not in response.content.decode()


# The reviews in tabs ---------------------------------------------------------------------------------------------


def references(response) -> list[str]:
    return [row.reference for row in response.context["rows"]]


def test_a_members_review_moves_from_to_review_to_awaiting_chair_when_they_record_their_view(client, seats):
    panel, _, members = seats
    mine, other = PanelCaseFactory(panel=panel), PanelCaseFactory(panel=panel)
    elsewhere = PanelCaseFactory()  # another panel's
    client.force_login(members[0].user)
    response = client.get(url("reviews"))
    assert sorted(references(response)) == sorted([mine.case.reference, other.case.reference])
    assert elsewhere.case.reference not in response.content.decode()
    View.objects.create(panel_case=mine, membership=members[0], opinion="agree", reasons=REASONS)
    assert references(client.get(url("reviews"))) == [other.case.reference]
    response = client.get(url("reviews") + "?tab=awaiting_chair")
    assert references(response) == [mine.case.reference]
    assert [row.status_label for row in response.context["rows"]] == ["Your view is recorded"]
    assert {tab["tab"].slug: tab["count"] for tab in response.context["tabs"]} == {
        "to_review": 1,
        "awaiting_chair": 1,
        "concluded": 0,
    }


def test_an_excluded_member_finds_the_case_awaiting_the_chair(client, seats):
    panel, _, members = seats
    declared = PanelCaseFactory(panel=panel)
    ConflictOfInterest.objects.create(panel_case=declared, membership=members[0], ground="declared", details="x")
    referred = PanelCaseFactory(panel=panel)
    Membership.objects.filter(pk=members[0].pk).update(home_organisation=referred.case.referral.organisation)
    client.force_login(members[0].user)
    assert references(client.get(url("reviews"))) == []
    response = client.get(url("reviews") + "?tab=awaiting_chair")
    assert sorted(references(response)) == sorted([declared.case.reference, referred.case.reference])
    assert {row.status_label for row in response.context["rows"]} == {"You are excluded"}


def test_a_chairs_review_awaits_them_once_the_panel_is_quorate(client, seats, review):
    _, chair, members = seats
    client.force_login(chair.user)
    response = client.get(url("reviews"))
    assert references(response) == [review.case.reference]
    assert response.context["rows"][0].status_label == "Not quorate yet"
    record_views(review, members)
    assert references(client.get(url("reviews"))) == []
    response = client.get(url("reviews") + "?tab=awaiting_chair")
    assert references(response) == [review.case.reference]
    assert response.context["rows"][0].status_label == "Ready to conclude"


def test_concluded_and_withdrawn_cases_are_in_the_concluded_tab(client, seats):
    panel, _, members = seats
    concluded = PanelCaseFactory(panel=panel, state="concluded", recommendation="agree", concluded_at=timezone.now())
    withdrawn = PanelCaseFactory(panel=panel, state="withdrawn")
    PanelCaseFactory(panel=panel)
    client.force_login(members[0].user)
    response = client.get(url("reviews") + "?tab=concluded")
    rows = {row.reference: row.status_label for row in response.context["rows"]}
    assert rows == {concluded.case.reference: "Agree with the decision", withdrawn.case.reference: "Withdrawn"}


def test_the_list_links_each_case_and_marks_overdue_reviews(client, seats):
    panel, _, members = seats
    late = PanelCaseFactory(panel=panel, due_date=timezone.localdate() - timedelta(days=2))
    PanelCaseFactory(panel=panel)
    client.force_login(members[0].user)
    response = client.get(url("reviews"))
    html = response.content.decode()
    assert [row.is_overdue for row in response.context["rows"]] == [True, False]
    assert html.count('data-testid="overdue"') == 1
    assert f'href="{url("case", late.pk)}"' in html
    assert 'class="govuk-tabs' in html
    assert 'href="?tab=awaiting_chair#reviews"' in html
    assert f'href="{url("meetings")}"' in html


def test_a_chair_is_linked_to_the_dashboard_and_a_member_is_not(client, seats):
    dashboard = reverse("panels:dashboard")
    _, chair, members = seats
    client.force_login(chair.user)
    assert f'href="{dashboard}"' in client.get(url("reviews")).content.decode()
    client.force_login(members[0].user)
    assert f'<a class="govuk-link" href="{dashboard}">' not in client.get(url("reviews")).content.decode()


@pytest.mark.parametrize("seat", ["chair", "member"])
def test_the_review_list_costs_the_same_queries_for_3_and_30_cases(client, seats, seat):
    panel, chair, members = seats
    user = chair.user if seat == "chair" else members[0].user
    client.force_login(user)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(url("reviews"))
        assert response.status_code == 200
        return len(captured)

    def add(count: int) -> None:
        for _ in range(count):
            panel_case = PanelCaseFactory(panel=panel)
            View.objects.create(panel_case=panel_case, membership=members[1], opinion="agree", reasons=REASONS)

    add(3)
    queries()  # the first page of a session reads and writes the session once more
    few = queries()
    add(27)
    assert queries() == few


# The review page -------------------------------------------------------------------------------------------------


def test_the_review_page_shows_what_review_needs_and_the_decision_makers_role_not_their_name(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    response = client.get(url("case", review.pk))
    assert response.status_code == 200
    text = text_of(response)
    assert "Caseworker, Single Competent Authority" in text
    assert "Casey Worker" not in text  # the caseworker fixture's name: not in the decision, nor the timeline
    assert review.decision.reasons in text
    page = response.context["page"]
    assert page.summary  # the referral by section
    assert [entry.kind for entry in page.timeline][:2] == ["decision_proposed", "cg_decided"]
    assert "assigned" not in [entry.kind for entry in page.timeline]
    assert "Assurance panel for England" in text
    assert review.due_date.strftime("%-d %B %Y") in text
    assert "Not on a meeting's agenda" in text


def test_each_view_of_the_review_page_is_written_to_the_access_log(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    client.get(url("case", review.pk))
    client.get(url("case", review.pk))
    rows = AccessLogEntry.objects.filter(case=review.case, user=members[0].user)
    assert list(rows.values_list("what", flat=True)) == [AccessLogEntry.What.PANEL_REVIEW] * 2


def test_the_page_says_exactly_what_the_quorum_is_missing(client, seats, review):
    _, chair, members = seats
    record_views(review, members[:1])
    client.force_login(chair.user)
    response = client.get(url("case", review.pk))
    quorum = response.context["page"].quorum
    assert not quorum.met
    assert quorum.missing == quorum_for(review, chair=chair).missing
    assert "1 more person must take part (3 needed, the chair included; 2 so far)" in text_of(response)


def test_a_member_sees_their_own_view_and_the_others_only_after_conclusion(client, seats, review):
    _, chair, members = seats
    record_views(review, members)
    client.force_login(members[0].user)
    page = client.get(url("case", review.pk)).context["page"]
    assert [view.is_mine for view in page.views] == [True]
    assert page.others_hidden == 1
    client.force_login(chair.user)
    assert len(client.get(url("case", review.pk)).context["page"].views) == 2
    panel_review_conclude(panel_case_id=review.pk, actor=chair.user, recommendation="agree", reasons=REASONS)
    client.force_login(members[0].user)
    response = client.get(url("case", review.pk))
    assert len(response.context["page"].views) == 2
    text = text_of(response)
    assert "The panel's recommendation" in text
    assert "Agree with the decision" in text
    assert 'data-testid="actions"' not in response.content.decode()


def test_after_a_recommendation_to_reconsider_the_panel_sees_the_authoritys_response(client, seats, review, manager):
    from casework.services import decision_panel_respond

    _, chair, members = seats
    record_views(review, members, opinion="recommend_reconsideration")
    panel_review_conclude(
        panel_case_id=review.pk, actor=chair.user, recommendation="recommend_reconsideration", reasons=REASONS
    )
    client.force_login(members[0].user)
    assert "Waiting for a manager of the authority to respond" in text_of(client.get(url("case", review.pk)))
    decision_panel_respond(
        decision_id=review.decision_id, actor=manager, response="maintain", reasons="The evidence is clear enough."
    )
    text = text_of(client.get(url("case", review.pk)))
    assert "Maintain the decision and serve it" in text
    assert "The evidence is clear enough." in text
    assert "Morgan Manager" not in text


def test_a_member_from_the_referring_organisation_is_told_why_they_are_excluded(client, seats, review):
    _, _, members = seats
    Membership.objects.filter(pk=members[0].pk).update(home_organisation=review.case.referral.organisation)
    client.force_login(members[0].user)
    response = client.get(url("case", review.pk))
    assert "You come from the organisation that made this referral" in text_of(response)
    assert url("record_view", review.pk) not in response.content.decode()
    response = client.get(url("record_view", review.pk))
    assert "You come from the organisation that made this referral" in text_of(response)


def test_evidence_and_request_files_download_through_the_panel_with_the_access_log(client, seats, review, caseworker):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from casework.services import information_request_create

    _, _, members = seats
    evidence = EvidenceFile(
        draft=review.case.referral.draft, original_name="statement.pdf", content_type="application/pdf", size=10,
        description="Witness statement", uploaded_by=review.case.referral.submitted_by, scan_status="clean",
    )  # fmt: skip
    evidence.file.save("ignored", ContentFile(PDF_BYTES))
    client.force_login(members[0].user)
    html = client.get(url("case", review.pk)).content.decode()
    assert url("evidence", review.pk, evidence.pk) in html
    response = client.get(url("evidence", review.pk, evidence.pk))
    assert response.status_code == 200
    assert response["X-Content-Type-Options"] == "nosniff"
    assert AccessLogEntry.objects.filter(case=review.case, user=members[0].user, what="file").count() == 1
    other = PanelCaseFactory(panel=review.panel)
    assert client.get(url("evidence", other.pk, evidence.pk)).status_code == 404  # another case's file
    information_request_create(
        case_id=review.case_id, actor=caseworker, question="Who was present?",
        uploaded_files=[SimpleUploadedFile("question.pdf", PDF_BYTES)],
    )  # fmt: skip
    case_file = review.case.files.get()
    review.case.files.update(scan_status="clean")
    page = client.get(url("case", review.pk)).context["page"]
    assert page.information_requests[0].question == "Who was present?"
    assert page.information_requests[0].question_files[0].url == url("case_file", review.pk, case_file.pk)
    assert client.get(url("case_file", review.pk, case_file.pk)).status_code == 200
    assert client.get(url("case_file", other.pk, case_file.pk)).status_code == 404


def test_a_notifications_link_opens_the_users_panel_case(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    response = client.get(url("open", review.case.reference))
    assert response.status_code == 302
    assert response["Location"] == url("case", review.pk)
    assert client.get(url("open", "NRM-2026-999999")).status_code == 404


# A member's view and conflict of interest ------------------------------------------------------------------------


def test_a_member_records_and_then_changes_their_view(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    response = client.post(
        url("record_view", review.pk), {"version": "0", "opinion": "agree", "reasons": "It follows the guidance."}
    )
    assert response.status_code == 302
    assert response["Location"] == url("case", review.pk)
    view = View.objects.get(panel_case=review, membership=members[0])
    assert (view.opinion, view.reasons, view.version) == ("agree", "It follows the guidance.", 1)
    response = client.get(url("record_view", review.pk))
    assert response.context["form"].initial == {"opinion": "agree", "reasons": "It follows the guidance."}
    assert 'name="version" value="1"' in response.content.decode()
    response = client.post(
        url("record_view", review.pk),
        {"version": "1", "opinion": "recommend_reconsideration", "reasons": "The account was not weighed."},
    )
    assert response.status_code == 302
    view.refresh_from_db()
    assert (view.opinion, view.version) == ("recommend_reconsideration", 2)


def test_a_members_own_second_post_of_a_view_is_told_it_is_already_recorded_with_what_was_typed_kept(
    client, seats, review
):
    _, _, members = seats
    client.force_login(members[0].user)
    client.post(url("record_view", review.pk), {"version": "0", "opinion": "agree", "reasons": "First."})
    response = client.post(
        url("record_view", review.pk), {"version": "0", "opinion": "recommend_reconsideration", "reasons": "Second."}
    )
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("You have already recorded your view on ")
    assert "Second." in response.content.decode()
    assert View.objects.get(panel_case=review, membership=members[0]).reasons == "First."


def test_a_view_needs_an_opinion_and_reasons(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    response = client.post(url("record_view", review.pk), {"version": "0", "opinion": "", "reasons": ""})
    assert response.status_code == 200
    assert error_summary(response) == [
        "Select whether you agree with the decision or recommend reconsideration",
        "Enter your reasons",
    ]
    assert not View.objects.exists()


def test_a_decision_making_panels_view_is_positive_or_negative(client, project_data):
    panel, _, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    panel_case = PanelCase.objects.get(case=AwaitingRgCaseFactory(), panel=panel)
    client.force_login(members[0].user)
    response = client.get(url("record_view", panel_case.pk))
    assert [value for value, _ in response.context["form"].fields["opinion"].choices] == ["positive", "negative"]
    response = client.post(url("record_view", panel_case.pk), {"version": "0", "opinion": "agree", "reasons": "x"})
    assert error_summary(response) == ["Select whether the reasonable grounds decision should be positive or negative"]


def test_a_member_declares_a_conflict_of_interest_and_is_then_told_they_take_no_part(client, seats, review):
    _, _, members = seats
    client.force_login(members[0].user)
    response = client.post(url("declare_conflict", review.pk), {"version": "1", "details": ""})
    assert error_summary(response) == ["Enter what the conflict of interest is"]
    response = client.post(url("declare_conflict", review.pk), {"version": "1", "details": "I know the person."})
    assert response.status_code == 302
    conflict = ConflictOfInterest.objects.get(panel_case=review, membership=members[0])
    assert (conflict.ground, conflict.details) == ("declared", "I know the person.")
    response = client.get(url("case", review.pk))
    assert response.context["page"].exclusion.startswith("You declared a conflict of interest")
    response = client.post(url("record_view", review.pk), {"version": "0", "opinion": "agree", "reasons": "x"})
    assert error_summary(response) == ["You declared a conflict of interest on this case, so you take no part in it"]


# The chair's conclusion and decision -----------------------------------------------------------------------------


def test_the_chair_cannot_conclude_before_the_panel_is_quorate_and_is_told_what_is_missing(client, seats, review):
    _, chair, members = seats
    record_views(review, members[:1])
    client.force_login(chair.user)
    response = client.get(url("conclude", review.pk))
    assert "1 more person must take part" in text_of(response)
    response = client.post(url("conclude", review.pk), {"version": str(review.version), "recommendation": "agree",
                                                         "reasons": REASONS})  # fmt: skip
    assert response.status_code == 200
    expected = quorum_for(review, chair=chair).summary
    assert expected.startswith("The panel is not quorate: ")
    assert error_summary(response) == [expected]
    assert REASONS in response.content.decode()
    review.refresh_from_db()
    assert review.is_open


def test_the_chair_concludes_agree_and_the_decision_is_served(client, seats, review):
    _, chair, members = seats
    record_views(review, members)
    client.force_login(chair.user)
    response = client.post(
        url("conclude", review.pk),
        {"version": str(review.version), "recommendation": "agree", "reasons": REASONS},
    )
    assert response.status_code == 302, error_summary(response)
    review.refresh_from_db()
    assert (review.state, review.recommendation, review.concluded_by) == ("concluded", "agree", chair.user)
    assert set(review.participants.all()) == {chair, *members}
    decision = Decision.objects.get(pk=review.decision_id)
    assert decision.state == Decision.State.SERVED
    assert Case.objects.get(pk=review.case_id).status == Case.Status.CG_NEGATIVE_SERVED


def test_a_stale_conclusion_is_refused(client, seats, review):
    _, chair, members = seats
    record_views(review, members)
    client.force_login(chair.user)
    response = client.post(
        url("conclude", review.pk), {"version": str(review.version + 5), "recommendation": "agree", "reasons": REASONS}
    )
    assert response.status_code == 409
    assert error_summary(response)[0].startswith("Someone else changed this")


def test_a_member_is_told_only_the_chair_concludes(client, seats, review):
    _, _, members = seats
    record_views(review, members)
    client.force_login(members[0].user)
    response = client.get(url("conclude", review.pk))
    assert "Only the panel's chair can conclude the panel's review" in text_of(response)
    assert "<form" not in response.content.decode().split("main-content")[1]
    response = client.post(url("conclude", review.pk), {"version": "1", "recommendation": "agree", "reasons": "x"})
    assert error_summary(response) == ["Only the panel's chair can conclude the panel's review"]
    review.refresh_from_db()
    assert review.is_open


def test_the_chair_of_a_decision_making_panel_records_its_decision(client, project_data):
    panel, chair, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    case = AwaitingRgCaseFactory()
    panel_case = PanelCase.objects.get(case=case, panel=panel, kind=PanelCase.Kind.DECISION)
    record_views(panel_case, members, opinion="positive")
    client.force_login(chair.user)
    response = client.get(url("decide", panel_case.pk))
    assert response.status_code == 200
    assert url("conclude", panel_case.pk) not in response.content.decode()
    today = timezone.localdate()
    response = client.post(
        url("decide", panel_case.pk),
        {
            "version": str(panel_case.version), "outcome": "positive", "reasons": REASONS,
            "decision_date_0": today.day, "decision_date_1": today.month, "decision_date_2": today.year,
        },
    )  # fmt: skip
    assert response.status_code == 302, error_summary(response)
    panel_case.refresh_from_db()
    assert (panel_case.state, panel_case.recommendation) == ("concluded", "positive")
    decision = panel_case.decision
    assert (decision.outcome, decision.state, decision.decision_maker_name) == ("positive", "served", panel.name)
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY
    response = client.get(url("case", panel_case.pk))
    assert panel.name in response.context["page"].decision.decided_by_role


def decide_data(panel_case: PanelCase, **fields) -> dict:
    today = timezone.localdate()
    return {
        "version": str(panel_case.version), "outcome": "positive", "reasons": REASONS,
        "decision_date_0": today.day, "decision_date_1": today.month, "decision_date_2": today.year, **fields,
    }  # fmt: skip


def test_a_panels_negative_decision_needs_its_main_reason_which_is_stored_and_shown(client, project_data):
    panel, chair, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    case = AwaitingRgCaseFactory()
    panel_case = PanelCase.objects.get(case=case, panel=panel, kind=PanelCase.Kind.DECISION)
    record_views(panel_case, members, opinion="negative")
    client.force_login(chair.user)
    page = client.get(url("decide", panel_case.pk)).content.decode()
    reveal = re.search(r'id="conditional_outcome_1">(.*?)</fieldset>', page, re.S)
    assert "What is the main reason for the negative decision?" in reveal[1]
    response = client.post(url("decide", panel_case.pk), decide_data(panel_case, outcome="negative"))
    assert response.status_code == 200
    assert error_summary(response) == ["Select the main reason for the negative decision"]
    html = response.content.decode()
    assert '<a href="#id_negative_reason_1">' in html
    assert REASONS in html
    assert case.decisions.count() == 0
    data = decide_data(panel_case, outcome="negative", negative_reason="no_indicators")
    response = client.post(url("decide", panel_case.pk), data)
    assert response.status_code == 302, error_summary(response)
    decision = PanelCase.objects.get(pk=panel_case.pk).decision
    assert (decision.outcome, decision.negative_reason, decision.state) == ("negative", "no_indicators", "served")
    shown = re.search(
        r'data-testid="negative-reason">([^<]*)<', client.get(url("case", panel_case.pk)).content.decode()
    )
    assert shown[1] == "The account does not show the indicators of modern slavery"


@pytest.mark.parametrize("forged", ["made_up", "²", "A" * 100])
def test_a_forged_main_reason_for_a_panels_decision_is_refused(client, project_data, forged):
    panel, chair, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    panel_case = PanelCase.objects.get(case=AwaitingRgCaseFactory(), panel=panel)
    record_views(panel_case, members, opinion="negative")
    client.force_login(chair.user)
    data = decide_data(panel_case, outcome="negative", negative_reason=forged)
    response = client.post(url("decide", panel_case.pk), data)
    assert error_summary(response) == ["Select the main reason for the negative decision"]
    assert PanelCase.objects.get(pk=panel_case.pk).is_open


def test_a_main_reason_sent_with_a_panels_positive_decision_is_ignored(client, project_data):
    panel, chair, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    panel_case = PanelCase.objects.get(case=AwaitingRgCaseFactory(), panel=panel)
    record_views(panel_case, members, opinion="positive")
    client.force_login(chair.user)
    response = client.post(url("decide", panel_case.pk), decide_data(panel_case, negative_reason="credibility"))
    assert response.status_code == 302, error_summary(response)
    decision = PanelCase.objects.get(pk=panel_case.pk).decision
    assert (decision.outcome, decision.negative_reason) == ("positive", "")
    assert 'data-testid="negative-reason"' not in client.get(url("case", panel_case.pk)).content.decode()


def test_the_assurance_panel_sees_the_main_reason_of_the_decision_it_reviews(client, seats, review):
    _, chair, _ = seats
    decision = Decision.objects.get(pk=review.decision_id)
    assert decision.negative_reason  # the lifecycle driver gives every negative decision its main reason
    client.force_login(chair.user)
    for name in ("case", "conclude"):
        html = client.get(url(name, review.pk)).content.decode()
        shown = re.search(r'data-testid="negative-reason">([^<]*)<', html)
        assert shown[1] == decision.get_negative_reason_display(), name


def test_an_assurance_panels_chair_is_sent_to_conclude_not_decide(client, seats, review):
    _, chair, _ = seats
    client.force_login(chair.user)
    response = client.get(url("decide", review.pk))
    assert "This panel reviews a decision" in text_of(response)


# Meetings --------------------------------------------------------------------------------------------------------


def meeting_data(day, **fields) -> dict:
    return {
        "version": "0", "day_0": day.day, "day_1": day.month, "day_2": day.year, "starts": "14:30",
        "format": "video", "where": "The link is in the calendar invitation", **fields,
    }  # fmt: skip


def test_the_chair_schedules_a_meeting_with_an_agenda_and_the_members_see_it(client, seats, review):
    panel, chair, members = seats
    client.force_login(chair.user)
    response = client.get(url("meeting_new"))
    labels = [label for _, label in response.context["form"].fields["panel_cases"].choices]
    assert labels[0].startswith(review.case.reference)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(url("meeting_new"), meeting_data(day, panel_cases=[review.pk]))
    assert response.status_code == 302, error_summary(response)
    meeting = Meeting.objects.get()
    assert response["Location"] == url("meeting", meeting.pk)
    assert (meeting.panel, meeting.format, timezone.localtime(meeting.starts_at).hour) == (panel, "video", 14)
    review.refresh_from_db()
    assert review.meeting == meeting
    client.force_login(members[0].user)
    response = client.get(url("meetings"))
    assert response.context["upcoming"] == [meeting]
    assert f'href="{url("case", review.pk)}"' in response.content.decode()
    response = client.get(url("meeting", meeting.pk))
    assert response.context["agenda"] == [review]
    assert url("meeting_agenda", meeting.pk) not in response.content.decode()
    assert "14:30" in text_of(client.get(url("case", review.pk)))


def test_a_meeting_needs_a_time_and_a_place_in_person_and_keeps_what_was_typed(client, seats):
    _, chair, _ = seats
    client.force_login(chair.user)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(url("meeting_new"), meeting_data(day, starts="25:99"))
    assert error_summary(response) == ["Enter the start time as hours and minutes, for example 14:30"]
    response = client.post(url("meeting_new"), meeting_data(day, format="in_person", where=""))
    assert error_summary(response) == ["Enter where the meeting is held"]
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(url("meeting_new"), meeting_data(yesterday))
    assert error_summary(response) == ["The meeting's date must be today or in the future"]
    assert 'value="14:30"' in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_decision_making_panels_chair_may_invite_safeguarding_leads(client, project_data):
    _, chair, _ = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=1)
    lead = SafeguardingLeadFactory()
    client.force_login(chair.user)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(url("meeting_new"), meeting_data(day, leads=[lead.pk]))
    assert response.status_code == 302, error_summary(response)
    assert list(Meeting.objects.get().invited_leads.all()) == [lead]


def test_a_chair_of_two_panels_chooses_which_one_meets(client, seats, project_data):
    _, chair, _ = seats
    second = PanelFactory(name="Second panel")
    ChairFactory(panel=second, user=chair.user)
    client.force_login(chair.user)
    response = client.get(url("meeting_new"))
    assert response.templates[0].name == "panels/meeting_choose_panel.html"
    assert f"?panel={second.pk}" in response.content.decode()
    response = client.get(url("meeting_new") + f"?panel={second.pk}")
    assert response.context["panel"] == second


def test_a_member_is_told_only_the_chair_schedules_meetings(client, seats):
    panel, _, members = seats
    client.force_login(members[0].user)
    response = client.get(url("meeting_new") + f"?panel={panel.pk}")
    assert "Only the panel's chair can schedule its meetings" in text_of(response)
    day = timezone.localdate() + timedelta(days=3)
    response = client.post(url("meeting_new") + f"?panel={panel.pk}", meeting_data(day))
    assert error_summary(response) == ["Only the panel's chair can schedule its meetings"]
    assert not Meeting.objects.exists()


def test_the_chair_changes_the_agenda(client, seats, review):
    panel, chair, members = seats
    meeting = MeetingFactory(panel=panel, scheduled_by=chair.user)
    another = PanelCaseFactory(panel=panel)
    client.force_login(chair.user)
    response = client.post(
        url("meeting_agenda", meeting.pk), {"version": str(meeting.version), "panel_cases": [review.pk, another.pk]}
    )
    assert response.status_code == 302, error_summary(response)
    assert set(meeting.agenda.all()) == {review, another}
    response = client.post(url("meeting_agenda", meeting.pk), {"version": "1", "panel_cases": [another.pk]})
    assert response.status_code == 409  # the agenda changed since version 1
    response = client.post(url("meeting_agenda", meeting.pk), {"version": "2", "panel_cases": [another.pk]})
    assert response.status_code == 302
    assert list(meeting.agenda.all()) == [another]
    client.force_login(members[0].user)
    response = client.post(url("meeting_agenda", meeting.pk), {"version": "3", "panel_cases": []})
    assert error_summary(response) == ["Only the panel's chair can change a meeting's agenda"]


def test_the_chair_records_who_attended_and_they_take_part(client, seats, review):
    panel, chair, members = seats
    meeting = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=timezone.now() - timedelta(hours=2))
    PanelCase.objects.filter(pk=review.pk).update(meeting=meeting)
    client.force_login(chair.user)
    response = client.get(url("meeting_attendance", meeting.pk))
    assert len(response.context["form"].fields["attendees"].choices) == 3
    response = client.post(
        url("meeting_attendance", meeting.pk),
        {"version": str(meeting.version), "attendees": [chair.pk, members[0].pk, members[1].pk]},
    )
    assert response.status_code == 302, error_summary(response)
    assert set(meeting.attendees.all()) == {chair, *members}
    response = client.get(url("meeting", meeting.pk))
    assert len(response.context["attendees"]) == 3
    assert client.get(url("case", review.pk)).context["page"].quorum.met


def test_attendance_waits_for_the_meeting(client, seats):
    panel, chair, members = seats
    meeting = MeetingFactory(panel=panel, scheduled_by=chair.user)
    client.force_login(chair.user)
    response = client.post(
        url("meeting_attendance", meeting.pk), {"version": str(meeting.version), "attendees": [members[0].pk]}
    )
    assert error_summary(response) == ["You can record who attended once the meeting has taken place"]


def test_a_member_of_a_childrens_panel_is_listed_with_their_agency(client, project_data):
    panel, chair, members = panel_with_members(
        kind=Panel.Kind.DECISION_MAKING, members=1, children_only=True, quorum_agencies=[Agency.HEALTH]
    )
    meeting = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=timezone.now() - timedelta(hours=1))
    client.force_login(chair.user)
    choices = [label for _, label in client.get(url("meeting_attendance", meeting.pk)).context["form"].fields[
        "attendees"].choices]  # fmt: skip
    assert any(members[0].get_agency_display() in label for label in choices)


def test_a_member_sees_upcoming_and_past_meetings_of_their_panels_only(client, seats, other_seats):
    panel, chair, members = seats
    upcoming = MeetingFactory(panel=panel, scheduled_by=chair.user)
    past = MeetingFactory(panel=panel, scheduled_by=chair.user, starts_at=timezone.now() - timedelta(days=3))
    MeetingFactory(panel=other_seats[0], scheduled_by=other_seats[1].user)
    client.force_login(members[0].user)
    response = client.get(url("meetings"))
    assert (response.context["upcoming"], response.context["past"]) == ([upcoming], [past])
    assert "Schedule a meeting" not in text_of(response)


def test_conflict_through_the_service_is_shown_to_the_chair_as_missing_people(client, seats, review):
    _, chair, members = seats
    record_views(review, members)
    panel_conflict_declare(panel_case_id=review.pk, actor=members[1].user, details="I know the person.")
    client.force_login(chair.user)
    response = client.get(url("reviews"))
    assert references(response) == [review.case.reference]  # no longer quorate: back to review


def test_the_chair_schedules_a_meeting_for_a_case_from_its_page(client, seats, review):
    panel, chair, _ = seats
    client.force_login(chair.user)
    link = f"{url('meeting_new')}?panel={panel.pk}&amp;case={review.pk}"
    assert link in client.get(url("case", review.pk)).content.decode()
    response = client.get(f"{url('meeting_new')}?panel={panel.pk}&case={review.pk}")
    assert "checked" in response.content.decode().split(f'value="{review.pk}"')[1][:40]


def test_a_member_of_a_decision_making_panel_is_told_only_the_chair_records_the_decision(client, project_data):
    panel, _, members = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    panel_case = PanelCase.objects.get(case=AwaitingRgCaseFactory(), panel=panel)
    record_views(panel_case, members, opinion="positive")
    client.force_login(members[0].user)
    response = client.get(url("decide", panel_case.pk))
    assert "Only the panel's chair can record the panel's decision" in text_of(response)
    today = timezone.localdate()
    response = client.post(
        url("decide", panel_case.pk),
        {
            "version": str(panel_case.version), "outcome": "positive", "reasons": REASONS,
            "decision_date_0": today.day, "decision_date_1": today.month, "decision_date_2": today.year,
        },
    )  # fmt: skip
    assert error_summary(response) == ["Only the panel's chair can record the panel's decision"]
    panel_case.refresh_from_db()
    assert panel_case.is_open


def test_a_decision_needs_an_outcome_reasons_and_a_real_date(client, project_data):
    panel, chair, _ = panel_with_members(kind=Panel.Kind.DECISION_MAKING, members=4)
    panel_case = PanelCase.objects.get(case=AwaitingRgCaseFactory(), panel=panel)
    client.force_login(chair.user)
    response = client.post(
        url("decide", panel_case.pk),
        {"version": "1", "outcome": "", "reasons": "", "decision_date_0": "31", "decision_date_1": "2",
         "decision_date_2": "2026"},
    )  # fmt: skip
    assert error_summary(response) == [
        "Select whether the reasonable grounds decision is positive or negative",
        "Enter the reasons for the decision",
        "Decision date must be a real date",
    ]


def test_the_review_page_of_a_withdrawn_case_offers_nothing_to_do(client, seats):
    panel, _, members = seats
    panel_case = PanelCaseFactory(panel=panel, state=PanelCase.State.WITHDRAWN)
    client.force_login(members[0].user)
    response = client.get(url("case", panel_case.pk))
    assert "Withdrawn from the panel when the case closed" in text_of(response)
    assert 'data-testid="actions"' not in response.content.decode()
    response = client.get(url("record_view", panel_case.pk))
    assert f"{panel_case.case.reference} was withdrawn from the panel when the case closed" in text_of(response)
