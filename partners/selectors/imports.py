"""The GOV.UK case payload of a sent referral (partners.govuk_payload): for the export endpoint and anyone who
needs the live service's format."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from common.virus_scan import ScanStatus
from partners.govuk_payload import export_payload, external_id_for
from partners.models import ApiClient, ImportedReferral
from referrals.models import Referral
from referrals.selectors import referrals_for


def referral_of_organisation(*, client: ApiClient, reference: str) -> Referral | None:
    """One referral of the client's organisation (as its web first responders see them), with its case; None
    for another organisation's."""
    return referrals_for(user=client.user).select_related("case", "organisation").filter(reference=reference).first()


def govuk_payload_of(referral: Referral) -> dict[str, str]:
    """The referral in the live service's payload: its answers key by key, the ExternalId (an import's own, or one
    derived from our reference), what an import kept as received, and its clean evidence files as documents (the
    site's download address: a signed-in caseworker or the organisation's responders fetch them)."""
    imported = ImportedReferral.objects.filter(referral=referral).first()
    documents = [
        (
            settings.SERVICE_URL.rstrip("/") + reverse("referrals:evidence_download", args=[evidence.pk]),
            evidence.original_name,
            evidence.content_type,
        )
        for evidence in referral.draft.evidence.filter(scan_status=ScanStatus.CLEAN).order_by("uploaded_at", "pk")
    ]
    return export_payload(
        route=referral.route,
        answers=referral.answers,
        external_id=str(imported.external_id) if imported else external_id_for(referral.reference),
        organisation_name=referral.organisation.name,
        agent_email=referral.submitted_by.email,
        kept=imported.kept if imported else {},
        documents=[] if imported and any(key.startswith("Document") for key in imported.kept) else documents,
    )
