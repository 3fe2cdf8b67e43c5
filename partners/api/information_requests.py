"""The competent authority's requests for more information, for the referring organisation's system:

GET  /api/v1/information-requests                   the organisation's requests, newest first (cursor pages)
GET  /api/v1/information-requests/{id}              one request, its question, answer and files
GET  /api/v1/information-requests/{id}/files/{fid}  one of its files, once scanned clean
POST /api/v1/information-requests/{id}/answer       the answer: text and files (multipart), or text alone (JSON)

The answer goes through the same form checks and the same casework service as the first responder's answer page
(casework.views.responder.answer_information_request): the files are checked by content, stored, and scanned
for viruses before anyone can download them; the caseworker is told. A request outside the client's organisation
is 404; a request no longer open is 409.
"""

from django.http import QueryDict
from django.utils.datastructures import MultiValueDict
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import ValidationError
from rest_framework.pagination import CursorPagination
from rest_framework.parsers import JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from casework.forms.responder import ANSWER_MAX_LENGTH, InformationAnswerForm
from casework.models import AccessLogEntry, InformationRequest
from casework.selectors import case_files_for, information_requests_referred_to
from casework.selectors.referrer import question_to_referrer
from casework.services import (
    CaseworkError,
    IllegalTransition,
    NotPermitted,
    StaleCase,
    access_log_record,
    access_log_record_many,
    information_request_answer,
)
from common.downloads import UNKNOWN_CONTENT_TYPE, upload_download
from common.evidence_types import EVIDENCE_TYPES
from common.virus_scan import ScanStatus
from partners.api.base import PartnerApiView
from partners.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_create
from partners.api.problems import problem, problem_responses
from partners.scopes import Scope

# --- Representation --------------------------------------------------------------------------------------------


class CaseFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="The file's name as it was uploaded")
    content_type = serializers.CharField()
    size = serializers.IntegerField(help_text="In bytes")
    scan_status = serializers.ChoiceField(
        choices=ScanStatus.values,
        help_text="The virus scan: a file can be downloaded (on the service) only once it is clean",
    )


class InformationRequestSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(help_text="The referral's reference")
    state = serializers.ChoiceField(choices=InformationRequest.State.choices)
    state_label = serializers.CharField(help_text="The state in words")
    version = serializers.IntegerField(
        help_text="Send it back with the answer to be told (409) if the request changed since you read it"
    )
    question = serializers.CharField()
    requested_at = serializers.DateTimeField()
    due_date = serializers.DateField()
    is_overdue = serializers.BooleanField()
    answer = serializers.CharField(allow_blank=True, help_text="Empty until answered")
    answered_at = serializers.DateTimeField(allow_null=True)
    answered_by = serializers.CharField(allow_blank=True, help_text="Who answered, by name (empty until answered)")
    question_files = CaseFileSerializer(many=True, help_text="The caseworker's files sent with the question")
    answer_files = CaseFileSerializer(many=True, help_text="The files sent with the answer")


class InformationRequestPageSerializer(serializers.Serializer):
    next = serializers.URLField(allow_null=True, help_text="The next (older) page, or null on the last")
    previous = serializers.URLField(allow_null=True)
    results = InformationRequestSerializer(many=True)


class AnswerSerializer(serializers.Serializer):
    """The request body of an answer (for the schema: the checks are the answer page's form)."""

    answer = serializers.CharField(max_length=ANSWER_MAX_LENGTH)
    files = serializers.ListField(
        child=serializers.FileField(),
        required=False,
        help_text="Up to 10 files (PDF, DOC, DOCX, JPG or PNG), each within the service's size limit",
    )
    version = serializers.IntegerField(required=False, help_text="The request's version you read")


class AnswerJsonSerializer(serializers.Serializer):
    answer = serializers.CharField(max_length=ANSWER_MAX_LENGTH)
    version = serializers.IntegerField(required=False, help_text="The request's version you read")


def _file(case_file) -> dict:
    return {
        "id": case_file.pk,
        "name": case_file.original_name,
        "content_type": case_file.content_type,
        "size": case_file.size,
        "scan_status": case_file.scan_status,
    }


def represent(information_request: InformationRequest) -> dict:
    """The request as the referring organisation sees it (casework's question_to_referrer), with its reference,
    rendered by its serializer (dates as text: an Idempotency-Key replay gives back exactly the same body).
    Fetch it with information_requests_referred_to: its case, answerer and files are already there."""
    seen = question_to_referrer(information_request)
    return InformationRequestSerializer(
        {
            "id": seen.pk,
            "reference": information_request.case.reference,
            "state": seen.state,
            "state_label": information_request.get_state_display(),
            "version": seen.version,
            "question": seen.question,
            "requested_at": seen.requested_at,
            "due_date": seen.due_date,
            "is_overdue": seen.is_overdue,
            "answer": seen.answer,
            "answered_at": seen.answered_at,
            "answered_by": seen.answered_by_name,
            "question_files": [_file(case_file) for case_file in seen.question_files],
            "answer_files": [_file(case_file) for case_file in seen.answer_files],
        }
    ).data


