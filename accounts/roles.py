"""The roles of design.md, what each may do, and where each lands after signing in."""

from django.db import models


class Role(models.TextChoices):
    FIRST_RESPONDER = "first_responder", "First responder"
    # A first responder who is also their organisation's single point of contact: approves and removes members.
    ORGANISATION_ADMIN = "organisation_admin", "Organisation administrator"
    CASEWORKER = "caseworker", "Caseworker"
    MANAGER = "manager", "Manager"
    PANEL_CHAIR = "panel_chair", "Panel chair"
    PANEL_MEMBER = "panel_member", "Panel member"
    SUPPORT_PROVIDER = "support_provider", "Support provider"
    ANALYST = "analyst", "Analyst"
    ADMIN = "admin", "Administrator"
    # The data protection team: answers subject access requests (privacy's export page) and reads the access log.
    DATA_PROTECTION = "data_protection", "Data protection officer"
    # Reads its partnership's figures for its area (never a person) and keeps its local pathway page (issue 14).
    PARTNERSHIP_COORDINATOR = "partnership_coordinator", "Partnership coordinator"
    # The service user behind one OAuth2 client of the partner API (partners.ApiClient): it acts for its
    # organisation as a first responder does, by its scopes, and never signs in to a page.
    API_CLIENT = "api_client", "Partner API client"


# Everywhere a first responder may act, an organisation administrator may too, and so may a partner API client
# of the organisation (the services' rules are the same whichever way a referral comes in). An API client is
# never told by notification or email (notifications.Audience): its system hears through its webhooks.
FIRST_RESPONDER_ROLES = frozenset({Role.FIRST_RESPONDER, Role.ORGANISATION_ADMIN, Role.API_CLIENT})
# Signs in with a password and an authenticator app. An API client signs in to no page at all.
STAFF_ROLES = frozenset(Role) - FIRST_RESPONDER_ROLES
AUTHORITY_ROLES = frozenset({Role.CASEWORKER, Role.MANAGER})
PANEL_ROLES = frozenset({Role.PANEL_CHAIR, Role.PANEL_MEMBER})

# The page each role lands on after signing in (URL names).
LANDING_PAGES = {
    Role.FIRST_RESPONDER: "referrals:list",
    Role.ORGANISATION_ADMIN: "organisation:members",
    Role.CASEWORKER: "casework:queue",
    Role.MANAGER: "casework:team",
    Role.PANEL_CHAIR: "panels:reviews",
    Role.PANEL_MEMBER: "panels:reviews",
    Role.SUPPORT_PROVIDER: "casework:supported",
    Role.ANALYST: "insights:statistics",
    Role.ADMIN: "admin:index",
    Role.DATA_PROTECTION: "privacy:subject_access",
    Role.PARTNERSHIP_COORDINATOR: "partnerships:home",
}

# The service's name in the header and the page title, for each role (GOV.UK service naming): first responders
# refer; the authority's staff, panels and support providers work the cases; analysts read the statistics.
# Anyone signed out sees settings.SERVICE_NAME, the referral service's.
REFERRAL_SERVICE_NAME = "Refer a potential victim of modern slavery"
CASEWORK_SERVICE_NAME = "Modern slavery casework"
SERVICE_NAMES = {
    Role.FIRST_RESPONDER: REFERRAL_SERVICE_NAME,
    Role.ORGANISATION_ADMIN: REFERRAL_SERVICE_NAME,
    Role.CASEWORKER: CASEWORK_SERVICE_NAME,
    Role.MANAGER: CASEWORK_SERVICE_NAME,
    Role.PANEL_CHAIR: CASEWORK_SERVICE_NAME,
    Role.PANEL_MEMBER: CASEWORK_SERVICE_NAME,
    Role.SUPPORT_PROVIDER: CASEWORK_SERVICE_NAME,
    Role.ANALYST: "Modern slavery statistics",
    Role.ADMIN: "Modern slavery service administration",
    Role.DATA_PROTECTION: "Modern slavery service administration",
    Role.PARTNERSHIP_COORDINATOR: "Modern slavery statistics",
    Role.API_CLIENT: REFERRAL_SERVICE_NAME,  # named in its history and emails' subjects; it reads no page
}

# Model permissions each role's group holds ("app_label.codename"); object-level scope is in the selectors.
ROLE_PERMISSIONS: dict[Role, list[str]] = {
    Role.DATA_PROTECTION: [
        "casework.view_accesslogentry",
        "privacy.view_subjectaccessexport",
        "privacy.view_retentionpolicy",
        "privacy.view_retentionrun",
    ],
    Role.FIRST_RESPONDER: [],
    Role.ORGANISATION_ADMIN: [],
    Role.API_CLIENT: [],
    Role.PARTNERSHIP_COORDINATOR: [],
    Role.CASEWORKER: [],
    Role.MANAGER: [],
    Role.PANEL_CHAIR: [],
    Role.PANEL_MEMBER: [],
    Role.SUPPORT_PROVIDER: [],
    Role.ANALYST: [],
    Role.ADMIN: [
        "accounts.view_user",
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_organisation",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_firstresponderemaildomain",
        "accounts.add_firstresponderemaildomain",
        "accounts.change_firstresponderemaildomain",
        "accounts.delete_firstresponderemaildomain",
        "accounts.view_membershiprequest",
        "accounts.view_invitation",
        "accounts.change_membershiprequest",
        "notifications.view_notification",
        "notifications.change_notification",
        "casework.view_case",
        "casework.view_caseevent",
        *(
            f"casework.view_{model}"
            for model in (
                "decision",
                "letter",
                "informationrequest",
                "reconsideration",
                "casenote",
                "casefile",
                "accesslogentry",
            )
        ),
        "casework.view_policy",
        "casework.change_policy",
        "referrals.view_referralpolicy",
        "referrals.change_referralpolicy",
        *(
            f"referrals.{action}_{model}"
            for model in ("country", "nationality", "uktown", "ukregion", "localauthority", "policeforce")
            for action in ("view", "add", "change")
        ),
        "privacy.view_retentionpolicy",
        "privacy.change_retentionpolicy",
        "privacy.view_retentionrun",
        "privacy.view_subjectaccessexport",
        # Panels are data the admin keeps (issue 10); what a panel does on a case only its services write.
        *(
            f"panels.{action}_{model}"
            for model in ("panel", "membership", "safeguardinglead")
            for action in ("view", "add", "change")
        ),
        "panels.delete_membership",
        *(f"panels.view_{model}" for model in ("meeting", "panelcase", "view", "conflictofinterest")),
        # Partner API clients (issue 14): made and revoked through partners.services.clients (the add page and the
        # revoke action); the request log is read only.
        "partners.view_apiclient",
        "partners.add_apiclient",
        "partners.change_apiclient",
        "partners.view_apirequestlogentry",
        "partners.view_importedreferral",  # which GOV.UK report became which referral (read only)
        # Statistics (issue 11): the suppression threshold is policy the admin keeps; the export log and the
        # refreshes are read only.
        "insights.view_suppressionpolicy",
        "insights.change_suppressionpolicy",
        "insights.view_exportlogentry",
        "insights.view_refresh",
    ],
}
