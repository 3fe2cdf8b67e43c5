"""The retention job: what the policy says is due, removed through each app's own services.

`retention_apply(dry_run=True)` lists what would go, with counts per kind, through the same queries the real
run works through, so the two agree. Each case or report is removed in its own short transaction under its
row lock (another run holding it is skipped, not waited for), so the job is safe to run twice, and at the same
time as itself. Every run leaves a RetentionRun row of counts: never a reference or a name.
"""

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.models import User
from casework.services.retention import (
    access_log_older_than,
    access_log_trim,
    case_anonymise,
    case_delete,
    cases_ended_before,
)
from notifications.services import notifications_delete_about, notifications_older_than, notifications_trim
from privacy.models import AnonymisedReferral, RetentionPolicy, RetentionRun
from referrals.services.retention import (
    duty_to_notify_reports_submitted_before,
    referral_anonymise,
    referral_delete,
)

logger = logging.getLogger(__name__)

KIND_LABELS = {
    "cases_anonymised": "Ended cases anonymised (with their referrals)",
    "cases_deleted": "Ended cases deleted (with their referrals)",
    "duty_to_notify_anonymised": "Duty to Notify reports anonymised",
    "duty_to_notify_deleted": "Duty to Notify reports deleted",
    "access_log_entries_deleted": "Access log entries deleted",
    "notifications_deleted": "Notifications deleted",
}


@dataclass
class RetentionOutcome:
    """What a run removed (or a dry run would): references of cases and reports, counts of everything. The
    references are for the person running it (the admin page, the command); the stored run keeps counts."""

    run: RetentionRun
    references: dict[str, list[str]] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def rows(self) -> list[tuple[str, int]]:
        return [(KIND_LABELS[kind], self.counts.get(kind, 0)) for kind in KIND_LABELS if kind in self.counts]


@dataclass(frozen=True)
class Cutoffs:
    cases: datetime
    duty_to_notify: datetime
    access_log: datetime
    notifications: datetime

    @classmethod
    def of(cls, policy: RetentionPolicy, now: datetime) -> "Cutoffs":
        return cls(
            cases=now - timedelta(days=policy.closed_case_days),
            duty_to_notify=now - timedelta(days=policy.duty_to_notify_days),
            access_log=now - timedelta(days=policy.access_log_days),
            notifications=now - timedelta(days=policy.notification_days),
        )


def _not_yet_anonymised(queryset, referral_field: str):
    return queryset.exclude(**{f"{referral_field}__in": AnonymisedReferral.objects.values("referral_id")})


def cases_due(policy: RetentionPolicy, cutoffs: Cutoffs):
    cases = cases_ended_before(moment=cutoffs.cases)
    if policy.closed_case_action == RetentionPolicy.Action.ANONYMISE:
        cases = _not_yet_anonymised(cases, "referral_id")
    return cases


def duty_to_notify_due(policy: RetentionPolicy, cutoffs: Cutoffs):
    reports = duty_to_notify_reports_submitted_before(moment=cutoffs.duty_to_notify).order_by("pk")
    if policy.duty_to_notify_action == RetentionPolicy.Action.ANONYMISE:
        reports = _not_yet_anonymised(reports, "pk")
    return reports


def _mark_anonymised(referral_id: int, run: RetentionRun) -> bool:
    """The marker first: a second run reaching the same referral waits here for the first to commit, then
    fails on the unique referral and leaves it alone."""
    try:
        with transaction.atomic():
            AnonymisedReferral.objects.create(referral_id=referral_id, run=run)
    except IntegrityError:
        return False
    return True


def _anonymise_case(case_id: int, referral_id: int, cutoffs: Cutoffs, run: RetentionRun) -> bool:
    with transaction.atomic():
        if not _mark_anonymised(referral_id, run):
            return False
        if case_anonymise(case_id=case_id, ended_before=cutoffs.cases) is None or not referral_anonymise(
            referral_id=referral_id
        ):
            transaction.set_rollback(True)  # not due any more, or held by another run: the marker goes too
            return False
    return True


