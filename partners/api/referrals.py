"""The organisation's referrals, read by its system (scope referrals:read):

GET /api/v1/referrals                                the referrals, newest first (cursor pages; `updated_since`)
GET /api/v1/referrals/{reference}                    one referral: its status, served outcomes and deadlines
GET /api/v1/referrals/{reference}/letters            the letters of its served decisions
GET /api/v1/referrals/{reference}/letters/{id}       one letter, the PDF

The same rules as the web first responder's pages (casework.selectors.referrer): the status in the referrer's words
(a negative decision under review still reads as the decision awaited), served decisions only, and only the
deadlines the web shows the referrer. Another organisation's referral or letter is 404. Reading a referral or a
letter writes the case's access log (the list names no one and writes none).
"""

from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from casework.letters import letter_filename, letter_pdf
from casework.models import AccessLogEntry, Decision
from casework.selectors.referrer import SENT_LABEL, referrer_case_view
from casework.services import access_log_record
from common.downloads import private_download
from partners.api.base import PartnerApiView
from partners.api.problems import problem, problem_responses
from partners.api.referral_create import ReferralCreateView
from partners.events import REFERRER_STATUS_CODE, REFERRER_STATUS_LABEL, SENT_STATUS
from partners.scopes import Scope
from partners.selectors.referrals import letters_of_referral, referral_of_client, referrals_of_client
from referrals.models import Referral, Route

# The code of a referral whose case is not open yet (only ever seen inside the transaction that sends it).
SENT_CODE = "sent"
STATUS_CODES = [*REFERRER_STATUS_LABEL, SENT_CODE]
KINDS = {True: "duty_to_notify", False: "nrm_referral"}
# casework's ServedDecision carries the stage in words: its code back.
STAGES = {label: value for value, label in Decision.Stage.choices}
NOT_FOUND = "Your organisation has no referral with this reference"

# --- Representation --------------------------------------------------------------------------------------------


class ReferralSummarySerializer(serializers.Serializer):
    reference = serializers.CharField(help_text="The NRM or Duty to Notify reference")
    kind = serializers.ChoiceField(choices=list(KINDS.values()))
    route = serializers.ChoiceField(choices=Route.values, help_text="child, adult or duty_to_notify")
    responder_reference = serializers.CharField(allow_blank=True, help_text="Your own reference, if you gave one")
    status = serializers.ChoiceField(choices=STATUS_CODES, help_text="The status as a code (stable)")
    status_label = serializers.CharField(help_text="The status in words, as the service shows it")
    submitted_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField(help_text="The last change you can see (changes feed, webhooks)")


class OutcomeSerializer(serializers.Serializer):
    decision_id = serializers.IntegerField()
    stage = serializers.ChoiceField(choices=["rg", "cg"], help_text="rg: reasonable grounds; cg: conclusive grounds")
    stage_label = serializers.CharField()
    outcome = serializers.ChoiceField(choices=["positive", "negative"])
    outcome_label = serializers.CharField()
    served_at = serializers.DateTimeField()
    letter_id = serializers.IntegerField(allow_null=True, help_text="GET .../letters/{letter_id} for the PDF")


class DeadlinesSerializer(serializers.Serializer):
    recovery_period_ends_at = serializers.DateTimeField(
        allow_null=True, help_text="While the person is in the recovery period"
    )
    information_due = serializers.DateField(
        allow_null=True, help_text="The earliest due date of an open request for information to your organisation"
    )
    reconsideration_requested_by = serializers.DateField(
        allow_null=True,
        help_text="The last day a served negative decision may be asked to be reconsidered without exceptional "
        "reasons, while you may ask",
    )


class ReferralSerializer(ReferralSummarySerializer):
    outcomes = OutcomeSerializer(many=True, help_text="The served decisions only, oldest first")
    deadlines = DeadlinesSerializer()
    open_information_requests = serializers.IntegerField(help_text="Requests for information still to answer")
    reconsideration_pending = serializers.BooleanField(
        help_text="A request to reconsider a served negative decision is waiting for the competent authority"
    )


class ReferralPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last")
    previous = serializers.URLField(allow_null=True)
    results = ReferralSummarySerializer(many=True)


class LetterSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    decision_id = serializers.IntegerField()
    title = serializers.CharField(help_text="For example 'Positive reasonable grounds decision'")
    stage = serializers.ChoiceField(choices=["rg", "cg"])
    outcome = serializers.ChoiceField(choices=["positive", "negative"])
    served_at = serializers.DateTimeField()


class LetterListSerializer(serializers.Serializer):
    results = LetterSerializer(many=True)


def status_of(referral: Referral) -> tuple[str, str]:
    """The referral's status code and words, as its referring organisation sees them (no query when fetched
    with its case)."""
    if referral.is_duty_to_notify:
        code = SENT_STATUS[True]
        return code, REFERRER_STATUS_LABEL[code]
    case = getattr(referral, "case", None)
    if case is None:
        return SENT_CODE, SENT_LABEL
    code = REFERRER_STATUS_CODE[case.status]
    return code, REFERRER_STATUS_LABEL[code]


def summary(referral: Referral) -> dict:
    code, label = status_of(referral)
    return {
        "reference": referral.reference,
        "kind": KINDS[referral.is_duty_to_notify],
        "route": referral.route,
        "responder_reference": referral.responder_reference,
        "status": code,
        "status_label": label,
        "submitted_at": referral.submitted_at,
        "updated_at": referral.updated_at,
    }


