"""Renders a question of a PageForm with GOV.UK Design System markup (conditional reveals nested inside)."""

from functools import lru_cache

from django import template
from django.template.defaultfilters import linebreaksbr
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from common.html import as_text
from referrals.choices import FixedChoices
from referrals.questions.engine import reveal_parents
from referrals.questions.schema import Kind

register = template.Library()


@register.simple_tag
def question(form, key: str, as_heading: bool = False):
    """A question of a PageForm with GOV.UK Design System markup, the questions its options reveal nested inside.

    Written here rather than by an included template: a page renders several questions (some dozens of options),
    and the template's nodes, one by one, were most of a question page's own time. Every value and label is
    escaped as the template escaped it."""
    parts: list[str] = []
    _write_question(parts, form, key, as_heading)
    return mark_safe("".join(parts))  # noqa: S308 (every value and label is escaped by _write_question)


def _write_hint_warning_and_errors(write, question, hint_id: str, error_id: str, errors) -> None:
    """A question's hint, warning and error messages, in the GOV.UK order (above its input)."""
    if question.hint:
        write(f'<div id="{as_text(hint_id)}" class="govuk-hint">{linebreaksbr(question.hint, autoescape=True)}</div>')
    if question.warning:
        write(WARNING.format(as_text(question.warning)))
    for error in errors:
        write(ERROR.format(as_text(error_id), as_text(error)))


WARNING = (
    '<div class="govuk-warning-text"><span class="govuk-warning-text__icon" aria-hidden="true">!</span>'
    '<strong class="govuk-warning-text__text"><span class="govuk-visually-hidden">Warning</span> {}</strong></div>'
)
ERROR = '<p id="{}" class="govuk-error-message"><span class="govuk-visually-hidden">Error:</span> {}</p>'
FIELDSET_KINDS = (Kind.RADIOS, Kind.CHECKBOXES, Kind.DATE, Kind.SELECT_MANY)


