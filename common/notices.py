"""Notices a higher app shows on a lower app's page without the lower app importing it (the layers of
pyproject.toml's import contract): the higher app registers a provider under a place's name when it loads
(its AppConfig.ready), and the page renders the place with the `{% notices "place" %}` tag of common.

A provider takes the request and returns HTML (rendered from its own template, so escaped there) or "" when it
has nothing to say. Places: "referral-start" (a first responder starts or continues a referral: partners'
local pathway)."""

from collections.abc import Callable

from django.http import HttpRequest

Provider = Callable[[HttpRequest], str]

_providers: dict[str, dict[str, Provider]] = {}


def register(place: str, name: str, provider: Provider) -> None:
    """Registers (or replaces: registering twice is harmless) the provider `name` for `place`."""
    _providers.setdefault(place, {})[name] = provider


def render_notices(place: str, request: HttpRequest) -> list[str]:
    return [html for provider in _providers.get(place, {}).values() if (html := provider(request))]
