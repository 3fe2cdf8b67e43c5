"""manage.py import_gov_uk_referral report.json --organisation "Name or id" [--client "Client name"]

Imports one report in the live GOV.UK service's case payload exactly as POST /api/v1/imports/gov-uk-referral does
(partners.services.imports): the referral is sent as the organisation's API client (its service user), once per
ExternalId. An error names the payload's key and creates nothing."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from accounts.models import Organisation
from partners.govuk_payload import PayloadError
from partners.models import ApiClient
from partners.services.imports import ImportedElsewhere, govuk_referral_import


class Command(BaseCommand):
    help = "Import a report in the GOV.UK service's case payload (a JSON file) as a referral of an organisation"

    def add_arguments(self, parser):
        parser.add_argument("file", help="The payload: one JSON object of string values")
        parser.add_argument("--organisation", required=True, help="The organisation's name or id")
        parser.add_argument("--client", help="The name of the organisation's API client (when it has several)")

    def handle(self, *args, file: str, organisation: str, client: str | None = None, **options):
        try:
            payload = json.loads(Path(file).read_text(encoding="utf-8"))
        except (OSError, ValueError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        api_client = self._client(organisation, client)
        try:
            result = govuk_referral_import(client=api_client, payload=payload, through_command=True)
        except PayloadError as error:
            lines = [message for messages in error.errors.values() for message in messages]
            raise CommandError("The payload has errors:\n" + "\n".join(lines)) from None
        except ImportedElsewhere as error:
            raise CommandError(str(error)) from None
        reference = result.imported.referral.reference
        if result.created:
            self.stdout.write(f"Imported {reference} (ExternalId {result.imported.external_id})")
        else:
            self.stdout.write(f"Already imported: {reference} (ExternalId {result.imported.external_id})")

    def _client(self, organisation: str, name: str | None) -> ApiClient:
        found = Organisation.objects.filter(pk=int(organisation)) if organisation.isdigit() else None
        found = found if found is not None and found.exists() else Organisation.objects.filter(name=organisation)
        target = found.first()
        if target is None:
            raise CommandError(f"No organisation named {organisation!r}")
        clients = ApiClient.objects.filter(organisation=target, revoked_at__isnull=True).select_related("user")
        if name:
            clients = clients.filter(name=name)
        if not clients:
            raise CommandError(
                f"{target} has no active API client{' named ' + repr(name) if name else ''}: the referral is sent "
                "as one (create it on the organisation's API clients page)"
            )
        if len(clients) > 1:
            raise CommandError(f"{target} has several API clients: name one with --client")
        return clients[0]
