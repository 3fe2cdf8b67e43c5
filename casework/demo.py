"""Demo cases for `manage.py seed_demo`: referrals of the demo first responder organisations, sent through the real
submission (which opens each case), then moved through the real casework services to every state of the
lifecycle: assigned to each demo caseworker and unassigned, children and adults, some overdue, information
requests to answer, decisions under review, served negative decisions open to reconsideration, people supported
by the demo support provider, and cases with the IECA.

Each demo case is known by its referral's responder reference (DEMO-CASE-NN): a case already there is left as it
is, so this is safe to run again. Sends no email.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from accounts.models import Nation, Organisation, User
from casework.deadlines import refresh_information_due, refresh_next_deadline
from casework.lifecycle_driver import drive_case_to
from casework.models import (
    IECA_NAME,
    Case,
    CaseEvent,
    InformationRequest,
    Policy,
    Reconsideration,
    RecoveryNeed,
    SupportEndReason,
    SupportExtensionReason,
)
from casework.services import (
    case_assign,
    case_release,
    case_support_end,
    case_support_extend,
    case_support_person_missing,
    case_support_rna_record,
    case_support_start,
    case_transfer,
    information_request_answer,
    information_request_create,
    reconsideration_request,
)
from common.calendar import add_working_days
from notifications.models import Notification
from referrals.demo import _draft_with
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Referral, Route
from referrals.services import referral_submit

POLICE, NGO, COUNCIL = "responder@police.example", "responder@ngo.example", "responder@council.example"
SAM, JO = "caseworker@sca.example", "caseworker2@sca.example"
MANAGER = "manager@sca.example"
IECA_CASEWORKER = "caseworker@ieca.example"
SUPPORT_PROVIDER_NAME = "Demo Victim Care Provider"
# Answers are drawn from seeds of this range: well clear of the demo referrals' own (organisation id x 10 + n).
SEED_BASE = 40_000

# Extras, done after the case reaches its state:
ASK = "ask"  # an open information request to the first responder, due in 10 working days
ASK_OVERDUE = "ask_overdue"  # an information request past its due date
ASK_ANSWERED = "ask_answered"  # an information request the first responder has answered
RECONSIDER = "reconsider"  # the first responder asks for the served negative decision to be reconsidered
TO_IECA = "to_ieca"  # transferred to the IECA (which then has it, unassigned unless `caseworker` is its own)
# The support provider's records (casework.services.support), by its demo user, each after the ones before it:
SUPPORT_STARTED = "support_started"  # support started the day after the referral for support
SUPPORT_RNA = "support_rna"  # ... and the Recovery Needs Assessment recorded
SUPPORT_EXTENDED = "support_extended"  # ... and support extended by 30 days on the assessment's needs
SUPPORT_MISSING = "support_missing"  # support started, then the person reported missing (not suspended yet)
SUPPORT_ENDED = "support_ended"  # support started, then ended today after the negative decision
SUPPORT_PROVIDER_USER = "support@provider.example"


@dataclass(frozen=True)
class DemoCase:
    key: str  # the referral's responder reference
    responder: str  # who sends the referral
    route: Route
    status: Case.Status
    days_ago: int = 0  # when the referral was sent
    caseworker: str | None = SAM  # who has the case in the end; None: nobody (in the queue)
    wants_support: str = "yes"  # an adult's answer: "yes" refers them to the support provider after a positive RG
    extras: tuple[str, ...] = ()
    duplicate_of: str = ""  # the key of the case this one duplicates (MERGED): the same person referred again


ADULT, CHILD = Route.ADULT, Route.CHILD
DEMO_CASES = (
    DemoCase("DEMO-CASE-01", POLICE, ADULT, Case.Status.AWAITING_RG, days_ago=12, caseworker=None),
    DemoCase("DEMO-CASE-02", POLICE, CHILD, Case.Status.AWAITING_RG, days_ago=9, extras=(ASK,)),
    DemoCase("DEMO-CASE-03", POLICE, ADULT, Case.Status.AWAITING_RG, days_ago=2, caseworker=JO, extras=(ASK,)),
    DemoCase("DEMO-CASE-04", POLICE, ADULT, Case.Status.RECOVERY, days_ago=3, extras=(SUPPORT_STARTED,)),
    DemoCase(
        "DEMO-CASE-05",
        POLICE,
        ADULT,
        Case.Status.AWAITING_CG,
        days_ago=40,
        caseworker=JO,
        extras=(ASK_OVERDUE, SUPPORT_RNA),
    ),
    DemoCase("DEMO-CASE-06", POLICE, ADULT, Case.Status.CONFIRMED_VICTIM, days_ago=45, extras=(SUPPORT_EXTENDED,)),
    DemoCase("DEMO-CASE-07", POLICE, ADULT, Case.Status.RG_NEGATIVE_SERVED, days_ago=5),
    DemoCase("DEMO-CASE-08", POLICE, CHILD, Case.Status.SUSPENDED, days_ago=6, caseworker=JO),
    DemoCase("DEMO-CASE-09", POLICE, ADULT, Case.Status.CLOSED, days_ago=130),
    DemoCase("DEMO-CASE-10", POLICE, ADULT, Case.Status.AWAITING_RG, days_ago=8, caseworker=None, extras=(TO_IECA,)),
    DemoCase("DEMO-CASE-11", NGO, ADULT, Case.Status.AWAITING_RG, days_ago=1, caseworker=None),
    DemoCase("DEMO-CASE-12", NGO, ADULT, Case.Status.RG_NEGATIVE_REVIEW, days_ago=4),
    DemoCase(
        "DEMO-CASE-13",
        NGO,
        ADULT,
        Case.Status.CG_NEGATIVE_REVIEW,
        days_ago=42,
        caseworker=JO,
        extras=(SUPPORT_MISSING,),
    ),
    DemoCase("DEMO-CASE-14", NGO, ADULT, Case.Status.CG_NEGATIVE_SERVED, days_ago=45, extras=(SUPPORT_ENDED,)),
    DemoCase(
        "DEMO-CASE-15",
        NGO,
        ADULT,
        Case.Status.RG_NEGATIVE_SERVED,
        days_ago=10,
        caseworker=JO,
        extras=(RECONSIDER,),
    ),
    DemoCase("DEMO-CASE-16", NGO, ADULT, Case.Status.WITHDRAWN, days_ago=7, wants_support="no"),
    DemoCase("DEMO-CASE-17", NGO, ADULT, Case.Status.RECOVERY, days_ago=10, caseworker=None, wants_support="no"),
    DemoCase(
        "DEMO-CASE-18",
        NGO,
        ADULT,
        Case.Status.RECOVERY,
        days_ago=6,
        caseworker=IECA_CASEWORKER,
        extras=(TO_IECA,),
    ),
    DemoCase("DEMO-CASE-19", NGO, ADULT, Case.Status.DISQUALIFIED, days_ago=40, caseworker=JO),
    DemoCase("DEMO-CASE-20", COUNCIL, CHILD, Case.Status.AWAITING_RG, days_ago=3, caseworker=None),
    DemoCase("DEMO-CASE-21", COUNCIL, CHILD, Case.Status.AWAITING_RG, days_ago=14, caseworker=None),
    DemoCase("DEMO-CASE-22", COUNCIL, CHILD, Case.Status.RECOVERY, days_ago=5, caseworker=JO, extras=(ASK_ANSWERED,)),
    DemoCase("DEMO-CASE-23", COUNCIL, CHILD, Case.Status.AWAITING_CG, days_ago=41, caseworker=None),
    DemoCase("DEMO-CASE-24", COUNCIL, CHILD, Case.Status.CONFIRMED_VICTIM, days_ago=50, caseworker=JO),
    DemoCase("DEMO-CASE-25", COUNCIL, CHILD, Case.Status.MERGED, days_ago=1, duplicate_of="DEMO-CASE-20"),
    DemoCase("DEMO-CASE-26", COUNCIL, ADULT, Case.Status.AWAITING_RG, days_ago=0),
    DemoCase(
        "DEMO-CASE-27",
        COUNCIL,
        ADULT,
        Case.Status.AWAITING_RG,
        days_ago=4,
        caseworker=IECA_CASEWORKER,
        extras=(TO_IECA,),
    ),
    # Support started, then a negative CG served today: support runs 9 more working days (ends within 14 days).
    DemoCase("DEMO-CASE-28", NGO, ADULT, Case.Status.CG_NEGATIVE_SERVED, days_ago=44, extras=(SUPPORT_STARTED,)),
)


def seed() -> int:
    """Adds the demo cases that are not there yet. Returns how many were added."""
    users = {
        user.email: user
        for user in User.objects.filter(
            email__in=[POLICE, NGO, COUNCIL, SAM, JO, MANAGER, IECA_CASEWORKER, SUPPORT_PROVIDER_USER]
        ).select_related("organisation")
    }
    _demo_support_provider_for_england()
    added = 0
    for number, spec in enumerate(DEMO_CASES):
        responder = users[spec.responder]
        if not Referral.objects.filter(organisation=responder.organisation, responder_reference=spec.key).exists():
            _add(spec, number, users)
            added += 1
    return added


def _demo_support_provider_for_england() -> None:
    """England's adults who want support go to the demo provider (demo data: set only when no provider is)."""
    provider = Organisation.objects.filter(name=SUPPORT_PROVIDER_NAME, kind=Organisation.Kind.SUPPORT_PROVIDER).first()
    policy = Policy.objects.filter(nation=Nation.ENGLAND, support_provider__isnull=True).first()
    if provider and policy:
        policy.support_provider = provider
        policy.save(update_fields=["support_provider"])


