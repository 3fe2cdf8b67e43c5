"""Demo answers: complete, valid for every route, and accepted by every page's form as if typed."""

import pytest
from django.http import QueryDict

from referrals.demo_answers import complete_answers, plausible_route
from referrals.models import Route
from referrals.page_forms import PageForm
from referrals.questions import QUESTIONNAIRE, route_of
from referrals.questions.engine import applicable_answers, applicable_pages, applicable_sections, missing_answers
from tests.factories import FirstResponderOrganisationFactory

pytestmark = pytest.mark.django_db

SEEDS = range(8)


@pytest.fixture
def organisation_name():
    return FirstResponderOrganisationFactory(name="Demo answers police").name


def as_posted(initial: dict) -> QueryDict:
    """The page's initial values as a browser would post them back."""
    data = QueryDict(mutable=True)
    for name, value in initial.items():
        if isinstance(value, list):
            data.setlist(name, value)
        elif value is True:
            data[name] = "on"
        elif value is not False:
            data[name] = str(value)
    return data


@pytest.mark.parametrize("route", list(Route))
@pytest.mark.parametrize("seed", SEEDS)
def test_the_answers_are_complete_for_the_route(route, seed, organisation_name):
    answers = complete_answers(route, organisation_name=organisation_name, seed=seed)
    visited = frozenset(answers["_visited"])
    assert missing_answers(QUESTIONNAIRE, answers, visited) == []
    assert route_of(answers) == route
    assert answers["organisation"] == organisation_name
    content = {key: value for key, value in answers.items() if key != "_visited"}
    assert applicable_answers(QUESTIONNAIRE, content) == content  # nothing of a route not taken


@pytest.mark.parametrize("route", list(Route))
@pytest.mark.parametrize("seed", SEEDS)
def test_every_page_form_accepts_the_answers(route, seed, organisation_name):
    answers = complete_answers(route, organisation_name=organisation_name, seed=seed)
    for section in applicable_sections(QUESTIONNAIRE, answers):
        for page in applicable_pages(section, answers):
            shown = PageForm(questionnaire=QUESTIONNAIRE, page=page, answers=answers)
            posted = PageForm(as_posted(shown.initial), questionnaire=QUESTIONNAIRE, page=page, answers=answers)
            assert posted.is_valid(), (page.slug, posted.errors)
            for question in page.questions:
                if question.key in answers:
                    assert posted.page_answers[question.key] == answers[question.key], question.key


def test_the_same_seed_gives_the_same_answers_and_seeds_vary_them(organisation_name):
    first = complete_answers(Route.ADULT, organisation_name=organisation_name, seed=3)
    assert complete_answers(Route.ADULT, organisation_name=organisation_name, seed=3) == first
    people = {
        (answers["first_name"], answers["last_name"], answers["nationality"])
        for answers in (complete_answers(Route.ADULT, organisation_name=organisation_name, seed=s) for s in range(20))
    }
    assert len(people) > 10


def test_routes_and_exploitation_follow_the_published_proportions(organisation_name):
    import random

    rng = random.Random(1)
    routes = [plausible_route(rng) for _ in range(2000)]
    assert 0.27 < routes.count(Route.CHILD) / len(routes) < 0.35  # about 40% of NRM referrals
    types: dict[str, int] = {}
    for seed in range(60):
        answers = complete_answers(Route.CHILD, organisation_name=organisation_name, seed=seed)
        for value in answers["exploitation_types"]:
            types[value] = types.get(value, 0) + 1
    assert max(types, key=types.get) == "forced_criminality"  # county lines leads for children
