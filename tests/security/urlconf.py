"""The project's own pages, read from the URL conf: every pattern outside Django admin, allauth and the
public pages, with the names of the parameters it takes. The security tests are generated from this list, so a
new page is in them the day it is added."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver

# Prefixes that are not the project's own pages: Django admin and allauth are tested on their own (admin
# permissions, sign-in); health checks and help pages show nothing about anyone.
NOT_OURS = ("admin/", "accounts/", "healthz", "readyz", "help/")


@dataclass(frozen=True)
class Page:
    name: str  # "namespace:name"
    route: str  # the pattern joined from the root, for messages
    params: tuple[str, ...]

    def __str__(self) -> str:
        return self.name


def _walk(patterns, prefix: str = "", namespace: str | None = None):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}:{pattern.namespace}" if namespace and pattern.namespace else pattern.namespace
            yield from _walk(pattern.url_patterns, prefix + str(pattern.pattern), inner or namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            route = prefix + str(pattern.pattern)
            name = f"{namespace}:{pattern.name}" if namespace else pattern.name
            params = tuple(getattr(pattern.pattern, "converters", {})) or tuple(pattern.pattern.regex.groupindex)
            yield Page(name=name, route=route, params=params)


def project_pages() -> list[Page]:
    pages = {page.name: page for page in _walk(get_resolver().url_patterns) if not page.route.startswith(NOT_OURS)}
    return sorted(pages.values(), key=lambda page: page.name)


def sign_in_and_admin_pages() -> list[Page]:
    """allauth's pages (sign-in, sign-up, codes, passwords, authenticator, sessions) and Django admin's, ours
    among them."""
    pages = {page.name: page for page in _walk(get_resolver().url_patterns) if page.route.startswith(NOT_OURS[:2])}
    return sorted(pages.values(), key=lambda page: page.name)
