"""Reads about users and organisations, scoped where a view needs them."""

from django.db.models import QuerySet

from accounts.models import FirstResponderEmailDomain, MembershipRequest, Organisation, User
from accounts.roles import FIRST_RESPONDER_ROLES, Role


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


# Membership ---------------------------------------------------------------------------------------------------


def organisation_admins(organisation: Organisation) -> QuerySet[User]:
    """The organisation's administrators who can act: active, verified."""
    return User.objects.filter(
        organisation=organisation, role=Role.ORGANISATION_ADMIN, is_active=True, organisation_verified=True
    )


def membership_approvers(organisation: Organisation) -> list[User]:
    """Who approves a request to join: the organisation's administrators; when it has none, the service's."""
    approvers = list(organisation_admins(organisation).order_by("pk"))
    return approvers or list(User.objects.filter(role=Role.ADMIN, is_active=True).order_by("pk"))


def members_for(*, user: User) -> QuerySet[User]:
    """The verified members of an organisation administrator's own organisation; nobody's for anyone else."""
    if not user.is_authenticated or not user.is_organisation_admin:
        return User.objects.none()
    return (
        User.objects.filter(
            organisation_id=user.organisation_id,
            role__in=FIRST_RESPONDER_ROLES,
            is_active=True,
            organisation_verified=True,
        )
        .exclude(role=Role.API_CLIENT)
        .order_by("full_name", "email")
    )


def membership_requests_for(*, user: User) -> QuerySet[MembershipRequest]:
    """The requests to join an organisation administrator's own organisation still waiting, oldest first."""
    if not user.is_authenticated or not user.is_organisation_admin:
        return MembershipRequest.objects.none()
    return (
        MembershipRequest.objects.filter(organisation_id=user.organisation_id, state=MembershipRequest.State.PENDING)
        .select_related("user")
        .order_by("requested_at", "pk")
    )


def latest_membership_request_of(*, user: User) -> MembershipRequest | None:
    """The user's own most recent request to join, whatever became of it."""
    if not user.is_authenticated:
        return None
    return MembershipRequest.objects.filter(user=user).select_related("organisation").first()
