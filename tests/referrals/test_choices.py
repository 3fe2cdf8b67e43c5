"""A question's choices are made once per process and handed to Django's fields as they are: a page builds its
form on every request, and normalising (and copying) a reference list of hundreds of names each time was most of
a question page's time."""

import copy

import pytest
from django import forms
from django.utils.choices import normalize_choices

from referrals.choices import FixedChoices
from referrals.page_forms import PageForm, option_choices
from referrals.questions import QUESTIONNAIRE
from referrals.reference_lists import reference_choices, reference_select_choices

PAIRS = [("", ""), ("Unknown", "Unknown"), ("Wales", "Wales")]


def test_fixed_choices_are_left_as_they_are_by_django_and_never_copied():
    choices = FixedChoices(PAIRS)
    assert normalize_choices(choices) is choices
    field = forms.ChoiceField(choices=choices)
    assert field.choices is choices
    assert field.widget.choices is choices
    assert copy.deepcopy(field).choices is choices
    assert list(choices) == PAIRS
    assert choices == PAIRS
    assert choices[1] == ("Unknown", "Unknown")
    assert len(choices) == 3


def test_a_field_of_fixed_choices_accepts_only_their_values():
    field = forms.ChoiceField(choices=FixedChoices(PAIRS))
    assert field.clean("Wales") == "Wales"
    with pytest.raises(forms.ValidationError):
        field.clean("Atlantis")


@pytest.mark.django_db
def test_a_reference_list_s_choices_are_made_once_and_serve_every_page_while_the_list_is_unchanged():
    choices = reference_select_choices("police_forces")
    assert reference_select_choices("police_forces") is choices
    assert list(choices) == [("", ""), *reference_choices("police_forces")]


@pytest.mark.django_db
def test_a_reference_list_changed_since_gives_choices_made_again(monkeypatch):
    before = reference_select_choices("police_forces")
    monkeypatch.setattr("referrals.reference_lists.reference_names", lambda list_key: ["Unknown", "Zeta Police"])
    after = reference_select_choices("police_forces")
    assert after is not before
    assert list(after) == [("", ""), ("Unknown", "Unknown"), ("Zeta Police", "Zeta Police")]


@pytest.mark.django_db
def test_an_answer_held_that_the_list_no_longer_offers_is_still_among_its_choices(monkeypatch):
    monkeypatch.setattr("referrals.reference_lists._was_offered", lambda list_key, value: value == "Old Police")
    choices = reference_select_choices("police_forces", kept=["Old Police"])
    assert ("Old Police", "Old Police") in list(choices)
    assert ("Old Police", "Old Police") not in list(reference_select_choices("police_forces"))


def test_a_question_s_options_are_its_field_s_choices_made_once():
    question = QUESTIONNAIRE.question("nation")
    assert option_choices(question) is option_choices(question)
    assert list(option_choices(question)) == [(option.value, option.label) for option in question.options]


@pytest.mark.django_db
def test_two_forms_of_a_page_share_the_choices_of_its_list():
    _, page = QUESTIONNAIRE.page("referral-details")
    first = PageForm(questionnaire=QUESTIONNAIRE, page=page, answers={})
    second = PageForm(questionnaire=QUESTIONNAIRE, page=page, answers={})
    assert first.fields["organisation"].choices is second.fields["organisation"].choices
    assert first.fields["nation"].choices is second.fields["nation"].choices