class NewestFirst(CursorPagination):
    ordering = ("-requested_at", "-pk")
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 100


NOT_FOUND = "There is no information request with this id for your organisation"


def not_found() -> Response:
    return problem(status.HTTP_404_NOT_FOUND, NOT_FOUND, code="not-found")


# --- Views -----------------------------------------------------------------------------------------------------


class InformationRequestListView(PartnerApiView):
    required_scopes = [Scope.INFORMATION_REQUESTS_WRITE.value]

    @extend_schema(
        operation_id="information_requests_list",
        summary="The requests for more information on your organisation's referrals, newest first",
        parameters=[
            OpenApiParameter(
                "state", str, enum=list(InformationRequest.State.values), description="Only requests in this state"
            ),
            OpenApiParameter("reference", str, description="Only the requests on this referral"),
            OpenApiParameter("cursor", str, description="The `next` or `previous` link's cursor"),
            OpenApiParameter("page_size", int, description="Up to 100 (50 unless given)"),
        ],
        responses={200: InformationRequestPageSerializer, **problem_responses(400, 404)},
    )
    def get(self, request):
        requests = information_requests_referred_to(user=request.user)
        state = request.query_params.get("state")
        if state is not None:
            if state not in InformationRequest.State.values:
                raise ValidationError({"state": [f"Choose one of: {', '.join(InformationRequest.State.values)}"]})
            requests = requests.filter(state=state)
        reference = request.query_params.get("reference")
        if reference is not None:
            requests = requests.filter(case__reference=reference)
        paginator = NewestFirst()
        page = paginator.paginate_queryset(requests, request, view=self)
        if page:
            access_log_record_many(user=request.user, cases=[item.case for item in page], what=AccessLogEntry.What.API)
        return Response(
            {
                "next": paginator.get_next_link(),
                "previous": paginator.get_previous_link(),
                "results": [represent(item) for item in page],
            }
        )


class InformationRequestDetailView(PartnerApiView):
    required_scopes = [Scope.INFORMATION_REQUESTS_WRITE.value]

    @extend_schema(
        operation_id="information_requests_read",
        summary="One request for more information: its question, its answer and their files",
        responses={200: InformationRequestSerializer, **problem_responses(404)},
    )
    def get(self, request, request_id: int):
        information_request = information_requests_referred_to(user=request.user).filter(pk=request_id).first()
        if information_request is None:
            return not_found()
        access_log_record(user=request.user, case=information_request.case, what=AccessLogEntry.What.API)
        return Response(represent(information_request))


def form_errors(form) -> list[dict]:
    """The answer page's form errors as the API's `errors`."""
    return [
        {"field": field if field != "__all__" else "", "code": error.code or "invalid", "message": message}
        for field, errors in form.errors.as_data().items()
        for error in errors
        for message in error.messages
    ]


def _version(data) -> int | None:
    raw = data.get("version")
    if raw in (None, ""):
        return None
    if isinstance(raw, bool) or not str(raw).isascii() or not str(raw).isdigit() or len(str(raw)) > 9:
        raise ValidationError({"version": ["Enter the request's version as a whole number"]})
    return int(raw)


