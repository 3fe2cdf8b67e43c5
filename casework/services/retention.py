"""Retention of ended cases and trimming of the access log (the policy and its schedule are privacy's; these
are casework's writes and the rule for when a case has ended).

A case has ended when nothing more is expected on it: closed after support, withdrawn, merged, disqualified,
or a negative decision served with no reconsideration pending. Its retention clock starts at its last timeline
event (closing, a late note or an answer all write one), never at a page view. Open and suspended cases are
never touched.
"""

import logging
from datetime import datetime
from functools import partial

from django.core.files.storage import storages
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet, Subquery

from casework.lifecycle import transition
from casework.models import (
    AccessLogEntry,
    Case,
    CaseEvent,
    CaseFile,
    CaseNote,
    Decision,
    InformationRequest,
    Letter,
    Reconsideration,
)
from casework.panel_port import panels
from common.history import history_forget, history_replace
from common.virus_scan import QUARANTINE_STORAGE

logger = logging.getLogger(__name__)

ANONYMISED_REASON = "Personal details removed under the retention policy"

# The states from which no move but reconsideration leads on (casework.lifecycle, "anonymise").
ENDED_STATUSES = transition("anonymise").sources

BATCH_SIZE = 1000


def cases_ended_before(*, moment: datetime) -> QuerySet[Case]:
    """Ended cases whose last timeline event is older than `moment`, oldest reference first."""
    last_event = CaseEvent.objects.filter(case=OuterRef("pk")).order_by("-created_at").values("created_at")[:1]
    pending = Reconsideration.objects.filter(case=OuterRef("pk"), state=Reconsideration.State.PENDING)
    return (
        Case.objects.filter(status__in=ENDED_STATUSES)
        .alias(last_event_at=Subquery(last_event), reconsideration_pending=Exists(pending))
        .filter(last_event_at__lte=moment, reconsideration_pending=False)
        .order_by("pk")
    )


def _lock_if_due(case_id: int, moment: datetime) -> Case | None:
    """The case under a row lock if it is still due; None when it is gone, held by another run, or was worked
    on again since it was listed."""
    case = Case.objects.select_for_update(skip_locked=True, of=("self",)).filter(pk=case_id).first()
    if case is None or not cases_ended_before(moment=moment).filter(pk=case_id).exists():
        return None
    return case


def _stored_names(files: QuerySet) -> list[str]:
    return [name for name in files.values_list("file", flat=True) if name]


def _delete_case_files(case_id: int) -> list[str]:
    files = CaseFile.objects.filter(case_id=case_id)
    names = _stored_names(files)
    quarantined = [name for name in files.values_list("quarantined_as", flat=True) if name]
    ids = list(files.values_list("pk", flat=True))
    files.delete()
    history_forget(CaseFile, ids)
    transaction.on_commit(partial(delete_quarantined_files, quarantined))
    return names


@transaction.atomic
def case_anonymise(*, case_id: int, ended_before: datetime) -> Case | None:
    """Removes every personal detail held by casework about one ended case: the text of notes, decisions'
    reasons, information requests and answers, reconsiderations, the letters' and files' stored copies, and the
    history rows holding them. Keeps what statistics count (status, dates, outcomes, factors, grounds). Writes
    one timeline event. None when the case is not due, gone or held by another run."""
    case = _lock_if_due(case_id, ended_before)
    if case is None:
        return None
    stored = _delete_case_files(case.pk)
    letters = Letter.objects.filter(decision__case_id=case.pk)
    stored += _stored_names(letters)
    notes = CaseNote.objects.filter(case_id=case.pk)
    decisions = Decision.objects.filter(case_id=case.pk)
    requests = InformationRequest.objects.filter(case_id=case.pk)
    reconsiderations = Reconsideration.objects.filter(case_id=case.pk)
    notes.update(text="")
    decisions.update(reasons="", review_reasons="", authority_response_reasons="")
    letters.update(file="")
    requests.update(question="", answer="")
    reconsiderations.update(details="", exceptional_circumstances="", decision_reasons="")
    for rows in (notes, decisions, letters, requests, reconsiderations):
        history_replace(rows.model, rows.values_list("pk", flat=True), reason=ANONYMISED_REASON)
    panels().forget(case_id=case.pk, delete=False)
    CaseEvent.record(case, None, CaseEvent.Kind.ANONYMISED)
    transaction.on_commit(partial(delete_stored_files, stored))
    return case


