"""Every write of a draft's evidence files: add one, remove one. The same rights as the draft's answers (its
organisation's first responders, while it is a draft); the file's type is read from its content, its name is
kept for display only and it is stored under a random name."""

import unicodedata
from pathlib import PurePosixPath

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from accounts.models import User
from referrals.evidence_types import EvidenceType, detect_evidence_type
from referrals.models import Draft, EvidenceFile, ReferralPolicy
from referrals.services.drafts import _check_can_edit
from referrals.services.scanning import evidence_queue_scan_on_commit
from referrals.upload_safety import UnsafeUpload, check_upload_safety, unrecognised_file_message

MAX_DESCRIPTION_LENGTH = 1000
MAX_NAME_LENGTH = 255
TYPE_MESSAGE = "The selected file must be a PDF, DOC, DOCX, JPG or PNG"
# Unicode categories stripped from a displayed name: control and format characters (which include the
# right-to-left override that makes "gpj.exe" read as "exe.jpg"), surrogates, private use and unassigned.
_UNPRINTABLE = frozenset({"Cc", "Cf", "Cs", "Co", "Cn"})


class EvidenceRejected(Exception):
    """The upload is refused; `field` is the upload form's field the message belongs to."""

    def __init__(self, message: str, *, field: str = "evidence_file"):
        self.message = message
        self.field = field
        super().__init__(message)


def evidence_size_limit_bytes(policy: ReferralPolicy | None = None) -> int:
    policy = policy or ReferralPolicy.current()
    return policy.max_evidence_megabytes * 1024 * 1024


def evidence_check_file(uploaded_file: UploadedFile | None, *, policy: ReferralPolicy | None = None) -> EvidenceType:
    """The detected type of an acceptable file; raises EvidenceRejected with the message to show otherwise.
    Referral evidence and case files both come through here: type by content, then the safety checks of
    `referrals.upload_safety` (macros, zip bombs, huge images, polyglots)."""
    policy = policy or ReferralPolicy.current()
    if uploaded_file is None:
        raise EvidenceRejected("Select a file")
    if not uploaded_file.size:
        raise EvidenceRejected("The selected file is empty")
    if uploaded_file.size > evidence_size_limit_bytes(policy):
        raise EvidenceRejected(f"The selected file must be smaller than {policy.max_evidence_megabytes} MB")
    evidence_type = detect_evidence_type(uploaded_file)
    if evidence_type is None:
        raise EvidenceRejected(unrecognised_file_message(uploaded_file) or TYPE_MESSAGE)
    try:
        check_upload_safety(uploaded_file, evidence_type.label)
    except UnsafeUpload as unsafe:
        raise EvidenceRejected(unsafe.message) from None
    return evidence_type


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


def evidence_display_name(name: str | None, *, evidence_type: EvidenceType | None = None) -> str:
    """The uploaded name made safe to keep and show: no folders, no unprintable characters, at most 255
    characters with its extension kept. Only ever displayed (escaped) or offered as a download name."""
    name = unicodedata.normalize("NFC", name or "").replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(character for character in name if unicodedata.category(character) not in _UNPRINTABLE)
    name = " ".join(name.split()).strip(" .")
    if not name:
        name = f"evidence.{evidence_type.extension}" if evidence_type else "evidence"
    if len(name) > MAX_NAME_LENGTH:
        suffix = PurePosixPath(name).suffix
        suffix = suffix if len(suffix) <= 10 else ""
        name = name[: MAX_NAME_LENGTH - len(suffix)].rstrip(" .") + suffix
    return name


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
    policy = ReferralPolicy.current()
    # Counted under the draft's lock: two uploads at once cannot both take the last place.
    if draft.evidence.count() >= policy.max_evidence_files:
        raise EvidenceRejected(
            f"You can add up to {policy.max_evidence_files} files to a referral: remove one to add another"
        )
    evidence_type = evidence_check_file(uploaded_file, policy=policy)
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
