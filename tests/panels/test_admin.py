"""Panels are kept in admin: a panel with its seats and quorum; what panels do on cases is only looked at."""

import pytest
from django.urls import reverse

from accounts.models import Nation
from accounts.roles import Role
from panels.models import Membership, Panel
from tests.factories import PanelBodyFactory, UserFactory
from tests.panels.factories import PanelCaseFactory, PanelFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.ADMIN))
    return client


def panel_form(**fields) -> dict:
    form = {
        "name": "Devon and Cornwall regional panel",
        "kind": Panel.Kind.DECISION_MAKING,
        "nation": Nation.ENGLAND,
        "active_from": "2026-01-01",
        "regions": "Devon,Cornwall",
        "local_authorities": "",
        "decides_rg": "on",
        "decides_cg": "on",
        "quorum_minimum_present": 3,
        "quorum_requires_chair": "on",
        "quorum_agencies": "",
        "memberships-TOTAL_FORMS": 1,
        "memberships-INITIAL_FORMS": 0,
        "memberships-0-user": UserFactory(role=Role.PANEL_CHAIR, organisation=PanelBodyFactory()).pk,
        "memberships-0-role": Membership.Role.CHAIR,
        "memberships-0-agency": "other",
        "memberships-0-term_start": "2026-01-01",
    }
    form.update(fields)
    return form


def test_a_regional_decision_making_panel_added_in_admin_gets_its_kinds_quorum_and_its_chair(admin_client):
    response = admin_client.post(reverse("admin:panels_panel_add"), panel_form())
    assert response.status_code == 302, response.content.decode()[:2000]
    panel = Panel.objects.get(name="Devon and Cornwall regional panel")
    assert (panel.regions, panel.quorum_minimum_present) == (["Devon", "Cornwall"], 5)
    assert panel.memberships.get().role == Membership.Role.CHAIR


def test_a_childrens_panel_gets_the_three_agencies_by_default(admin_client):
    response = admin_client.post(
        reverse("admin:panels_panel_add"), panel_form(name="Leeds children's panel", children_only="on")
    )
    assert response.status_code == 302
    panel = Panel.objects.get(name="Leeds children's panel")
    assert panel.quorum_agencies == ["local_authority", "health", "police"]


def test_a_panels_work_on_a_case_is_shown_without_its_reasons_and_never_changed_in_admin(admin_client):
    panel_case = PanelCaseFactory(panel=PanelFactory(), reasons="Private reasons about the person")
    page = admin_client.get(reverse("admin:panels_panelcase_change", args=[panel_case.pk]))
    assert page.status_code == 200
    assert "Private reasons" not in page.content.decode()
    assert admin_client.post(reverse("admin:panels_panelcase_change", args=[panel_case.pk]), {}).status_code == 403
