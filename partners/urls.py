"""/api/: the token endpoint, the schema and its documentation pages, and version 1."""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import TokenView

urlpatterns = [
    path("v1/oauth/token", TokenView.as_view(), name="partners-oauth-token"),
    path("v1/schema", SpectacularAPIView.as_view(), name="partners-schema"),
    path("v1/", include("partners.api.urls")),
]
