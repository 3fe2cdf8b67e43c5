from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import AUTHORITY_ROLES, STAFF_ROLES, Role


class Nation(models.TextChoices):
    ENGLAND = "england", "England"
    WALES = "wales", "Wales"
    SCOTLAND = "scotland", "Scotland"
    NORTHERN_IRELAND = "northern_ireland", "Northern Ireland"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        POLICE = "police", "Police"
        LOCAL_AUTHORITY = "local_authority", "Local authority"
        GOVERNMENT_AGENCY = "government_agency", "Government agency"
        NGO = "ngo", "Non-governmental organisation"
        COMPETENT_AUTHORITY = "competent_authority", "Competent authority"
        PANEL_BODY = "panel_body", "Independent panel body"
        SUPPORT_PROVIDER = "support_provider", "Support provider"

    FIRST_RESPONDER_KINDS = (Kind.POLICE, Kind.LOCAL_AUTHORITY, Kind.GOVERNMENT_AGENCY, Kind.NGO)

    name = models.CharField(max_length=200, unique=True)
    short_name = models.CharField(max_length=20, blank=True, help_text="For example SCA or IECA")
    kind = models.CharField(max_length=30, choices=Kind.choices, db_index=True)
    nation = models.CharField(max_length=20, choices=Nation.choices, blank=True)
    email_domains = ArrayField(
        models.CharField(max_length=253),
        default=list,
        blank=True,
        help_text="Work email domains of this organisation's staff, for example police.example",
    )
    parent = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="children")
    is_active = models.BooleanField(default=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_first_responder(self) -> bool:
        return self.kind in self.FIRST_RESPONDER_KINDS


class FirstResponderEmailDomain(models.Model):
    """The allow-list of work email domains that may join as first responders (the live service's list)."""

    class Match(models.TextChoices):
        EXACT = "exact", "This domain only"
        SUFFIX = "suffix", "This domain and every domain ending in it"

    domain = models.CharField(max_length=253, unique=True)
    match = models.CharField(max_length=10, choices=Match.choices, default=Match.EXACT)
    history = HistoricalRecords()

    class Meta:
        ordering = ["domain"]
        verbose_name = "first responder email domain"

    def __str__(self) -> str:
        return self.domain


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email: str, password: str | None = None, **fields):
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password) if password else user.set_unusable_password()
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields):
        fields.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField(unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    role = models.CharField(max_length=30, choices=Role.choices, default=Role.FIRST_RESPONDER, db_index=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False, help_text="May sign in to Django admin")
    date_joined = models.DateTimeField(default=timezone.now)
    history = HistoricalRecords(excluded_fields=["password", "last_login"])

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        ordering = ["email"]

    def __str__(self) -> str:
        return self.email

    @property
    def is_first_responder(self) -> bool:
        return self.role == Role.FIRST_RESPONDER

    @property
    def is_staff_role(self) -> bool:
        """Staff of an authority, panel, support provider, analysts and admins: password + MFA sign-in."""
        return self.role in STAFF_ROLES

    @property
    def is_authority_staff(self) -> bool:
        return self.role in AUTHORITY_ROLES

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles
