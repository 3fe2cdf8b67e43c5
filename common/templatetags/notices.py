from django import template
from django.utils.safestring import mark_safe

from common.notices import render_notices

register = template.Library()


@register.simple_tag(takes_context=True)
def notices(context, place: str) -> str:
    """The registered notices of `place` (common.notices), each already rendered from its provider's template."""
    request = context.get("request")
    if request is None:
        return ""
    # Each provider's HTML comes from a Django template of its own (autoescaped there).
    return mark_safe("".join(render_notices(place, request)))  # noqa: S308
