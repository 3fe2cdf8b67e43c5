"""The panel record PDF: what it says (panel, meeting, who took part and from which agency, the views, the outcome,
the authority's response; never the decision maker's name), who may download it, and the access log."""

import io
from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from accounts.roles import Role
from casework.models import AccessLogEntry, PanelResponse
from casework.services import decision_panel_respond
from panels.models import Agency, PanelCase
from panels.services import (
    panel_meeting_record_attendance,
    panel_meeting_schedule,
    panel_review_conclude,
    panel_view_record,
)
from tests.factories import AuthorityFactory, UserFactory
from tests.panels.factories import MembershipFactory, PanelFactory, panel_with_members, reviewed_panel_case

pytestmark = pytest.mark.django_db

RECONSIDER = PanelCase.Recommendation.RECOMMEND_RECONSIDERATION


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def panel_and_seats():
    panel, chair, seats = panel_with_members(name="Alpha assurance panel", members=2)
    chair.user.full_name, seats[0].user.full_name, seats[1].user.full_name = "Ruth Chair", "Ian Police", "Ann Council"
    for seat in (chair, *seats):
        seat.user.save(update_fields=["full_name"])
    return panel, chair, seats


@pytest.fixture
def concluded(panel_and_seats):
    """A review the two members gave views on at a meeting, which the chair concluded recommending reconsideration
    and a manager of the authority answered by maintaining the decision."""
    panel, chair, (police, council) = panel_and_seats
    panel_case = reviewed_panel_case(panel)
    with time_machine.travel(timezone.now() - timedelta(days=2), tick=False):  # scheduled, then held yesterday
        meeting = panel_meeting_schedule(
            panel_id=panel.pk,
            actor=chair.user,
            starts_at=timezone.now() + timedelta(days=1),
            format="video",
            where="Video call",
            panel_case_ids=[panel_case.pk],
        )
    panel_meeting_record_attendance(
        meeting_id=meeting.pk, actor=chair.user, membership_ids=[chair.pk, police.pk, council.pk]
    )
    panel_view_record(
        panel_case_id=panel_case.pk, actor=police.user, opinion=RECONSIDER, reasons="The account was not weighed."
    )
    panel_view_record(
        panel_case_id=panel_case.pk, actor=council.user, opinion="agree", reasons="The guidance was followed."
    )
    panel_review_conclude(
        panel_case_id=panel_case.pk,
        actor=chair.user,
        recommendation=RECONSIDER,
        reasons="The decision did not weigh the psychological indicators.",
    )
    panel_case.refresh_from_db()
    manager = UserFactory(role=Role.MANAGER, organisation=panel_case.case.authority, full_name="Morgan Hale")
    decision_panel_respond(
        decision_id=panel_case.decision_id,
        actor=manager,
        response=PanelResponse.MAINTAIN,
        reasons="The further evidence was already weighed in the decision.",
    )
    return panel_case


def pdf_text(response) -> str:
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages).split())


def test_the_record_says_who_took_part_their_views_the_outcome_and_the_authoritys_response(
    client, concluded, panel_and_seats
):
    _, chair, _ = panel_and_seats
    decision_maker = concluded.decision.decided_by
    client.force_login(chair.user)

    text = pdf_text(client.get(reverse("panels:record_pdf", args=[concluded.pk])))

    assert concluded.case.reference in text
    assert "Alpha assurance panel" in text
    assert "Video call" in text
    for name, agency in (("Ian Police", Agency.POLICE), ("Ann Council", Agency.LOCAL_AUTHORITY)):
        assert name in text
        assert str(Agency(agency).label) in text
    assert "The account was not weighed." in text
    assert "The guidance was followed." in text
    assert "Recommend reconsideration" in text
    assert "The decision did not weigh the psychological indicators." in text
    assert "Maintain the decision and serve it" in text
    assert "The further evidence was already weighed in the decision." in text
    assert f"Caseworker, {concluded.case.authority}" in text  # the decision maker's role...
    assert decision_maker.full_name not in text  # ... never their name
    assert "Morgan Hale" not in text


def test_each_download_is_written_to_the_access_log(client, concluded, panel_and_seats):
    _, chair, _ = panel_and_seats
    client.force_login(chair.user)

    response = client.get(reverse("panels:record_pdf", args=[concluded.pk]))

    assert response.status_code == 200
    assert f"{concluded.case.reference}-panel-record" in response["Content-Disposition"]
    entry = AccessLogEntry.objects.get(what=AccessLogEntry.What.PANEL_RECORD)
    assert (entry.user, entry.case_id) == (chair.user, concluded.case_id)


def test_a_manager_of_the_cases_authority_may_download_the_record(client, concluded):
    client.force_login(UserFactory(role=Role.MANAGER, organisation=concluded.case.authority))

    assert "Recommend reconsideration" in pdf_text(client.get(reverse("panels:record_pdf", args=[concluded.pk])))


def test_an_open_review_has_a_record_that_says_it_is_not_final(client, panel_and_seats):
    panel, _, (police, _) = panel_and_seats
    panel_case = reviewed_panel_case(panel)
    client.force_login(police.user)

    text = pdf_text(client.get(reverse("panels:record_pdf", args=[panel_case.pk])))

    assert "this record is not final" in text
    assert "The panel has not concluded yet." in text


@pytest.mark.parametrize(
    "who", ["member of another panel", "manager elsewhere", "caseworker", "first responder", "support provider"]
)
def test_the_record_is_not_found_outside_the_review_pages_scope(client, concluded, who):
    if who == "member of another panel":
        user = MembershipFactory(panel=PanelFactory(name="Beta assurance panel")).user
    elif who == "manager elsewhere":
        user = UserFactory(role=Role.MANAGER, organisation=AuthorityFactory(name="Another authority"))
    else:
        user = UserFactory(role={"caseworker": Role.CASEWORKER, "first responder": Role.FIRST_RESPONDER,
                                 "support provider": Role.SUPPORT_PROVIDER}[who])  # fmt: skip
    if who == "caseworker":
        user.organisation = concluded.case.authority  # even of the case's own authority
        user.save(update_fields=["organisation"])
    client.force_login(user)

    assert client.get(reverse("panels:record_pdf", args=[concluded.pk])).status_code == 404
    assert not AccessLogEntry.objects.filter(what=AccessLogEntry.What.PANEL_RECORD).exists()
