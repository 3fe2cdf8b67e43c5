"""Revert is impossible in every admin with a change history: generated from `admin.site._registry`, a staff user
who may only view each model posts its history form (django-simple-history's revert) and gets a 403, and nothing
is written. A reverted notification would otherwise go back to pending and be emailed again."""

from datetime import timedelta

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import mail
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import RequestFactory
from django.urls import reverse
from django.utils import timezone
from simple_history.admin import SimpleHistoryAdmin

from accounts.models import FirstResponderEmailDomain, Organisation
from accounts.roles import Role
from casework.models import Case, CaseFile, Reconsideration
from casework.services import case_add_note, case_assign, information_request_create, reconsideration_request
from common.admin import HistoryAdmin
from common.checks import history_admins_refuse_revert
from notifications.models import Notification
from notifications.selectors import notifications_awaiting_email
from notifications.services import notification_deliver, notify
from tests.casework.factories import case_in_state
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PDF = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
HISTORY_ADMINS = sorted(
    ((model, model_admin) for model, model_admin in admin.site._registry.items() if hasattr(model, "history")),
    key=lambda pair: pair[0]._meta.label,
)


def history_of(model):
    return getattr(model, model._meta.simple_history_manager_attribute)


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


@pytest.fixture
def rows(project_data, tmp_path, monkeypatch):
    """At least one row of every model with a history admin, made as the service makes them where there is one."""
    monkeypatch.setattr(CaseFile._meta.get_field("file"), "storage", FileSystemStorage(location=tmp_path))
    served = case_in_state(Case.Status.RG_NEGATIVE_SERVED)
    reconsideration_request(
        case_id=served.pk,
        actor=served.referral.submitted_by,
        grounds=[Reconsideration.Ground.NEW_EVIDENCE],
        details="New evidence.",
        uploaded_files=[SimpleUploadedFile("statement.pdf", PDF, content_type="application/pdf")],
    )
    awaiting = case_in_state(Case.Status.AWAITING_RG)
    caseworker = UserFactory(role=Role.CASEWORKER, organisation=awaiting.authority)
    case_assign(
        case_id=awaiting.pk, actor=UserFactory(role=Role.MANAGER, organisation=awaiting.authority), assignee=caseworker
    )
    information_request_create(case_id=awaiting.pk, actor=caseworker, question="Which town?")
    case_add_note(case_id=awaiting.pk, actor=caseworker, text="A note.")
    notify(recipient=caseworker, kind=Notification.Kind.CASE_ASSIGNED, subject=awaiting, reference=awaiting.reference)
    FirstResponderEmailDomain.objects.create(domain="police.example")
    extra_rows(served)
    for model, _ in HISTORY_ADMINS:
        first = model.objects.order_by("pk").first()
        if first and not history_of(model).filter(**{model._meta.pk.attname: first.pk}).exists():
            first.save()  # rows of data migrations have no history yet
    return served


def extra_rows(case):
    """Rows of models that other parts of the service write in their own ways (no casework service makes them)."""
    from django.apps import apps

    if apps.is_installed("privacy"):
        from privacy.models import RetentionPolicy, RetentionRun, SubjectAccessExport

        if not RetentionPolicy.objects.exists():
            RetentionPolicy.objects.create()
        RetentionRun.objects.create(trigger=RetentionRun.Trigger.choices[0][0], dry_run=True)
        SubjectAccessExport.objects.create(
            reference=case.reference, referral=case.referral, exported_by=UserFactory(role=Role.ADMIN)
        )
    from insights.models import SuppressionPolicy

    if not SuppressionPolicy.objects.exists():
        SuppressionPolicy.objects.create()
    from tests.panels.factories import ConflictOfInterestFactory, MeetingFactory, SafeguardingLeadFactory, ViewFactory

    conflict = ConflictOfInterestFactory()  # a panel, its case, a seat: the panels' rows
    ViewFactory(panel_case=conflict.panel_case)
    MeetingFactory(panel=conflict.panel_case.panel)
    SafeguardingLeadFactory()
    from accounts.services import invitation_send
    from casework.models import SupportRecord

    SupportRecord.objects.create(case=case, started_on=timezone.localdate())

    invitation_send(actor=UserFactory(role=Role.ADMIN), user_id=UserFactory(role=Role.ANALYST).pk)
    from partners.models import Partnership
    from partners.services.clients import api_client_create

    api_client_create(
        actor=UserFactory(role=Role.ADMIN),
        organisation=case.referral.organisation,
        name="Case system",
        scopes=["referrals:read"],
    )
    Partnership.objects.create(name="A local partnership")
    membership_request = apps.get_model("accounts", "MembershipRequest")
    membership_request.objects.create(
        user=UserFactory(role=Role.FIRST_RESPONDER),
        organisation=Organisation.objects.filter(kind=Organisation.Kind.POLICE).first() or case.referral.organisation,
        expires_at=timezone.now() + timedelta(days=7),
    )