class InformationRequestAnswerView(PartnerApiView):
    required_scopes = [Scope.INFORMATION_REQUESTS_WRITE.value]
    parser_classes = [MultiPartParser, JSONParser]

    @extend_schema(
        operation_id="information_requests_answer",
        summary="Answer a request for more information, with files if needed",
        description=(
            "Send `multipart/form-data` to attach files (the field `files`, repeated for each file), or JSON for "
            "text alone. The files are checked by their content and scanned for viruses before the caseworker "
            "can open them. A request that is no longer open (answered, withdrawn, or its case stopped) is 409. "
            "Send an `Idempotency-Key` header to retry safely: a retry returns the first answer's response."
        ),
        parameters=[IDEMPOTENCY_KEY_PARAMETER],
        request={"multipart/form-data": AnswerSerializer, "application/json": AnswerJsonSerializer},
        responses={200: InformationRequestSerializer, **problem_responses(400, 404, 409, 415, 422)},
    )
    def post(self, request, request_id: int):
        return idempotent_create(
            request, operation="information-request-answer", create=lambda: self.answer(request, request_id)
        )

    def answer(self, request, request_id: int) -> Response:
        information_request = information_requests_referred_to(user=request.user).filter(pk=request_id).first()
        if information_request is None:
            return not_found()
        data = request.data if isinstance(request.data, QueryDict | dict) else {}
        files = request.FILES if isinstance(request.FILES, MultiValueDict) else MultiValueDict()
        version = _version(data)
        form = InformationAnswerForm({"answer": data.get("answer", "")}, files)
        if not form.is_valid():
            return problem(
                status.HTTP_400_BAD_REQUEST,
                "Correct the fields listed in errors and send the request again",
                code="validation",
                errors=form_errors(form),
            )
        try:
            information_request_answer(
                request_id=information_request.pk,
                actor=request.user,
                answer=form.cleaned_data["answer"],
                uploaded_files=form.cleaned_data["files"],
                expected_version=version,
            )
        except StaleCase as error:
            return problem(status.HTTP_409_CONFLICT, str(error), code="stale-version")
        except IllegalTransition as error:
            information_request.refresh_from_db(fields=["state"])
            if not information_request.is_open:
                detail = (
                    f"This request is {information_request.get_state_display().lower()}: it can no longer be answered"
                )
                return problem(status.HTTP_409_CONFLICT, detail, code="information-request-closed")
            return problem(status.HTTP_409_CONFLICT, str(error), code="case-conflict")
        except NotPermitted as error:
            return problem(status.HTTP_403_FORBIDDEN, str(error), code="not-permitted")
        except CaseworkError as error:
            field = getattr(error, "field", None) or ""
            return problem(
                status.HTTP_400_BAD_REQUEST,
                "Correct the fields listed in errors and send the request again",
                code="validation",
                errors=[{"field": field, "code": "invalid", "message": str(error)}],
            )
        answered = information_requests_referred_to(user=request.user).get(pk=information_request.pk)
        access_log_record(user=request.user, case=answered.case, what=AccessLogEntry.What.API)
        return Response(represent(answered))


# --- A file of a request -----------------------------------------------------------------------------------------

# content type -> format (its usual extension)
FILE_FORMATS = {evidence_type.content_type: evidence_type.extensions[0] for evidence_type in EVIDENCE_TYPES} | {
    UNKNOWN_CONTENT_TYPE: "bin"
}
FILE_CONTENT_TYPES = list(FILE_FORMATS)


def _render_file(self, data, accepted_media_type=None, renderer_context=None):
    """The file's bytes as they are; a problem (a dict, for example after ?format=doc) as JSON, never a 500."""
    if isinstance(data, bytes):
        return data
    return JSONRenderer().render(data)


def _file_renderer(content_type: str) -> type[BaseRenderer]:
    """Lets a client ask for the file's type in Accept; the file itself is answered as it is, a problem as JSON."""
    return type(
        "FileRenderer",
        (BaseRenderer,),
        {
            "media_type": content_type,
            "format": FILE_FORMATS[content_type],
            "charset": None,
            "render_style": "binary",
            "render": _render_file,
        },
    )


class InformationRequestFileView(PartnerApiView):
    required_scopes = [Scope.INFORMATION_REQUESTS_WRITE.value]
    renderer_classes = [JSONRenderer, *(_file_renderer(content_type) for content_type in FILE_CONTENT_TYPES)]

    @extend_schema(
        operation_id="information_requests_file",
        summary="A file of a request for more information (the caseworker's, or one sent with the answer)",
        description="Only once the file has been scanned clean: 409 while it is being scanned, 410 if infected.",
        responses={
            **{
                (200, content_type): OpenApiResponse(OpenApiTypes.BINARY, description="The file")
                for content_type in FILE_CONTENT_TYPES
            },
            **problem_responses(404, 406, 409, 410),
        },
    )
    def get(self, request, request_id: int, file_id: int):
        case_file = (
            case_files_for(user=request.user)
            .filter(pk=file_id, information_request__in=information_requests_referred_to(user=request.user))
            .filter(information_request_id=request_id)
            .select_related("case")
            .first()
        )
        if case_file is None:
            return problem(status.HTTP_404_NOT_FOUND, "This request has no file with this id", code="not-found")
        if case_file.scan_status == ScanStatus.INFECTED:
            return problem(
                status.HTTP_410_GONE, "This file was found to carry a virus and has been removed", code="file-removed"
            )
        if not case_file.is_downloadable:
            return problem(
                status.HTTP_409_CONFLICT,
                "This file is still being checked for viruses: try again in a few minutes",
                code="file-not-scanned",
            )
        response = upload_download(case_file)
        access_log_record(user=request.user, case=case_file.case, what=AccessLogEntry.What.API)
        return response
