"""Every error of the partner API in one format: problem details (RFC 9457, `application/problem+json`), with
`errors`, one object per field, for a request that fails validation."""

from drf_spectacular.utils import OpenApiResponse
from rest_framework import exceptions, serializers, status
from rest_framework.response import Response
from rest_framework.views import exception_handler

PROBLEM_CONTENT_TYPE = "application/problem+json"
PROBLEM_TYPE_BASE = "/api/docs/errors#"

TITLES = {
    400: "Your request has errors",
    401: "You are not authenticated",
    403: "You are not allowed to do this",
    404: "Not found",
    405: "Method not allowed",
    406: "Not acceptable",
    409: "Conflict",
    413: "Request too large",
    415: "Unsupported media type",
    422: "Your request has errors",
    429: "Too many requests",
}


def field_errors(detail, prefix: str = "") -> list[dict]:
    """DRF's nested error detail as a flat list: {"field": "a.b.0.c", "code": ..., "message": ...}."""
    if isinstance(detail, dict):
        found = []
        for key, value in detail.items():
            name = prefix if key == "non_field_errors" else (f"{prefix}.{key}" if prefix else str(key))
            found.extend(field_errors(value, name))
        return found
    if isinstance(detail, list):
        if all(not isinstance(item, dict | list) for item in detail):
            return [
                {"field": prefix, "code": getattr(item, "code", "invalid"), "message": str(item)} for item in detail
            ]
        found = []
        for index, item in enumerate(detail):
            found.extend(field_errors(item, f"{prefix}.{index}" if prefix else str(index)))
        return found
    return [{"field": prefix, "code": getattr(detail, "code", "invalid"), "message": str(detail)}]


def problem(status_code: int, detail: str, *, code: str, errors: list[dict] | None = None, headers=None) -> Response:
    body = {
        "type": PROBLEM_TYPE_BASE + code,
        "title": TITLES.get(status_code, "Error"),
        "status": status_code,
        "detail": detail,
    }
    if errors is not None:
        body["errors"] = errors
    return Response(body, status=status_code, headers=headers, content_type=PROBLEM_CONTENT_TYPE)


def problem_exception_handler(exc, context):
    response = exception_handler(exc, context)
    if response is None:
        return None  # not an API exception: Django's handling (a 500 is reported, and answered as a problem)
    headers = {name: value for name, value in response.items() if name in ("Retry-After", "WWW-Authenticate", "Allow")}
    if isinstance(exc, exceptions.ValidationError):
        errors = field_errors(exc.detail)
        return problem(
            status.HTTP_400_BAD_REQUEST,
            "Correct the fields listed in errors and send the request again",
            code="validation",
            errors=errors,
            headers=headers,
        )
    detail = exc.detail if isinstance(exc, exceptions.APIException) else str(exc)
    if isinstance(detail, dict | list):
        return problem(
            response.status_code, "See errors", code=_code(exc), errors=field_errors(detail), headers=headers
        )
    return problem(response.status_code, str(detail), code=_code(exc), headers=headers)


def _code(exc) -> str:
    return str(getattr(exc, "default_code", "error")).replace("_", "-")


# --- The schema of a problem, for the views' @extend_schema ------------------------------------------------------


class FieldErrorSerializer(serializers.Serializer):
    field = serializers.CharField(
        allow_blank=True, help_text="The field in error, dotted for nested ones; empty for the whole request"
    )
    code = serializers.CharField()
    message = serializers.CharField()


class ProblemSerializer(serializers.Serializer):
    """Problem details (RFC 9457), the body of every error response."""

    type = serializers.CharField(help_text="A link to the problem's explanation (/api/docs/errors#<code>)")
    title = serializers.CharField()
    status = serializers.IntegerField()
    detail = serializers.CharField()
    errors = FieldErrorSerializer(many=True, required=False)


def problem_responses(*status_codes: int) -> dict:
    """`responses={200: X, **problem_responses(400, 404)}`: each status answered by a problem (401, 403 and 429,
    which every call may get, are always included)."""
    codes = sorted({401, 403, 429, *status_codes})
    return {
        (code, PROBLEM_CONTENT_TYPE): OpenApiResponse(response=ProblemSerializer, description=TITLES.get(code, "Error"))
        for code in codes
    }
