"""Local modern slavery partnerships (issue 14, part F): an area made of local authorities and police force areas
from the referrals' reference lists, its member organisations and its coordinators; and the local pathway it
publishes to the first responders of its member organisations (contacts and Slavery Safeguarding Leads)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords


class Partnership(models.Model):
    name = models.CharField(max_length=200, unique=True, help_text="For example: Anyshire Modern Slavery Partnership")
    local_authorities = models.ManyToManyField(
        "referrals.LocalAuthority", blank=True, related_name="partnerships", help_text="The area: its councils"
    )
    police_forces = models.ManyToManyField(
        "referrals.PoliceForce", blank=True, related_name="partnerships", help_text="The area: its police forces"
    )
    member_organisations = models.ManyToManyField(
        "accounts.Organisation",
        blank=True,
        related_name="partnerships",
        help_text="First responder organisations whose referrers see the local pathway when they start a referral",
    )
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL,
        blank=True,
        related_name="coordinated_partnerships",
        limit_choices_to={"role": "partnership_coordinator"},
        help_text="Users with the role Partnership coordinator",
    )
    pathway_introduction = models.TextField(
        blank=True, help_text="Shown above the contacts: what to do locally before and after an NRM referral"
    )
    pathway_updated_at = models.DateTimeField(null=True, blank=True, editable=False)
    history = HistoricalRecords(m2m_fields=[local_authorities, police_forces, member_organisations, coordinators])

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class PathwayContact(models.Model):
    """One entry of the local pathway: a local contact or a Slavery Safeguarding Lead (SSL)."""

    class Kind(models.TextChoices):
        SAFEGUARDING_LEAD = "ssl", "Slavery Safeguarding Lead"
        LOCAL_CONTACT = "contact", "Local contact"

    partnership = models.ForeignKey(Partnership, on_delete=models.CASCADE, related_name="pathway_contacts")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    name = models.CharField(max_length=200, help_text="A person's name or a team's name")
    organisation = models.CharField(max_length=200, blank=True)
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    notes = models.TextField(blank=True, max_length=1000, help_text="When to contact them, hours, languages")
    updated_at = models.DateTimeField(default=timezone.now, editable=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["kind", "name", "pk"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.name}"
