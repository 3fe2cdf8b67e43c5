"""The support provider's record pages (casework.views.supported): one page per record, in the case action pages'
shape (GOV.UK error summary, what was typed kept, a stale form refused), only for the provider the person was
referred to, and the caseworker's case page showing the record in its timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.models import Nation
from accounts.roles import Role
from casework.models import Case, Policy, RecoveryNeed, SupportRecord
from casework.services import (
    case_support_person_missing,
    case_support_rna_record,
    case_support_start,
    single_competent_authority,
)
from tests.casework.factories import case_in_state
from tests.factories import SupportProviderFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _no_staff_mfa(settings):
    settings.NRM_REQUIRE_STAFF_MFA = False


PAGES = ("supported_start", "supported_rna", "supported_extend", "supported_missing", "supported_end")


@pytest.fixture
def provider():
    return SupportProviderFactory(nation=Nation.ENGLAND)


@pytest.fixture
def provider_staff(provider):
    return UserFactory(role=Role.SUPPORT_PROVIDER, organisation=provider)


@pytest.fixture
def case(provider):
    Policy.objects.update_or_create(nation=Nation.ENGLAND, defaults={"support_provider": provider})
    made = case_in_state(Case.Status.RECOVERY, answers={"wants_support": "yes"}, opened_days_ago=3)
    assert made.support_provider == provider
    return made


def url(name: str, case: Case) -> str:
    return reverse(f"casework:{name}", args=[case.reference])


def day_fields(prefix: str, day) -> dict:
    return {f"{prefix}_0": str(day.day), f"{prefix}_1": str(day.month), f"{prefix}_2": str(day.year)}


def test_the_persons_page_offers_to_record_support_started_and_the_record_is_saved(client, provider_staff, case):
    client.force_login(provider_staff)
    page = client.get(url("supported_case", case)).text
    assert 'data-testid="support-record"' in page
    assert url("supported_start", case) in page
    assert url("supported_rna", case) not in page  # not before support started
    response = client.get(url("supported_start", case))
    assert response.status_code == 200
    assert "When did support start?" in response.text
    assert url("supported_case", case) in response.text  # the way back
    today = timezone.localdate()
    response = client.post(url("supported_start", case), {**day_fields("started_on", today), "version": case.version})
    assert response.status_code == 302
    assert response.url == url("supported_case", case)
    assert SupportRecord.objects.get(case=case).started_on == today
    page = client.get(response.url).text
    assert "Support recorded as started" in page
    assert url("supported_start", case) not in page
    for name in ("supported_rna", "supported_missing", "supported_end"):
        assert url(name, case) in page
    assert url("supported_extend", case) not in page  # by policy, after the needs assessment


def test_a_record_with_errors_shows_the_error_summary_and_keeps_what_was_typed(client, provider_staff, case):
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=timezone.localdate())
    case.refresh_from_db()
    client.force_login(provider_staff)
    response = client.post(
        url("supported_rna", case),
        {"completed_on_0": "31", "completed_on_1": "2", "completed_on_2": "2026", "version": case.version},
    )
    assert response.status_code == 200
    page = response.text
    assert "govuk-error-summary" in page
    assert "Date of the assessment must be a real date" in page
    assert "Select the needs the assessment found" in page
    assert 'value="31"' in page
    assert not SupportRecord.objects.filter(rna_completed_on__isnull=False).exists()


def test_the_services_refusal_is_shown_against_its_question(client, provider_staff, case):
    client.force_login(provider_staff)
    tomorrow = timezone.localdate() + timedelta(days=1)
    fields = {**day_fields("started_on", tomorrow), "version": case.version}
    response = client.post(url("supported_start", case), fields)
    assert response.status_code == 200
    assert "The date support started must be today or in the past" in response.text
    assert 'href="#id_started_on_0"' in response.text
    assert not SupportRecord.objects.exists()


def test_a_form_opened_before_another_change_is_refused_with_a_conflict(client, provider_staff, case):
    stale = case.version
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=timezone.localdate())
    client.force_login(provider_staff)
    response = client.post(
        url("supported_rna", case),
        {**day_fields("completed_on", timezone.localdate()), "needs": ["legal"], "version": stale},
    )
    assert response.status_code == 409
    assert SupportRecord.objects.get().rna_completed_on is None


def test_the_extension_page_moves_the_end_date_with_a_reason(client, provider_staff, case):
    today = timezone.localdate()
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=today)
    case_support_rna_record(case_id=case.pk, actor=provider_staff, completed_on=today, needs=[RecoveryNeed.LEGAL])
    case.refresh_from_db()
    client.force_login(provider_staff)
    response = client.get(url("supported_extend", case))
    assert "Support can be extended by up to 90 days at a time" in response.text
    new_end = timezone.localtime(case.support_ends_at).date() + timedelta(days=14)
    response = client.post(
        url("supported_extend", case),
        {**day_fields("ends_on", new_end), "reason": "proceedings", "version": case.version},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert timezone.localtime(case.support_ends_at).date() == new_end
    page = client.get(url("supported_case", case)).text
    assert "The person is a witness in criminal proceedings" in page
    assert f"{new_end:%-d %B %Y}" in page


def test_a_record_not_open_now_sends_the_provider_back_saying_why(client, provider_staff, case):
    client.force_login(provider_staff)
    response = client.get(url("supported_rna", case), follow=True)
    assert response.redirect_chain[-1][0] == url("supported_case", case)
    assert "You cannot record a Recovery Needs Assessment now: record that support of" in response.text


@pytest.mark.parametrize("name", PAGES)
def test_another_providers_or_an_unsupported_persons_pages_are_not_found(client, case, name):
    other = UserFactory(role=Role.SUPPORT_PROVIDER, organisation=SupportProviderFactory())
    client.force_login(other)
    assert client.get(url(name, case)).status_code == 404
    assert client.post(url(name, case), {"version": case.version}).status_code == 404
    assert not SupportRecord.objects.exists()


@pytest.mark.parametrize("role", [Role.FIRST_RESPONDER, Role.CASEWORKER, Role.MANAGER, Role.PANEL_MEMBER])
def test_other_roles_cannot_reach_the_record_pages(client, case, role):
    organisation = single_competent_authority() if role in (Role.CASEWORKER, Role.MANAGER) else None
    client.force_login(UserFactory(role=role, organisation=organisation))
    for name in PAGES:
        assert client.get(url(name, case)).status_code == 404


def test_the_record_pages_show_nothing_of_the_account_of_exploitation(client, provider_staff, provider):
    account = "They were recruited at a car wash by a man who took their passport."
    Policy.objects.update_or_create(nation=Nation.ENGLAND, defaults={"support_provider": provider})
    case = case_in_state(
        Case.Status.RECOVERY, answers={"wants_support": "yes", "how_it_started": account}, opened_days_ago=3
    )
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=timezone.localdate())
    client.force_login(provider_staff)
    for name in ("supported_case", "supported_rna", "supported_missing", "supported_end"):
        page = client.get(url(name, case)).text
        assert account not in page
        assert "Exploitation" not in page


def test_the_caseworkers_timeline_shows_the_support_record_and_links_to_suspend(client, provider_staff, case):
    today = timezone.localdate()
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=today)
    case_support_rna_record(case_id=case.pk, actor=provider_staff, completed_on=today, needs=[RecoveryNeed.FINANCIAL])
    case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today)
    manager = UserFactory(role=Role.MANAGER, organisation=case.authority)
    client.force_login(manager)
    page = client.get(reverse("casework:case", args=[case.reference])).text
    assert "Support provider started support" in page
    assert "Recovery Needs Assessment recorded" in page
    assert "Needs found: Financial support" in page
    assert "Support provider reported the person missing" in page
    assert f'href="{reverse("casework:suspend", args=[case.reference])}"' in page


def test_the_supported_people_list_flags_a_person_reported_missing(client, provider_staff, case):
    today = timezone.localdate()
    case_support_start(case_id=case.pk, actor=provider_staff, started_on=today)
    client.force_login(provider_staff)
    assert 'data-testid="reported-missing"' not in client.get(reverse("casework:supported")).text

    case_support_person_missing(case_id=case.pk, actor=provider_staff, last_seen_on=today)

    page = client.get(reverse("casework:supported")).text
    assert page.count('data-testid="reported-missing"') == 1
    assert "Reported missing" in page
