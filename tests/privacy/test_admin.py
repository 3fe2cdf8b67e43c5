from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from accounts.services import roles_sync_groups
from casework.models import AccessLogEntry, Case
from casework.services import access_log_record
from privacy.models import RetentionPolicy, RetentionRun, SubjectAccessExport
from tests.casework.factories import AwaitingRgCaseFactory, case_in_state
from tests.factories import UserFactory
from tests.privacy.conftest import age_case, rows_mentioning

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_role_client(client, settings):
    """An administrator who is not a superuser: what the Administrator group's permissions allow."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    roles_sync_groups()  # accounts syncs the groups before privacy's permissions exist in a new database
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=False))
    return client


def policy_form(**changes) -> dict:
    values = {
        "closed_case_days": 2192,
        "closed_case_action": "anonymise",
        "duty_to_notify_days": 2192,
        "duty_to_notify_action": "anonymise",
        "access_log_days": 731,
        "notification_days": 365,
    }
    return {**values, **changes}


def test_an_administrator_edits_the_retention_policy_and_the_change_is_in_its_history(admin_role_client):
    policy = RetentionPolicy.current()
    url = reverse("admin:privacy_retentionpolicy_change", args=[policy.pk])
    assert admin_role_client.get(url).status_code == 200

    response = admin_role_client.post(url, policy_form(closed_case_days=3000, closed_case_action="delete"))

    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.closed_case_days, policy.closed_case_action) == (3000, "delete")
    change = policy.history.latest()
    assert (change.closed_case_days, change.history_user.role) == (3000, Role.ADMIN)


def test_a_period_shorter_than_a_month_is_refused(admin_role_client):
    policy = RetentionPolicy.current()
    url = reverse("admin:privacy_retentionpolicy_change", args=[policy.pk])
    response = admin_role_client.post(url, policy_form(access_log_days=0))
    assert response.status_code == 200
    assert "Ensure this value is greater than or equal to 30." in response.content.decode()
    policy.refresh_from_db()
    assert policy.access_log_days == 731


def test_the_policy_is_never_added_deleted_or_reverted_from_admin(admin_role_client):
    policy = RetentionPolicy.current()
    policy.access_log_days = 800
    policy.save()
    first = policy.history.earliest()
    assert admin_role_client.get(reverse("admin:privacy_retentionpolicy_add")).status_code == 403
    delete = reverse("admin:privacy_retentionpolicy_delete", args=[policy.pk])
    assert admin_role_client.post(delete, {"post": "yes"}).status_code == 403
    assert RetentionPolicy.objects.filter(pk=policy.pk).exists()
    runs = RetentionRun.objects.create(trigger=RetentionRun.Trigger.JOB)
    revert = reverse("admin:privacy_retentionrun_simple_history", args=[runs.pk, runs.history.earliest().history_id])
    assert admin_role_client.post(revert, {}).status_code == 403
    assert first is not None


def test_the_dry_run_page_lists_what_would_go_and_changes_nothing(admin_role_client, authority_staff):
    caseworker, manager = authority_staff
    due = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    kept = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    age_case(due)
    url = reverse("admin:privacy_retentionrun_dry_run")
    assert admin_role_client.get(url).status_code == 200
    assert not RetentionRun.objects.exists()

    response = admin_role_client.post(url, {"dry_run": "1"})

    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    content = response.content.decode()
    assert due.reference in content
    assert kept.reference not in content
    assert response.context["outcome"].counts["cases_anonymised"] == 1
    run = RetentionRun.objects.get()
    assert (run.dry_run, run.trigger) == (True, RetentionRun.Trigger.ADMIN)
    assert rows_mentioning(due.reference)  # still there
    assert not due.events.filter(kind="anonymised").exists()


def test_the_policy_admin_action_previews_the_dry_run(admin_role_client):
    changelist = reverse("admin:privacy_retentionpolicy_changelist")
    response = admin_role_client.post(
        changelist, {"action": "preview", "_selected_action": [RetentionPolicy.current().pk]}
    )
    assert response.status_code == 200
    assert response.context["outcome"] is None  # the page, offering the dry run, which posts to its own page
    assert f'action="{reverse("admin:privacy_retentionrun_dry_run")}"' in response.content.decode()


def test_runs_and_exports_are_read_only_in_admin(admin_role_client):
    run = RetentionRun.objects.create(trigger=RetentionRun.Trigger.JOB, counts={"cases_anonymised": 2})
    export = SubjectAccessExport.objects.create(reference="NRM-2026-000001", exported_by=UserFactory(role=Role.ADMIN))
    for model, row in ((RetentionRun, run), (SubjectAccessExport, export)):
        info = f"admin:privacy_{model._meta.model_name}"
        assert admin_role_client.get(reverse(f"{info}_changelist")).status_code == 200
        page = admin_role_client.get(reverse(f"{info}_change", args=[row.pk]))
        assert page.status_code == 200
        assert 'name="_save"' not in page.content.decode()
        assert admin_role_client.get(reverse(f"{info}_add")).status_code == 403
        assert admin_role_client.post(reverse(f"{info}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403


def test_a_caseworker_cannot_reach_the_dry_run(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.CASEWORKER))
    response = client.post(reverse("admin:privacy_retentionrun_dry_run"), {"dry_run": "1"})
    assert response.status_code == 302  # to admin's sign-in: not staff
    assert not RetentionRun.objects.exists()


# The access log in admin -----------------------------------------------------------------------------------------

CHANGELIST = "admin:casework_accesslogentry_changelist"


def shown(client, **query) -> list[int]:
    response = client.get(reverse(CHANGELIST), query)
    assert response.status_code == 200
    return [entry.pk for entry in response.context["cl"].result_list]


def test_the_access_log_is_searched_by_exact_reference_or_address_whatever_the_case_of_the_letters(
    admin_role_client, db
):
    viewer = UserFactory(role=Role.CASEWORKER, email="viewer@sca.example")
    other_viewer = UserFactory(role=Role.CASEWORKER, email="other@sca.example")
    seen, other = AwaitingRgCaseFactory(), AwaitingRgCaseFactory()
    mine = access_log_record(user=viewer, case=seen, what=AccessLogEntry.What.CASE)
    theirs = access_log_record(user=other_viewer, case=other, what=AccessLogEntry.What.LETTER)

    assert shown(admin_role_client, q=f" {seen.reference.lower()} ") == [mine.pk]
    assert shown(admin_role_client, q="Viewer@SCA.example") == [mine.pk]
    assert shown(admin_role_client, q=seen.reference[:-1]) == []  # no partial matches: each is one index lookup
    assert shown(admin_role_client, q="sca.example") == []
    assert shown(admin_role_client, what__exact="letter") == [theirs.pk]


def test_the_access_log_is_filtered_by_date(admin_role_client):
    case = AwaitingRgCaseFactory()
    viewer = UserFactory(role=Role.CASEWORKER)
    old = access_log_record(user=viewer, case=case, what=AccessLogEntry.What.CASE)
    AccessLogEntry.objects.filter(pk=old.pk).update(viewed_at=timezone.now() - timedelta(days=40))
    new = access_log_record(user=viewer, case=case, what=AccessLogEntry.What.CASE)
    # The "Past 7 days" link of the date filter: aware midnights, as Django's DateFieldListFilter writes them.
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    week = {"viewed_at__gte": str(today - timedelta(days=7)), "viewed_at__lt": str(today + timedelta(days=1))}
    assert shown(admin_role_client, **week) == [new.pk]
    then = timezone.localtime(timezone.now() - timedelta(days=40))
    assert shown(
        admin_role_client, viewed_at__year=then.year, viewed_at__month=then.month, viewed_at__day=then.day
    ) == [old.pk]


def test_the_access_log_admin_is_read_only_and_has_no_history_to_revert(admin_role_client):
    entry = access_log_record(
        user=UserFactory(role=Role.CASEWORKER), case=AwaitingRgCaseFactory(), what=AccessLogEntry.What.CASE
    )
    assert admin_role_client.get(reverse("admin:casework_accesslogentry_add")).status_code == 403
    change = reverse("admin:casework_accesslogentry_change", args=[entry.pk])
    assert 'name="_save"' not in admin_role_client.get(change).content.decode()
    assert admin_role_client.post(change, {"what": "file"}).status_code == 403
    delete = reverse("admin:casework_accesslogentry_delete", args=[entry.pk])
    assert admin_role_client.post(delete, {"post": "yes"}).status_code == 403
    listing = admin_role_client.get(reverse(CHANGELIST))
    assert "delete_selected" not in listing.content.decode()
    entry.refresh_from_db()
    assert entry.what == "case"


def test_the_access_log_page_does_the_same_queries_for_ten_entries_or_a_hundred(admin_role_client):
    def queries_with(count: int) -> int:
        case = AwaitingRgCaseFactory()
        for _ in range(count):
            access_log_record(user=UserFactory(role=Role.CASEWORKER), case=case, what=AccessLogEntry.What.CASE)
        with CaptureQueriesContext(connection) as captured:
            assert admin_role_client.get(reverse(CHANGELIST), {"q": case.reference}).status_code == 200
        return len(captured)

    admin_role_client.get(reverse(CHANGELIST))  # the session's and permissions' first reads
    assert queries_with(10) == queries_with(100)
