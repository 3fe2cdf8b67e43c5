"""The live GOV.UK service's case payload (partners.govuk_payload):

POST /api/v1/imports/gov-uk-referral              import one report (scope referrals:write); Idempotency-Key
GET  /api/v1/referrals/{reference}/gov-uk-payload the referral in that payload (scope referrals:read)

An import creates the referral exactly as POST /api/v1/referrals does (the web's checks and sending), once per
ExternalId: the same report again answers 200 with the first import's referral. A key that cannot be read, or that
carries a value with no place in the report, is a 400 problem naming the key; nothing is kept.
"""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiExample, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.parsers import JSONParser
from rest_framework.response import Response

from casework.models import AccessLogEntry
from casework.services import access_log_record
from partners.api.base import PartnerApiView
from partners.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_create
from partners.api.problems import problem, problem_responses
from partners.govuk_payload import PayloadError
from partners.scopes import Scope
from partners.selectors.imports import govuk_payload_of, referral_of_organisation
from partners.services.imports import ImportedElsewhere, govuk_referral_import


class ImportResultSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="Our reference of the referral, e.g. NRM-2026-000123")
    kind = serializers.ChoiceField(choices=["nrm_referral", "duty_to_notify"])
    external_id = serializers.UUIDField(help_text="The payload's ExternalId")
    created = serializers.BooleanField(help_text="False: this ExternalId was imported before; its referral")


def payload_errors(error: PayloadError) -> Response:
    return problem(
        status.HTTP_400_BAD_REQUEST,
        "Correct the keys listed in errors and send the payload again",
        code="validation",
        errors=[
            {"field": key, "code": "invalid", "message": message}
            for key, messages in error.errors.items()
            for message in messages
        ],
    )


class GovUkImportView(PartnerApiView):
    """Imports one report of the GOV.UK service (its case payload, a JSON object of string values) as a referral
    of your organisation, checked and sent exactly as POST /api/v1/referrals; once per ExternalId."""

    required_scopes = [Scope.REFERRALS_WRITE.value]
    parser_classes = [JSONParser]

    @extend_schema(
        operation_id="gov_uk_referral_import",
        summary="Import a report in the GOV.UK service's case payload (once per ExternalId)",
        request=OpenApiTypes.OBJECT,
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        responses={
            201: ImportResultSerializer,
            200: ImportResultSerializer,
            **problem_responses(400, 409, 415, 422),
        },
        examples=[
            OpenApiExample(
                "A Duty to Notify (shortened)",
                value={"ExternalId": "0f8fad5b-d9cb-469f-a165-70867728950e", "Type": "662265", "NRMOrDuty": "DTN"},
                request_only=True,
            )
        ],
    )
    def post(self, request):
        def create() -> Response:
            try:
                result = govuk_referral_import(client=self.api_client, payload=request.data)
            except PayloadError as error:
                return payload_errors(error)
            except ImportedElsewhere as error:
                return problem(status.HTTP_409_CONFLICT, str(error), code="imported-elsewhere")
            referral = result.imported.referral
            body = {
                "reference": referral.reference,
                "kind": "duty_to_notify" if referral.is_duty_to_notify else "nrm_referral",
                "external_id": str(result.imported.external_id),
                "created": result.created,
            }
            return Response(
                body,
                status=status.HTTP_201_CREATED if result.created else status.HTTP_200_OK,
                headers={"Location": f"/api/v1/referrals/{referral.reference}"},
            )

        return idempotent_create(request, operation="gov-uk-import", create=create)


class GovUkPayloadView(PartnerApiView):
    """One referral of your organisation in the GOV.UK service's case payload (every key that has a value)."""

    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="referral_gov_uk_payload",
        summary="The referral in the GOV.UK service's case payload (a flat object of strings)",
        responses={
            200: OpenApiResponse(OpenApiTypes.OBJECT, description="The payload: GOV.UK keys and string values"),
            **problem_responses(404),
        },
    )
    def get(self, request, reference: str):
        referral = referral_of_organisation(client=self.api_client, reference=reference)
        if referral is None:
            return problem(status.HTTP_404_NOT_FOUND, "There is no referral with this reference", code="not-found")
        body = govuk_payload_of(referral)
        case = getattr(referral, "case", None)
        if case is not None:  # a Duty to Notify report has no case to log
            access_log_record(user=request.user, case=case, what=AccessLogEntry.What.API)
        return Response(body)
