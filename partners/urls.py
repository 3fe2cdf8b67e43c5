"""/api/: the token endpoint, the schema and its documentation pages, version 1, and a problem (404) for any
other address under /api/."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView
from oauth2_provider.views import TokenView

import partners.api.schema  # noqa: F401 (registers the OpenAPI security scheme of the client's bearer token)
from partners import api_docs

urlpatterns = [
    path("v1/oauth/token", TokenView.as_view(), name="partners-oauth-token"),
    path("v1/schema", SpectacularAPIView.as_view(), name="partners-schema"),
    path("v1/", include("partners.api.urls")),
    path("docs", api_docs.getting_started, name="partners-api-docs"),
    path("docs/errors", api_docs.errors, name="partners-api-docs-errors"),
    path("docs/reference", api_docs.reference, name="partners-api-docs-reference"),
    re_path(r"^.*$", api_docs.not_found, name="partners-api-not-found"),
]
