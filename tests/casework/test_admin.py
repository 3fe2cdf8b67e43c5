import pytest
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation, Organisation
from accounts.roles import Role
from accounts.services import roles_sync_groups
from casework.models import (
    AccessLogEntry,
    Case,
    CaseFile,
    CaseNote,
    Decision,
    InformationRequest,
    Letter,
    Policy,
    Reconsideration,
    ReviewRoute,
)
from casework.services import (
    access_log_record,
    case_add_note,
    case_assign,
    information_request_create,
    reconsideration_request,
)
from tests.casework.factories import AwaitingRgCaseFactory, case_in_state
from tests.factories import OrganisationFactory, UserFactory

PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.ADMIN))  # a superuser
    return client


def test_the_policy_of_a_nation_is_edited_in_admin(admin_client):
    policy = Policy.for_nation(Nation.SCOTLAND)
    url = reverse("admin:casework_policy_change", args=[policy.pk])
    assert admin_client.get(url).status_code == 200
    form = {
        "rg_target_working_days": 5,
        "recovery_days": 60,
        "move_on_days": 45,
        "minimum_support_days": 90,
        "reconsideration_window_days": 30,
        "information_request_working_days": 10,
        "review_negative_rg": "on",
        "negative_rg_review_route": ReviewRoute.SECOND_REVIEWER,
        "negative_cg_review_route": ReviewRoute.SECOND_REVIEWER,
        "panel_review_working_days": 10,
        "overdue_review_escalation": "managers",
        "decision_making_panels": "on",
        "negative_decision_support_working_days": 9,
        "duplicate_lookback_days": 365,
        "support_extension_max_days": 90,
        "support_extension_needs_rna": "on",
    }
    response = admin_client.post(url, form)
    assert response.status_code == 302
    policy.refresh_from_db()
    assert (policy.nation, policy.recovery_days, policy.negative_cg_review_route) == (
        Nation.SCOTLAND,
        60,
        ReviewRoute.SECOND_REVIEWER,
    )
    change = policy.history.latest()
    assert (change.recovery_days, change.history_user.role) == (60, Role.ADMIN)


def test_cases_are_listed_and_shown_read_only_with_their_timeline(admin_client, sca):
    case = AwaitingRgCaseFactory()
    listing = admin_client.get(reverse("admin:casework_case_changelist"), {"duplicate_review_needed__exact": "0"})
    assert listing.status_code == 200
    assert case.reference in listing.content.decode()
    page = admin_client.get(reverse("admin:casework_case_change", args=[case.pk]))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Case opened" in content
    assert 'name="_save"' not in content
    assert admin_client.post(reverse("admin:casework_case_change", args=[case.pk]), {}).status_code == 403


# The read-only casework models -----------------------------------------------------------------------------------

READ_ONLY_MODELS = [Decision, Letter, InformationRequest, Reconsideration, CaseNote, CaseFile, AccessLogEntry]


@pytest.fixture
def admin_role_client(client, settings):
    """An administrator who is not a superuser: what the Administrator group's permissions allow."""
    settings.NRM_REQUIRE_STAFF_MFA = False
    # accounts syncs the groups on its own post_migrate, before casework's permissions exist in a new database.
    roles_sync_groups()
    client.force_login(UserFactory(role=Role.ADMIN, is_superuser=False))
    return client


@pytest.fixture
def casework_rows(sca, tmp_path, monkeypatch):
    """One row of each read-only model, made through the services (files stored under the test's folder)."""
    monkeypatch.setattr(CaseFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=sca)
    manager = UserFactory(role=Role.MANAGER, organisation=sca)
    served = case_in_state(Case.Status.RG_NEGATIVE_SERVED, caseworker=caseworker, manager=manager)
    responder = served.referral.submitted_by
    reconsideration_request(
        case_id=served.pk,
        actor=responder,
        grounds=[Reconsideration.Ground.NEW_EVIDENCE],
        details="PRIVATE-DETAILS of the new evidence",
        uploaded_files=[SimpleUploadedFile("Jane Doe statement.pdf", PDF, content_type="application/pdf")],
    )
    awaiting = case_in_state(Case.Status.AWAITING_RG, caseworker=caseworker, manager=manager)
    case_assign(case_id=awaiting.pk, actor=manager, assignee=caseworker)
    information_request_create(case_id=awaiting.pk, actor=caseworker, question="PRIVATE-QUESTION about the person")
    case_add_note(case_id=awaiting.pk, actor=caseworker, text="PRIVATE-NOTE about the person")
    access_log_record(user=caseworker, case=awaiting, what=AccessLogEntry.What.CASE)
    decision = Decision.objects.get(case=served)
    decision_private = Decision.objects.filter(pk=decision.pk)
    decision_private.update(reasons="PRIVATE-REASONS for the decision")
    decision.refresh_from_db()
    decision.review_reasons = "PRIVATE-REVIEW of the decision"
    decision.save()  # a history record whose change holds private text
    return {model: model.objects.order_by("pk").last() for model in READ_ONLY_MODELS}


