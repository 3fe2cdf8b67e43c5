"""The partner API's OAuth2 scopes: the one declaration that the token endpoint, the clients' forms, the views'
permissions and the documentation read."""

from django.db import models


class Scope(models.TextChoices):
    REFERRALS_WRITE = "referrals:write", "Send referrals and Duty to Notify reports, and upload their evidence"
    REFERRALS_READ = "referrals:read", "Read the status, outcomes, letters and changes of the organisation's referrals"
    INFORMATION_REQUESTS_WRITE = (
        "information-requests:write",
        "Read and answer the competent authority's requests for more information",
    )


SCOPE_DESCRIPTIONS = {scope.value: scope.label for scope in Scope}
