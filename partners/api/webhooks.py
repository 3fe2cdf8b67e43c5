"""Webhooks: a client registers HTTPS endpoints to be told of its organisation's changes as they happen, and reads
the log of what was sent (docs/adr/0028-webhooks-signed-through-the-outbox.md).

POST   /api/v1/webhooks                        register an endpoint: the answer shows its signing secret ONCE
GET    /api/v1/webhooks                        the client's endpoints
GET    /api/v1/webhooks/{id}                   one endpoint
DELETE /api/v1/webhooks/{id}                   stop telling it (its deliveries stay in the service's log)
GET    /api/v1/webhooks/{id}/deliveries        what was sent to it, newest first (cursor pages)

Each delivery is a POST of JSON {event, reference, status, occurred_at, id} (the same change as GET /api/v1/changes;
no personal data), signed: `Webhook-Timestamp: <unix seconds>`, `Webhook-Signature: v1=<hex HMAC-SHA256 of
"<timestamp>.<body>" keyed by the secret>`. Any 2xx answer within a few seconds is a delivery; anything else is
tried again later with a growing wait. Endpoints are the client's own: another client's is 404.
"""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from partners.api.base import PartnerApiView
from partners.api.problems import problem, problem_responses
from partners.events import ChangeEvent
from partners.models import WebhookDelivery, WebhookEndpoint
from partners.scopes import Scope
from partners.selectors.webhooks import webhook_deliveries_of, webhook_endpoints_of
from partners.services.webhooks import webhook_endpoint_create, webhook_endpoint_delete

# --- Representation --------------------------------------------------------------------------------------------


class WebhookCreateSerializer(serializers.Serializer):
    url = serializers.URLField(max_length=500, help_text="Where to POST the changes: https:// only")
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeEvent.choices),
        required=False,
        default=list,
        help_text="The kinds of change to send; empty or left out: every kind",
    )


class WebhookSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = serializers.URLField()
    events = serializers.ListField(
        child=serializers.ChoiceField(choices=ChangeEvent.choices), help_text="Empty: every kind of change"
    )
    created_at = serializers.DateTimeField()


class NewWebhookSerializer(WebhookSerializer):
    secret = serializers.CharField(
        help_text="The key of each delivery's HMAC-SHA256 signature. Shown this once: keep it safe"
    )


class WebhookListSerializer(serializers.Serializer):
    results = WebhookSerializer(many=True)


class WebhookChangeSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=ChangeEvent.choices)
    reference = serializers.CharField()
    status = serializers.CharField()
    occurred_at = serializers.DateTimeField()
    id = serializers.CharField()


class WebhookDeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    event_id = serializers.CharField(help_text="The change's id (the payload's `id`)")
    event = serializers.ChoiceField(choices=ChangeEvent.choices)
    payload = WebhookChangeSerializer(help_text="The JSON body posted")
    status = serializers.ChoiceField(choices=WebhookDelivery.Status.choices)
    attempts = serializers.IntegerField()
    last_status_code = serializers.IntegerField(allow_null=True, help_text="Your endpoint's last answer")
    last_error = serializers.CharField(allow_blank=True, help_text="What went wrong last, in a few words")
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    next_try_at = serializers.DateTimeField(allow_null=True, help_text="When it is tried again, while pending")
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)


class WebhookDeliveryPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last")
    previous = serializers.URLField(allow_null=True)
    results = WebhookDeliverySerializer(many=True)


def represent(endpoint: WebhookEndpoint) -> dict:
    return {"id": endpoint.pk, "url": endpoint.url, "events": endpoint.events, "created_at": endpoint.created_at}


def represent_delivery(delivery: WebhookDelivery) -> dict:
    return {name: getattr(delivery, name) for name in ("id", *WebhookDelivery.LOG_FIELDS)}


class NewestFirst(CursorPagination):
    ordering = ("-created_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


def not_found() -> Response:
    return problem(status.HTTP_404_NOT_FOUND, "Your client has no webhook with this id", code="not-found")


# --- Views -----------------------------------------------------------------------------------------------------


class WebhookListView(PartnerApiView):
    """Your client's webhooks: the HTTPS endpoints told of your organisation's referrals' changes."""

    required_scopes = [Scope.REFERRALS_READ.value]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="webhooks_list",
        summary="Your client's webhooks",
        responses={200: WebhookListSerializer, **problem_responses()},
    )
    def get(self, request):
        return Response({"results": [represent(endpoint) for endpoint in webhook_endpoints_of(client=self.api_client)]})

    @extend_schema(
        operation_id="webhooks_create",
        summary="Register a webhook: its secret is in this answer only",
        description=(
            "The URL must be https:// on the internet (not a private or local address). Each change of your "
            "organisation's referrals is then POSTed to it as JSON, signed with the secret in this answer: "
            '`Webhook-Signature: v1=<hex HMAC-SHA256 of "<Webhook-Timestamp>.<body>">`.'
        ),
        request=WebhookCreateSerializer,
        responses={201: NewWebhookSerializer, **problem_responses(400)},
    )
    def post(self, request):
        given = WebhookCreateSerializer(data=request.data)
        given.is_valid(raise_exception=True)
        try:
            endpoint, secret = webhook_endpoint_create(
                client=self.api_client, url=given.validated_data["url"], events=given.validated_data["events"]
            )
        except DjangoValidationError as error:
            raise ValidationError(error.message_dict) from error
        return Response(
            {**represent(endpoint), "secret": secret},
            status=status.HTTP_201_CREATED,
            headers={"Location": reverse("partners-api:webhook", args=[endpoint.pk]), "Cache-Control": "no-store"},
        )


class WebhookDetailView(PartnerApiView):
    """One webhook of your client (another client's is not found)."""

    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="webhooks_read",
        summary="One of your client's webhooks",
        responses={200: WebhookSerializer, **problem_responses(404)},
    )
    def get(self, request, webhook_id: int):
        endpoint = webhook_endpoints_of(client=self.api_client).filter(pk=webhook_id).first()
        if endpoint is None:
            return not_found()
        return Response(represent(endpoint))

    @extend_schema(
        operation_id="webhooks_delete",
        summary="Remove a webhook: nothing more is sent to it",
        responses={204: None, **problem_responses(404)},
    )
    def delete(self, request, webhook_id: int):
        endpoint = webhook_endpoints_of(client=self.api_client).filter(pk=webhook_id).first()
        if endpoint is None:
            return not_found()
        webhook_endpoint_delete(endpoint=endpoint)
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookDeliveryListView(PartnerApiView):
    """The delivery log of one of your client's webhooks: each change sent, its attempts and your last answer."""

    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="webhooks_deliveries_list",
        summary="What was sent to a webhook, newest first, with each delivery's attempts and last answer",
        parameters=[
            OpenApiParameter(
                "status", str, enum=list(WebhookDelivery.Status.values), description="Only deliveries in this state"
            ),
            OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor"),
            OpenApiParameter("page_size", int, description="Up to 100 (50 unless given)"),
        ],
        responses={200: WebhookDeliveryPageSerializer, **problem_responses(400, 404)},
    )
    def get(self, request, webhook_id: int):
        endpoint = webhook_endpoints_of(client=self.api_client).filter(pk=webhook_id).first()
        if endpoint is None:
            return not_found()
        deliveries = webhook_deliveries_of(endpoint=endpoint)
        wanted = request.query_params.get("status")
        if wanted is not None:
            if wanted not in WebhookDelivery.Status.values:
                raise ValidationError({"status": [f"Choose one of: {', '.join(WebhookDelivery.Status.values)}"]})
            deliveries = deliveries.filter(status=wanted)
        paginator = NewestFirst()
        page = paginator.paginate_queryset(deliveries, request, view=self)
        return Response(
            {
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [represent_delivery(delivery) for delivery in page],
            }
        )
