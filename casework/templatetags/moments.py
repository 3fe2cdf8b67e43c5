"""When something happened on a case, as the case page's timeline and notes write it:

{% load moments %}
{% time_at entry.at %}

is `<time datetime="{{ at|date:'c' }}">{{ at|date:"j F Y" }} at {{ at|date:"g:iA"|lower }}</time>`, with the
moment made local and formatted once rather than three times (a case's timeline has an entry per event)."""

from django import template
from django.utils import dateformat
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.timezone import template_localtime

register = template.Library()


@register.simple_tag(takes_context=True)
def time_at(context, moment) -> SafeString:
    iso, day, time = dateformat.format(template_localtime(moment, context.use_tz), "c|j F Y|g:iA").split("|")
    return format_html('<time datetime="{}">{} at {}</time>', iso, day, time.lower())
