"""Demo referrals for `manage.py seed_demo`: for each demo first responder organisation, two drafts (one half
done, one nearly complete) and a sent child referral, adult referral and Duty to Notify report, each made through
the same services as the pages. An organisation that already has referrals is left as it is, so this is safe to
run again. Sends no email."""

from django.db import transaction
from django.utils import timezone

from accounts.demo import DEMO_USERS
from accounts.models import User
from accounts.roles import Role
from notifications.models import Notification
from referrals.demo_answers import complete_answers
from referrals.models import Draft, Referral, Route
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import applicable_pages, applicable_questions, applicable_sections
from referrals.services import draft_create, draft_save_page, referral_submit

SENT_ROUTES = (Route.CHILD, Route.ADULT, Route.DUTY_TO_NOTIFY)
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
        references.append(referral_submit(draft_id=draft.pk, actor=responder).reference)
    # Demo data sends no email (as notifications.demo): the notifications show in the service only.
    Notification.objects.filter(
        recipient=responder, reference__in=references, email_state=Notification.EmailState.PENDING
    ).update(email_state=Notification.EmailState.SENT, email_sent_at=timezone.now())
    return len(references)


def _draft_with(responder: User, answers: dict) -> Draft:
    """A draft holding `answers` (with the pages they mark visited), saved through the draft service."""
    draft = draft_create(actor=responder)
    pages = answers.get("_visited", [])
    draft, _ = draft_save_page(
        draft_id=draft.pk,
        actor=responder,
        page_slug=pages[-1] if pages else "your-reference",
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
