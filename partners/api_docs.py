"""The partner API's documentation pages under /api/docs (GOV.UK styled, public): getting started, the problem
types that errors link to (partners.api.problems.PROBLEM_TYPE_BASE), and the schema rendered by Swagger UI (from
drf-spectacular-sidecar, started by a static script: the site's CSP allows no inline script). Also the JSON 404
for any other /api/ address."""

from dataclasses import dataclass

from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET

from partners.api.problems import PROBLEM_CONTENT_TYPE, PROBLEM_TYPE_BASE, TITLES
from partners.events import ChangeEvent
from partners.scopes import Scope


@dataclass(frozen=True)
class ProblemType:
    code: str  # the anchor: PROBLEM_TYPE_BASE + code is a problem's type
    status: int
    means: str
    to_do: str


# Every problem type the API answers with, in the order a partner meets them. tests/partners/test_api_docs.py
# checks that every code a view or service of partners passes to problem() (and every API exception's default
# code) is here.
PROBLEM_TYPES = [
    ProblemType(
        "not-authenticated",
        401,
        "The request had no Authorization: Bearer token.",
        "Get a token from POST /api/v1/oauth/token and send it with every call.",
    ),
    ProblemType(
        "authentication-failed",
        401,
        "The token is unknown or has expired, or its client has been revoked.",
        "Get a new token. If the token endpoint answers invalid_client, ask your organisation administrator "
        "whether the client was revoked.",
    ),
    ProblemType(
        "permission-denied",
        403,
        "The token does not carry the scope that this call needs.",
        "Ask for the scope when you get the token, or ask your organisation administrator to give the client it.",
    ),
    ProblemType(
        "not-found",
        404,
        "There is no such address, or the object (a referral, letter, information request or webhook) does not "
        "exist or belongs to another organisation. The API does not say which.",
        "Check the reference or id. Use only the references the API gave your organisation.",
    ),
    ProblemType(
        "method-not-allowed",
        405,
        "The address does not accept this HTTP method. The Allow header lists those it does.",
        "Use a method from the Allow header.",
    ),
    ProblemType(
        "not-acceptable",
        406,
        "The Accept header asks for a format the API does not answer in.",
        "Accept application/json (errors come as application/problem+json).",
    ),
    ProblemType(
        "parse-error",
        400,
        "The body could not be read: malformed JSON or multipart.",
        "Send valid JSON with Content-Type: application/json, or multipart/form-data for uploads.",
    ),
    ProblemType(
        "validation",
        400,
        "One or more fields are wrong. errors lists each one: field (dotted for nested fields; the question's "
        "key for a referral's answers), code and message (the same words the web pages show).",
        "Correct each field in errors and send the request again.",
    ),
    ProblemType(
        "idempotency-key-invalid",
        400,
        "The Idempotency-Key header is empty, too long, or not printable ASCII.",
        "Send a new random key (a UUID) of at most 255 printable ASCII characters.",
    ),
    ProblemType(
        "idempotency-key-reused",
        422,
        "This Idempotency-Key was already used by your client for a different request.",
        "Use a new key for each new request; reuse a key only to retry the very same request.",
    ),
    ProblemType(
        "unsupported-media-type",
        415,
        "The body's Content-Type is not one the call accepts.",
        "Send application/json, or multipart/form-data for uploads.",
    ),
    ProblemType(
        "evidence-not-accepted",
        409,
        "Evidence files are accepted only from the client that sent the referral, until its "
        "evidence_accepted_until (24 hours after sending).",
        "Send evidence sooner, from the same client; after that, the competent authority can ask for it.",
    ),
    ProblemType(
        "imported-elsewhere",
        409,
        "This GOV.UK case payload's external id was already imported by another organisation.",
        "Check the payload: its external id belongs to another organisation's referral.",
    ),
    ProblemType(
        "stale-version",
        409,
        "The information request changed since you read it (the version you sent is not its version now).",
        "Read the request again (GET /api/v1/information-requests/{id}) and answer it with its new version.",
    ),
    ProblemType(
        "information-request-closed",
        409,
        "The request for information is answered, cancelled or closed: it can no longer be answered.",
        "Read the request to see its state; nothing more is needed for it.",
    ),
    ProblemType(
        "case-conflict",
        409,
        "The case is in a state where this cannot be done now.",
        "Read the referral and the request again before trying once more.",
    ),
    ProblemType(
        "not-permitted",
        403,
        "Your organisation may not do this on this case.",
        "Ask the competent authority if you think your organisation should be able to.",
    ),
    ProblemType(
        "file-not-scanned",
        409,
        "The file is still being checked for viruses.",
        "Try again in a few minutes.",
    ),
    ProblemType(
        "file-removed",
        410,
        "The file was found to carry a virus and has been removed.",
        "Ask for a clean copy if you need it.",
    ),
    ProblemType(
        "throttled",
        429,
        "Your client sent more requests a minute than its rate allows.",
        "Wait the number of seconds in the Retry-After header, then try again.",
    ),
]
PROBLEM_CODES = frozenset(problem.code for problem in PROBLEM_TYPES)


@require_GET
def getting_started(request):
    return render(
        request,
        "partners/api_docs/getting_started.html",
        {
            "scopes": list(Scope),
            "events": list(ChangeEvent.values),
            "base": request.build_absolute_uri("/").rstrip("/"),
        },
    )


@require_GET
def errors(request):
    return render(
        request,
        "partners/api_docs/errors.html",
        {"problem_types": [(problem, TITLES.get(problem.status, "Error")) for problem in PROBLEM_TYPES]},
    )


@require_GET
def reference(request):
    return render(request, "partners/api_docs/reference.html", {})


@csrf_exempt
def not_found(request, *args, **kwargs):
    """Any other address under /api/, whatever the method: a problem, never the HTML page."""
    body = {
        "type": PROBLEM_TYPE_BASE + "not-found",
        "title": TITLES[404],
        "status": 404,
        "detail": "There is no such address in the partner API. See /api/docs/reference",
    }
    return JsonResponse(body, status=404, content_type=PROBLEM_CONTENT_TYPE)
