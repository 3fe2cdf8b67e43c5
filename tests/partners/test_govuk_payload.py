"""The live GOV.UK service's case payload: the mapping both ways (partners.govuk_payload), the import endpoint and
management command (one referral per ExternalId, nothing half-created), the export endpoint and the round trip."""

import json
import threading
import uuid

import pytest
from django.core.management import CommandError, call_command
from django.db import connection

from casework.models import AccessLogEntry, Case
from partners.govuk_payload import (
    ASSUMED,
    DOCUMENT_KEY,
    MAPPING,
    PayloadError,
    export_payload,
    import_answers,
    mapped_keys,
)
from partners.models import ImportedReferral
from partners.scopes import Scope
from partners.services.referrals import api_referral_create
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Referral, Route
from tests.partners.govuk_payloads import INTEROP_KEYS, PAYLOADS

IMPORT_URL = "/api/v1/imports/gov-uk-referral"
ORGANISATION = "Example first responder"
ROUTES = {
    "adult": Route.ADULT,
    "adult_someone_else": Route.ADULT,
    "adult_no_phone": Route.ADULT,
    "child": Route.CHILD,
    "duty_to_notify": Route.DUTY_TO_NOTIFY,
}


def payload_carrying(key: str) -> tuple[str, dict]:
    """The first test payload in which `key` carries a value."""
    for name, build in PAYLOADS.items():
        payload = build(ORGANISATION)
        if payload.get(key):
            return name, payload
    raise AssertionError(f"No test payload carries {key}")


def export_of(imported, payload: dict) -> dict:
    return export_payload(
        route=imported.route,
        answers=imported.answers,
        external_id=imported.external_id,
        organisation_name=payload.get("Agent.Organisation", ""),
        kept=imported.kept,
    )


def export_url(reference: str) -> str:
    return f"/api/v1/referrals/{reference}/gov-uk-payload"


# --- The declaration -----------------------------------------------------------------------------------------


def test_the_declaration_reads_every_key_of_the_format_and_no_other():
    documents = {key for key in INTEROP_KEYS if DOCUMENT_KEY.match(key)}
    assert mapped_keys() == set(INTEROP_KEYS) - documents
    assert documents == {"Document1.URL", "Document1.Name", "Document1.MimeType", "Document1.URLLoadContent"}


def test_every_entry_of_the_declaration_names_the_keys_it_carries():
    for entry in MAPPING:
        assert hasattr(entry, "read")
        assert hasattr(entry, "write")
    assert all(key in mapped_keys() for entry in MAPPING for key in entry.keys)


@pytest.mark.django_db
@pytest.mark.parametrize("key", INTEROP_KEYS)
def test_each_key_of_the_format_comes_back_from_an_import_and_export(key):
    name, payload = payload_carrying(key)
    imported = import_answers(payload)
    assert imported.route == ROUTES[name]
    assert export_of(imported, payload).get(key) == payload[key]


@pytest.mark.django_db
@pytest.mark.parametrize("name", PAYLOADS)
def test_every_key_of_each_route_s_payload_comes_back_unchanged(name):
    payload = PAYLOADS[name](ORGANISATION)
    exported = export_of(import_answers(payload), payload)
    assert {key: value for key, value in exported.items() if key in payload} == {
        key: value for key, value in payload.items() if value
    }


@pytest.mark.django_db
def test_the_answers_of_an_adult_s_payload_are_the_questions_own():
    answers = import_answers(PAYLOADS["adult"](ORGANISATION)).answers
    assert answers["under_18"] == "no"
    assert answers["consent"] == "yes"
    assert answers["child_during_exploitation"] == "yes"
    assert answers["nation"] == "england"
    assert answers["contact_methods"] == ["email", "post"]
    assert answers["address_line_1"] == "Flat 2"
    assert answers["address_line_2"] == "10 High Street"
    assert answers["support_contact_method"] == "own_phone"
    assert answers["exploitation_types"] == [
        "forced_labour",
        "wages_taken",
        "forced_fraud",
        "domestic_servitude",
        "other",
    ]
    assert answers["uk_towns"] == ["Birmingham", "Leeds"]
    assert answers["countries"] == ["Albania", "France"]
    assert answers["children_count"] == 2
    assert answers["birth_country"] == "Albania"
    assert answers["birth_town"] == "Tirana"
    assert answers["last_contact"] == "within_week"
    assert answers["home_office_reference_held"] == "yes"
    assert answers["home_office_reference_type"] == ASSUMED["home_office_reference_type"][1]


