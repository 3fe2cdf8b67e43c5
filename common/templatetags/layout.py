"""The layout's fixed addresses, worked out once per process: `{% asset %}` for a static file's URL and
`{% page_url %}` for a URL name without arguments. They are the same on every page, and `base.html` names a dozen
of them, each costing `{% static %}` or `{% url %}` tens of microseconds a page. Both depend only on settings and
the URL conf (and the script prefix), so a change of either (tests' override_settings) forgets them."""

import functools

from django import template
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.templatetags.static import static
from django.urls import get_script_prefix, reverse

register = template.Library()


@functools.lru_cache(maxsize=256)
def _asset(path: str) -> str:
    return static(path)


@functools.lru_cache(maxsize=256)
def _page_url(name: str, script_prefix: str) -> str:
    return reverse(name)


@register.simple_tag
def asset(path: str) -> str:
    """What `{% static path %}` gives."""
    return _asset(path)


@register.simple_tag
def page_url(name: str) -> str:
    """What `{% url name %}` gives, for a URL that takes no arguments."""
    return _page_url(name, get_script_prefix())


@receiver(setting_changed)
def _forget(**kwargs) -> None:
    _asset.cache_clear()
    _page_url.cache_clear()
