"""Webhooks: a client registers its endpoints (HTTPS only, its secret shown once, its own only), its
organisation's changes are written as deliveries in the transaction that makes them (never another
organisation's), and a real worker posts them signed to a local receiver, trying again after a failure and
delivering once; the delivery log is read through the API."""

import json
import socket
import time
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts.roles import Role
from casework.models import Case
from casework.services import case_add_note, information_request_create
from common.models import OutboxTask
from common.outbox import outbox_run, outbox_sweep
from partners.models import WebhookDelivery, WebhookEndpoint
from partners.services.webhooks import webhook_deliver
from partners.webhooks import signature_valid
from tests.casework.factories import SubmittedReferralFactory, case_in_state
from tests.casework.test_responder import manager_of_sca
from tests.factories import FirstResponderOrganisationFactory, UserFactory
from tests.fixtures.recording_server import RecordingServer

URL = "/api/v1/webhooks"
SCOPE = "referrals:read"
PERSON = {"first_name": "Zebedee", "last_name": "Quillfeather", "email": "zebedee.quillfeather@example.org"}


def register(partner, url: str, events=None):
    body = {"url": url} if events is None else {"url": url, "events": events}
    response = partner.post(URL, body)
    assert response.status_code == 201, response.content
    return response.json()


def handler_rows():
    return OutboxTask.objects.filter(handler="partners.services.webhooks.webhook_deliver")


# --- Registration ----------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_registered_webhook_shows_its_secret_once_and_is_listed_without_it(partner_api):
    partner = partner_api(scopes=[SCOPE])
    made = register(partner, "http://127.0.0.1:9/hooks", events=["referral.sent"])
    assert made["secret"].startswith("whsec_")
    assert made["events"] == ["referral.sent"]
    listed = partner.get(URL).json()["results"]
    assert [item["id"] for item in listed] == [made["id"]]
    assert "secret" not in listed[0]
    assert made["secret"] not in partner.get(f"{URL}/{made['id']}").content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    ["http://partner.example.org/hooks", "https://10.0.0.5/hooks", "https://127.0.0.1/hooks", "ftp://example.org/"],
)
def test_a_webhook_must_be_https_on_a_public_address(partner_api, settings, url):
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = False
    partner = partner_api(scopes=[SCOPE])
    response = partner.post(URL, {"url": url})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert [error["field"] for error in response.json()["errors"]] == ["url"]
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_an_unknown_event_is_refused_naming_the_field(partner_api):
    response = partner_api(scopes=[SCOPE]).post(URL, {"url": "http://127.0.0.1:9/", "events": ["referral.eaten"]})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "events.0"


@pytest.mark.django_db
def test_a_registration_not_in_json_is_refused_as_unsupported(partner_api):
    partner = partner_api(scopes=[SCOPE])
    response = partner.post_multipart(URL, {"url": "http://127.0.0.1:9/"})
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_a_client_without_the_read_scope_cannot_register_a_webhook(partner_api):
    response = partner_api(scopes=["referrals:write"]).post(URL, {"url": "http://127.0.0.1:9/"})
    assert response.status_code == 403
    assert not WebhookEndpoint.objects.exists()


@pytest.mark.django_db
def test_another_clients_webhook_is_not_found_even_in_the_same_organisation(partner_api):
    owner = partner_api(scopes=[SCOPE])
    colleague = partner_api(organisation=owner.organisation, scopes=[SCOPE])
    made = register(owner, "http://127.0.0.1:9/hooks")
    for path in (f"{URL}/{made['id']}", f"{URL}/{made['id']}/deliveries"):
        assert colleague.get(path).status_code == 404
    assert (
        colleague.http.delete(f"{URL}/{made['id']}", HTTP_AUTHORIZATION=f"Bearer {colleague.token}").status_code == 404
    )
    assert colleague.get(URL).json()["results"] == []
    assert WebhookEndpoint.objects.get().active