@pytest.mark.django_db
def test_a_child_s_payload_reads_as_the_child_route_with_no_consent_asked():
    imported = import_answers(PAYLOADS["child"](ORGANISATION))
    assert imported.route == Route.CHILD
    assert "consent" not in imported.answers
    assert imported.answers["situations_dates"].startswith("2023")
    assert "exploitation_dates" not in imported.answers
    assert imported.answers["birth_country"] == "Unknown"
    assert "other_victims_details" not in imported.answers  # the live service's "No further information provided"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"AdultOrChild": "Maybe"}, "AdultOrChild"),
        ({"NRMOrDuty": "Both"}, "NRMOrDuty"),
        ({"AdultOrChild": "Child", "NRMOrDuty": "DTN", "Type": "662265"}, "NRMOrDuty"),
        ({"Type": "662265"}, "Type"),
        ({"Case.Jurisdiction": "MARS"}, "Case.Jurisdiction"),
        ({"Country": "WAL"}, "Country"),
        ({"Customer.DOB": "12/04/1990"}, "Customer.DOB"),
        ({"Customer.Custom10": "two"}, "Customer.Custom10"),
        ({"Customer.Custom17": "female"}, "Customer.Custom17"),
        ({"PVExploitersLastContact": "yesterday"}, "PVExploitersLastContact"),
        ({"ComponentFraud": "Maybe"}, "ComponentFraud"),
        ({"Customer.ContactMethod": "Pigeon"}, "Customer.ContactMethod"),
        ({"HowToNotify": "Post"}, "HowToNotify"),
        ({"ExternalId": "not-a-uuid"}, "ExternalId"),
        ({"SomethingElse": "x"}, "SomethingElse"),
        ({"Customer.Surname": 12}, "Customer.Surname"),
        ({"LocalAuthority": "Birmingham City Council"}, "LocalAuthority"),
        ({"DTNReason": "Not an adult who refused"}, "DTNReason"),
        ({"ExploitationTakenSomewhere": "No"}, "ExploitationJourneyDetails"),
    ],
)
def test_an_unknown_malformed_or_misplaced_value_is_an_error_naming_its_key(change, key):
    payload = {**PAYLOADS["adult"](ORGANISATION), **change}
    with pytest.raises(PayloadError) as raised:
        import_answers(payload)
    assert key in raised.value.errors, raised.value.errors


def test_a_payload_that_is_not_an_object_is_refused():
    with pytest.raises(PayloadError):
        import_answers(["not", "an", "object"])


# --- The import endpoint ---------------------------------------------------------------------------------------


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("name", PAYLOADS)
def test_an_import_creates_the_referral_as_the_web_would_and_the_export_gives_back_every_key(partner_api, name):
    partner = partner_api()
    payload = PAYLOADS[name](partner.organisation.name)
    response = partner.post(IMPORT_URL, payload)
    assert response.status_code == 201, response.content
    body = response.json()
    referral = Referral.objects.get(reference=body["reference"])
    assert referral.route == ROUTES[name]
    assert referral.organisation == partner.organisation
    assert referral.submitted_by == partner.user
    assert body["external_id"] == payload["ExternalId"]
    assert body["created"] is True
    assert Case.objects.filter(referral=referral).exists() == (name != "duty_to_notify")
    assert response["Location"] == f"/api/v1/referrals/{referral.reference}"

    exported = partner.get(export_url(referral.reference))
    assert exported.status_code == 200
    sent = {key: value for key, value in payload.items() if value}
    assert {key: value for key, value in exported.json().items() if key in sent} == sent