@pytest.mark.parametrize("model", READ_ONLY_MODELS, ids=lambda model: model.__name__)
@pytest.mark.parametrize("who", ["admin_client", "admin_role_client"])
def test_casework_rows_are_shown_in_admin_without_private_text_and_never_changed(request, who, model, casework_rows):
    client = request.getfixturevalue(who)
    row = casework_rows[model]
    info = f"admin:casework_{model._meta.model_name}"
    pages = [reverse(f"{info}_changelist"), reverse(f"{info}_change", args=[row.pk])]
    if model is not AccessLogEntry:
        pages.append(reverse(f"{info}_history", args=[row.pk]))
        pages.append(reverse(f"{info}_simple_history", args=[row.pk, row.history.earliest().history_id]))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        content = response.content.decode()
        assert "PRIVATE-" not in content, url
        assert "Jane Doe" not in content, url
        assert 'name="_save"' not in content, url
    assert client.get(reverse(f"{info}_add")).status_code == 403
    assert client.post(reverse(f"{info}_change", args=[row.pk]), {}).status_code == 403
    assert client.post(reverse(f"{info}_delete", args=[row.pk]), {"post": "yes"}).status_code == 403
    assert model.objects.filter(pk=row.pk).exists()


def test_a_history_version_cannot_be_posted_back_to_revert_a_case(admin_client, sca):
    case = case_in_state(Case.Status.RECOVERY)
    first = case.history.earliest()
    url = reverse("admin:casework_case_simple_history", args=[case.pk, first.history_id])
    assert admin_client.get(url).status_code == 200
    assert admin_client.post(url, {}).status_code == 403
    case.refresh_from_db()
    assert case.status == Case.Status.RECOVERY


def test_the_access_log_is_filtered_by_what_and_searched_by_reference_or_email(admin_role_client, sca):
    viewer = UserFactory(role=Role.CASEWORKER, organisation=sca, email="viewer@sca.example")
    seen, other = AwaitingRgCaseFactory(), AwaitingRgCaseFactory()
    access_log_record(user=viewer, case=seen, what=AccessLogEntry.What.LETTER)
    access_log_record(
        user=UserFactory(role=Role.CASEWORKER, organisation=sca), case=other, what=AccessLogEntry.What.CASE
    )
    changelist = reverse("admin:casework_accesslogentry_changelist")

    def shown(**query) -> set[str]:
        response = admin_role_client.get(changelist, query)
        assert response.status_code == 200
        return {entry.case.reference for entry in response.context["cl"].result_list}

    assert shown(what__exact="letter") == {seen.reference}
    assert shown(q=other.reference) == {other.reference}
    assert shown(q="viewer@sca.example") == {seen.reference}
    today = timezone.localdate()
    assert shown(viewed_at__year=today.year, viewed_at__month=today.month) == {seen.reference, other.reference}


def test_the_case_admin_lists_the_casework_fields(admin_client, sca):
    case = case_in_state(Case.Status.AWAITING_RG, child=True)
    response = admin_client.get(reverse("admin:casework_case_changelist"), {"is_child__exact": "1"})
    assert response.status_code == 200
    assert [row.reference for row in response.context["cl"].result_list] == [case.reference]
    page = admin_client.get(reverse("admin:casework_case_change", args=[case.pk])).content.decode()
    for label in ("Next deadline at", "Information due at", "Support provider", "Assignee"):
        assert label in page


def test_policy_names_its_support_provider(admin_client):
    provider = OrganisationFactory(kind=Organisation.Kind.SUPPORT_PROVIDER, name="Care Provider Ltd")
    Policy.objects.filter(nation=Nation.WALES).update(support_provider=provider)
    listing = admin_client.get(reverse("admin:casework_policy_changelist"))
    assert "Care Provider Ltd" in listing.content.decode()


def test_case_files_show_their_scan_status_and_are_filtered_by_it(admin_client, casework_rows):
    from common.virus_scan import ScanStatus

    infected = casework_rows[CaseFile]
    CaseFile.objects.filter(pk=infected.pk).update(scan_status=ScanStatus.INFECTED, scan_result="Eicar-Test-Signature")
    changelist = reverse("admin:casework_casefile_changelist")

    cell = 'field-scan_status">Infected: removed<'
    assert cell in admin_client.get(changelist, {"scan_status__exact": "infected"}).content.decode()
    assert cell not in admin_client.get(changelist, {"scan_status__exact": "clean"}).content.decode()
    page = admin_client.get(reverse("admin:casework_casefile_change", args=[infected.pk])).content.decode()
    assert "Eicar-Test-Signature" in page
