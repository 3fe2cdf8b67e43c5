"""The referral's questions, declared once (definition.py) in the vocabulary of schema.py, and its routes."""

from referrals.questions.definition import EXPLOITATION_GROUP_LABELS, EXPLOITATION_GROUPS, QUESTIONNAIRE
from referrals.questions.routes import (
    ADULT,
    ADULT_NOT_YET_KNOWN,
    ANY_ROUTE,
    CHILD,
    DUTY_TO_NOTIFY,
    NRM,
    route_of,
)
from referrals.questions.schema import (
    Answers,
    Condition,
    DateRule,
    Kind,
    Option,
    Page,
    Question,
    Questionnaire,
    Section,
    answered,
)

__all__ = [
    "ADULT",
    "ADULT_NOT_YET_KNOWN",
    "ANY_ROUTE",
    "CHILD",
    "DUTY_TO_NOTIFY",
    "EXPLOITATION_GROUPS",
    "EXPLOITATION_GROUP_LABELS",
    "NRM",
    "QUESTIONNAIRE",
    "Answers",
    "Condition",
    "DateRule",
    "Kind",
    "Option",
    "Page",
    "Question",
    "Questionnaire",
    "Section",
    "answered",
    "route_of",
]
