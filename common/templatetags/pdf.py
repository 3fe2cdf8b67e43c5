from django import template
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def css_string(value) -> SafeString:
    """Text made safe inside a double-quoted CSS string in a <style> element (running headers of PDFs).
    A <style> element is raw text, so HTML escaping would be wrong there: CSS escapes do the work."""
    text = str(value)
    for character, escaped in (("\\", "\\\\"), ('"', '\\"'), ("<", "\\3c "), (">", "\\3e "), ("\n", " ")):
        text = text.replace(character, escaped)
    return mark_safe(text)  # noqa: S308 - escaped for its CSS context above
