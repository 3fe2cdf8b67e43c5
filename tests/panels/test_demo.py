"""The demo panels of `seed_demo`: two assurance panels and a regional decision-making panel with their sign-ins,
cases on each in every state (some overdue), meetings, and nothing added by a second run."""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from casework.models import Case, Decision, PanelResponse
from notifications.models import Notification
from panels import demo
from panels.models import ConflictOfInterest, Meeting, Membership, Panel, PanelCase, SafeguardingLead, View

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """Seeds once for the module, inside a transaction rolled back at the end (each test in its own savepoint)."""
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("seed_demo", force=True, stdout=None)
        first = _counts()
        second_run = demo.seed()
        yield {"first": first, "second_run": second_run}
        transaction.set_rollback(True)


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


def _counts() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Panel, Membership, PanelCase, View, Meeting, Decision, Case, Notification, SafeguardingLead)
    }


def panel(key: str) -> Panel:
    return Panel.objects.get(name=next(spec.name for spec in demo.DEMO_PANELS if spec.key == key))


def test_seeding_twice_adds_nothing_the_second_time(seeded):
    assert seeded["second_run"] == 0
    assert _counts() == seeded["first"]
    assert PanelCase.objects.filter(case__referral__responder_reference__startswith="DEMO-PANEL-").count() == len(
        demo.DEMO_PANEL_CASES
    )


def test_the_panels_and_their_sign_ins_are_as_the_readme_says(seeded):
    seats = {(m.panel.name, m.user.email, m.role, m.agency) for m in Membership.objects.select_related("panel", "user")}
    for spec in demo.DEMO_PANELS:
        for seat in spec.seats:
            assert (spec.name, seat.email, seat.role, seat.agency) in seats
    assert panel(demo.ENGLAND).regions == []
    assert panel(demo.SOUTH_WEST).kind == Panel.Kind.DECISION_MAKING
    assert panel(demo.SOUTH_WEST).quorum_minimum_present == 5
    agencies = set(panel(demo.SOUTH_WEST).memberships.values_list("agency", flat=True))
    assert {"police", "local_authority", "health", "ngo", "ukvi"} <= agencies
    assert User.objects.get(email="member2@panel.example").panel_memberships.count() == 2
    lead = SafeguardingLead.objects.get()
    assert lead.organisation.name == "Demo Constabulary"


@pytest.mark.parametrize("key", [demo.ENGLAND, demo.NORTH])
def test_each_assurance_panel_has_reviews_in_every_state(seeded, key):
    cases = PanelCase.objects.filter(panel=panel(key)).select_related("decision")
    today = timezone.localdate()
    open_cases = cases.filter(state=PanelCase.State.OPEN)
    assert open_cases.filter(views__isnull=True).exists()  # to review
    assert any(c.views.count() == 1 for c in open_cases)  # one view recorded
    assert any(c.views.count() == 2 for c in open_cases)  # awaiting the chair
    assert open_cases.filter(due_date__lt=today).exists()  # overdue
    concluded = cases.filter(state=PanelCase.State.CONCLUDED)
    assert concluded.filter(recommendation=PanelCase.Recommendation.AGREE).exists()
    recommended = concluded.filter(recommendation=PanelCase.Recommendation.RECOMMEND_RECONSIDERATION)
    assert set(recommended.values_list("decision__authority_response", flat=True)) == {
        "",
        PanelResponse.RECONSIDER,
        PanelResponse.MAINTAIN,
    }
    assert all(c.routed_at < c.concluded_at for c in concluded)
    assert "" not in {c.decision.negative_reason for c in cases}  # each decision reviewed has its main reason


def test_the_regional_panel_has_decisions_to_make_and_one_made_at_its_meeting(seeded):
    cases = PanelCase.objects.filter(panel=panel(demo.SOUTH_WEST))
    assert cases.filter(kind=PanelCase.Kind.DECISION, state=PanelCase.State.OPEN).count() >= 3
    decided = cases.get(state=PanelCase.State.CONCLUDED)
    assert decided.decision.decision_maker_name == "South West regional panel"
    assert decided.case.status == Case.Status.RECOVERY
    assert decided.participants.count() >= 5
    held = decided.meeting
    assert held.attendance_recorded_at
    assert held.starts_at < timezone.now()
    assert held.invited_leads.exists()
    assert ConflictOfInterest.objects.filter(
        panel_case__panel=panel(demo.SOUTH_WEST), ground=ConflictOfInterest.Ground.REFERRING_ORGANISATION
    ).exists()


def test_each_panel_has_a_meeting_to_come_with_an_agenda(seeded):
    for key in (demo.ENGLAND, demo.SOUTH_WEST):
        upcoming = Meeting.objects.filter(panel=panel(key), starts_at__gt=timezone.now())
        assert upcoming.filter(agenda__isnull=False).exists(), key


def test_overdue_reviews_were_escalated_once_and_no_email_is_left_to_send(seeded):
    overdue = PanelCase.objects.filter(state=PanelCase.State.OPEN, due_date__lt=timezone.localdate())
    assert overdue.exists()
    assert not overdue.filter(overdue_notified_at__isnull=True).exists()
    assert Notification.objects.filter(
        kind=Notification.Kind.PANEL_REVIEW_OVERDUE, recipient__email="manager@sca.example"
    ).exists()
    assert not Notification.objects.filter(email_state=Notification.EmailState.PENDING).exists()


@pytest.mark.parametrize(
    ("email", "page"),
    [
        ("chair@panel.example", "panels:reviews"),
        ("member3@panel.example", "panels:reviews"),
        ("member8@region.example", "panels:reviews"),
        ("chair2@panel.example", "panels:dashboard"),
        ("chair@region.example", "panels:dashboard"),
        ("manager@sca.example", "panels:dashboard"),
    ],
)
def test_the_demo_sign_ins_find_their_panel_pages(seeded, client, email, page):
    client.force_login(User.objects.get(email=email))

    assert client.get(reverse(page)).status_code == 200
