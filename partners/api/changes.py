"""GET /api/v1/changes?cursor=...: what changed on the organisation's referrals since the client last asked, oldest
first (newest last), each change as the webhooks send it (partners.events): {event, reference, status,
occurred_at, id}, with no personal data. The answer's `cursor` is where to ask from next time; it is opaque.
A change is listed once it is a few seconds old (partners.selectors.referrals.settled_before): webhooks are the
quick way to hear of it; the feed is the one that never misses one."""

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response

from partners.api.base import PartnerApiView
from partners.api.problems import problem, problem_responses
from partners.events import REFERRER_STATUS_LABEL, ChangeEvent
from partners.scopes import Scope
from partners.selectors.referrals import InvalidCursor, changes_of_client

PAGE_SIZE = 100
MAX_PAGE_SIZE = 500


class ChangeSerializer(serializers.Serializer):
    event = serializers.ChoiceField(choices=ChangeEvent.choices)
    reference = serializers.CharField(help_text="The referral's reference")
    status = serializers.ChoiceField(
        choices=list(REFERRER_STATUS_LABEL), help_text="The referral's status (as a code) once this happened"
    )
    occurred_at = serializers.DateTimeField()
    id = serializers.CharField(help_text="The change's id: the same in the feed and in a webhook's body")


class ChangesPageSerializer(serializers.Serializer):
    changes = ChangeSerializer(many=True, help_text="Oldest first")
    cursor = serializers.CharField(
        allow_null=True,
        help_text="Ask again with ?cursor=<this> for what happens next (null while nothing has happened yet)",
    )
    has_more = serializers.BooleanField(help_text="More changes wait: ask again now with the cursor")


class ChangesView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="changes_list",
        summary="What changed on your organisation's referrals since the cursor, oldest first",
        parameters=[
            OpenApiParameter("cursor", str, description="The `cursor` of the previous answer; none for the first"),
            OpenApiParameter("limit", int, description=f"Up to {MAX_PAGE_SIZE} ({PAGE_SIZE} unless given)"),
        ],
        responses={200: ChangesPageSerializer, **problem_responses(400)},
    )
    def get(self, request):
        limit = request.query_params.get("limit", str(PAGE_SIZE))
        if not limit.isdigit() or not 1 <= int(limit) <= MAX_PAGE_SIZE:
            return problem(
                status.HTTP_400_BAD_REQUEST,
                f"limit must be a whole number from 1 to {MAX_PAGE_SIZE}",
                code="validation",
                errors=[{"field": "limit", "code": "invalid", "message": f"Enter a number from 1 to {MAX_PAGE_SIZE}"}],
            )
        try:
            page = changes_of_client(
                client=self.api_client, cursor=request.query_params.get("cursor") or None, limit=int(limit)
            )
        except InvalidCursor:
            return problem(
                status.HTTP_400_BAD_REQUEST,
                "This cursor was not given by this feed: send the cursor of a previous answer, or none",
                code="validation",
                errors=[{"field": "cursor", "code": "invalid", "message": "Send a cursor this feed gave you"}],
            )
        return Response(
            {
                "changes": [change.payload() for change in page.changes],
                "cursor": page.cursor,
                "has_more": page.has_more,
            }
        )