@pytest.mark.django_db
def test_the_same_payload_twice_gives_one_referral(partner_api):
    partner = partner_api()
    payload = PAYLOADS["adult"](partner.organisation.name)
    first = partner.post(IMPORT_URL, payload)
    second = partner.post(IMPORT_URL, payload)
    assert (first.status_code, second.status_code) == (201, 200)
    assert second.json()["reference"] == first.json()["reference"]
    assert second.json()["created"] is False
    assert ImportedReferral.objects.count() == 1
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_a_report_imported_by_another_organisation_is_a_conflict_and_not_its_referral(partner_api):
    first, other = partner_api(), partner_api()
    payload = PAYLOADS["duty_to_notify"](first.organisation.name)
    assert first.post(IMPORT_URL, payload).status_code == 201
    response = other.post(IMPORT_URL, {**payload, "Agent.Organisation": other.organisation.name})
    assert response.status_code == 409
    assert response["Content-Type"] == "application/problem+json"
    assert "reference" not in response.json()
    assert Referral.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "key"),
    [
        ({"AdultOrChild": "Maybe"}, "AdultOrChild"),
        ({"Customer.Nationality": "Martian"}, "Customer.Nationality"),
        ({"PoliceForce": "Gotham City Police"}, "PoliceForce"),
        ({"City2": "Atlantis"}, "City1"),
        ({"Customer.Email": "not an email"}, "Customer.Email"),
        ({"Customer.Forename1": ""}, "Customer.Forename1"),
        ({"SafeToEmail": "No"}, "SafeToEmail"),
        ({"Unexpected": "value"}, "Unexpected"),
    ],
)
def test_a_payload_with_an_error_is_a_400_naming_the_key_and_creates_nothing(partner_api, change, key):
    partner = partner_api()
    payload = {**PAYLOADS["adult"](partner.organisation.name), **change}
    response = partner.post(IMPORT_URL, payload)
    assert response.status_code == 400, response.content
    assert response["Content-Type"] == "application/problem+json"
    assert key in {error["field"] for error in response.json()["errors"]}, response.json()
    assert not Referral.objects.exists()
    assert not Draft.objects.exists()
    assert not ImportedReferral.objects.exists()


@pytest.mark.django_db
def test_an_import_with_an_idempotency_key_is_replayed(partner_api):
    partner = partner_api()
    payload = PAYLOADS["child"](partner.organisation.name)
    headers = {"Idempotency-Key": str(uuid.uuid4())}
    first = partner.post(IMPORT_URL, payload, headers={"HTTP_IDEMPOTENCY_KEY": headers["Idempotency-Key"]})
    again = partner.post(IMPORT_URL, payload, headers={"HTTP_IDEMPOTENCY_KEY": headers["Idempotency-Key"]})
    assert (first.status_code, again.status_code) == (201, 201)
    assert again["Idempotent-Replayed"] == "true"
    assert Referral.objects.count() == 1


@pytest.mark.django_db
def test_importing_needs_the_referrals_write_scope(partner_api):
    partner = partner_api(scopes=[Scope.REFERRALS_READ])
    response = partner.post(IMPORT_URL, PAYLOADS["adult"](partner.organisation.name))
    assert response.status_code == 403
    assert not Referral.objects.exists()


# --- The export endpoint ---------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_export_of_a_referral_sent_through_the_api_reimports_to_the_same_answers(partner_api):
    partner, other = partner_api(), partner_api()
    for route in Route:
        answers = complete_answers(route, organisation_name=partner.organisation.name, seed=7)
        answers.pop("_visited", None)
        referral = api_referral_create(client=partner.client, answers=answers)
        exported = partner.get(export_url(referral.reference))
        assert exported.status_code == 200
        payload = exported.json()
        assert payload["Agent.Email"] == partner.user.email
        assert payload["Agent.Organisation"] == partner.organisation.name
        again = other.post(IMPORT_URL, payload)
        assert again.status_code == 201, again.content
        copy = Referral.objects.get(reference=again.json()["reference"])
        assert copy.route == referral.route
        lossy = {"organisation", "responder_reference", *ASSUMED}  # the live format never sends the latter
        original = {k: v for k, v in referral.answers.items() if k not in lossy}
        # Ticked types come back in the order of the tick boxes (as the web's form posts them).
        original["exploitation_types"] = sorted(original.get("exploitation_types", []))
        again_answers = {k: v for k, v in copy.answers.items() if k in original}
        again_answers["exploitation_types"] = sorted(again_answers.get("exploitation_types", []))
        assert again_answers == original


@pytest.mark.django_db
def test_a_referral_made_here_keeps_one_external_id(partner_api):
    partner = partner_api()
    answers = complete_answers(Route.DUTY_TO_NOTIFY, organisation_name=partner.organisation.name, seed=3)
    answers.pop("_visited", None)
    referral = api_referral_create(client=partner.client, answers=answers)
    first = partner.get(export_url(referral.reference)).json()["ExternalId"]
    assert partner.get(export_url(referral.reference)).json()["ExternalId"] == first
    assert str(uuid.UUID(first)) == first


