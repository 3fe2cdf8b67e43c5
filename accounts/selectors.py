"""Reads about users and organisations, scoped where a view needs them."""

from django.db.models import QuerySet

from accounts.models import FirstResponderEmailDomain, Organisation


def email_domain(email: str) -> str:
    return email.rsplit("@", 1)[-1].strip().lower().rstrip(".")


def domain_matches(domain: str, pattern: str) -> bool:
    """`pattern` covers `domain` itself and its subdomains, on a dot boundary (police.uk never matches
    evilpolice.uk)."""
    pattern = pattern.strip().lower().lstrip(".")
    return domain == pattern or domain.endswith("." + pattern)


def first_responder_organisations() -> QuerySet[Organisation]:
    return Organisation.objects.filter(kind__in=Organisation.FIRST_RESPONDER_KINDS, is_active=True)


def first_responder_organisation_for_domain(domain: str) -> Organisation | None:
    """The first responder organisation whose own email domains cover `domain`, the most specific first."""
    best: tuple[int, Organisation] | None = None
    candidates = first_responder_organisations().exclude(email_domains=[]).only("pk", "name", "email_domains")
    for organisation in candidates:
        for pattern in organisation.email_domains:
            if domain_matches(domain, pattern) and (best is None or len(pattern) > best[0]):
                best = (len(pattern), organisation)
    return best[1] if best else None


def first_responder_email_allowed(email: str) -> bool:
    """A work email of a registered first responder organisation: an organisation's own domain, or the
    service's allow-list (exact domains, and suffixes such as .gov.uk and police.uk)."""
    domain = email_domain(email)
    if not domain:
        return False
    if first_responder_organisation_for_domain(domain):
        return True
    for entry in FirstResponderEmailDomain.objects.all():
        exact = entry.match == FirstResponderEmailDomain.Match.EXACT
        if (exact and domain == entry.domain.lower()) or (not exact and domain_matches(domain, entry.domain)):
            return True
    return False
