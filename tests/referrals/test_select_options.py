"""A question's <option>s are written by the `select_options` tag (not a template loop, which was most of a
question page's time): the same markup as the loop wrote, the chosen option marked, everything escaped."""

from django.template import Context, Template

from referrals.questions import QUESTIONNAIRE
from referrals.questions.engine import _reveal_parents, reveal_parents

LOOP = Template(
    '{% for value, label in choices %}<option value="{{ value }}"{% if value == chosen %} selected{% endif %}>'
    "{{ label }}</option>{% endfor %}"
)
TAG = Template("{% load questions %}{% select_options choices chosen %}")
CHOICES = [("", ""), ("Unknown", "Unknown"), ('A "quoted" & <odd> name', 'A "quoted" & <odd> name'), ("Wales", "Wales")]


def render(template, chosen):
    return template.render(Context({"choices": CHOICES, "chosen": chosen}))


def test_the_options_tag_writes_what_the_template_loop_wrote_whichever_option_is_chosen():
    for chosen in ["", "Unknown", 'A "quoted" & <odd> name', "Wales", "Not in the list", None]:
        assert render(TAG, chosen) == render(LOOP, chosen)


def test_the_chosen_option_is_marked_and_the_others_are_not():
    markup = render(TAG, "Wales")
    assert markup.count(" selected") == 1
    assert '<option value="Wales" selected>Wales</option>' in markup
    assert "&lt;odd&gt;" in markup
    assert "<odd>" not in markup


def test_a_list_changed_by_an_admin_is_written_as_it_now_is():
    render(TAG, "Wales")
    changed = [*CHOICES, ("Zanzibar", "Zanzibar")]
    markup = TAG.render(Context({"choices": changed, "chosen": "Zanzibar"}))
    assert '<option value="Zanzibar" selected>Zanzibar</option>' in markup


def test_the_reveal_parents_kept_for_the_questionnaire_are_those_of_its_declaration():
    assert reveal_parents(QUESTIONNAIRE) is reveal_parents(QUESTIONNAIRE)
    assert reveal_parents(QUESTIONNAIRE) == _reveal_parents(QUESTIONNAIRE)
