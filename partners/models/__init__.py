"""The partners app's models, one module per part (issue 14): API clients and their calls; the others are added
by their own modules and imported here."""

from partners.models.api_referrals import IdempotencyKey  # noqa: F401 (part A)
from partners.models.clients import ApiClient, ApiRequestLogEntry
from partners.models.imports import ImportedReferral  # noqa: F401 (part E)
from partners.models.partnerships import Partnership, PathwayContact  # noqa: F401 (part F)
from partners.models.webhooks import WebhookDelivery, WebhookEndpoint  # noqa: F401 (part D)

__all__ = ["ApiClient", "ApiRequestLogEntry"]
