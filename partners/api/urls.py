"""/api/v1/: one line a route; the names are what the request log records."""

from django.urls import path

from partners.api.changes import ChangesView
from partners.api.clients import ClientView
from partners.api.imports import GovUkImportView, GovUkPayloadView
from partners.api.information_requests import (
    InformationRequestAnswerView,
    InformationRequestDetailView,
    InformationRequestFileView,
    InformationRequestListView,
)
from partners.api.referral_create import EvidenceUploadView
from partners.api.referrals import LetterDownloadView, LetterListView, ReferralDetailView, ReferralsView
from partners.api.webhooks import WebhookDeliveryListView, WebhookDetailView, WebhookListView

app_name = "partners-api"

urlpatterns = [
    path("client", ClientView.as_view(), name="client"),
    path("referrals", ReferralsView.as_view(), name="referrals"),  # GET part B, POST part A
    path("referrals/<reference:reference>/evidence", EvidenceUploadView.as_view(), name="referral-evidence"),
    path("referrals/<reference:reference>", ReferralDetailView.as_view(), name="referral"),
    path("referrals/<reference:reference>/letters", LetterListView.as_view(), name="referral-letters"),
    path(
        "referrals/<reference:reference>/letters/<int:letter_id>",
        LetterDownloadView.as_view(),
        name="referral-letter",
    ),
    path("referrals/<reference:reference>/gov-uk-payload", GovUkPayloadView.as_view(), name="referral-gov-uk-payload"),
    path("imports/gov-uk-referral", GovUkImportView.as_view(), name="gov-uk-import"),
    path("changes", ChangesView.as_view(), name="changes"),
    path("information-requests", InformationRequestListView.as_view(), name="information-requests"),
    path("information-requests/<int:request_id>", InformationRequestDetailView.as_view(), name="information-request"),
    path(
        "information-requests/<int:request_id>/answer",
        InformationRequestAnswerView.as_view(),
        name="information-request-answer",
    ),
    path(
        "information-requests/<int:request_id>/files/<int:file_id>",
        InformationRequestFileView.as_view(),
        name="information-request-file",
    ),
    path("webhooks", WebhookListView.as_view(), name="webhooks"),
    path("webhooks/<int:webhook_id>", WebhookDetailView.as_view(), name="webhook"),
    path("webhooks/<int:webhook_id>/deliveries", WebhookDeliveryListView.as_view(), name="webhook-deliveries"),
]