def staff_who_may_only_view(*models):
    user = UserFactory(role=Role.ANALYST, is_staff=True, is_superuser=False)
    user.user_permissions.add(
        *(
            Permission.objects.get(
                content_type=ContentType.objects.get_for_model(model), codename=f"view_{model._meta.model_name}"
            )
            for model in models
        )
    )
    return user


def revert_url(model, row, version) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_simple_history", args=[row.pk, version])


def test_every_history_admin_comes_through_the_base_that_refuses_revert():
    assert len(HISTORY_ADMINS) >= 20
    for model, model_admin in HISTORY_ADMINS:
        assert isinstance(model_admin, HistoryAdmin), model._meta.label
        assert not model_admin.revert_allowed, f"{model._meta.label}: no documented admin action needs revert"
    assert history_admins_refuse_revert() == []


def test_the_start_up_check_names_a_history_admin_that_bypasses_the_base(monkeypatch):
    model = Notification
    monkeypatch.setitem(admin.site._registry, model, SimpleHistoryAdmin(model, admin.site))
    errors = history_admins_refuse_revert()
    assert [error.id for error in errors] == ["common.E001"]
    assert "notifications.Notification" in errors[0].msg


@pytest.mark.parametrize("who", ["view_only", "superuser"])
def test_posting_the_history_form_of_any_history_admin_writes_nothing(client, rows, who):
    models = [model for model, _ in HISTORY_ADMINS]
    user = staff_who_may_only_view(*models) if who == "view_only" else UserFactory(role=Role.ADMIN)
    client.force_login(user)
    tried = []
    for model in models:
        row = model.objects.order_by("pk").first()
        assert row is not None, f"no {model._meta.label} row: add one to the rows fixture"
        first = history_of(model).filter(**{model._meta.pk.attname: row.pk}).earliest("history_date")
        url = revert_url(model, row, first.history_id)
        assert client.get(url).status_code == 200, url  # the version can still be looked at
        before = history_of(model).count()
        response = client.post(url, {})
        assert response.status_code == 403, url
        assert history_of(model).count() == before, url
        tried.append(model._meta.label)
    assert len(tried) == len(HISTORY_ADMINS)
    assert "View " in client.get(url).content.decode()  # the page says view, and has no Revert button
    assert 'name="_save"' not in client.get(url).content.decode()


def test_a_sent_notification_cannot_be_reverted_to_pending_and_is_not_sent_again(client, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    recipient = UserFactory(role=Role.CASEWORKER)
    notification = notify(recipient=recipient, kind=Notification.Kind.CASE_ASSIGNED, reference="NRM-2026-000001")
    assert notification_deliver(notification_id=notification.pk)
    assert len(mail.outbox) == 1
    pending = notification.history.earliest("history_date")
    client.force_login(staff_who_may_only_view(Notification))
    assert client.post(revert_url(Notification, notification, pending.history_id), {}).status_code == 403
    notification.refresh_from_db()
    assert notification.email_state == Notification.EmailState.SENT
    assert not notifications_awaiting_email(older_than=timedelta(0)).filter(pk=notification.pk).exists()
    assert not notification_deliver(notification_id=notification.pk)
    assert len(mail.outbox) == 1


def test_a_history_id_that_is_not_a_number_is_not_found(client):
    client.force_login(UserFactory(role=Role.ADMIN))
    organisation = Organisation.objects.order_by("pk").first() or UserFactory().organisation
    assert client.get(f"/admin/accounts/organisation/{organisation.pk}%00/history/").status_code == 404
    assert client.get(f"/admin/accounts/organisation/{organisation.pk}/history/1%00/").status_code == 404


class _RevertNeeded(HistoryAdmin):
    """What an admin with a documented need for revert would declare."""

    revert_allowed = True


def test_where_revert_is_declared_needed_it_still_takes_change_permission():
    model_admin = _RevertNeeded(FirstResponderEmailDomain, admin.site)
    request = RequestFactory().get("/")
    request.user = staff_who_may_only_view(FirstResponderEmailDomain)
    assert model_admin.revert_disabled(request)
    request.user = UserFactory(role=Role.ADMIN)
    assert not model_admin.revert_disabled(request)
