"""Sending referrals and their evidence through the partner API (scope referrals:write; ADR 0027):

POST /api/v1/referrals                          send an NRM referral or a Duty to Notify report (JSON answers)
POST /api/v1/referrals/{reference}/evidence     add one evidence file to a referral this client sent (multipart)

The answers are checked by the web's own question declaration and page forms (partners.services.referrals); errors
come back one per question, `field` "answers.<question key>". Both creates take an Idempotency-Key. /api/v1/referrals
is also part B's list (GET, scope referrals:read): partners.api.referrals.ReferralsView joins both methods.
"""

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import OpenApiExample, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ErrorDetail, ValidationError
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response

from partners.api.base import PartnerApiView
from partners.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_create
from partners.api.problems import problem, problem_responses
from partners.scopes import Scope
from partners.services.referrals import DOES_NOT_APPLY, NOT_A_QUESTION, ReferralAnswersInvalid, api_referral_create
from referrals.models import Referral, Route
from referrals.page_forms import required_message
from referrals.questions import QUESTIONNAIRE
from referrals.selectors import referrals_for
from referrals.services.evidence import EvidenceRejected, EvidenceWindowClosed, evidence_add_after_sending

# How long after sending a client may add the referral's evidence files (ADR 0027).
EVIDENCE_WINDOW = timedelta(hours=24)
KINDS = {True: "duty_to_notify", False: "nrm_referral"}
NOT_FOUND = "Your organisation has no referral with this reference"
EVIDENCE_FIELDS = {"evidence_file": "file", "evidence_description": "description"}


class ReferralCreateSerializer(serializers.Serializer):
    answers = serializers.DictField(
        help_text="The answers keyed by question (the keys of the web form's questions): text as strings, dates "
        '"YYYY-MM-DD", checkboxes and add-another lists as arrays of strings, numbers as integers, a confirmation '
        'as "yes". under_18 (and consent for an adult) decides the route: child, adult NRM referral, or Duty to '
        "Notify. organisation defaults to your client's organisation."
    )


class ReferralCreatedSerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="NRM-YYYY-NNNNNN or DTN-YYYY-NNNNNN")
    kind = serializers.ChoiceField(choices=list(KINDS.values()))
    route = serializers.ChoiceField(choices=Route.values)
    submitted_at = serializers.DateTimeField()
    evidence_accepted_until = serializers.DateTimeField(
        help_text="Until when POST /api/v1/referrals/{reference}/evidence accepts this referral's files"
    )


class EvidenceUploadSerializer(serializers.Serializer):
    file = serializers.FileField(help_text="One file; its type is read from its content (the web form's types)")
    description = serializers.CharField(max_length=1000, help_text="What the file is and why it matters")


class EvidenceSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The file's name as uploaded (shown only)")
    content_type = serializers.CharField(help_text="Detected from the file's content")
    size = serializers.IntegerField()
    description = serializers.CharField()
    scan_status = serializers.CharField(help_text="pending until the virus scan has looked at the file")
    uploaded_at = serializers.DateTimeField()


def created_body(referral: Referral) -> dict:
    return {
        "reference": referral.reference,
        "kind": KINDS[referral.route == Route.DUTY_TO_NOTIFY],
        "route": referral.route,
        "submitted_at": referral.submitted_at,
        "evidence_accepted_until": referral.submitted_at + EVIDENCE_WINDOW,
    }


def _code(key: str, message: str) -> str:
    if message == NOT_A_QUESTION:
        return "unknown-question"
    if message == DOES_NOT_APPLY:
        return "not-applicable"
    try:
        question = QUESTIONNAIRE.question(key)
    except KeyError:
        return "invalid"
    return "required" if message == required_message(question) else "invalid"


def answers_validation_error(invalid: ReferralAnswersInvalid) -> ValidationError:
    """{question key: [messages]} as the API's field errors: field "answers.<key>", a code, the web's message."""
    errors = {
        key: [ErrorDetail(message, code=_code(key, message)) for message in messages]
        for key, messages in invalid.errors.items()
    }
    return ValidationError({"answers": errors})