@pytest.mark.django_db
def test_a_deleted_webhook_is_told_nothing_more_and_its_waiting_deliveries_are_not_sent(partner_api):
    partner = partner_api(scopes=[SCOPE])
    made = register(partner, "http://127.0.0.1:9/hooks")
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    delivery = WebhookDelivery.objects.get()
    response = partner.http.delete(f"{URL}/{made['id']}", HTTP_AUTHORIZATION=f"Bearer {partner.token}")
    assert response.status_code == 204
    assert partner.get(f"{URL}/{made['id']}").status_code == 404
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    assert WebhookDelivery.objects.count() == 1
    webhook_deliver(delivery_id=delivery.pk)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == (WebhookDelivery.Status.FAILED, 0)


# --- The trigger: one delivery per endpoint, in the change's transaction -----------------------------------------


@pytest.mark.django_db
def test_a_referral_sent_makes_one_delivery_for_its_organisations_endpoints_only(partner_api):
    ours = partner_api(scopes=[SCOPE])
    theirs = partner_api(scopes=[SCOPE])
    register(ours, "http://127.0.0.1:9/ours")
    register(theirs, "http://127.0.0.1:9/theirs")
    referral = SubmittedReferralFactory(draft__organisation=ours.organisation, answers=PERSON)
    delivery = WebhookDelivery.objects.get()
    assert delivery.endpoint.client == ours.client
    assert delivery.payload == {
        "event": "referral.sent",
        "reference": referral.reference,
        "status": delivery.payload["status"],
        "occurred_at": referral.submitted_at.isoformat(),
        "id": f"rs-{referral.pk}",
    }
    assert handler_rows().get().args == {"delivery_id": delivery.pk}


@pytest.mark.django_db
def test_an_endpoint_gets_only_the_events_it_asked_for(partner_api):
    partner = partner_api(scopes=[SCOPE])
    register(partner, "http://127.0.0.1:9/all")
    register(partner, "http://127.0.0.1:9/questions", events=["information_request.opened"])
    case = case_in_state(Case.Status.AWAITING_RG, draft__organisation=partner.organisation)
    information_request_create(
        case_id=case.pk,
        actor=manager_of_sca(),
        question="When did the person arrive?",
        due_date=timezone.localdate() + timedelta(days=10),
        uploaded_files=[],
    )
    told = sorted(WebhookDelivery.objects.values_list("endpoint__url", "event"))
    assert told == [
        ("http://127.0.0.1:9/all", "information_request.opened"),
        ("http://127.0.0.1:9/all", "referral.sent"),
        ("http://127.0.0.1:9/questions", "information_request.opened"),
    ]


@pytest.mark.django_db
def test_an_internal_case_event_tells_no_one_and_costs_no_query(partner_api, django_assert_num_queries):
    from casework.models import CaseEvent
    from partners.receivers import case_event_recorded

    partner = partner_api(scopes=[SCOPE])
    register(partner, "http://127.0.0.1:9/all")
    case = case_in_state(Case.Status.AWAITING_RG, draft__organisation=partner.organisation)
    before = WebhookDelivery.objects.count()
    case_add_note(case_id=case.pk, actor=manager_of_sca(), text="Called the first responder.")
    assert WebhookDelivery.objects.count() == before
    note = CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.NOTE_ADDED).get()
    with django_assert_num_queries(0):
        case_event_recorded(sender=CaseEvent, instance=note, created=True)


@pytest.mark.django_db
def test_a_revoked_client_or_one_without_the_read_scope_is_told_nothing(partner_api):
    partner = partner_api(scopes=[SCOPE])
    register(partner, "http://127.0.0.1:9/hooks")
    partner.client.scopes = ["referrals:write"]
    partner.client.save(update_fields=["scopes"])
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    partner.client.scopes = [SCOPE]
    partner.client.revoked_at = timezone.now()
    partner.client.save(update_fields=["scopes", "revoked_at"])
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    assert not WebhookDelivery.objects.exists()


# --- One attempt (in this process, the outbox run by hand) ------------------------------------------------------


