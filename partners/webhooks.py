"""Sending one webhook: the URL rule (HTTPS to a public address), the signature, and one POST with short
timeouts (docs/adr/0028-webhooks-signed-through-the-outbox.md).

A receiver checks a delivery with `signature_valid(secret, timestamp, body, header)`: the header is
`Webhook-Signature: v1=<hex HMAC-SHA256 of "<Webhook-Timestamp>.<body>" keyed by the endpoint's secret>`; it
should also refuse a timestamp more than a few minutes old (a replay), and de-duplicate on the payload's `id`.
"""

import hashlib
import hmac
import http.client
import ipaddress
import json
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings

SIGNATURE_VERSION = "v1"
USER_AGENT = "NRM-Digital-Webhooks/1"
# What the receiver's answer may be read up to: the body is ignored, the status code is what counts.
MAX_ANSWER_BYTES = 16 * 1024


PRIVATE = "Enter a URL on the internet, not a private or local address"


class WebhookUrlRefused(ValueError):
    """A URL the service will not post to; the message says why, in words for the client."""


def http_allowed() -> bool:
    """Plain HTTP to this machine: for development (DEBUG) and the tests' local receiver only."""
    return bool(settings.DEBUG or getattr(settings, "PARTNER_WEBHOOKS_ALLOW_HTTP", False))


def _is_local(host: str) -> bool:
    return host in ("localhost", "127.0.0.1", "::1")


def url_check(url: str, *, resolve: bool = True) -> None:
    """Raises WebhookUrlRefused unless the URL is HTTPS (or, when allowed, http to this machine) with a host
    that resolves only to public addresses: the service never posts into its own network. `resolve=False` (at
    registration: no wait on DNS in a request) checks the name and an address literal only; every attempt
    resolves."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if not host:
        raise WebhookUrlRefused("Enter a URL with a host name")
    if parts.username or parts.password:
        raise WebhookUrlRefused("Enter a URL without a user name or password in it")
    try:
        parts.port  # noqa: B018 (raises for a port out of range)
    except ValueError as error:
        raise WebhookUrlRefused("Enter a URL with a port from 1 to 65535") from error
    if http_allowed() and _is_local(host) and parts.scheme in ("http", "https"):
        return
    if parts.scheme != "https":
        raise WebhookUrlRefused("Enter a URL that starts with https://")
    if host == "localhost" or host.endswith((".localhost", ".local", ".internal")):
        raise WebhookUrlRefused(PRIVATE)
    try:
        literal = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    if literal is not None and not literal.is_global:
        raise WebhookUrlRefused(PRIVATE)
    if not resolve:
        return
    try:
        addresses = {info[4][0] for info in socket.getaddrinfo(host, parts.port or 443, type=socket.SOCK_STREAM)}
    except (OSError, UnicodeError) as error:
        raise WebhookUrlRefused("Enter a URL whose host name can be found") from error
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise WebhookUrlRefused(PRIVATE)


def payload_body(payload: dict) -> bytes:
    """The exact bytes posted (and signed): compact JSON, keys sorted."""
    return json.dumps(payload, separators=(",", ":"), sort_keys=True).encode()


def signature(secret: str, timestamp: str, body: bytes) -> str:
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"{SIGNATURE_VERSION}={digest}"


def signature_valid(secret: str, timestamp: str, body: bytes, header: str) -> bool:
    """For a receiver (and the tests): the header carries one or more space-separated `v1=<hex>` values."""
    expected = signature(secret, timestamp, body)
    return any(hmac.compare_digest(expected, candidate) for candidate in header.split())


@dataclass(frozen=True)
class Attempt:
    status_code: int | None  # None: no answer (refused, timed out, TLS failed)
    error: str  # empty, or what went wrong in a few words (never the receiver's body)

    @property
    def delivered(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def post_signed(*, url: str, secret: str, body: bytes, event_id: str, timestamp: str) -> Attempt:
    """One POST: connect within PARTNER_WEBHOOK_CONNECT_TIMEOUT, each read within PARTNER_WEBHOOK_READ_TIMEOUT,
    no redirects followed (a 3xx is a failure). Never raises for the receiver's faults."""
    try:
        url_check(url)
    except WebhookUrlRefused as error:
        return Attempt(None, f"Refused: {error}"[:200])
    parts = urlsplit(url)
    connection_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    connection = connection_class(parts.hostname, parts.port, timeout=settings.PARTNER_WEBHOOK_CONNECT_TIMEOUT)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        "Webhook-Id": event_id,
        "Webhook-Timestamp": timestamp,
        "Webhook-Signature": signature(secret, timestamp, body),
    }
    try:
        connection.connect()
        connection.sock.settimeout(settings.PARTNER_WEBHOOK_READ_TIMEOUT)
        connection.request("POST", path, body=body, headers=headers)
        response = connection.getresponse()
        response.read(MAX_ANSWER_BYTES)
        return Attempt(response.status, "" if 200 <= response.status < 300 else f"HTTP {response.status}")
    except TimeoutError:
        return Attempt(None, "Timed out")
    except (OSError, http.client.HTTPException) as error:
        return Attempt(None, type(error).__name__[:200])
    finally:
        connection.close()