@transaction.atomic
def _add(spec: DemoCase, number: int, users: dict[str, User]) -> Case:
    responder, manager = users[spec.responder], users[MANAGER]
    sca_caseworker = users[spec.caseworker] if spec.caseworker in (SAM, JO) else users[SAM]
    answers = _answers(spec, number, responder.organisation.name)
    referral = referral_submit(draft_id=_draft_with(responder, answers).pk, actor=responder)
    case = _backdated(Case.objects.get(referral=referral), days=spec.days_ago)
    other = None
    if spec.duplicate_of:
        other = Case.objects.get(
            referral__responder_reference=spec.duplicate_of, referral__organisation=responder.organisation
        )
    if spec.status == Case.Status.AWAITING_RG and spec.caseworker in (SAM, JO):
        case_assign(case_id=case.pk, actor=manager, assignee=sca_caseworker)
    elif spec.status != Case.Status.AWAITING_RG:
        drive_case_to(case, spec.status, caseworker=sca_caseworker, manager=manager, other=other)
    asker = sca_caseworker if spec.caseworker in (SAM, JO) else manager
    if ASK in spec.extras or ASK_OVERDUE in spec.extras or ASK_ANSWERED in spec.extras:
        information_request = information_request_create(case_id=case.pk, actor=asker, question=QUESTION)
        if ASK_OVERDUE in spec.extras:
            _overdue(information_request)
        if ASK_ANSWERED in spec.extras:
            information_request_answer(request_id=information_request.pk, actor=responder, answer=ANSWER)
    if RECONSIDER in spec.extras:
        reconsideration_request(
            case_id=case.pk, actor=responder, grounds=[Reconsideration.Ground.NEW_EVIDENCE], details=RECONSIDER_DETAILS
        )
    if TO_IECA in spec.extras:
        ieca = Organisation.objects.get(name=IECA_NAME, kind=Organisation.Kind.COMPETENT_AUTHORITY)
        case_transfer(case_id=case.pk, actor=manager, to_authority=ieca, reason=TRANSFER_REASON)
        if spec.caseworker == IECA_CASEWORKER:
            case_assign(case_id=case.pk, actor=users[IECA_CASEWORKER], assignee=users[IECA_CASEWORKER])
    case.refresh_from_db()
    if spec.caseworker is None and case.assignee_id is not None:
        case_release(case_id=case.pk, actor=manager)
    if users.get(SUPPORT_PROVIDER_USER) and case.support_provider_id:
        _support_records(case, spec.extras, users[SUPPORT_PROVIDER_USER])
    # Demo data sends no email (as the demo referrals): the notifications show in the service only.
    Notification.objects.filter(reference=referral.reference, email_state=Notification.EmailState.PENDING).update(
        email_state=Notification.EmailState.SENT, email_sent_at=timezone.now()
    )
    return case


