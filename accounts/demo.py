"""Demo organisations and one sign-in per role, for `manage.py seed_demo`. Safe to run again."""

import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.membership import membership_request_create
from accounts.models import Invitation, MembershipRequest, Nation, Organisation, User
from accounts.roles import Role
from accounts.services import user_confirm_email, user_create, user_sync_role_group
from notifications.models import Notification

DEMO_PASSWORD = "nrm-demo-password"  # noqa: S105 - published in the README for demo mode only

Kind = Organisation.Kind
DEMO_ORGANISATIONS = [
    # name, short name, kind, nation, email domains
    ("Demo Constabulary", "DEMOPOL", Kind.POLICE, Nation.ENGLAND, ["police.example"]),
    ("Demo Anti-Slavery Charity", "DASC", Kind.NGO, Nation.ENGLAND, ["ngo.example"]),
    ("Demo City Council", "DCC", Kind.LOCAL_AUTHORITY, Nation.ENGLAND, ["council.example"]),
    ("Single Competent Authority", "SCA", Kind.COMPETENT_AUTHORITY, "", ["sca.example"]),
    ("Immigration Enforcement Competent Authority", "IECA", Kind.COMPETENT_AUTHORITY, "", ["ieca.example"]),
    ("Demo Multi-Agency Assurance Panel", "MAAP", Kind.PANEL_BODY, Nation.ENGLAND, ["panel.example"]),
    # The regional decision-making panel's members sign in as members of its panel body (panels.demo seats them).
    ("Demo South West Regional Panel", "SW Panel", Kind.PANEL_BODY, Nation.ENGLAND, ["region.example"]),
    ("Demo Victim Care Provider", "DVCP", Kind.SUPPORT_PROVIDER, Nation.ENGLAND, ["provider.example"]),
]

# How people reach each competent authority about a decision: printed on its decision letters.
DEMO_CONTACT_ROUTES = {
    "Single Competent Authority": {
        "contact_email": "nrm.decisions@sca.example",
        "contact_phone": "0300 123 4567",
        "contact_address": "Single Competent Authority\nPO Box 1234\nDemo City\nDC1 2AB",
    },
    "Immigration Enforcement Competent Authority": {
        "contact_email": "decisions@ieca.example",
        "contact_phone": "0300 765 4321",
        "contact_address": "Immigration Enforcement Competent Authority\nPO Box 5678\nDemo City\nDC9 8ZY",
    },
}

DEMO_USERS = [
    # email, name, role, organisation domain
    ("responder@police.example", "Priya Shah", Role.FIRST_RESPONDER, "police.example"),
    ("spoc@police.example", "Kim Sato", Role.ORGANISATION_ADMIN, "police.example"),
    ("responder@ngo.example", "Tom Okafor", Role.FIRST_RESPONDER, "ngo.example"),
    ("responder@council.example", "Alys Evans", Role.FIRST_RESPONDER, "council.example"),
    ("caseworker@sca.example", "Sam Reid", Role.CASEWORKER, "sca.example"),
    ("caseworker2@sca.example", "Jo Mensah", Role.CASEWORKER, "sca.example"),
    ("manager@sca.example", "Morgan Hale", Role.MANAGER, "sca.example"),
    ("caseworker@ieca.example", "Lee Porter", Role.CASEWORKER, "ieca.example"),
    ("chair@panel.example", "Ruth Adeyemi", Role.PANEL_CHAIR, "panel.example"),
    ("member1@panel.example", "Ian Doyle", Role.PANEL_MEMBER, "panel.example"),
    ("member2@panel.example", "Nadia Karim", Role.PANEL_MEMBER, "panel.example"),
    ("chair2@panel.example", "Helen Marsh", Role.PANEL_CHAIR, "panel.example"),
    ("member3@panel.example", "Omar Siddiqui", Role.PANEL_MEMBER, "panel.example"),
    ("chair@region.example", "Gwen Tremayne", Role.PANEL_CHAIR, "region.example"),
    ("member4@region.example", "Mark Penrose", Role.PANEL_MEMBER, "region.example"),
    ("member5@region.example", "Sian Hughes", Role.PANEL_MEMBER, "region.example"),
    ("member6@region.example", "Dr Femi Bello", Role.PANEL_MEMBER, "region.example"),
    ("member7@region.example", "Layla Haddad", Role.PANEL_MEMBER, "region.example"),
    ("member8@region.example", "Piotr Nowak", Role.PANEL_MEMBER, "region.example"),
    ("support@provider.example", "Chris Walsh", Role.SUPPORT_PROVIDER, "provider.example"),
    ("analyst@sca.example", "Dana Price", Role.ANALYST, "sca.example"),
    ("admin@sca.example", "Alex Admin", Role.ADMIN, "sca.example"),
    ("dpo@sca.example", "Pat Okoye", Role.DATA_PROTECTION, "sca.example"),
    ("coordinator@council.example", "Rosa Lind", Role.PARTNERSHIP_COORDINATOR, "council.example"),
]