def _write_question(parts: list[str], form, key: str, as_heading: bool) -> None:
    question = form.questionnaire.question(key)
    kind = question.kind
    error_field = form.error_field(question)
    errors = form.errors.get(error_field, [])
    # Only the one question of a page without a title of its own is the page's h1 (a page has one h1).
    hint_id = f"{question.key}-hint" if question.hint else ""
    error_id = f"{question.key}-error" if errors else ""
    described_by = f' aria-describedby="{as_text(hint_id)} {as_text(error_id)}"' if hint_id or error_id else ""
    label = as_text(question.label) + ("" if question.required else " (optional)")
    key_text = as_text(key)
    write = parts.append
    write(f'<div class="govuk-form-group{" govuk-form-group--error" if errors else ""}">')
    if kind in FIELDSET_KINDS:
        write(f'<fieldset class="govuk-fieldset"{described_by}>')
        if as_heading:
            write(
                f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--l">\n'
                f'<h1 class="govuk-fieldset__heading">{label}</h1>\n</legend>'
            )
        else:
            write(f'<legend class="govuk-fieldset__legend govuk-fieldset__legend--m">\n{label}\n</legend>')
        _write_hint_warning_and_errors(write, question, hint_id, error_id, errors)
        if kind == Kind.RADIOS or kind == Kind.CHECKBOXES:
            _write_options(parts, form, question, key_text)
        elif kind == Kind.DATE:
            write('<div class="govuk-date-input">')
            error_class = " govuk-input--error" if errors else ""
            for part in ("day", "month", "year"):
                name = as_text(f"{key}-{part}")
                value = as_text(form[f"{key}-{part}"].value() or "")
                width = 4 if part == "year" else 2
                write(
                    f'<div class="govuk-date-input__item"><div class="govuk-form-group">'
                    f'<label class="govuk-label govuk-date-input__label" for="{name}">{part.capitalize()}</label>'
                    f'<input class="govuk-input govuk-date-input__input govuk-input--width-{width}{error_class}" '
                    f'id="{name}" name="{name}" type="text" inputmode="numeric" value="{value}">'
                    f"</div></div>"
                )
            write("</div>")
        else:  # select_many: add another
            count = form.item_counts[key]
            choices = form.fields[f"{key}-1"].choices
            short_label = as_text(question.short_label)
            for number in range(1, count + 1):
                name = as_text(f"{key}-{number}")
                optional = " (optional)" if number > 1 or not question.required else ""
                error_class = " govuk-select--error" if errors and number == 1 else ""
                write(
                    f'<div class="govuk-form-group"><label class="govuk-label" for="{name}">{short_label} {number}'
                    f'{optional}</label><select class="govuk-select{error_class}" id="{name}" name="{name}" '
                    f'data-module="app-autocomplete">'
                    f"{select_options(choices, form[f'{key}-{number}'].value() or '')}</select></div>"
                )
            if count < question.max_items:
                write(
                    f'<button type="submit" name="add_another" value="{key_text}" class="govuk-button '
                    f'govuk-button--secondary" data-module="govuk-button" formnovalidate>Add another</button>'
                )
        write("</fieldset>")
    elif kind == Kind.CONFIRM:
        field_id = as_text(error_field)
        for error in errors:
            write(ERROR.format(as_text(error_id), as_text(error)))
        checked = " checked" if form[key].value() else ""
        write(
            f'<div class="govuk-checkboxes govuk-checkboxes--small" data-module="govuk-checkboxes">'
            f'<div class="govuk-checkboxes__item"><input class="govuk-checkboxes__input" id="{field_id}" '
            f'name="{key_text}" type="checkbox" value="on"{checked}{described_by}>'
            f'<label class="govuk-label govuk-checkboxes__label" for="{field_id}">{as_text(question.label)}</label>'
        )
        if question.hint:
            write(
                f'<div id="{as_text(hint_id)}" class="govuk-hint govuk-checkboxes__hint">{as_text(question.hint)}</div>'
            )
        write("</div></div>")
    else:
        field_id = as_text(error_field)
        size = "govuk-label--l" if as_heading else "govuk-label--s"
        label_tag = f'<label class="govuk-label {size}" for="{field_id}">{label}</label>'
        write(f'<h1 class="govuk-label-wrapper">{label_tag}</h1>' if as_heading else label_tag)
        _write_hint_warning_and_errors(write, question, hint_id, error_id, errors)
        if kind == Kind.SELECT:
            value = form[key].value() or ""
            error_class = " govuk-select--error" if errors else ""
            write(
                f'<select class="govuk-select{error_class}" id="{field_id}" name="{key_text}" '
                f'data-module="app-autocomplete"{described_by}>{select_options(form.fields[key].choices, value)}'
                f"</select>"
            )
        else:
            value = form[key].value()
            value = as_text("" if value is None else value)
            if kind == Kind.TEXTAREA:
                max_length = as_text(question.max_length)
                error_class = " govuk-textarea--error" if errors else ""
                write(
                    f'<div class="govuk-character-count" data-module="govuk-character-count" '
                    f'data-maxlength="{max_length}"><textarea class="govuk-textarea govuk-js-character-count'
                    f'{error_class}" id="{field_id}" name="{key_text}" rows="5" aria-describedby="{field_id}-info '
                    f'{as_text(hint_id)} {as_text(error_id)}">{value}</textarea><div id="{field_id}-info" '
                    f'class="govuk-hint govuk-character-count__message">You can enter up to {max_length} characters'
                    f"</div></div>"
                )
            else:
                width = f" govuk-input--width-{as_text(question.width)}" if question.width else ""
                error_class = " govuk-input--error" if errors else ""
                input_type = "email" if kind == Kind.EMAIL else "tel" if kind == Kind.PHONE else "text"
                numeric = ' inputmode="numeric"' if kind == Kind.NUMBER else ""
                autocomplete = f' autocomplete="{as_text(question.autocomplete)}"' if question.autocomplete else ""
                write(
                    f'<input class="govuk-input{width}{error_class}" id="{field_id}" name="{key_text}" '
                    f'value="{value}" type="{input_type}"{numeric}{autocomplete} spellcheck="false"{described_by}>'
                )
    write("</div>")


def _write_options(parts: list[str], form, question, key_text: str) -> None:
    """A radios' or checkboxes' items, each with the questions its option reveals."""
    key = question.key
    radios = question.kind == Kind.RADIOS
    module = "govuk-radios" if radios else "govuk-checkboxes"
    input_type = "radio" if radios else "checkbox"
    value = form[key].value()
    chosen = set(value if isinstance(value, list) else [value]) if value else set()
    write = parts.append
    write(f'<div class="{module}" data-module="{module}">')
    for position, option in enumerate(question.options):
        item_id = as_text(key if position == 0 else f"{key}-{position + 1}")
        checked = option.value in chosen
        if option.divider_before:
            write(f'<div class="{module}__divider">or</div>')
        controls = f' data-aria-controls="conditional-{item_id}"' if option.reveals else ""
        exclusive = ' data-behaviour="exclusive"' if not radios and option.exclusive else ""
        hinted = f' aria-describedby="{item_id}-item-hint"' if option.hint else ""
        write(
            f'<div class="{module}__item"><input class="{module}__input" id="{item_id}" name="{key_text}" '
            f'type="{input_type}" value="{as_text(option.value)}"{" checked" if checked else ""}{controls}{exclusive}'
            f'{hinted}><label class="govuk-label {module}__label" for="{item_id}">{as_text(option.label)}</label>'
        )
        if option.hint:
            write(f'<div id="{item_id}-item-hint" class="govuk-hint {module}__hint">{as_text(option.hint)}</div>')
        write("</div>")
        if option.reveals:
            hidden = "" if checked else f" {module}__conditional--hidden"
            write(f'<div class="{module}__conditional{hidden}" id="conditional-{item_id}">')
            for child in option.reveals:
                _write_question(parts, form, child, False)
            write("</div>")
    write("</div>")


