"""Check your answers: every applicable answer by section, with its change link (also used by the PDF)."""

from django.urls import reverse

from referrals.models import Route
from referrals.questions.engine import applicable_pages, applicable_questions, applicable_sections, display_value
from referrals.questions.routes import CONSENT, route_of
from referrals.questions.schema import Answers, Questionnaire

# A child is referred without being asked (referral-fields.md): the consent row says so, with no Change link.
AUTOMATIC_REFERRAL = "Automatic referral (no consent needed)"


def answer_summary(questionnaire: Questionnaire, answers: Answers, change_url_for: int | None = None) -> list[dict]:
    """[{section, rows: [{question, value, change_url}]}] for the sections that apply, in order."""
    summary = []
    for section in applicable_sections(questionnaire, answers):
        rows = []
        for page in applicable_pages(section, answers):
            for question in applicable_questions(questionnaire, page, answers):
                change_url = None
                if change_url_for is not None:
                    change_url = reverse("referrals:page", kwargs={"pk": change_url_for, "slug": page.slug})
                    change_url += f"?return=check#{question.key}"
                rows.append(
                    {"question": question, "value": display_value(question, answers.get(question.key)),
                     "change_url": change_url}
                )  # fmt: skip
        if rows:
            summary.append({"section": section, "rows": rows})
        if section.slug == "age" and route_of(answers) == Route.CHILD:
            consent = questionnaire.question(CONSENT)
            automatic = {"question": consent, "value": AUTOMATIC_REFERRAL, "change_url": None}
            summary.append({"section": questionnaire.section("consent"), "rows": [automatic]})
    return summary
