"""Malware scanning of uploads with ClamAV's daemon (clamd), through the `clamav-client` package.

Every uploaded file (referral evidence, case files) carries a `ScanStatus`: pending from upload until clamd has
looked at it, then clean or infected. Nobody downloads a file that is not clean. The file's own app records the
verdict (`referrals.services.scanning`, `casework.services.scanning`) through `upload_scan` below, from a Celery
task queued when the upload commits and retried while the daemon cannot be reached; a periodic job queues
again whatever is still pending. See docs/adr/0008-upload-checks-and-malware-scanning.md.

Settings (docs/configuration.md): CLAMD_SOCKET (a Unix socket) or CLAMD_HOST and CLAMD_PORT, CLAMD_TIMEOUT;
CLAMD_ENABLED=false only in demo mode, where files are then marked clean with a note that they were not scanned.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import IO

from clamav_client.clamd import ClamdError, ClamdNetworkSocket, ClamdUnixSocket
from django.conf import settings
from django.core.files.storage import storages
from django.db import models, transaction
from django.utils import timezone

logger = logging.getLogger(__name__)

NOT_SCANNED_NOTE = "Not scanned: this demo has no virus scanner"
QUARANTINE_STORAGE = "quarantine"
# The scan tasks retry with exponential backoff (1, 2, 4, ... seconds, at most this) while clamd is unreachable;
# after the last retry the periodic sweep queues them again.
SCAN_RETRY_BACKOFF_MAX = 300
SCAN_MAX_RETRIES = 20
PING_TIMEOUT_SECONDS = 5


class ScanStatus(models.TextChoices):
    PENDING = "pending", "Being checked for viruses"
    CLEAN = "clean", "Clean"
    INFECTED = "infected", "Infected: removed"


class ScannedUpload(models.Model):
    """The scan fields every uploaded file has. `file` stays on the concrete model."""

    scan_status = models.CharField(max_length=10, choices=ScanStatus.choices, default=ScanStatus.PENDING)
    scanned_at = models.DateTimeField(null=True, blank=True)
    scan_result = models.CharField(
        max_length=200, blank=True, help_text="The scanner's name for what it found, or why the file was not scanned"
    )
    quarantined_as = models.CharField(
        max_length=200, blank=True, help_text="Where an infected file's content was moved (quarantine storage)"
    )

    class Meta:
        abstract = True

    @property
    def is_downloadable(self) -> bool:
        return self.scan_status == ScanStatus.CLEAN


class ScannerUnavailable(Exception):
    """clamd could not be reached or did not answer: the file stays pending and the scan is tried again."""


# The Celery options of every scan task (evidence, case files): ids in, acks late, retried with backoff while
# clamd cannot be reached.
SCAN_TASK_OPTIONS = {
    "bind": True,
    "acks_late": True,
    "autoretry_for": (ScannerUnavailable,),
    "retry_backoff": True,
    "retry_backoff_max": SCAN_RETRY_BACKOFF_MAX,
    "max_retries": SCAN_MAX_RETRIES,
}


@dataclass(frozen=True)
class Verdict:
    infected: bool
    signature: str = ""


def scanning_enabled() -> bool:
    return settings.CLAMD_ENABLED


def _client(timeout: float | None = None) -> ClamdNetworkSocket:
    timeout = timeout or settings.CLAMD_TIMEOUT
    if settings.CLAMD_SOCKET:
        return ClamdUnixSocket(path=settings.CLAMD_SOCKET, timeout=timeout)
    if settings.CLAMD_HOST:
        return ClamdNetworkSocket(host=settings.CLAMD_HOST, port=settings.CLAMD_PORT, timeout=timeout)
    raise ScannerUnavailable("No scanner is configured (CLAMD_SOCKET or CLAMD_HOST)")


def scanner_answers() -> bool:
    try:
        return _client(timeout=PING_TIMEOUT_SECONDS).ping() == "PONG"
    except (ClamdError, OSError, ScannerUnavailable):
        return False


def scan(handle: IO[bytes]) -> Verdict:
    """The daemon's verdict on the stream. Raises ScannerUnavailable when it cannot give one (not running, a
    timeout, a file over its StreamMaxLength, an error answer): the caller keeps the file pending."""
    try:
        results = _client().instream(handle)
    except (ClamdError, OSError) as error:
        raise ScannerUnavailable(type(error).__name__) from None
    status, signature = next(iter(results.values()), ("ERROR", None))
    if status == "FOUND":
        return Verdict(infected=True, signature=(signature or "unknown")[:200])
    if status == "OK":
        return Verdict(infected=False)
    raise ScannerUnavailable(f"clamd answered {status}")


def upload_scan(
    *, model: type[ScannedUpload], pk: int, on_infected: Callable[[ScannedUpload], None]
) -> ScanStatus | None:
    """Scans one pending upload and records the verdict; the status it ends with (None when the row is gone).
    Safe to run twice: a row that is no longer pending is left alone. The scan runs outside any transaction;
    the verdict is written under the row's lock, and only if the row still holds the file that was scanned.
    An infected file's content is copied to the quarantine storage and removed from the private one once the
    verdict commits; `on_infected` (in the same transaction) tells the people concerned."""
    row = model.objects.filter(pk=pk).first()
    if row is None or row.scan_status != ScanStatus.PENDING:
        return row.scan_status if row else None
    stored_name = row.file.name
    if not scanning_enabled():
        verdict, note = Verdict(infected=False), NOT_SCANNED_NOTE
    else:
        try:
            handle = row.file.open("rb")
        except FileNotFoundError:
            logger.warning("%s %s: the file to scan is missing", model.__name__, pk)
            return row.scan_status
        with handle:
            verdict = scan(handle)
        note = verdict.signature
    with transaction.atomic():
        row = model.objects.select_for_update().filter(pk=pk).first()
        if row is None or row.scan_status != ScanStatus.PENDING or row.file.name != stored_name:
            return row.scan_status if row else None
        row.scanned_at = timezone.now()
        row.scan_result = note
        if verdict.infected:
            row.scan_status = ScanStatus.INFECTED
            row.quarantined_as = _quarantine(row)
            private, name = row.file.storage, row.file.name
            transaction.on_commit(lambda: private.delete(name))
            row.save()
            on_infected(row)
            logger.warning("%s %s: infected (%s), quarantined", model.__name__, pk, verdict.signature)
        else:
            row.scan_status = ScanStatus.CLEAN
            row.save()
            logger.info("%s %s: %s", model.__name__, pk, "clean" if scanning_enabled() else "not scanned")
    return row.scan_status


def _quarantine(row: ScannedUpload) -> str:
    """A copy of the content in the quarantine storage (which nothing serves), under the same random name."""
    quarantine = storages[QUARANTINE_STORAGE]
    with row.file.open("rb") as handle:
        return quarantine.save(row.file.name, handle)


def pending_ids(model: type[ScannedUpload], *, older_than: timedelta) -> list[int]:
    """Uploads still pending after `older_than`: their task was lost, or the scanner was down for long."""
    cutoff = timezone.now() - older_than
    return list(
        model.objects.filter(scan_status=ScanStatus.PENDING, uploaded_at__lt=cutoff)
        .order_by("pk")
        .values_list("pk", flat=True)[:1000]
    )


def configuration_problem(*, demo: bool, enabled: bool, socket: str, host: str) -> str | None:
    """Why the scanner's settings cannot work outside demo mode, or None. Read at start-up by every process."""
    if demo:
        return None
    if not enabled:
        return "CLAMD_ENABLED=false is allowed only in demo mode (NRM_DEMO=true): every upload must be scanned"
    if not socket and not host:
        return "Set CLAMD_SOCKET or CLAMD_HOST to ClamAV's daemon: every upload must be scanned (docs/configuration.md)"
    return None


