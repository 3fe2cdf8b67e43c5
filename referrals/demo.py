"""Demo referrals for `manage.py seed_demo`: for each demo first responder organisation, two drafts (one half
done, one nearly complete) and a sent child referral, adult referral and Duty to Notify report, each made through
the same services as the pages. An organisation that already has referrals is left as it is, so this is safe to
run again. Sends no email."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS
from accounts.models import User
from accounts.roles import Role
from common.virus_scan import ScanStatus
from notifications.models import Notification
from referrals.demo_answers import complete_answers
from referrals.models import Draft, EvidenceFile, Referral, Route
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import applicable_pages, applicable_questions, applicable_sections
from referrals.services import draft_create, draft_save_page, evidence_add, referral_submit

SENT_ROUTES = (Route.CHILD, Route.ADULT, Route.DUTY_TO_NOTIFY)
DEMO_EVIDENCE_PDF = (
    b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n2 0 obj << /Type /Pages /Kids [3 0 R] /Count 1 >> "
    b"endobj\n3 0 obj << /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font "
    b"<< /F1 5 0 R >> >> >> endobj\n4 0 obj << /Length 58 >> stream\nBT /F1 14 Tf 72 760 Td (Demo witness statement) "
    b"Tj ET\nendstream endobj\n5 0 obj << /Type /Font /Subtype /Type1 /BaseFont /Helvetica >> endobj\ntrailer << "
    b"/Root 1 0 R >>\n%%EOF\n"
)
# (route, share of the route's sections answered): the drafts each organisation has open.
DRAFTS = ((Route.ADULT, 0.5), (Route.CHILD, 0.9))


def seed() -> int:
    """Seeds every demo first responder organisation that has no referral yet. Returns how many referrals
    were sent."""
    responders = User.objects.filter(
        email__in=[email for email, _, role, _ in DEMO_USERS if role == Role.FIRST_RESPONDER],
        role=Role.FIRST_RESPONDER,
        organisation__isnull=False,
    ).select_related("organisation")
    return sum(_seed_organisation(responder) for responder in responders.order_by("email"))


@transaction.atomic
def _seed_organisation(responder: User) -> int:
    organisation = responder.organisation
    if Referral.objects.filter(organisation=organisation).exists():
        return 0
    seed = organisation.pk * 10  # varied between organisations, the same on every run
    for number, (route, share) in enumerate(DRAFTS):
        answers = complete_answers(route, organisation_name=organisation.name, seed=seed + number)
        _draft_with(responder, partly(answers, share))
    references = []
    for number, route in enumerate(SENT_ROUTES):
        answers = complete_answers(route, organisation_name=organisation.name, seed=seed + len(DRAFTS) + number)
        draft = _draft_with(responder, answers)
        if route != Route.DUTY_TO_NOTIFY:
            _add_demo_evidence(draft, responder)
        references.append(referral_submit(draft_id=draft.pk, actor=responder).reference)
    # Demo data sends no email (as notifications.demo): the notifications show in the service only.
    Notification.objects.filter(
        recipient=responder, reference__in=references, email_state=Notification.EmailState.PENDING
    ).update(email_state=Notification.EmailState.SENT, email_sent_at=timezone.now())
    return len(references)


def _add_demo_evidence(draft: Draft, responder: User) -> None:
    """A small PDF through the evidence service, marked clean: the demo's own file needs no virus scan, so it
    can be downloaded at once whether or not clamd is installed."""
    evidence = evidence_add(
        draft_id=draft.pk,
        actor=responder,
        uploaded_file=SimpleUploadedFile("witness-statement.pdf", DEMO_EVIDENCE_PDF),
        description="Witness statement taken at the first interview (demo file)",
    )
    EvidenceFile.objects.filter(pk=evidence.pk).update(scan_status=ScanStatus.CLEAN, scanned_at=timezone.now())


def _draft_with(responder: User, answers: dict) -> Draft:
    """A draft holding `answers` (with the pages they mark visited), saved through the draft service."""
    draft = draft_create(actor=responder)
    pages = answers.get("_visited", [])
    draft, _ = draft_save_page(
        draft_id=draft.pk,
        actor=responder,
        page_slug=pages[-1] if pages else "referral-details",
        page_answers=answers,
        expected_version=draft.version,
    )
    return draft


def partly(answers: dict, share: float) -> dict:
    """The answers of the first `share` of the required sections that apply, as a responder part way through has
    them: at least the first section, never all of them (so the draft is never ready to send)."""
    sections = [section for section in applicable_sections(QUESTIONNAIRE, answers) if not section.optional]
    kept_sections = sections[: min(len(sections) - 1, max(1, round(len(sections) * share)))]
    kept: dict = {}
    visited = []
    for section in kept_sections:
        for page in applicable_pages(section, answers):
            visited.append(page.slug)
            for question in applicable_questions(QUESTIONNAIRE, page, answers):
                if question.key in answers:
                    kept[question.key] = answers[question.key]
    kept["_visited"] = visited
    return kept
