"""The queue's filters and the case page's note form are written by `crispy_kept`, which keeps a form's crispy
markup by the key the form gives (common.templatetags.govuk): the same markup as `{% crispy %}`, for every value."""

from django.http import QueryDict
from django.template import Context, Template

from casework.forms.case.actions import NoteForm
from casework.forms.queue import QueueFilterForm

CRISPY = Template("{% load crispy_forms_tags %}{% crispy form %}")
KEPT = Template("{% load govuk %}{% crispy_kept form %}")


def filters(query: str) -> QueueFilterForm:
    form = QueueFilterForm(QueryDict(query))
    form.filters()
    return form


def both(make):
    return KEPT.render(Context({"form": make()})), CRISPY.render(Context({"form": make()}))


def test_the_kept_filter_markup_is_crispys_for_each_choice_of_filters():
    for query in ["", "status=awaiting_rg&sort=newest", "nation=wales&overdue=on", "age=child", "status=awaiting_rg"]:
        kept, fresh = both(lambda query=query: filters(query))
        assert kept == fresh
    assert 'value="awaiting_rg" selected' in KEPT.render(Context({"form": filters("status=awaiting_rg")}))
    assert 'value="awaiting_rg" selected' not in KEPT.render(Context({"form": filters("")}))


def test_filters_with_a_refused_value_show_its_error_and_are_not_kept():
    form = filters("status=nonsense")
    assert form.markup_key() is None
    assert "Select a status from the list" in KEPT.render(Context({"form": form}))


def test_the_empty_note_form_is_kept_and_a_posted_one_is_written_afresh():
    from casework.models import Case

    case = Case()
    kept, fresh = both(lambda: NoteForm(case=case))
    assert kept == fresh
    posted = NoteForm({"text": ""}, case=case)
    posted.is_valid()
    assert posted.markup_key() is None
    assert "Enter the note" in KEPT.render(Context({"form": posted}))
