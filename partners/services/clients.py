"""Creating and revoking partner API clients."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from oauth2_provider.generators import generate_client_secret
from oauth2_provider.models import AccessToken, Application

from accounts.models import Organisation, User
from accounts.roles import Role
from accounts.services import api_client_user_create, api_client_user_deactivate
from partners.models import ApiClient
from partners.scopes import Scope


class ApiClientRefused(PermissionDenied):
    """The actor may not manage the API clients of that organisation."""


@dataclass(frozen=True)
class NewApiClient:
    client: ApiClient
    # Shown once, on the page after creation; only its hash is stored (the application's client_secret).
    client_secret: str


def may_manage_api_clients(*, actor: User, organisation_id: int) -> bool:
    """An organisation administrator manages their own organisation's clients; a service admin any first
    responder organisation's."""
    if actor.role == Role.ADMIN and actor.is_active:
        return True
    return actor.is_organisation_admin and actor.organisation_id == organisation_id


@transaction.atomic
def api_client_create(*, actor: User, organisation: Organisation, name: str, scopes: list[str]) -> NewApiClient:
    if not may_manage_api_clients(actor=actor, organisation_id=organisation.pk):
        raise ApiClientRefused("You cannot create API clients for this organisation")
    if not organisation.is_first_responder:
        raise ValidationError({"organisation": "Only a first responder organisation can have partner API clients"})
    scopes = [Scope(scope).value for scope in scopes]
    if not scopes:
        raise ValidationError({"scopes": "Select what the client may do"})
    name = name.strip()
    if ApiClient.objects.filter(organisation=organisation, name__iexact=name).exists():
        raise ValidationError({"name": "Your organisation already has a client with this name"})
    secret = generate_client_secret()
    application = Application.objects.create(
        name=f"{organisation.name}: {name}"[:255],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_CLIENT_CREDENTIALS,
        client_secret=secret,  # hashed on save (hash_client_secret)
        hash_client_secret=True,
        skip_authorization=True,
    )
    user = api_client_user_create(organisation=organisation, actor=actor)
    client = ApiClient(
        name=name, organisation=organisation, application=application, user=user, scopes=scopes, created_by=actor
    )
    client._history_user = actor
    client.save()
    return NewApiClient(client=client, client_secret=secret)


@transaction.atomic
def api_client_revoke(*, actor: User, client_id: int) -> ApiClient:
    """Revoked at once: its tokens are deleted, its service user deactivated, and the token endpoint refuses it."""
    client = ApiClient.objects.select_for_update().select_related("organisation").get(pk=client_id)
    if not may_manage_api_clients(actor=actor, organisation_id=client.organisation_id):
        raise ApiClientRefused("You cannot revoke this organisation's API clients")
    if client.revoked_at is not None:
        return client
    client.revoked_at = timezone.now()
    client.revoked_by = actor
    client._history_user = actor
    client.save(update_fields=["revoked_at", "revoked_by"])
    AccessToken.objects.filter(application_id=client.application_id).delete()
    api_client_user_deactivate(user_id=client.user_id, actor=actor)
    return client
