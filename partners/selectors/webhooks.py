"""A client's own webhooks and their deliveries: another client's, even of the same organisation, are not found."""

from django.db.models import QuerySet

from partners.models import ApiClient, WebhookDelivery, WebhookEndpoint


def webhook_endpoints_of(*, client: ApiClient) -> QuerySet:
    """The client's registered (not deleted) endpoints, oldest first."""
    return WebhookEndpoint.objects.filter(client=client, active=True).order_by("created_at", "pk")


def webhook_deliveries_of(*, endpoint: WebhookEndpoint) -> QuerySet:
    """The endpoint's deliveries, newest first."""
    return WebhookDelivery.objects.filter(endpoint=endpoint).order_by("-created_at", "-pk")
