"""An organisation's partner API clients, as its administrator sees them."""

from django.db.models import F, OuterRef, QuerySet, Subquery

from accounts.models import User
from partners.models import ApiClient, ApiRequestLogEntry


def _with_last_used(clients: QuerySet) -> QuerySet:
    # The newest row of the request log per client: one index scan each (client, -at), in the same query.
    last_used = ApiRequestLogEntry.objects.filter(client=OuterRef("pk")).order_by("-at").values("at")[:1]
    return clients.select_related("application", "organisation").annotate(last_used_at=Subquery(last_used))


def api_clients_for(*, user: User) -> QuerySet:
    """The clients of the organisation `user` administers (none for anyone else); the active ones first."""
    if not user.is_organisation_admin:
        return ApiClient.objects.none()
    clients = ApiClient.objects.filter(organisation_id=user.organisation_id)
    return _with_last_used(clients).order_by(F("revoked_at").asc(nulls_first=True), "name", "pk")


def api_clients_all() -> QuerySet:
    """Every client, with when each last called the API (the service admin's list)."""
    return _with_last_used(ApiClient.objects.all())
