"""Subject access: everything the service holds about one person, found by their referral's (or case's)
reference, as one ZIP: `summary.json` and `summary.html` (the same content, for a machine and for a reader)
and every file (evidence, decision letters, files of requests and reconsiderations).

Staff who touched the record appear by role and organisation, not by name or address: they are other people,
and the data protection team can find them in admin if a request needs them. The export is written to the
access log and to SubjectAccessExport (with its history) in the same transaction as the read.
"""

from __future__ import annotations

import json
import re
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone

from accounts.models import User
from accounts.roles import Role
from casework.factors import factor_labels
from casework.letters import letter_filename, letter_pdf
from casework.models import AccessLogEntry, Case, CaseFile
from casework.services import access_log_record
from privacy.models import SubjectAccessExport
from referrals.check import answer_summary
from referrals.models import Referral
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import display_value

# Who may export (and open the page): the data protection team and service administrators.
EXPORT_ROLES = (Role.DATA_PROTECTION, Role.ADMIN)
# Files are written to disk past this size while the ZIP is made, so a large export never fills memory.
SPOOL_BYTES = 8 * 1024 * 1024


class SubjectNotFound(Exception):
    """No referral or case has the reference."""


class ExportNotPermitted(Exception):
    pass


@dataclass
class SubjectAccessZip:
    filename: str
    file: tempfile.SpooledTemporaryFile
    export: SubjectAccessExport


def normalise_reference(reference: str) -> str:
    return "".join((reference or "").split()).upper()


def subject_referral(reference: str) -> Referral | None:
    """The referral of a reference (a case's reference is its referral's)."""
    return (
        Referral.objects.select_related("organisation", "draft")
        .filter(reference=normalise_reference(reference))
        .first()
    )


