"""Every question of the referral declares its own error messages, in the GOV.UK Design System's style."""

import re

import pytest
from django.urls import reverse
from django.utils.html import escape

from accounts.roles import Role
from referrals.page_forms import PageForm
from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import reveal_parents
from referrals.questions.schema import NAMED_KINDS, Kind
from referrals.services import draft_create
from tests.factories import UserFactory

QUESTIONS = [question for section in QUESTIONNAIRE.sections for page in section.pages for question in page.questions]
REVEALED = set(reveal_parents(QUESTIONNAIRE))
ASKED_FOR = [question for question in QUESTIONS if question.required or question.key in REVEALED]
NAMED = [question for question in QUESTIONS if question.kind in NAMED_KINDS]


def page_of(key: str):
    return next(
        page
        for section in QUESTIONNAIRE.sections
        for page in section.pages
        if key in {question.key for question in page.questions}
    )


GENERIC_PREFIXES = ("Enter an answer", "Select an answer", "Enter a date", "Confirm:", "Answer this question")


def generic_forms(question) -> set[str]:
    """The messages a form makes mechanically by putting a prefix before the question's label as written
    ("Enter First name", "Select: Is the person under 18?"). A sentence written for the question reads otherwise,
    even when it uses the label's words ("Enter their first name")."""
    forms = set()
    for label in {question.label, question.short_label}:
        for prefix in ("Enter", "Select", "Choose", "Confirm"):
            forms |= {f"{prefix} {label}", f"{prefix}: {label}", f"{prefix} {label.rstrip('?')}"}
    return forms


@pytest.mark.parametrize("question", ASKED_FOR, ids=lambda question: question.key)
def test_every_required_or_revealed_question_declares_its_own_message_for_a_blank_answer(question):
    message = question.error_required
    assert message, f"{question.key} declares no error_required"
    assert re.match(r"^(Enter|Select|Confirm|Tick|Give|Choose|Upload|Answer|Tell) ", message), message
    assert not message.endswith("."), "GOV.UK error messages have no full stop"
    assert message not in generic_forms(question), f"{message!r} is the label behind a generic prefix"
    assert not message.startswith(GENERIC_PREFIXES), message
    assert ":" not in message, f"{message!r} reads like a generic prefix"
    if question.label.endswith("?"):
        assert question.label.rstrip("?") not in message, f"{message!r} repeats the question"


@pytest.mark.parametrize("question", NAMED, ids=lambda question: question.key)
def test_every_question_that_is_checked_names_its_answer_for_its_messages(question):
    name = question.error_name
    assert name, f"{question.key} ({question.kind}) declares no error_name"
    assert name[0].isupper(), "the name starts a sentence"
    assert not name.endswith((".", "?")), name


def test_no_question_uses_a_generic_message():
    generic = {"Enter an answer", "Select an answer", "The answer"}
    for question in QUESTIONS:
        assert question.error_required not in generic - {""}, question.key
        assert question.error_name not in generic - {""}, question.key


@pytest.mark.django_db
def test_a_blank_required_question_of_the_referral_gets_its_declared_message():
    page = page_of("nation")
    nation = QUESTIONNAIRE.question("nation")
    form = PageForm({}, questionnaire=QUESTIONNAIRE, page=page, answers={})
    assert not form.is_valid()
    assert form.errors["nation"] == [nation.error_required]


@pytest.mark.django_db
def test_a_text_too_long_is_named_by_the_questions_declared_name():
    question = next(q for q in NAMED if q.kind == Kind.TEXT)
    page = page_of(question.key)
    form = PageForm({question.key: "a" * (question.max_length + 1)}, questionnaire=QUESTIONNAIRE, page=page, answers={})
    form.is_valid()
    assert f"{question.error_name} must be {question.max_length:,} characters or fewer" in form.errors[question.key]


@pytest.mark.django_db
def test_a_page_shows_the_declared_message_in_the_error_summary_and_by_the_field(client, settings):
    settings.NRM_REQUIRE_STAFF_MFA = False
    responder = UserFactory(role=Role.FIRST_RESPONDER)
    draft = draft_create(actor=responder)
    client.force_login(responder)
    nation = QUESTIONNAIRE.question("nation")
    url = reverse("referrals:page", kwargs={"pk": draft.pk, "slug": page_of("nation").slug})

    response = client.post(url, {"version": draft.version})

    assert response.status_code == 200
    html = response.text
    summary = html[html.index("govuk-error-summary") : html.index("</ul>", html.index("govuk-error-summary"))]
    assert f'<a href="#{nation.key}">{escape(nation.error_required)}</a>' in summary
    assert (
        f'<p id="{nation.key}-error" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> '
        f"{escape(nation.error_required)}</p>"
    ) in html