@pytest.mark.django_db
def test_a_failed_attempt_is_logged_and_tried_again_after_a_growing_wait(partner_api, settings):
    settings.PARTNER_WEBHOOK_MAX_ATTEMPTS = 3
    partner = partner_api(scopes=[SCOPE])
    with RecordingServer(status=503) as server:
        made = register(partner, f"{server.url}/hooks")
        SubmittedReferralFactory(draft__organisation=partner.organisation)
        delivery = WebhookDelivery.objects.get()
        waits = []
        for _ in range(3):
            row = handler_rows().filter(state=OutboxTask.State.PENDING).get()
            started = timezone.now()
            outbox_run(outbox_id=row.pk)
            delivery.refresh_from_db()
            if delivery.next_try_at:
                waits.append(round((delivery.next_try_at - started).total_seconds() / 60))
                assert handler_rows().get(state=OutboxTask.State.PENDING).next_attempt_at == delivery.next_try_at
        assert len(server.requests) == 3
    assert waits == [1, 2]
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 3, 503)
    assert delivery.last_error == "HTTP 503"
    assert not handler_rows().filter(state=OutboxTask.State.PENDING).exists()
    log = partner.get(f"{URL}/{made['id']}/deliveries").json()["results"]
    assert [(item["status"], item["attempts"], item["last_status_code"]) for item in log] == [("failed", 3, 503)]


@pytest.mark.django_db
def test_a_receiver_that_never_answers_is_given_up_on_within_the_read_timeout(partner_api, settings):
    settings.PARTNER_WEBHOOK_READ_TIMEOUT = 0.5
    partner = partner_api(scopes=[SCOPE])
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(1)  # connections are taken by the kernel and never answered
    try:
        register(partner, f"http://127.0.0.1:{silent.getsockname()[1]}/hooks")
        SubmittedReferralFactory(draft__organisation=partner.organisation)
        started = time.monotonic()
        outbox_run(outbox_id=handler_rows().get().pk)
        assert time.monotonic() - started < 3
    finally:
        silent.close()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error == "Timed out"


@pytest.mark.django_db
def test_a_name_that_resolves_into_a_private_network_is_never_posted_to(partner_api, settings, monkeypatch):
    settings.PARTNER_WEBHOOKS_ALLOW_HTTP = False
    partner = partner_api(scopes=[SCOPE])
    register(partner, "https://hooks.partner.example/nrm")
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    monkeypatch.setattr(
        socket, "getaddrinfo", lambda *args, **kwargs: [(socket.AF_INET, socket.SOCK_STREAM, 6, "", ("10.1.2.3", 443))]
    )
    outbox_run(outbox_id=handler_rows().get().pk)
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("pending", 1, None)
    assert delivery.last_error == "Refused: Enter a URL on the internet, not a private or local address"


@pytest.mark.django_db
def test_the_delivery_log_is_read_in_a_fixed_number_of_queries(partner_api, django_assert_max_num_queries):
    partner = partner_api(scopes=[SCOPE])
    made = register(partner, "http://127.0.0.1:9/hooks")
    for _ in range(3):
        SubmittedReferralFactory(draft__organisation=partner.organisation)
    with django_assert_max_num_queries(12) as few:
        assert len(partner.get(f"{URL}/{made['id']}/deliveries").json()["results"]) == 3
    for _ in range(5):
        SubmittedReferralFactory(draft__organisation=partner.organisation)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(partner.get(f"{URL}/{made['id']}/deliveries").json()["results"]) == 8
    assert partner.get(f"{URL}/{made['id']}/deliveries", {"status": "sent"}).status_code == 400


# --- The service admin ----------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_admin_shows_the_delivery_log_read_only_and_never_an_endpoints_secret(partner_api, client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    client.force_login(UserFactory(role=Role.ADMIN))
    partner = partner_api(scopes=[SCOPE])
    made = register(partner, "http://127.0.0.1:9/hooks")
    SubmittedReferralFactory(draft__organisation=partner.organisation)
    delivery = WebhookDelivery.objects.get()
    pages = [
        reverse("admin:partners_webhookendpoint_changelist"),
        reverse("admin:partners_webhookendpoint_change", args=[made["id"]]),
        reverse("admin:partners_webhookdelivery_changelist"),
        reverse("admin:partners_webhookdelivery_change", args=[delivery.pk]),
    ]
    for page in pages:
        response = client.get(page)
        assert response.status_code == 200, page
        assert made["secret"] not in response.content.decode()
    assert delivery.event_id in client.get(pages[3]).content.decode()
    assert 'name="_save"' not in client.get(pages[3]).content.decode()
    assert client.get(reverse("admin:partners_webhookdelivery_add")).status_code == 403
    response = client.post(pages[0], {"action": "switch_off", "_selected_action": [made["id"]]})
    assert response.status_code == 302
    assert not WebhookEndpoint.objects.get().active


