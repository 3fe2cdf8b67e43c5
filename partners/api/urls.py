"""/api/v1/: one line a route; the names are what the request log records."""

from django.urls import path

from partners.api.clients import ClientView

app_name = "partners-api"

urlpatterns = [
    path("client", ClientView.as_view(), name="client"),
]
