"""Demo data of partnerships (part F): the West Midlands partnership, its area (two councils and their police
force, where the demo's statistics history refers people), its member organisations (the demo's first responder
organisations), its coordinator (accounts.demo) and a local pathway that the demo's first responders see when they
start a referral."""

from django.db import transaction

from accounts.models import Organisation, User
from partners.models import Partnership, PathwayContact
from partners.services.partnerships import pathway_contact_save, pathway_introduction_update
from referrals.models.reference import LocalAuthority, PoliceForce

DEMO_PARTNERSHIP = "West Midlands Anti-Slavery Partnership"
DEMO_COORDINATOR = "coordinator@council.example"  # accounts.demo.DEMO_USERS
DEMO_LOCAL_AUTHORITIES = ("Birmingham City Council", "Coventry City Council")
DEMO_POLICE_FORCES = ("West Midlands Police",)
DEMO_MEMBERS = ("Demo Constabulary", "Demo City Council", "Demo Anti-Slavery Charity")
DEMO_INTRODUCTION = (
    "Before you refer a child, call the children's services of the council where the child lives: a referral "
    "never replaces a safeguarding referral.\nFor advice on an adult, ask the Slavery Safeguarding Lead of your "
    "organisation or the partnership's duty line."
)
DEMO_CONTACTS = (
    {
        "kind": PathwayContact.Kind.SAFEGUARDING_LEAD,
        "name": "Anika Patel",
        "organisation": "Demo City Council, Adult Social Care",
        "phone": "0121 496 0000",
        "email": "ssl@council.example",
        "notes": "Monday to Friday, 9am to 5pm",
    },
    {
        "kind": PathwayContact.Kind.LOCAL_CONTACT,
        "name": "Partnership duty line",
        "organisation": "West Midlands Anti-Slavery Partnership",
        "phone": "0121 496 0999",
        "email": "",
        "notes": "Out of hours: call 999 if someone is in immediate danger",
    },
)


@transaction.atomic
def seed() -> str:
    """The demo partnership, made once (a second run changes nothing); returns its name."""
    partnership, created = Partnership.objects.get_or_create(name=DEMO_PARTNERSHIP)
    if not created:
        return partnership.name
    coordinator = User.objects.get(email=DEMO_COORDINATOR)
    partnership.local_authorities.set(LocalAuthority.objects.filter(name__in=DEMO_LOCAL_AUTHORITIES))
    partnership.police_forces.set(PoliceForce.objects.filter(name__in=DEMO_POLICE_FORCES))
    partnership.member_organisations.set(Organisation.objects.filter(name__in=DEMO_MEMBERS))
    partnership.coordinators.set([coordinator])
    pathway_introduction_update(partnership=partnership, actor=coordinator, text=DEMO_INTRODUCTION)
    for contact in DEMO_CONTACTS:
        pathway_contact_save(partnership=partnership, actor=coordinator, **contact)
    return partnership.name