# A new member of staff invited by the admin who has not yet created their password (Django admin's invitations
# list shows the invitation waiting; "Send a new invitation" on their account emails a link that works).
DEMO_INVITED_STAFF = [
    # email, name, role, organisation domain, invited by
    ("new.analyst@sca.example", "Jordan Blake", Role.ANALYST, "sca.example", "admin@sca.example"),
]

# Someone whose address is allowed only by a shared suffix (.gov.uk) who has asked to join the demo police
# organisation: they see only their own referrals until spoc@police.example approves them.
DEMO_PENDING_MEMBERS = [
    # email, name, organisation domain
    ("new.starter@demo-county.gov.uk", "Robin Lee", "police.example"),
]


@transaction.atomic
def seed() -> list[tuple[str, str]]:
    """Creates what is missing and corrects what drifted; passwords are set only on creation."""
    organisations = {}
    for name, short_name, kind, nation, domains in DEMO_ORGANISATIONS:
        organisation, _ = Organisation.objects.update_or_create(
            name=name,
            defaults={
                "short_name": short_name,
                "kind": kind,
                "nation": nation,
                "email_domains": domains,
                **DEMO_CONTACT_ROUTES.get(name, {}),
            },
        )
        organisations[domains[0]] = organisation
    for email, name, role, domain in DEMO_USERS:
        user = User.objects.filter(email=email).first()
        if user is None:
            user_create(
                email=email,
                full_name=name,
                role=role,
                organisation=organisations[domain],
                password=DEMO_PASSWORD,
                is_superuser=role == Role.ADMIN,
            )
        elif user.role != role or user.organisation_id != organisations[domain].pk:
            user.role, user.organisation, user.organisation_verified = role, organisations[domain], True
            user.save(update_fields=["role", "organisation", "organisation_verified"])
            user_sync_role_group(user=user)
            user_confirm_email(user=user)
    for email, name, domain in DEMO_PENDING_MEMBERS:
        _seed_pending_member(email, name, organisations[domain])
    for email, name, role, domain, invited_by in DEMO_INVITED_STAFF:
        _seed_invited(email, name, role, organisations[domain], User.objects.get(email=invited_by))
    return [(email, Role(role).label) for email, _, role, _ in DEMO_USERS] + [
        (email, "First responder (asked to join)") for email, _, _ in DEMO_PENDING_MEMBERS
    ]


def _seed_pending_member(email: str, name: str, organisation: Organisation) -> None:
    """A first responder with a pending request to join `organisation`, unless they have one (or were approved)."""
    user = User.objects.filter(email=email).first()
    if user is None:
        user = user_create(
            email=email, full_name=name, role=Role.FIRST_RESPONDER, organisation=None, password=DEMO_PASSWORD
        )
    if user.organisation_verified or MembershipRequest.objects.filter(user=user).exists():
        return
    request = membership_request_create(user=user, organisation=organisation)
    # Demo data sends no email: the approvers see the notification in the service only.
    Notification.objects.filter(object_id=request.pk, kind=Notification.Kind.MEMBERSHIP_REQUESTED).update(
        email_state=Notification.EmailState.SENT, email_sent_at=timezone.now()
    )


def _seed_invited(email: str, name: str, role: Role, organisation: Organisation, invited_by: User) -> None:
    """An account without a password and its invitation still waiting, unless it exists. Demo data sends no
    email, and the token is thrown away: the admin sends a new invitation to see the journey."""
    if User.objects.filter(email=email).exists():
        return
    user = user_create(email=email, full_name=name, role=role, organisation=organisation)
    now = timezone.now()
    Invitation.objects.create(
        user=user,
        token_hash=Invitation.hash_token(secrets.token_urlsafe(32)),
        invited_by=invited_by,
        created_at=now,
        expires_at=now + timedelta(days=settings.NRM_INVITATION_DAYS),
    )
