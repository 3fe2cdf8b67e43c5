import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse

from accounts.roles import SERVICE_NAMES, Role

NAVIGATION: dict[Role, list[tuple[str, str]]] = {
    Role.FIRST_RESPONDER: [("Referrals", "referrals:list")],
    Role.ORGANISATION_ADMIN: [("Your organisation", "organisation:members"), ("Referrals", "referrals:list")],
    Role.CASEWORKER: [("Case queue", "casework:queue")],
    Role.MANAGER: [
        ("Team cases", "casework:team"),
        ("Case queue", "casework:queue"),
        ("Panels", "panels:dashboard"),
        ("Statistics", "insights:statistics"),
        ("Performance", "insights:operations"),
    ],
    Role.PANEL_CHAIR: [("Reviews", "panels:reviews"), ("Panels", "panels:dashboard")],
    Role.PANEL_MEMBER: [("Reviews", "panels:reviews")],
    Role.SUPPORT_PROVIDER: [("Supported people", "casework:supported")],
    Role.ANALYST: [("Statistics", "insights:statistics"), ("Service performance", "insights:service_performance")],
    Role.ADMIN: [("Administration", "admin:index"), ("Subject access", "privacy:subject_access")],
    Role.DATA_PROTECTION: [("Subject access", "privacy:subject_access")],
}


@functools.lru_cache(maxsize=64)
def _links(role: str, unverified_responder: bool, script_prefix: str) -> tuple[tuple[str, str, str], ...]:
    """A role's header links (label, address, URL name), reversed once per process rather than on every page."""
    entries = [*NAVIGATION.get(role, []), ("Notifications", "notifications:list")]
    if unverified_responder:
        entries.insert(1, ("Your membership", "organisation:membership"))
    return (
        *((label, reverse(url_name), url_name) for label, url_name in entries),
        ("Your account", reverse("account"), "account"),
    )


@receiver(setting_changed)
def _forget_links(**kwargs) -> None:
    _links.cache_clear()  # a test's override of the URL conf


def navigation(request):
    """The header's navigation for the signed-in user's role, with the current section marked."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or getattr(request, "staff_mfa_setup_pending", False):
        return {"navigation": []}  # while staff set up MFA, every link would lead back to the set-up page
    links = _links(user.role, user.is_first_responder and not user.organisation_verified, get_script_prefix())
    *sections, (account_label, account_href, _) = links
    # One section is current: the longest address the page is under ("Performance" lives under "Statistics").
    current = max((href for _, href, _ in sections if request.path.startswith(href)), key=len, default=None)
    items = [
        {
            "label": label,
            "href": href,
            "active": href == current,
            "counter": "notifications" if url_name == "notifications:list" else None,
        }
        for label, href, url_name in sections
    ]
    items.append({"label": account_label, "href": account_href, "active": request.path == account_href})
    return {"navigation": items}


def service_name(request):
    """The header's and the title's service name for the signed-in user's role (accounts.roles.SERVICE_NAMES);
    signed out, the referral service's (common.context_processors.service)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated or user.role not in SERVICE_NAMES:
        return {}
    return {"service_name": SERVICE_NAMES[user.role]}