def _support_records(case: Case, extras: tuple[str, ...], provider_user: User) -> None:
    """The demo provider's records of its own work, through the services (dates from the referral for support)."""
    wanted = {SUPPORT_STARTED, SUPPORT_RNA, SUPPORT_EXTENDED, SUPPORT_MISSING, SUPPORT_ENDED} & set(extras)
    if not wanted or provider_user.organisation_id != case.support_provider_id:
        return
    today = timezone.localdate()
    referred = timezone.localtime(case.support_started_at).date()
    started = min(referred + timedelta(days=1), today)
    case_support_start(case_id=case.pk, actor=provider_user, started_on=started)
    if wanted & {SUPPORT_RNA, SUPPORT_EXTENDED}:
        case_support_rna_record(
            case_id=case.pk,
            actor=provider_user,
            completed_on=min(started + timedelta(days=10), today),
            needs=[RecoveryNeed.ACCOMMODATION, RecoveryNeed.MENTAL_HEALTH, RecoveryNeed.LEGAL],
        )
    if SUPPORT_EXTENDED in wanted:
        case.refresh_from_db()
        ends = max(timezone.localtime(case.support_ends_at).date(), today)
        case_support_extend(
            case_id=case.pk,
            actor=provider_user,
            ends_on=ends + timedelta(days=30),
            reason=SupportExtensionReason.RNA_NEEDS,
        )
    if SUPPORT_MISSING in wanted:
        case_support_person_missing(
            case_id=case.pk, actor=provider_user, last_seen_on=max(started, today - timedelta(1))
        )
    if SUPPORT_ENDED in wanted:
        case.refresh_from_db()
        ended = max(started, min(timezone.localtime(case.support_ends_at).date(), today))
        case_support_end(
            case_id=case.pk, actor=provider_user, ended_on=ended, reason=SupportEndReason.NEGATIVE_DECISION
        )


