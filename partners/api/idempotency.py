"""Idempotency-Key for the partner API's creates (referrals, evidence, answers to information requests, imports).

    from partners.api.idempotency import IDEMPOTENCY_KEY_PARAMETER, idempotent_create

    @extend_schema(parameters=[IDEMPOTENCY_KEY_PARAMETER], ...)
    def post(self, request):
        def create() -> Response:
            referral = api_referral_create(client=self.api_client, ...)
            return Response(body, status=201, headers={"Location": url})
        return idempotent_create(request, operation="referral-create", create=create)

Without the header the create simply runs. With it, the key row is inserted in the same transaction as the
create: the first request creates and stores its answer (status, body, Location); a retry with the same key and the
same request (method, path, content) gets that answer again (header `Idempotent-Replayed: true`); the same key with
another request is 422. Concurrent retries wait on the key's unique index until the first has committed, then
replay its answer (or, if the first failed and rolled back, create themselves). Only successful (2xx) answers are
kept: a create that raises or answers an error leaves no key behind, so the client can correct and retry with it.
"""

import hashlib
import json
from collections.abc import Callable

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework import status
from rest_framework.response import Response
from rest_framework.utils.encoders import JSONEncoder

from partners.api.problems import problem
from partners.models import IdempotencyKey

HEADER = "Idempotency-Key"
REPLAYED_HEADER = "Idempotent-Replayed"
MAX_KEY_LENGTH = 255

IDEMPOTENCY_KEY_PARAMETER = OpenApiParameter(
    name=HEADER,
    type=OpenApiTypes.STR,
    location=OpenApiParameter.HEADER,
    required=False,
    description=(
        "A unique value you choose for this create (for example a UUID), at most 255 printable characters. "
        "Sending the same request again with the same key returns the first answer and creates nothing new; "
        "the same key with a different request is refused with 422."
    ),
)


def request_fingerprint(request) -> str:
    """SHA-256 of the request's method, path and content. JSON bodies are compared by value (key order does not
    matter); multipart bodies by their fields and each file's name, type and content (the boundary does not)."""
    digest = hashlib.sha256()
    digest.update(f"{request.method} {request.path}\n".encode())
    data = request.data
    if hasattr(data, "lists"):  # QueryDict of a form or multipart body (files included by DRF)
        for name, values in sorted(data.lists(), key=lambda item: item[0]):
            for value in values:
                digest.update(f"{name}=".encode())
                if isinstance(value, UploadedFile):
                    digest.update(f"file:{value.name}:{value.content_type}:{value.size}:".encode())
                    for chunk in value.chunks():
                        digest.update(chunk)
                    value.seek(0)
                else:
                    digest.update(str(value).encode())
                digest.update(b"\n")
    else:
        digest.update(json.dumps(data, sort_keys=True, separators=(",", ":"), cls=JSONEncoder).encode())
    return digest.hexdigest()


def _key_problem(detail: str, *, code: str, status_code: int) -> Response:
    return problem(status_code, detail, code=code)


def _replay(row: IdempotencyKey, *, operation: str, request_hash: str) -> Response:
    if row.operation != operation or row.request_hash != request_hash:
        return _key_problem(
            "This Idempotency-Key was already used for a different request. Use a new key for a new request",
            code="idempotency-key-reused",
            status_code=status.HTTP_422_UNPROCESSABLE_ENTITY,
        )
    headers = {REPLAYED_HEADER: "true"}
    if row.location:
        headers["Location"] = row.location
    return Response(row.body, status=row.status_code, headers=headers)


def idempotent_create(request, *, operation: str, create: Callable[[], Response]) -> Response:
    """Runs `create` at most once per (client, Idempotency-Key); see the module's docstring. `request` is DRF's
    request of a partners.api.base.PartnerApiView; `operation` names the create (for example "referral-create")."""
    key = request.headers.get(HEADER)
    if key is None:
        return create()
    if not key or len(key) > MAX_KEY_LENGTH or not key.isprintable() or not key.isascii():
        return _key_problem(
            f"The {HEADER} header must be 1 to {MAX_KEY_LENGTH} printable ASCII characters",
            code="idempotency-key-invalid",
            status_code=status.HTTP_400_BAD_REQUEST,
        )
    client = request._request.api_client
    request_hash = request_fingerprint(request)

    existing = IdempotencyKey.objects.filter(client=client, key=key).first()
    if existing is not None:
        return _replay(existing, operation=operation, request_hash=request_hash)

    with transaction.atomic():
        try:
            with transaction.atomic():
                # Blocks while another transaction holds an uncommitted row of the same (client, key).
                row = IdempotencyKey.objects.create(
                    client=client, key=key, operation=operation, request_hash=request_hash
                )
        except IntegrityError:
            existing = IdempotencyKey.objects.get(client=client, key=key)
            return _replay(existing, operation=operation, request_hash=request_hash)
        response = create()
        if not status.is_success(response.status_code):
            transaction.set_rollback(True)  # no key kept for a failed create: the client may retry with it
            return response
        row.status_code = response.status_code
        row.body = json.loads(json.dumps(response.data, cls=JSONEncoder))
        row.location = response.get("Location", "")[:300]
        row.save(update_fields=["status_code", "body", "location"])
    return response