def _when(value: datetime | date | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def _someone(user: User | None) -> str:
    """A member of staff as their role and organisation, never their name or address."""
    if user is None:
        return "The service (automatic)"
    role = Role(user.role).label if user.role in Role.values else user.role
    return f"{role}, {user.organisation}" if user.organisation_id else role


def _safe_name(name: str) -> str:
    cleaned = re.sub(r"[^A-Za-z0-9._ -]+", "_", name or "file").strip(" .") or "file"
    return cleaned[:100]


class _Files:
    """The files of the ZIP, each under a numbered, safe name inside its folder."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.count = 0

    def add_upload(self, folder: str, upload) -> str | None:
        """An uploaded file, only once the scanner has found it clean: one still being checked, or infected and
        quarantined, is listed in the summary with its status but never put in the ZIP."""
        if not upload.is_downloadable:
            return None
        return self.add_stored(folder, upload.file, upload.original_name)

    def add_stored(self, folder: str, field_file, original_name: str) -> str | None:
        if not field_file:
            return None
        try:
            with field_file.open("rb") as stored:
                content = stored.read()
        except FileNotFoundError:
            return None
        return self.add_bytes(folder, content, original_name)

    def add_bytes(self, folder: str, content: bytes, name: str) -> str:
        self.count += 1
        path = f"{folder}/{self.count:03d}-{_safe_name(name)}"
        self.archive.writestr(path, content)
        return path


def _referral_section(referral: Referral, files: _Files) -> tuple[dict, list[dict]]:
    held = referral.answers or {}
    rows = [(block["section"], row) for block in answer_summary(QUESTIONNAIRE, held) for row in block["rows"]]
    answers = [
        {"section": section.title, "question": row["question"].short_label, "answer": row["value"]}
        for section, row in rows
    ]
    # Whatever else is held (an answer the route no longer shows, a key no question declares any more): a subject
    # access export leaves nothing out.
    shown = {row["question"].key for _, row in rows}
    for key, value in held.items():
        if key in shown or key.startswith("_"):
            continue
        try:
            question = QUESTIONNAIRE.question(key)
        except KeyError:
            answers.append({"section": "Other answers held", "question": key, "answer": str(value)})
        else:
            answers.append(
                {
                    "section": "Other answers held",
                    "question": question.short_label,
                    "answer": display_value(question, value),
                }
            )
    details = {
        "reference": referral.reference,
        "route": referral.get_route_display(),
        "sent_at": _when(referral.submitted_at),
        "sent_by": _someone(referral.submitted_by),
        "organisation": str(referral.organisation),
        "nation": referral.get_nation_display(),
        "child": referral.is_child,
        "gender": referral.gender,
        "nationalities": referral.nationalities,
        "exploitation_types": referral.exploitation_types,
        "date_of_birth": _when(referral.date_of_birth),
        "home_office_reference": referral.home_office_reference,
        "first_responder_reference": referral.responder_reference,
        "answers": answers,
    }
    evidence = [
        {
            "file": files.add_upload("evidence", item),
            "scan_status": item.get_scan_status_display(),
            "name": item.original_name,
            "description": item.description,
            "type": item.content_type,
            "size": item.size,
            "uploaded_at": _when(item.uploaded_at),
        }
        for item in referral.draft.evidence.order_by("uploaded_at", "pk")
    ]
    return details, evidence


def _file_rows(case_files: list[CaseFile], files: _Files) -> list[dict]:
    return [
        {
            "file": files.add_upload("files", item),
            "scan_status": item.get_scan_status_display(),
            "name": item.original_name,
            "type": item.content_type,
            "size": item.size,
            "uploaded_at": _when(item.uploaded_at),
            "uploaded_by": _someone(item.uploaded_by),
        }
        for item in case_files
    ]


def _case_section(case: Case, files: _Files) -> dict:
    case_files = list(case.files.select_related("uploaded_by__organisation").order_by("uploaded_at", "pk"))
    decisions = []
    for decision in case.decisions.select_related("decided_by__organisation").order_by("created_at", "pk"):
        letter = getattr(decision, "letter", None)
        letter_path = None
        if letter is not None and decision.is_served:
            letter_path = files.add_bytes("letters", letter_pdf(letter), letter_filename(decision))
        decisions.append(
            {
                "stage": decision.get_stage_display(),
                "outcome": decision.get_outcome_display(),
                "state": decision.get_state_display(),
                "decision_date": _when(decision.decision_date),
                "decided_by": _someone(decision.decided_by),
                "factors": factor_labels(decision.factors),
                "reasons": decision.reasons,
                "review_route": decision.get_review_route_display(),
                "review_reasons": decision.review_reasons,
                "served_at": _when(decision.served_at),
                "reconsideration_deadline": _when(decision.reconsideration_deadline),
                "letter": letter_path,
            }
        )
    information_requests = [
        {
            "question": information_request.question,
            "due_date": _when(information_request.due_date),
            "asked_at": _when(information_request.requested_at),
            "state": information_request.get_state_display(),
            "answer": information_request.answer,
            "answered_at": _when(information_request.answered_at),
            "files": _file_rows(
                [item for item in case_files if item.information_request_id == information_request.pk], files
            ),
        }
        for information_request in case.information_requests.order_by("requested_at", "pk")
    ]
    reconsiderations = [
        {
            "requested_at": _when(item.requested_at),
            "requested_by": _someone(item.requested_by),
            "grounds": item.grounds_labels,
            "details": item.details,
            "late": item.is_late,
            "exceptional_circumstances": item.exceptional_circumstances,
            "state": item.get_state_display(),
            "decided_at": _when(item.decided_at),
            "decision_reasons": item.decision_reasons,
            "files": _file_rows([row for row in case_files if row.reconsideration_id == item.pk], files),
        }
        for item in case.reconsiderations.select_related("requested_by__organisation").order_by("requested_at", "pk")
    ]
    return {
        "reference": case.reference,
        "status": case.get_status_display(),
        "authority": str(case.authority),
        "opened_at": _when(case.opened_at),
        "reasonable_grounds_due": _when(case.rg_due_at),
        "positive_reasonable_grounds_served_at": _when(case.rg_decided_at),
        "recovery_period_ends": _when(case.recovery_ends_at),
        "positive_conclusive_grounds_served_at": _when(case.cg_decided_at),
        "support_provider": str(case.support_provider) if case.support_provider_id else None,
        "support_started_at": _when(case.support_started_at),
        "support_ends_at": _when(case.support_ends_at),
        "closed_at": _when(case.closed_at),
        "decisions": decisions,
        "information_requests": information_requests,
        "reconsiderations": reconsiderations,
        "notes": [
            {"kind": note.get_kind_display(), "text": note.text, "written_at": _when(note.created_at)}
            for note in case.notes.order_by("created_at", "pk")
        ],
        "timeline": [
            {"at": _when(event.created_at), "event": event.get_kind_display(), "by": _someone(event.actor)}
            for event in case.events.select_related("actor__organisation").order_by("created_at", "pk")
        ],
        "access_log": [
            {"at": _when(entry.viewed_at), "what": entry.get_what_display(), "by": _someone(entry.user)}
            for entry in case.access_log.select_related("user__organisation").order_by("viewed_at", "pk")
        ],
    }


@transaction.atomic
def subject_access_export(*, reference: str, actor: User) -> SubjectAccessZip:
    """The ZIP of everything held about the person of `reference`, logged as an export and an access.
    Raises ExportNotPermitted for anyone but the data protection team and admins, SubjectNotFound for an
    unknown reference."""
    if not (actor.is_authenticated and actor.is_active and actor.role in EXPORT_ROLES):
        raise ExportNotPermitted
    referral = subject_referral(reference)
    if referral is None:
        raise SubjectNotFound
    case = Case.objects.select_related("authority", "support_provider").filter(referral=referral).first()
    export = SubjectAccessExport.objects.create(reference=referral.reference, referral=referral, exported_by=actor)
    if case is not None:
        access_log_record(user=actor, case=case, what=AccessLogEntry.What.SUBJECT_ACCESS)

    # Not a context manager: the response streams it and closes it when sent.
    spooled = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115
    with zipfile.ZipFile(spooled, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        files = _Files(archive)
        details, evidence = _referral_section(referral, files)
        summary = {
            "about": "Everything NRM Digital holds about the person referred under this reference",
            "reference": referral.reference,
            "exported_at": _when(export.exported_at),
            "referral": details,
            "evidence": evidence,
            "case": _case_section(case, files) if case is not None else None,
        }
        archive.writestr("summary.json", json.dumps(summary, indent=2, ensure_ascii=False, cls=DjangoJSONEncoder))
        archive.writestr("summary.html", render_to_string("privacy/export_summary.html", {"summary": summary}))
    spooled.seek(0)
    export.file_count = files.count
    export.save(update_fields=["file_count"])
    return SubjectAccessZip(filename=f"subject-access-{referral.reference}.zip", file=spooled, export=export)