@register.simple_tag
def select_options(choices, selected):
    """A select's <option>s, the chosen one marked. Built here rather than by a template loop: a list such as the
    first responder organisations or the countries has hundreds of options, and the loop was most of the page's
    time. The escaped markup of a list is kept (the lists change only when an admin edits them: a changed list
    is another key), so a page only marks its chosen option."""
    markup, positions = _markup_of(choices)
    if isinstance(selected, str):
        marked = positions.get(selected, ())
    else:  # compared as the template compared them (the choices' values are strings)
        marked = sorted(p for value, places in positions.items() if value == selected for p in places)
    parts, start = [], 0
    for position in marked:
        parts += [markup[start:position], " selected"]
        start = position
    parts.append(markup[start:])
    return mark_safe("".join(parts))  # noqa: S308 (every value and label was escaped by _options_markup)


# The markup of the FixedChoices made once per process for each list (referrals.choices), kept by identity: the
# same object serves every page while its list is unchanged, so a page neither hashes nor walks the list.
_FIXED_MARKUP: dict[int, tuple[FixedChoices, tuple[str, dict]]] = {}


def _markup_of(choices) -> tuple[str, dict]:
    if not isinstance(choices, FixedChoices):
        return _options_markup(tuple(choices))
    held = _FIXED_MARKUP.get(id(choices))
    if held is None or held[0] is not choices:
        if len(_FIXED_MARKUP) > 64:  # lists changed by an admin since: their old choices are no longer used
            _FIXED_MARKUP.clear()
        held = _FIXED_MARKUP[id(choices)] = (choices, _options_markup.__wrapped__(choices.pairs))
    return held[1]


@lru_cache(maxsize=64)
def _options_markup(choices: tuple) -> tuple[str, dict]:
    """The options' markup unmarked, and where " selected" goes for each value (after its value attribute)."""
    parts, length, positions = [], 0, {}
    for value, label in choices:
        opening = f'<option value="{conditional_escape(value)}"'
        positions.setdefault(value, []).append(length + len(opening))
        part = f"{opening}>{conditional_escape(label)}</option>"
        parts.append(part)
        length += len(part)
    return "".join(parts), positions


@register.filter
def top_level_questions(form):
    """The page's questions that no other question on it reveals (those are rendered inside their option)."""
    revealed = reveal_parents(form.questionnaire)
    keys = {question.key for question in form.questions}
    return [q.key for q in form.questions if q.key not in revealed or revealed[q.key][0] not in keys]


@register.filter
def error_links(form):
    """(input id, message) for the error summary, in the order of the page."""
    links = [("main-content", error) for error in form.non_field_errors()]
    for q in form.questions:
        name = form.error_field(q)
        links.extend((name, error) for error in form.errors.get(name, []))
    return links


@register.filter
def intro_html(intro: str):
    """A page's intro as GOV.UK markup: paragraphs split by a blank line, "## Words" an h2, a paragraph whose
    lines all start with "- " a bulleted list (see Page.intro)."""
    blocks = []
    for block in (part.strip() for part in intro.split("\n\n")):
        lines = block.splitlines()
        if not block:
            continue
        if block.startswith("## "):
            blocks.append(format_html('<h2 class="govuk-heading-m">{}</h2>', block[3:]))
        elif all(line.startswith("- ") for line in lines):
            items = format_html_join("", "<li>{}</li>", ((line[2:],) for line in lines))
            blocks.append(format_html('<ul class="govuk-list govuk-list--bullet">{}</ul>', items))
        else:
            blocks.append(format_html('<p class="govuk-body">{}</p>', " ".join(lines)))
    return mark_safe("\n".join(blocks))  # noqa: S308 (each block was escaped by format_html)