def detail(referral: Referral, user) -> dict:
    seen = referrer_case_view(user=user, referral=referral)
    outcomes = seen.outcomes
    decisions = outcomes.decisions if outcomes is not None else ()
    open_to_reconsideration = outcomes.open_to_reconsideration if outcomes is not None else None
    return {
        **summary(referral),
        "outcomes": [
            {
                "decision_id": decision.pk,
                "stage": STAGES[decision.stage_label],
                "stage_label": decision.stage_label,
                "outcome": "negative" if decision.is_negative else "positive",
                "outcome_label": decision.outcome_label,
                "served_at": decision.served_at,
                "letter_id": decision.letter_id,
            }
            for decision in decisions
        ],
        "deadlines": {
            "recovery_period_ends_at": seen.recovery_ends_at,
            "information_due": min((item.due_date for item in seen.open_requests), default=None),
            "reconsideration_requested_by": (
                open_to_reconsideration.deadline if open_to_reconsideration is not None else None
            ),
        },
        "open_information_requests": len(seen.open_requests),
        "reconsideration_pending": outcomes.reconsideration_pending if outcomes is not None else False,
    }


class NewestFirst(CursorPagination):
    ordering = ("-submitted_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


def not_found() -> Response:
    return problem(status.HTTP_404_NOT_FOUND, NOT_FOUND, code="not-found")


def read_case(request, referral: Referral) -> None:
    """A read of the referral's case is written down (a Duty to Notify report has no case to log)."""
    case = getattr(referral, "case", None)
    if case is not None and not referral.is_duty_to_notify:
        access_log_record(user=request.user, case=case, what=AccessLogEntry.What.API)


# --- Views -----------------------------------------------------------------------------------------------------


class ReferralListView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="referrals_list",
        summary="Your organisation's referrals and Duty to Notify reports, newest first",
        parameters=[
            OpenApiParameter(
                "updated_since",
                OpenApiTypes.DATETIME,
                description="Only those whose last change (updated_at) is at or after this time (ISO 8601, with "
                "its offset)",
            ),
            OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor"),
            OpenApiParameter("page_size", int, description="Up to 100 (50 unless given)"),
        ],
        responses={200: ReferralPageSerializer, **problem_responses(400, 404)},
    )
    def get(self, request):
        updated_since = None
        if "updated_since" in request.query_params:
            field = serializers.DateTimeField()
            try:
                updated_since = field.to_internal_value(request.query_params["updated_since"])
            except ValidationError as error:
                raise ValidationError({"updated_since": error.detail}) from None
        referrals = referrals_of_client(client=self.api_client, updated_since=updated_since)
        paginator = NewestFirst()
        page = paginator.paginate_queryset(referrals, request, view=self)
        return Response(
            {
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [summary(referral) for referral in page],
            }
        )


class ReferralDetailView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="referrals_read",
        summary="One referral: its status, served outcomes, deadlines and open requests for information",
        responses={200: ReferralSerializer, **problem_responses(404)},
    )
    def get(self, request, reference: str):
        referral = referral_of_client(client=self.api_client, reference=reference)
        if referral is None:
            return not_found()
        body = detail(referral, request.user)
        read_case(request, referral)
        return Response(body)


class LetterListView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_READ.value]

    @extend_schema(
        operation_id="referral_letters_list",
        summary="The decision letters of a referral (served decisions only), oldest first",
        responses={200: LetterListSerializer, **problem_responses(404)},
    )
    def get(self, request, reference: str):
        referral = referral_of_client(client=self.api_client, reference=reference)
        if referral is None:
            return not_found()
        letters = letters_of_referral(client=self.api_client, referral=referral)
        return Response(
            {
                "results": [
                    {
                        "id": letter.pk,
                        "decision_id": letter.decision_id,
                        "title": letter.decision.title,
                        "stage": letter.decision.stage,
                        "outcome": letter.decision.outcome,
                        "served_at": letter.decision.served_at,
                    }
                    for letter in letters
                ]
            }
        )


class PdfRenderer(BaseRenderer):
    """Lets a client ask for `Accept: application/pdf`. The PDF itself is answered as it is; an error (a problem,
    a dict) is still JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


class LetterDownloadView(PartnerApiView):
    required_scopes = [Scope.REFERRALS_READ.value]
    renderer_classes = [JSONRenderer, PdfRenderer]

    @extend_schema(
        operation_id="referral_letters_download",
        summary="A decision letter, as a PDF",
        responses={
            (200, "application/pdf"): OpenApiResponse(OpenApiTypes.BINARY, description="The letter (PDF)"),
            **problem_responses(404),
        },
    )
    def get(self, request, reference: str, letter_id: int):
        referral = referral_of_client(client=self.api_client, reference=reference)
        letter = (
            letters_of_referral(client=self.api_client, referral=referral).filter(pk=letter_id).first()
            if referral is not None
            else None
        )
        if letter is None:
            return problem(status.HTTP_404_NOT_FOUND, "This referral has no letter with this id", code="not-found")
        try:
            content = letter_pdf(letter)
        except FileNotFoundError:
            raise Http404 from None
        # A letter names the person: every download is written down.
        access_log_record(user=request.user, case=letter.decision.case, what=AccessLogEntry.What.API)
        return private_download(content, filename=letter_filename(letter.decision), content_type="application/pdf")


class ReferralsView(ReferralCreateView, ReferralListView):
    """/api/v1/referrals: GET the organisation's referrals (referrals:read), POST a new one (referrals:write,
    part A's partners.api.referral_create)."""

    @property
    def required_scopes(self) -> list[str]:  # the permission and the schema's security both read it
        method = getattr(getattr(self, "request", None), "method", "GET")
        return [Scope.REFERRALS_WRITE.value] if method == "POST" else [Scope.REFERRALS_READ.value]