# --- With a real worker ----------------------------------------------------------------------------------------


def delivered(delivery_filter):
    return WebhookDelivery.objects.filter(status=WebhookDelivery.Status.DELIVERED, **delivery_filter).first()


@pytest.mark.worker
def test_a_worker_posts_a_signed_change_without_personal_data_to_its_organisation_only(
    transactional_db, celery_worker_process, partner_api
):
    ours = partner_api(scopes=[SCOPE])
    theirs = partner_api(organisation=FirstResponderOrganisationFactory(), scopes=[SCOPE])
    with RecordingServer(status=204) as receiver, RecordingServer(status=204) as other:
        made = register(ours, f"{receiver.url}/nrm-hooks")
        register(theirs, f"{other.url}/nrm-hooks")
        referral = SubmittedReferralFactory(draft__organisation=ours.organisation, answers=PERSON)
        [request] = receiver.wait_for(1)
        delivery = celery_worker_process.wait_until(lambda: delivered({"endpoint_id": made["id"]}))
        time.sleep(0.5)
        assert other.requests == []
    assert request.path == "/nrm-hooks"
    assert request.headers["content-type"] == "application/json"
    timestamp = request.headers["webhook-timestamp"]
    assert abs(int(timestamp) - time.time()) < 60
    assert signature_valid(made["secret"], timestamp, request.body, request.headers["webhook-signature"])
    assert not signature_valid("whsec_another", timestamp, request.body, request.headers["webhook-signature"])
    body = request.json()
    assert body["id"] == request.headers["webhook-id"] == f"rs-{referral.pk}"
    assert body["event"] == "referral.sent"
    assert body["reference"] == referral.reference
    assert set(body) == {"event", "reference", "status", "occurred_at", "id"}
    text = request.body.decode()
    for value in PERSON.values():
        assert value not in text
    assert (delivery.attempts, delivery.last_status_code) == (1, 204)


@pytest.mark.worker
def test_a_500_then_a_200_is_retried_after_its_wait_and_delivered_once(
    transactional_db, celery_worker_process, partner_api
):
    partner = partner_api(scopes=[SCOPE])
    with RecordingServer(status=500) as receiver:
        made = register(partner, f"{receiver.url}/hooks")
        referral = SubmittedReferralFactory(draft__organisation=partner.organisation)
        receiver.wait_for(1)
        failed_once = celery_worker_process.wait_until(
            lambda: WebhookDelivery.objects.filter(attempts=1, status=WebhookDelivery.Status.PENDING).first()
        )
        assert failed_once.last_status_code == 500
        assert failed_once.next_try_at > timezone.now() + timedelta(seconds=30)
        receiver.status = 200
        # Nothing is sent before its wait is over: the sweep leaves the retry alone...
        assert outbox_sweep() == 0
        time.sleep(1)
        assert len(receiver.requests) == 1
        # ...until its time has come (the clock moved on by a minute).
        handler_rows().filter(state=OutboxTask.State.PENDING).update(next_attempt_at=timezone.now())
        assert outbox_sweep() == 1
        delivery = celery_worker_process.wait_until(lambda: delivered({"endpoint_id": made["id"]}))
        handler_rows().update(next_attempt_at=timezone.now())
        outbox_sweep()
        time.sleep(1)
        requests = list(receiver.requests)
    assert len(requests) == 2
    assert {request.json()["id"] for request in requests} == {f"rs-{referral.pk}"}
    assert (delivery.attempts, delivery.last_status_code, delivery.last_error) == (2, 200, "")
    log = partner.get(f"{URL}/{made['id']}/deliveries").json()["results"]
    assert [(item["status"], item["attempts"]) for item in log] == [("delivered", 2)]
    assert json.loads(requests[0].body) == json.loads(requests[1].body)
