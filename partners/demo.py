"""Demo data of the partner API: one client of the demo police organisation, with a fixed client ID and secret
published in the README (demo mode only; a real client's secret is random and shown once)."""

from django.db import transaction
from oauth2_provider.models import Application

from accounts.models import User
from partners.models import ApiClient
from partners.scopes import Scope
from partners.services.clients import api_client_create

DEMO_ORGANISATION_ADMIN = "spoc@police.example"  # accounts.demo: the demo police organisation's administrator
DEMO_CLIENT_NAME = "Demo case management system"
DEMO_CLIENT_ID = "nrm-demo-police-client"
DEMO_CLIENT_SECRET = "nrm-demo-client-secret"  # noqa: S105 - published in the README for demo mode only


@transaction.atomic
def seed() -> tuple[str, str, str]:
    """(organisation, client ID, secret) of the demo client, made through the service unless it exists; its ID
    and secret are then set to the published demo ones (the secret still stored only as a hash)."""
    administrator = User.objects.select_related("organisation").get(email=DEMO_ORGANISATION_ADMIN)
    organisation = administrator.organisation
    client = ApiClient.objects.filter(organisation=organisation, name=DEMO_CLIENT_NAME).first()
    if client is None:
        new = api_client_create(
            actor=administrator, organisation=organisation, name=DEMO_CLIENT_NAME, scopes=list(Scope)
        )
        application = Application.objects.get(pk=new.client.application_id)
        application.client_id = DEMO_CLIENT_ID
        application.client_secret = DEMO_CLIENT_SECRET  # hashed on save (hash_client_secret)
        application.save(update_fields=["client_id", "client_secret"])
    return organisation.name, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET
