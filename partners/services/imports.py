"""Importing a report of the live GOV.UK service (its case payload, partners.govuk_payload): read into our
answers, then created exactly as a referral sent through the API (api_referral_create: the web's checks,
referral_submit, a case for an NRM referral), once per ExternalId."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from django.db import connection, transaction

from partners.govuk_payload import PayloadError, import_answers, payload_key_for
from partners.models import ApiClient, ImportedReferral
from partners.services.referrals import ReferralAnswersInvalid, api_referral_create


class ImportedElsewhere(Exception):
    """The ExternalId was imported by another organisation: never its referral, never a second one."""

    def __init__(self):
        super().__init__("A report with this ExternalId has already been imported by another organisation")


@dataclass(frozen=True)
class ImportResult:
    imported: ImportedReferral
    created: bool  # False: the same ExternalId was imported before; this is the first import's referral


@transaction.atomic
def govuk_referral_import(*, client: ApiClient, payload: Mapping, through_command: bool = False) -> ImportResult:
    """Creates the referral (and its case for an NRM referral) from a GOV.UK payload, in one transaction. The
    same ExternalId again returns the first import (concurrent imports of one ExternalId queue on a lock).
    Raises PayloadError ({GOV.UK key: [messages]}: an unreadable value, a value with no place in this report, or
    an answer failing the web's checks, named by the key it came from) or ImportedElsewhere."""
    imported = import_answers(payload)
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))", [f"govuk-import:{imported.external_id}"]
        )
    existing = ImportedReferral.objects.select_related("referral").filter(external_id=imported.external_id).first()
    if existing is not None:
        if existing.referral.organisation_id != client.organisation_id:
            raise ImportedElsewhere
        return ImportResult(existing, created=False)
    try:
        referral = api_referral_create(client=client, answers=imported.answers)
    except ReferralAnswersInvalid as invalid:
        errors: dict[str, list[str]] = {}
        for answer_key, messages in invalid.errors.items():
            key = payload_key_for(answer_key, imported)
            errors.setdefault(key, []).extend(f"{key}: {message}" for message in messages)
        raise PayloadError(errors) from None
    record = ImportedReferral.objects.create(
        external_id=imported.external_id,
        referral=referral,
        client=client,
        kept=imported.kept,
        through_command=through_command,
    )
    return ImportResult(record, created=True)