def _answers(spec: DemoCase, number: int, organisation_name: str) -> dict:
    """Complete answers for the spec: a person in England (where the demo organisations and provider are), with a
    date of birth (so that a duplicate is found by it), who wants support or not as the spec says. A duplicate
    is the same person's answers again."""
    if spec.duplicate_of:
        original = next(index for index, other in enumerate(DEMO_CASES) if other.key == spec.duplicate_of)
        return _answers(DEMO_CASES[original], original, organisation_name) | {"responder_reference": spec.key}
    for attempt in range(200):
        answers = complete_answers(
            spec.route, organisation_name=organisation_name, seed=SEED_BASE + number * 200 + attempt
        )
        if (
            answers["nation"] == Nation.ENGLAND
            and answers.get("date_of_birth")
            and (spec.route == Route.CHILD or answers.get("wants_support") == spec.wants_support)
        ):
            return answers | {"responder_reference": spec.key}
    raise RuntimeError(f"No demo answers fit {spec.key}")


def _backdated(case: Case, *, days: int) -> Case:
    """Demo only: moves the sending of the referral and the opening of its case `days` into the past.

    The states after the recovery period need a case opened long ago (the lifecycle driver dates the RG the day
    after the case opened, and the CG after the recovery period), and the queue needs overdue cases. Submission
    always happens now, so the dates are moved afterwards, before the case is driven, with the RG due date
    worked out again from the earlier sending exactly as `case_open_for_referral` does.
    """
    if not days:
        return case
    sent = timezone.now() - timedelta(days=days)
    Referral.objects.filter(pk=case.referral_id).update(submitted_at=sent)
    Draft.objects.filter(referral__pk=case.referral_id).update(submitted_at=sent)
    CaseEvent.objects.filter(case=case, kind=CaseEvent.Kind.OPENED).update(created_at=sent)
    case.opened_at = sent
    case.rg_due_at = add_working_days(timezone.localtime(sent), Policy.for_case(case).rg_target_working_days)
    refresh_next_deadline(case)
    Case.objects.filter(pk=case.pk).update(
        opened_at=case.opened_at,
        rg_due_at=case.rg_due_at,
        next_deadline_at=case.next_deadline_at,
        next_deadline_kind=case.next_deadline_kind,
    )
    case.refresh_from_db()
    return case


def _overdue(information_request: InformationRequest) -> None:
    """Demo only: a request asked 17 days ago and due 3 days ago, both reminders already sent (the service
    refuses a due date in the past, and the reminder job would otherwise email the demo users)."""
    now = timezone.now()
    InformationRequest.objects.filter(pk=information_request.pk).update(
        requested_at=now - timedelta(days=17),
        due_date=timezone.localdate() - timedelta(days=3),
        reminded_before_at=now - timedelta(days=5),
        reminded_after_at=now - timedelta(days=2),
    )
    case = Case.objects.get(pk=information_request.case_id)
    refresh_information_due(case)
    refresh_next_deadline(case)
    Case.objects.filter(pk=case.pk).update(
        information_due_at=case.information_due_at,
        next_deadline_at=case.next_deadline_at,
        next_deadline_kind=case.next_deadline_kind,
    )


QUESTION = (
    "Please send the notes of the interview mentioned in section 4, and say whether the person has been seen by "
    "a doctor since they were found."
)
ANSWER = "The interview notes are attached to our records; the person saw a GP last week and was referred on."
RECONSIDER_DETAILS = (
    "A statement from the person's support worker describes the control the exploiters had over them, which the "
    "decision did not consider."
)
TRANSFER_REASON = "The person is held in immigration detention."
