"""Retention of submitted referrals (the policy and its schedule are privacy's; these are the writes).

Anonymising keeps the facts the published statistics count (route, nation, child or adult, gender,
nationalities, exploitation types, where exploited, the referring organisation and the dates) and removes every
other answer, the typed personal columns, the evidence (rows and stored files) and the change history that
still holds the old values. Deleting removes the referral, its draft, its evidence and their history.
Both lock the referral (skipping one another run holds) and are safe to run twice.
"""

import logging
from datetime import datetime
from functools import partial

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import QuerySet

from common.history import history_forget, history_replace
from common.virus_scan import QUARANTINE_STORAGE
from referrals.models import Draft, EvidenceFile, Referral, ReferralFeedback, Route

logger = logging.getLogger(__name__)

ANONYMISED_REASON = "Personal details removed under the retention policy"

# The answers that are statistics and nothing else: none names, locates or describes the person.
STATISTICS_ANSWER_KEYS = frozenset(
    {
        "organisation",
        "nation",
        "under_18",
        "consent",
        "child_during_exploitation",
        "exploited_in",
        "uk_towns",
        "countries",
        "exploitation_types",
        "police_force",
        "la_name",
        "gender",
        "nationality",
        "second_nationality",
    }
)


def statistics_answers(answers: dict) -> dict:
    return {key: value for key, value in (answers or {}).items() if key in STATISTICS_ANSWER_KEYS}


def duty_to_notify_reports_submitted_before(*, moment: datetime) -> QuerySet[Referral]:
    """Duty to Notify reports (referrals that never have a case) sent before `moment`."""
    return Referral.objects.filter(route=Route.DUTY_TO_NOTIFY, case__isnull=True, submitted_at__lte=moment)


def _lock(referral_id: int) -> Referral | None:
    """The referral under a row lock, or None when it is gone or another run holds it."""
    return (
        Referral.objects.select_for_update(skip_locked=True, of=("self",))
        .select_related("draft")
        .filter(pk=referral_id)
        .first()
    )


def _remove_evidence(draft_id: int) -> int:
    evidence = EvidenceFile.objects.filter(draft_id=draft_id)
    evidence_ids = list(evidence.values_list("pk", flat=True))
    stored_names = [name for name in evidence.values_list("file", flat=True) if name]
    quarantined = [name for name in evidence.values_list("quarantined_as", flat=True) if name]
    evidence.delete()
    history_forget(EvidenceFile, evidence_ids)
    transaction.on_commit(partial(delete_stored_files, stored_names, quarantined=quarantined))
    return len(evidence_ids)


@transaction.atomic
def referral_anonymise(*, referral_id: int) -> bool:
    """Removes the personal details of one referral (see the module's docstring). False when another run holds
    it or it is gone. The caller decides that the referral is due (its case, or a Duty to Notify's age)."""
    referral = _lock(referral_id)
    if referral is None:
        return False
    kept = statistics_answers(referral.answers)
    Referral.objects.filter(pk=referral.pk).update(
        answers=kept, responder_reference="", person_name_key="", date_of_birth=None, home_office_reference=""
    )
    Draft.objects.filter(pk=referral.draft_id).update(answers=kept, furthest_page="")
    _remove_evidence(referral.draft_id)
    ReferralFeedback.objects.filter(referral_id=referral.pk).update(improvements="")
    history_replace(Referral, [referral.pk], reason=ANONYMISED_REASON)
    history_replace(Draft, [referral.draft_id], reason=ANONYMISED_REASON)
    return True


@transaction.atomic
def referral_delete(*, referral_id: int) -> bool:
    """Deletes one referral with its draft, evidence (stored files once committed), feedback and history. Its
    case, if it had one, must be deleted first (casework's case_delete). False when held or gone."""
    referral = _lock(referral_id)
    if referral is None:
        return False
    draft_id = referral.draft_id
    _remove_evidence(draft_id)
    ReferralFeedback.objects.filter(referral_id=referral.pk).delete()
    referral.delete()
    Draft.objects.filter(pk=draft_id).delete()
    history_forget(Referral, [referral_id])
    history_forget(Draft, [draft_id])
    return True


def delete_stored_files(names: list[str], *, quarantined: list[str] = ()) -> None:
    """The stored copies, and the quarantined copies of files the scanner found infected."""
    stored = [(EvidenceFile._meta.get_field("file").storage, name) for name in names]
    stored += [(storages[QUARANTINE_STORAGE], name) for name in quarantined]
    for storage, name in stored:
        try:
            storage.delete(name)
        except Exception as error:  # the file system's or the object store's: the rows are gone either way
            # Stored names are random (referrals.models.evidence_path): nothing personal in this line.
            logger.warning("Could not delete the stored evidence file %s (%s)", name, type(error).__name__)