@pytest.mark.django_db
def test_another_organisation_s_referral_is_not_found(partner_api):
    owner, other = partner_api(), partner_api()
    reference = owner.post(IMPORT_URL, PAYLOADS["adult"](owner.organisation.name)).json()["reference"]
    response = other.get(export_url(reference))
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"


@pytest.mark.django_db
def test_exporting_needs_the_referrals_read_scope_and_writes_the_access_log(partner_api):
    writer = partner_api(scopes=[Scope.REFERRALS_WRITE])
    reference = writer.post(IMPORT_URL, PAYLOADS["adult"](writer.organisation.name)).json()["reference"]
    assert writer.get(export_url(reference)).status_code == 403
    reader = partner_api(organisation=writer.organisation, scopes=[Scope.REFERRALS_READ])
    assert reader.get(export_url(reference)).status_code == 200
    entry = AccessLogEntry.objects.get(case__referral__reference=reference, user=reader.user)
    assert entry.what == AccessLogEntry.What.API


# --- The management command ------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_command_imports_a_file_once_per_external_id(partner_api, tmp_path, capsys):
    partner = partner_api()
    path = tmp_path / "report.json"
    path.write_text(json.dumps(PAYLOADS["child"](partner.organisation.name)))
    call_command("import_gov_uk_referral", str(path), organisation=partner.organisation.name)
    call_command("import_gov_uk_referral", str(path), organisation=str(partner.organisation.pk))
    out = capsys.readouterr().out
    referral = Referral.objects.get()
    assert f"Imported {referral.reference}" in out
    assert f"Already imported: {referral.reference}" in out
    assert ImportedReferral.objects.get().through_command is True


@pytest.mark.django_db
def test_the_command_names_the_key_of_an_error_and_creates_nothing(partner_api, tmp_path):
    partner = partner_api()
    path = tmp_path / "report.json"
    path.write_text(json.dumps({**PAYLOADS["adult"](partner.organisation.name), "Customer.Custom17": "Unsure"}))
    with pytest.raises(CommandError, match=r"Customer\.Custom17"):
        call_command("import_gov_uk_referral", str(path), organisation=partner.organisation.name)
    assert not Referral.objects.exists()


@pytest.mark.django_db
def test_the_command_needs_an_organisation_with_an_api_client(tmp_path):
    from tests.factories import FirstResponderOrganisationFactory

    organisation = FirstResponderOrganisationFactory()
    path = tmp_path / "report.json"
    path.write_text(json.dumps(PAYLOADS["adult"](organisation.name)))
    with pytest.raises(CommandError, match="API client"):
        call_command("import_gov_uk_referral", str(path), organisation=organisation.name)


def test_concurrent_imports_of_one_report_give_one_referral(transactional_db, project_data, partner_api):
    partner = partner_api()
    payload = PAYLOADS["adult"](partner.organisation.name)
    imports = 6
    barrier = threading.Barrier(imports)
    responses = []
    errors: list[BaseException] = []

    def send():
        try:
            barrier.wait(timeout=20)
            responses.append(partner.post(IMPORT_URL, payload))
        except BaseException as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send) for _ in range(imports)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)

    assert errors == []
    assert sorted(response.status_code for response in responses) == [200] * (imports - 1) + [201]
    assert len({response.json()["reference"] for response in responses}) == 1
    assert Referral.objects.count() == 1
    assert ImportedReferral.objects.count() == 1
    assert Draft.objects.count() == 1


@pytest.mark.django_db
def test_the_service_admin_sees_which_report_became_which_referral_read_only(partner_api, client):
    from django.urls import reverse

    from accounts.roles import Role
    from tests.factories import UserFactory
    from tests.security.world import sign_in

    partner = partner_api()
    payload = PAYLOADS["adult"](partner.organisation.name)
    reference = partner.post(IMPORT_URL, payload).json()["reference"]
    sign_in(client, UserFactory(role=Role.ADMIN, is_superuser=False, is_staff=True))
    imported = ImportedReferral.objects.get()

    listing = client.get(reverse("admin:partners_importedreferral_changelist"))
    page = client.get(reverse("admin:partners_importedreferral_change", args=[imported.pk]))

    assert listing.status_code == 200
    assert payload["ExternalId"] in listing.content.decode()
    assert page.status_code == 200
    assert reference in page.content.decode()
    assert payload["ExploitationWhyTheyStayed"] not in page.content.decode()  # kept values are not shown
    assert client.get(reverse("admin:partners_importedreferral_add")).status_code == 403
