"""Renders a question of a PageForm with GOV.UK Design System markup (conditional reveals nested inside)."""

from functools import lru_cache

from django import template
from django.utils.html import conditional_escape, format_html, format_html_join
from django.utils.safestring import mark_safe

from referrals.questions.engine import reveal_parents
from referrals.questions.schema import Kind

register = template.Library()


@register.inclusion_tag("referrals/questions/question.html")
def question(form, key: str, as_heading: bool = False):
    question = form.questionnaire.question(key)
    error_field = form.error_field(question)
    errors = form.errors.get(error_field, [])
    context = {
        "form": form,
        "q": question,
        "kind": str(question.kind),
        "id": error_field,
        "errors": errors,
        # Only the one question of a page without a title of its own is the page's h1 (a page has one h1).
        "as_heading": as_heading,
        "hint_id": f"{question.key}-hint" if question.hint else "",
        "error_id": f"{question.key}-error" if errors else "",
    }
    if question.kind in (Kind.RADIOS, Kind.CHECKBOXES):
        value = form[key].value()
        chosen = set(value if isinstance(value, list) else [value]) if value else set()
        context["options"] = [
            {
                "option": option,
                "id": key if position == 0 else f"{key}-{position + 1}",
                "checked": option.value in chosen,
                "reveals": option.reveals,
            }
            for position, option in enumerate(question.options)
        ]
    elif question.kind == Kind.DATE:
        context["parts"] = [
            {"name": f"{key}-{part}", "label": part.capitalize(), "value": form[f"{key}-{part}"].value() or "",
             "width": 4 if part == "year" else 2}
            for part in ("day", "month", "year")
        ]  # fmt: skip
    elif question.kind == Kind.SELECT_MANY:
        count = form.item_counts[key]
        context["items"] = [
            {"name": f"{key}-{n}", "value": form[f"{key}-{n}"].value() or "", "number": n} for n in range(1, count + 1)
        ]
        context["can_add"] = count < question.max_items
        context["choices"] = form.fields[f"{key}-1"].choices
    elif question.kind == Kind.SELECT:
        context["value"] = form[key].value() or ""
        context["choices"] = form.fields[key].choices
    elif question.kind == Kind.CONFIRM:
        context["checked"] = bool(form[key].value())
    else:
        value = form[key].value()
        context["value"] = "" if value is None else value
    return context


@register.simple_tag
def select_options(choices, selected):
    """A select's <option>s, the chosen one marked. Built here rather than by a template loop: a list such as the
    first responder organisations or the countries has hundreds of options, and the loop was most of the page's
    time. The escaped markup of a list is kept (the lists change only when an admin edits them: a changed list
    is another key), so a page only marks its chosen option."""
    markup, positions = _options_markup(tuple(choices))
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