def _delete_case(case_id: int, cutoffs: Cutoffs) -> bool:
    with transaction.atomic():
        case_subject = cases_ended_before(moment=cutoffs.cases).filter(pk=case_id).select_related("referral").first()
        if case_subject is None:
            return False
        referral = case_subject.referral
        referral_id = case_delete(case_id=case_id, ended_before=cutoffs.cases)
        if referral_id is None:
            transaction.set_rollback(True)
            return False
        notifications_delete_about(subject=case_subject)
        notifications_delete_about(subject=referral)
        if not referral_delete(referral_id=referral_id):
            transaction.set_rollback(True)
            return False
    return True


def _anonymise_report(referral_id: int, cutoffs: Cutoffs, run: RetentionRun) -> bool:
    with transaction.atomic():
        still_due = duty_to_notify_reports_submitted_before(moment=cutoffs.duty_to_notify).filter(pk=referral_id)
        if not still_due.exists() or not _mark_anonymised(referral_id, run):
            return False
        if not referral_anonymise(referral_id=referral_id):
            transaction.set_rollback(True)
            return False
    return True


def _delete_report(referral_id: int, cutoffs: Cutoffs) -> bool:
    with transaction.atomic():
        report = duty_to_notify_reports_submitted_before(moment=cutoffs.duty_to_notify).filter(pk=referral_id).first()
        if report is None:
            return False
        notifications_delete_about(subject=report)
        if not referral_delete(referral_id=referral_id):
            transaction.set_rollback(True)
            return False
    return True


def retention_apply(
    *,
    dry_run: bool = False,
    trigger: RetentionRun.Trigger = RetentionRun.Trigger.JOB,
    actor: User | None = None,
    now: datetime | None = None,
) -> RetentionOutcome:
    """Anonymises or deletes (as the policy says) the ended cases and Duty to Notify reports past their period,
    and trims the access log and notifications; with `dry_run`, only lists and counts them."""
    now = now or timezone.now()
    policy = RetentionPolicy.current()
    cutoffs = Cutoffs.of(policy, now)
    run = RetentionRun.objects.create(started_at=now, dry_run=dry_run, trigger=trigger, started_by=actor)
    outcome = RetentionOutcome(run=run)
    anonymise_cases = policy.closed_case_action == RetentionPolicy.Action.ANONYMISE
    anonymise_reports = policy.duty_to_notify_action == RetentionPolicy.Action.ANONYMISE
    case_kind = "cases_anonymised" if anonymise_cases else "cases_deleted"
    report_kind = "duty_to_notify_anonymised" if anonymise_reports else "duty_to_notify_deleted"

    cases = list(cases_due(policy, cutoffs).values_list("pk", "referral_id", "reference"))
    reports = list(duty_to_notify_due(policy, cutoffs).values_list("pk", "reference"))
    if dry_run:
        outcome.references[case_kind] = [reference for _, _, reference in cases]
        outcome.references[report_kind] = [reference for _, reference in reports]
        outcome.counts = {
            case_kind: len(cases),
            report_kind: len(reports),
            "access_log_entries_deleted": access_log_older_than(moment=cutoffs.access_log).count(),
            "notifications_deleted": notifications_older_than(moment=cutoffs.notifications).count(),
        }
    else:
        done_cases = [
            reference
            for case_id, referral_id, reference in cases
            if (
                _anonymise_case(case_id, referral_id, cutoffs, run)
                if anonymise_cases
                else _delete_case(case_id, cutoffs)
            )
        ]
        done_reports = [
            reference
            for referral_id, reference in reports
            if (
                _anonymise_report(referral_id, cutoffs, run)
                if anonymise_reports
                else _delete_report(referral_id, cutoffs)
            )
        ]
        outcome.references = {case_kind: done_cases, report_kind: done_reports}
        outcome.counts = {
            case_kind: len(done_cases),
            report_kind: len(done_reports),
            "access_log_entries_deleted": access_log_trim(before=cutoffs.access_log),
            "notifications_deleted": notifications_trim(before=cutoffs.notifications),
        }
    run.counts = outcome.counts
    run.finished_at = timezone.now()
    run.save(update_fields=["counts", "finished_at"])
    logger.info("Retention %s %s: %s", "dry run" if dry_run else "run", run.pk, outcome.counts)
    return outcome
