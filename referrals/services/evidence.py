"""Every write of a draft's evidence files: add one, remove one. The same rights as the draft's answers (its
organisation's first responders, while it is a draft); the file's type is read from its content, its name is
kept for display only and it is stored under a random name."""

import unicodedata
from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from common.downloads import EvidenceRejected, evidence_check_file, evidence_display_name
from referrals.models import Draft, EvidenceFile, Referral, ReferralPolicy
from referrals.services.drafts import _check_can_edit
from referrals.services.scanning import evidence_queue_scan_on_commit

MAX_DESCRIPTION_LENGTH = 1000

__all__ = [
    "EvidenceRejected",
    "EvidenceWindowClosed",
    "evidence_add",
    "evidence_add_after_sending",
    "evidence_check_description",
    "evidence_remove",
]


def evidence_check_description(description: str) -> str:
    """The description, trimmed; raises EvidenceRejected when it is missing, too long or has control
    characters."""
    description = (description or "").strip()
    if not description:
        raise EvidenceRejected("Enter a description of the file", field="evidence_description")
    if len(description) > MAX_DESCRIPTION_LENGTH:
        raise EvidenceRejected(
            f"The description must be {MAX_DESCRIPTION_LENGTH} characters or fewer", field="evidence_description"
        )
    if any(unicodedata.category(character) == "Cc" and character not in "\n\r\t" for character in description):
        raise EvidenceRejected(
            "The description must not contain special characters that cannot be printed", field="evidence_description"
        )
    return description


def _record_change(draft: Draft, actor: User) -> None:
    """Evidence is not an answer (the draft's version stays, so open pages can still be saved), but it is a
    change: the draft is kept from expiring and its last editor is known."""
    draft.last_changed_by = actor
    draft.expiry_warning_sent_at = None
    draft.save(update_fields=["last_changed_by", "expiry_warning_sent_at", "updated_at"])


@transaction.atomic
def evidence_add(*, draft_id: int, actor: User, uploaded_file: UploadedFile, description: str) -> EvidenceFile:
    """Adds a file to a draft. Raises PermissionDenied, DraftNotEditable or EvidenceRejected."""
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _check_can_edit(draft, actor)
    return _evidence_store(draft, actor, uploaded_file, description)


class EvidenceWindowClosed(Exception):
    """Evidence is added after sending only by the account that sent the referral, and only for a while."""


@transaction.atomic
def evidence_add_after_sending(
    *, referral_id: int, actor: User, uploaded_file: UploadedFile, description: str, within: timedelta
) -> EvidenceFile:
    """Adds a file to a referral already sent, by the account that sent it (a partner API client sends its
    answers first and its files after: ADR 0027), within `within` of sending. The same checks, limits and virus
    scan as a draft's files; the file joins the draft's evidence, which the case shows. Raises PermissionDenied,
    EvidenceWindowClosed or EvidenceRejected."""
    referral = Referral.objects.get(pk=referral_id)
    draft = Draft.objects.select_for_update().get(pk=referral.draft_id)
    if referral.submitted_by_id != actor.pk or not actor.is_first_responder:
        raise PermissionDenied
    if timezone.now() - referral.submitted_at > within:
        raise EvidenceWindowClosed(
            f"Files can be added to a referral only in the {within.total_seconds() / 3600:g} hours after it was sent"
        )
    return _evidence_store(draft, actor, uploaded_file, description)


def _evidence_store(draft: Draft, actor: User, uploaded_file: UploadedFile, description: str) -> EvidenceFile:
    """Checks and stores one file of a locked draft."""
    policy = ReferralPolicy.current()
    # Counted under the draft's lock: two uploads at once cannot both take the last place.
    if draft.evidence.count() >= policy.max_evidence_files:
        raise EvidenceRejected(
            f"You can add up to {policy.max_evidence_files} files to a referral: remove one to add another"
        )
    evidence_type = evidence_check_file(uploaded_file, max_megabytes=policy.max_evidence_megabytes)
    description = evidence_check_description(description)
    evidence = EvidenceFile(
        draft=draft,
        original_name=evidence_display_name(uploaded_file.name, evidence_type=evidence_type),
        content_type=evidence_type.content_type,
        size=uploaded_file.size,
        description=description,
        uploaded_by=actor,
    )
    uploaded_file.seek(0)
    # Stored under the model's random name (evidence_path); the uploaded name is never part of it.
    evidence.file.save("evidence", uploaded_file, save=False)
    stored_name = evidence.file.name
    # The file is written before the row: when the row cannot be written, the file must not stay behind.
    try:
        evidence.save()
        _record_change(draft, actor)
    except BaseException:
        evidence.file.storage.delete(stored_name)
        raise
    # Pending until clamd has looked at it: nobody can download it before.
    evidence_queue_scan_on_commit(evidence.pk)
    return evidence


@transaction.atomic
def evidence_remove(*, evidence_id: int, actor: User) -> None:
    """Removes a file from a draft; the stored file is deleted once the removal is committed."""
    draft_id = EvidenceFile.objects.values_list("draft_id", flat=True).get(pk=evidence_id)
    draft = Draft.objects.select_for_update().get(pk=draft_id)
    _check_can_edit(draft, actor)
    evidence = EvidenceFile.objects.get(pk=evidence_id, draft=draft)
    storage, stored_name = evidence.file.storage, evidence.file.name
    evidence.delete()
    _record_change(draft, actor)
    transaction.on_commit(lambda: storage.delete(stored_name))
