"""/api/v1/: one line a route; the names are what the request log records."""

from django.urls import path

from partners.api.clients import ClientView

from partners.api.webhooks import WebhookDeliveryListView, WebhookDetailView, WebhookListView

app_name = "partners-api"

urlpatterns = [
    path("client", ClientView.as_view(), name="client"),
    path("webhooks", WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:webhook_id>", WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<int:webhook_id>/deliveries", WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
]