def check_scanner_configured() -> None:
    """Raises ImproperlyConfigured outside demo mode when uploads could not be scanned (referrals' AppConfig)."""
    from django.core.exceptions import ImproperlyConfigured

    problem = configuration_problem(
        demo=settings.NRM_DEMO, enabled=settings.CLAMD_ENABLED, socket=settings.CLAMD_SOCKET, host=settings.CLAMD_HOST
    )
    if problem:
        raise ImproperlyConfigured(problem)


def scanner_reachable_check(app_configs=None, **kwargs) -> list:
    """A system check (run by migrate, runserver and `check`): outside demo mode clamd must answer, so that the
    release step (`migrate`) fails when the scanner is missing. In demo mode `make run` starts clamd after
    migrating, and its scanner process says plainly when uploads are not scanned."""
    from django.core.checks import Error

    if settings.NRM_DEMO or scanner_answers():
        return []
    where = settings.CLAMD_SOCKET or f"{settings.CLAMD_HOST}:{settings.CLAMD_PORT}"
    return [
        Error(
            f"ClamAV's daemon does not answer on {where}: uploads would stay 'being checked for viruses'",
            hint="Start clamd, or correct CLAMD_SOCKET / CLAMD_HOST (docs/configuration.md)",
            id="uploads.E001",
        )
    ]
