"""An organisation administrator's partner API clients, under /organisation/api-clients/ (nrm/urls.py)."""

from django.urls import path

from partners import client_views as views

app_name = "api_clients"

urlpatterns = [
    path("", views.client_list, name="list"),
    path("new/", views.client_new, name="new"),
    path("<int:api_client_id>/revoke/", views.client_revoke, name="revoke"),
]