ANSWERS_EXAMPLE = OpenApiExample(
    "A Duty to Notify report (abridged: send every answer the route needs)",
    value={"answers": {"under_18": "no", "consent": "no", "nation": "england", "gender": "male"}},
    request_only=True,
)


class ReferralCreateView(PartnerApiView):
    """POST of /api/v1/referrals; part B's partners.api.referrals.ReferralsView joins it to the list's GET."""

    required_scopes = [Scope.REFERRALS_WRITE.value]

    @extend_schema(
        operation_id="referrals_create",
        summary="Send an NRM referral or a Duty to Notify report",
        description="Checked with the web form's questions and messages; on errors nothing is sent and `errors` "
        "lists each question's message (field `answers.<question key>`; code `required`, `invalid`, "
        "`unknown-question` or `not-applicable`). Sent exactly as from the web: a reference, a case for an NRM "
        "referral, the referral's PDF. Repeat safely with the same Idempotency-Key.",
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request={"application/json": ReferralCreateSerializer},
        responses={201: ReferralCreatedSerializer, **problem_responses(400, 422)},
        examples=[ANSWERS_EXAMPLE],
    )
    def post(self, request):
        body = ReferralCreateSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        client = self.api_client

        def create() -> Response:
            try:
                referral = api_referral_create(client=client, answers=body.validated_data["answers"])
            except ReferralAnswersInvalid as invalid:
                raise answers_validation_error(invalid) from None
            return Response(
                created_body(referral),
                status=status.HTTP_201_CREATED,
                headers={"Location": f"/api/v1/referrals/{referral.reference}"},
            )

        return idempotent_create(request, operation="referral-create", create=create)


class EvidenceUploadView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_WRITE.value]
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        operation_id="referrals_evidence_add",
        summary="Add an evidence file to a referral your client sent",
        description="multipart/form-data with `file` and `description`. The same checks, limits and virus scan as "
        "the web form's evidence: the file's type is read from its content; it is scanned before anyone can "
        "download it. Accepted from the client that sent the referral, until its `evidence_accepted_until` (409 "
        "after). Repeat safely with the same Idempotency-Key.",
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request={"multipart/form-data": EvidenceUploadSerializer},
        responses={201: EvidenceSerializer, **problem_responses(400, 404, 409, 422)},
    )
    def post(self, request, reference: str):
        referral = referrals_for(user=request.user).filter(reference=reference).first()
        if referral is None:
            return problem(status.HTTP_404_NOT_FOUND, NOT_FOUND, code="not-found")
        actor = request.user

        def create() -> Response:
            try:
                evidence = evidence_add_after_sending(
                    referral_id=referral.pk,
                    actor=actor,
                    uploaded_file=request.data.get("file"),
                    description=request.data.get("description", ""),
                    within=EVIDENCE_WINDOW,
                )
            except EvidenceRejected as rejected:
                field = EVIDENCE_FIELDS.get(rejected.field, rejected.field)
                raise ValidationError({field: [ErrorDetail(rejected.message, code="invalid")]}) from None
            except (EvidenceWindowClosed, PermissionDenied):
                return problem(
                    status.HTTP_409_CONFLICT,
                    "Evidence files are accepted only from the client that sent the referral, in the "
                    f"{EVIDENCE_WINDOW.total_seconds() / 3600:g} hours after it was sent",
                    code="evidence-not-accepted",
                )
            return Response(
                {
                    "id": evidence.pk,
                    "name": evidence.original_name,
                    "content_type": evidence.content_type,
                    "size": evidence.size,
                    "description": evidence.description,
                    "scan_status": evidence.scan_status,
                    "uploaded_at": evidence.uploaded_at,
                },
                status=status.HTTP_201_CREATED,
            )

        return idempotent_create(request, operation="referral-evidence-add", create=create)


__all__ = ["EvidenceUploadView", "ReferralCreateView"]