@transaction.atomic
def case_delete(*, case_id: int, ended_before: datetime) -> int | None:
    """Deletes one ended case and everything casework holds about it (timeline, notes, decisions, letters,
    requests, reconsiderations, files and their stored copies, access log, history). Returns the id of its
    referral, which the caller deletes next; None when the case is not due, gone or held by another run."""
    case = _lock_if_due(case_id, ended_before)
    if case is None:
        return None
    stored = _delete_case_files(case.pk)
    letters = Letter.objects.filter(decision__case_id=case.pk)
    stored += _stored_names(letters)
    panels().forget(case_id=case.pk, delete=True)  # before the decisions its rows point to
    deleted_ids = {}
    for model, rows in (
        (Reconsideration, Reconsideration.objects.filter(case_id=case.pk)),
        (Letter, letters),
        (Decision, Decision.objects.filter(case_id=case.pk)),
        (InformationRequest, InformationRequest.objects.filter(case_id=case.pk)),
        (CaseNote, CaseNote.objects.filter(case_id=case.pk)),
    ):
        deleted_ids[model] = list(rows.values_list("pk", flat=True))
        rows.delete()
    CaseEvent.objects.filter(case_id=case.pk).delete()
    AccessLogEntry.objects.filter(case_id=case.pk).delete()
    case.possible_duplicates.clear()
    case.possible_duplicate_of.clear()
    # A duplicate merged into this case keeps its own record, without the pointer (saved, so its history says so).
    for duplicate in Case.objects.select_for_update(of=("self",), no_key=True).filter(merged_into_id=case.pk):
        duplicate.merged_into = None
        duplicate._change_reason = "The case it was merged into was deleted under the retention policy"
        duplicate.save(update_fields=["merged_into"])
    referral_id = case.referral_id
    case.delete()
    for model, ids in deleted_ids.items():
        history_forget(model, ids)
    history_forget(Case, [case_id])
    transaction.on_commit(partial(delete_stored_files, stored))
    return referral_id


def access_log_older_than(*, moment: datetime) -> QuerySet[AccessLogEntry]:
    return AccessLogEntry.objects.filter(viewed_at__lt=moment)


def access_log_trim(*, before: datetime) -> int:
    """Deletes access log entries older than `before`, a batch per short transaction (rows another run is
    deleting are skipped). Returns how many were deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                access_log_older_than(moment=before)
                .select_for_update(skip_locked=True)
                .order_by("-viewed_at", "-id")
                .values_list("pk", flat=True)[:BATCH_SIZE]
            )
            if ids:
                AccessLogEntry.objects.filter(pk__in=ids).delete()
        deleted += len(ids)
        if len(ids) < BATCH_SIZE:
            return deleted


def delete_quarantined_files(names: list[str]) -> None:
    for name in names:
        try:
            storages[QUARANTINE_STORAGE].delete(name)
        except Exception as error:  # the rows are gone either way; the name is random, nothing personal
            logger.warning("Could not delete the quarantined case file %s (%s)", name, type(error).__name__)


def delete_stored_files(names: list[str]) -> None:
    """After commit: the rows are gone, so are their files (letters and case files share private storage)."""
    storages = {CaseFile._meta.get_field("file").storage, Letter._meta.get_field("file").storage}
    for name in names:
        for storage in storages:
            try:
                storage.delete(name)
            except Exception as error:  # the rows are gone either way; the name is random, nothing personal
                logger.warning("Could not delete the stored case file %s (%s)", name, type(error).__name__)
