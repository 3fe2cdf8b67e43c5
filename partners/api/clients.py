"""GET /api/v1/client: who the token belongs to (a first call that proves a token works)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.response import Response

from partners.api.base import PartnerApiView


class ClientSerializer(serializers.Serializer):
    client_id = serializers.CharField()
    name = serializers.CharField()
    organisation = serializers.CharField()
    scopes = serializers.ListField(child=serializers.CharField())


class ClientView(PartnerApiView):
    @extend_schema(
        operation_id="client_read", summary="The client the token belongs to", responses={200: ClientSerializer}
    )
    def get(self, request):
        client = self.api_client
        return Response(
            ClientSerializer(
                {
                    "client_id": client.client_id,
                    "name": client.name,
                    "organisation": client.organisation.name,
                    "scopes": sorted(request.auth.scope.split()),
                }
            ).data
        )
