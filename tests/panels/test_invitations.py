"""A Slavery Safeguarding Lead invited to a regional panel's meeting is told, and sees when and where it is, never
the panel's agenda."""

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import Notification
from panels.models import Panel, PanelCase
from panels.services import panel_meeting_schedule
from tests.casework.factories import AwaitingRgCaseFactory, SubmittedReferralFactory
from tests.panels.factories import SafeguardingLeadFactory, panel_with_members

pytestmark = pytest.mark.django_db


def test_an_invited_lead_is_told_and_sees_the_meeting_but_not_its_agenda(client, project_data):
    panel, chair, members = panel_with_members(members=5, kind=Panel.Kind.DECISION_MAKING, regions=["Devon"])
    lead = SafeguardingLeadFactory()
    other_lead = SafeguardingLeadFactory()
    case = AwaitingRgCaseFactory(
        referral=SubmittedReferralFactory(answers={"current_region": "Devon"}, draft__organisation=lead.organisation)
    )
    panel_case = PanelCase.objects.get(case=case)
    panel_meeting_schedule(
        panel_id=panel.pk,
        actor=chair.user,
        starts_at=timezone.now() + timezone.timedelta(days=3),
        format="in_person",
        where="Exeter Civic Centre, room 2",
        panel_case_ids=[panel_case.pk],
        lead_ids=[lead.pk],
    )
    invitation = Notification.objects.get(recipient=lead.user, kind=Notification.Kind.PANEL_MEETING_INVITATION)
    assert invitation.reference == ""
    assert not Notification.objects.filter(recipient=lead.user, kind="panel_meeting_scheduled").exists()
    client.force_login(lead.user)
    page = client.get(reverse("panels:invitations")).content.decode()
    assert "Exeter Civic Centre, room 2" in page
    assert panel.name in page
    assert case.reference not in page  # the agenda is the panel's
    assert reverse("panels:invitations") in client.get(reverse("notifications:list")).content.decode()
    client.force_login(other_lead.user)
    assert "Exeter Civic Centre" not in client.get(reverse("panels:invitations")).content.decode()
    for member in members:
        assert Notification.objects.filter(recipient=member.user, kind="panel_meeting_scheduled").count() == 1
