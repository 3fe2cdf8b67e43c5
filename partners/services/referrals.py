"""Referrals sent by a partner API client: the answers are checked by the same declaration and the same page forms
as the web's question pages (routes, conditions, revealed questions, each question's own error messages), then
saved on a draft (all its pages as one change) and sent with referral_submit, as a first responder's browser is."""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.datastructures import MultiValueDict

from partners.models import ApiClient
from referrals.models import Referral
from referrals.page_forms import PageForm, name_of
from referrals.questions import QUESTIONNAIRE, route_of
from referrals.questions.engine import applicable_pages, applicable_sections, is_blank, is_revealed
from referrals.questions.schema import Kind, Page, Question
from referrals.services.drafts import draft_create, draft_save_pages
from referrals.services.submission import ReferralIncomplete, referral_submit

ISO_DATE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
NOT_A_QUESTION = "This is not a question of the referral"
DOES_NOT_APPLY = "This question does not apply to these answers: leave it out"
ROUTE_UNDECIDED = "Answer under_18 (and consent for an adult) so that the route of the referral is known"


class ReferralAnswersInvalid(ValidationError):
    """The answers fail the questions' checks: `errors` is {question key: [messages]}, in the declaration's order
    (the same messages as the web pages show)."""

    def __init__(self, errors: dict[str, list[str]]):
        self.errors = errors
        super().__init__(errors)


def _form_data(question: Question, value, errors: dict[str, list[str]]) -> dict[str, list[str]]:
    """The answer as the page's form would receive it from a browser (dates in three parts, lists one input per
    item), or an error when its JSON type cannot be one."""
    key, kind = question.key, question.kind

    def wrong(message: str) -> dict:
        errors.setdefault(key, []).append(message)
        return {}

    if is_blank(value):
        return {}
    if kind in (Kind.CHECKBOXES, Kind.SELECT_MANY):
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            return wrong(f"{name_of(question)} must be a list of strings")
        if kind == Kind.CHECKBOXES:
            return {key: list(value)}
        if len(value) > question.max_items:
            return wrong(f"{name_of(question)} must have {question.max_items} items or fewer")
        return {f"{key}-{number}": [item] for number, item in enumerate(value, start=1)}
    if kind == Kind.CONFIRM:
        if value not in ("yes", True):
            return wrong(f'{name_of(question)} must be "yes" (or left out)')
        return {key: ["on"]}
    if kind == Kind.NUMBER and isinstance(value, int) and not isinstance(value, bool):
        value = str(value)
    if not isinstance(value, str):
        return wrong(f"{name_of(question)} must be a string")
    if kind == Kind.DATE:
        match = ISO_DATE.match(value.strip())
        if match is None:
            return wrong(f"{name_of(question)} must be a real date, written YYYY-MM-DD")
        year, month, day = match.groups()
        return {f"{key}-day": [day], f"{key}-month": [month], f"{key}-year": [year]}
    return {key: [value]}


def _question_of_field(page: Page, field: str) -> str:
    """The question key an error of the page's form belongs to (dates and lists have several inputs)."""
    for question in page.questions:
        if field == question.key or field.startswith(f"{question.key}-"):
            return question.key
    return field


def api_referral_answers_check(*, answers: Mapping) -> tuple[dict, list[Page]]:
    """Checks a whole referral's answers, page by page, with the web's page forms. Returns the cleaned answers
    (as the pages store them) and the pages that apply; raises ReferralAnswersInvalid."""
    errors: dict[str, list[str]] = {}
    if not isinstance(answers, Mapping):
        raise ReferralAnswersInvalid({"answers": ["Send the answers as an object keyed by question"]})
    known = {}
    posted: dict[str, dict[str, list[str]]] = {}
    for key, value in answers.items():
        try:
            known[key] = QUESTIONNAIRE.question(key)
        except KeyError:
            errors.setdefault(str(key), []).append(NOT_A_QUESTION)
            continue
        posted[key] = _form_data(known[key], value, errors)
    # Conditions (routes, earlier answers) see every answer sent whose type is right; each page then replaces its
    # own by the cleaned values its form returns.
    proposed = {key: value for key, value in answers.items() if key in known and key not in errors}
    wrong_type = set(errors)
    if route_of(proposed) is None and not {"under_18", "consent"} & wrong_type:
        errors.setdefault("under_18", []).append(ROUTE_UNDECIDED)
    pages: list[Page] = []
    asked: set[str] = set()
    for section in applicable_sections(QUESTIONNAIRE, proposed):
        for page in applicable_pages(section, proposed):
            pages.append(page)
            data = MultiValueDict()
            for question in page.questions:
                asked.add(question.key)
                for name, values in posted.get(question.key, {}).items():
                    data.setlist(name, values)
            form = PageForm(data=data, questionnaire=QUESTIONNAIRE, page=page, answers=proposed)
            if not form.is_valid():
                for field, messages in form.errors.items():
                    key = _question_of_field(page, field)
                    if key in wrong_type:
                        continue  # already told what is wrong with it
                    errors.setdefault(key, []).extend(m for m in messages if m not in errors.get(key, []))
                continue
            for key, value in form.page_answers.items():
                if is_blank(value):
                    proposed.pop(key, None)
                else:
                    proposed[key] = value
    for key, question in known.items():
        if key in errors or is_blank(answers[key]) or route_of(proposed) is None:
            continue  # (without a route, which questions apply is not known yet)
        if key not in asked or not is_revealed(QUESTIONNAIRE, question, proposed):
            errors.setdefault(key, []).append(DOES_NOT_APPLY)
    if errors:
        order = {key: index for index, key in enumerate(QUESTIONNAIRE._questions)}
        raise ReferralAnswersInvalid(dict(sorted(errors.items(), key=lambda item: order.get(item[0], len(order)))))
    return proposed, pages


@transaction.atomic
def api_referral_create(*, client: ApiClient, answers: Mapping) -> Referral:
    """Checks the answers and sends the referral (or Duty to Notify) as the client's service user: a draft of
    the client's organisation, its pages saved in order as one change, then referral_submit (reference, case for an NRM
    referral, PDF, notifications), in one transaction. Raises ReferralAnswersInvalid ({question key: [messages]})
    and nothing is kept."""
    actor = client.user
    if isinstance(answers, Mapping) and client.organisation.is_first_responder:
        # As the web's first page: filled in from the account, changed only to report for another organisation.
        answers = {"organisation": client.organisation.name, **answers}
    cleaned, pages = api_referral_answers_check(answers=answers)
    draft = draft_create(actor=actor)
    draft, _ = draft_save_pages(
        draft_id=draft.pk,
        actor=actor,
        pages=[(page.slug, {question.key: cleaned.get(question.key) for question in page.questions}) for page in pages],
        expected_version=draft.version,
    )
    try:
        return referral_submit(draft_id=draft.pk, actor=actor, expected_version=draft.version)
    except ReferralIncomplete as incomplete:
        raise ReferralAnswersInvalid(
            {
                (question.key if question else page.slug): [
                    (question.error_required or "Answer this question") if question else "Answer this page"
                ]
                for _, page, question in incomplete.missing
            }
        ) from None
