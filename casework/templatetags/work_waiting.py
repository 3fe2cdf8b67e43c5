"""What is waiting for a support provider, for the top of their landing page (casework.waiting):

{% load work_waiting %}
{% support_provider_waiting as waiting %}
{% include "includes/waiting.html" %}
"""

from django import template

from casework.waiting import waiting_for_support_provider

register = template.Library()


@register.simple_tag(takes_context=True)
def support_provider_waiting(context) -> list:
    return waiting_for_support_provider(user=context["request"].user)
