"""Statistics in Django admin: the suppression policy is one row, edited here (added once, never deleted, its
history kept and never reverted); the export log and the refreshes are only looked at."""

import pytest
from django.urls import reverse

from accounts.roles import Role
from common.admin import HistoryAdmin
from insights.admin import ExportLogEntryAdmin, RefreshAdmin, SuppressionPolicyAdmin
from insights.models import ExportLogEntry, Refresh, SuppressionPolicy
from insights.services import export_record
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def superuser_client(client):
    client.force_login(UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=True))
    return client


def test_the_policy_is_added_once_then_only_changed(superuser_client):
    add = reverse("admin:insights_suppressionpolicy_add")
    assert superuser_client.get(add).status_code == 200
    response = superuser_client.post(add, {"threshold": 10, "in_exports": "on"})
    assert response.status_code == 302
    policy = SuppressionPolicy.current()
    assert (policy.threshold, policy.on_screen, policy.in_exports) == (10, False, True)
    assert superuser_client.get(add).status_code == 403  # one row
    change = reverse("admin:insights_suppressionpolicy_change", args=[policy.pk])
    response = superuser_client.post(change, {"threshold": 3, "on_screen": "on", "in_exports": "on"})
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.threshold, policy.on_screen) == (3, True)
    assert policy.history.count() == 2
    delete = reverse("admin:insights_suppressionpolicy_delete", args=[policy.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert SuppressionPolicy.objects.count() == 1


def test_the_policy_admin_keeps_history_and_refuses_revert():
    assert issubclass(SuppressionPolicyAdmin, HistoryAdmin)
    assert not SuppressionPolicyAdmin.revert_allowed


def test_the_export_log_is_listed_and_never_changed(superuser_client):
    analyst = UserFactory(role=Role.ANALYST)
    entry = export_record(
        user=analyst,
        what="referrals-by-gender",
        file_format="ods",
        filters={"from": "2025-01-01", "to": "2025-12-31", "nation": "", "authority": None},
        suppressed=True,
        rows=7,
    )
    page = superuser_client.get(reverse("admin:insights_exportlogentry_changelist")).content.decode()
    assert "referrals-by-gender" in page
    assert analyst.email in page
    assert superuser_client.get(reverse("admin:insights_exportlogentry_add")).status_code == 403
    change = reverse("admin:insights_exportlogentry_change", args=[entry.pk])
    assert superuser_client.get(change).status_code == 200  # looked at
    superuser_client.post(change, {"what": "something-else", "rows": 0})
    entry.refresh_from_db()
    assert (entry.what, entry.rows) == ("referrals-by-gender", 7)
    delete = reverse("admin:insights_exportlogentry_delete", args=[entry.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    assert ExportLogEntry.objects.filter(pk=entry.pk).exists()


def test_refreshes_are_only_looked_at(superuser_client):
    refresh = Refresh.objects.create(seconds=1.5, referrals=10, decisions=4)
    assert superuser_client.get(reverse("admin:insights_refresh_changelist")).status_code == 200
    assert superuser_client.get(reverse("admin:insights_refresh_add")).status_code == 403
    delete = reverse("admin:insights_refresh_delete", args=[refresh.pk])
    assert superuser_client.post(delete, {"post": "yes"}).status_code == 403
    for model_admin in (ExportLogEntryAdmin, RefreshAdmin):
        assert not model_admin.has_add_permission(model_admin, None)


def test_export_record_writes_who_what_and_when():
    analyst = UserFactory(role=Role.ANALYST)
    entry = export_record(
        user=analyst, what="research-extract", file_format="csv", filters={"nation": "wales"}, suppressed=True, rows=3
    )
    entry.refresh_from_db()
    assert (entry.user, entry.what, entry.file_format, entry.filters, entry.suppressed, entry.rows) == (
        analyst,
        "research-extract",
        "csv",
        {"nation": "wales"},
        True,
        3,
    )
    assert entry.exported_at is not None


@pytest.mark.parametrize("role", [Role.ANALYST, Role.MANAGER, Role.CASEWORKER])
def test_staff_without_the_models_permissions_cannot_open_them(client, role):
    client.force_login(UserFactory(role=role, is_staff=True))
    for name in ("suppressionpolicy", "exportlogentry", "refresh"):
        response = client.get(reverse(f"admin:insights_{name}_changelist"))
        assert response.status_code in (302, 403), name


def test_the_administrator_role_edits_the_policy_and_reads_the_log_without_being_a_superuser(client):
    administrator = UserFactory(role=Role.ADMIN, is_staff=True, is_superuser=False)
    client.force_login(administrator)
    policy = SuppressionPolicy.objects.create(threshold=5)
    change = reverse("admin:insights_suppressionpolicy_change", args=[policy.pk])
    assert client.post(change, {"threshold": 7, "in_exports": "on"}).status_code == 302
    policy.refresh_from_db()
    assert policy.threshold == 7
    assert client.get(reverse("admin:insights_exportlogentry_changelist")).status_code == 200
    assert client.get(reverse("admin:insights_refresh_changelist")).status_code == 200
    # Looked at, never written: the log is the downloads' record.
    assert client.get(reverse("admin:insights_exportlogentry_add")).status_code == 403
