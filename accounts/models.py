import hashlib

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import FIRST_RESPONDER_ROLES, STAFF_ROLES, Role


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
    # How a person or their representative reaches this organisation about a case (competent authorities:
    # printed on decision letters beside the first responder's details).
    contact_email = models.EmailField(blank=True)
    contact_phone = models.CharField(max_length=30, blank=True)
    contact_address = models.TextField(blank=True, help_text="A postal address, one line per row")
    require_mfa = models.BooleanField(
        "Require an authenticator app",
        default=False,
        help_text="Its first responders must set up an authenticator app and give its code when they sign in",
    )
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        indexes = [models.Index(fields=["kind", "name"])]

    def __str__(self) -> str:
        return self.name

    @property
    def is_first_responder(self) -> bool:
        return self.kind in self.FIRST_RESPONDER_KINDS

    def clean(self) -> None:
        """An organisation's own domain makes whoever has it a verified member at once, so it may not be a shared
        suffix of the allow-list (gov.uk, police.uk) or anything broader: that would let every such address in."""
        suffixes = [
            entry.lower().lstrip(".")
            for entry in FirstResponderEmailDomain.objects.filter(
                match=FirstResponderEmailDomain.Match.SUFFIX
            ).values_list("domain", flat=True)
        ]
        for pattern in self.email_domains or []:
            pattern = pattern.strip().lower().lstrip(".")
            shared = next((s for s in suffixes if s == pattern or s.endswith("." + pattern)), None)
            if shared:
                raise ValidationError(
                    {
                        "email_domains": f"{pattern} is shared by many organisations (it covers {shared}): enter one "
                        "that only this organisation's staff have"
                    }
                )


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
    # Fails closed: a first responder sees their organisation's work only once the organisation's own email domain
    # or one of its administrators (or a service admin) has vouched for them. Until then, only their own.
    organisation_verified = models.BooleanField(
        "Verified member of the organisation",
        default=False,
        help_text="Set by sign-up from the organisation's own email domain, or by an approved request to join",
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
        """A first responder or their organisation's administrator: both refer, answer and read outcomes."""
        return self.role in FIRST_RESPONDER_ROLES

    @property
    def is_verified_member(self) -> bool:
        """A first responder who may see the work of their whole organisation, not only their own."""
        return self.is_first_responder and self.organisation_id is not None and self.organisation_verified

    @property
    def is_organisation_admin(self) -> bool:
        return self.role == Role.ORGANISATION_ADMIN and self.is_verified_member and self.is_active

    def sees_work_of(self, *, organisation_id: int | None, owner_id: int | None) -> bool:
        """Whether this first responder may see (and act on) a draft or referral of `organisation_id` that
        `owner_id` started or sent: any of a verified member's organisation, only their own otherwise."""
        if not self.is_first_responder or organisation_id is None or self.organisation_id != organisation_id:
            return False
        return self.organisation_verified or owner_id == self.pk

    @property
    def is_staff_role(self) -> bool:
        """Staff of an authority, panel, support provider, analysts and admins: password + MFA sign-in."""
        return self.role in STAFF_ROLES

    def has_role(self, *roles: Role) -> bool:
        return self.role in roles


class MembershipRequest(models.Model):
    """Someone whose address is allowed only by a shared suffix (any .gov.uk, say) asks to join an organisation.
    Until one of its administrators (or a service admin) approves, they see only their own drafts and referrals."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting for approval"
        APPROVED = "approved", "Approved"
        DECLINED = "declined", "Declined"
        EXPIRED = "expired", "Expired"
        WITHDRAWN = "withdrawn", "Withdrawn"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_requests")
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="membership_requests")
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    requested_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField(help_text="A request still waiting then expires (a periodic job)")
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    history = HistoricalRecords()

    class Meta:
        ordering = ["-requested_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(state="pending"), name="membership_request_one_pending_per_user"
            ),
        ]
        indexes = [
            models.Index(fields=["organisation", "state", "requested_at"]),
            models.Index(fields=["expires_at"], condition=models.Q(state="pending"), name="membership_request_expiry"),
        ]

    def __str__(self) -> str:
        return f"Request {self.pk} to join {self.organisation}"

    @property
    def is_pending(self) -> bool:
        return self.state == self.State.PENDING


class Invitation(models.Model):
    """An emailed link that lets a new member of staff choose their password (nobody chooses it for them), and
    then set up their authenticator app. Only a hash of the link's token is kept: the link itself exists only in
    the email. Single use; a newer invitation to the same person replaces an older one still waiting."""

    class State(models.TextChoices):
        PENDING = "pending", "Waiting to be accepted"
        ACCEPTED = "accepted", "Accepted"
        REPLACED = "replaced", "Replaced by a newer invitation"

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="invitations")
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    state = models.CharField(max_length=20, choices=State.choices, default=State.PENDING)
    invited_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords(excluded_fields=["token_hash"])

    class Meta:
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"], condition=models.Q(state="pending"), name="invitation_one_pending_per_user"
            ),
        ]

    def __str__(self) -> str:
        return f"Invitation {self.pk}"

    @staticmethod
    def hash_token(token: str) -> str:
        """Only this is stored: someone who reads the database (or a backup) cannot use a link still waiting."""
        return hashlib.sha256(token.encode("utf-8", errors="replace")).hexdigest()

    @classmethod
    def for_token(cls, token: str, *, for_update: bool = False) -> "Invitation | None":
        """The invitation an emailed link's token opens (by its hash: the token itself is stored nowhere)."""
        if not isinstance(token, str) or not token or len(token) > 100:
            return None
        invitations = cls.objects.select_related("user")
        if for_update:
            invitations = invitations.select_for_update(of=("self",))
        return invitations.filter(token_hash=cls.hash_token(token)).first()

    @property
    def is_expired(self) -> bool:
        return timezone.now() >= self.expires_at

    @property
    def is_usable(self) -> bool:
        return self.state == self.State.PENDING and not self.is_expired


class RateLimitCounter(models.Model):
    """allauth's sign-in rate limits and lockout counters (failed sign-ins per account and per address, codes
    requested), kept in PostgreSQL rather than Redis by common.cache: sign-in works while Redis is down, and a
    lockout holds across every web process and any Redis outage (docs/adr/0019-redis-timeouts-and-rate-limit-
    fallback.md). Django's database cache reads and writes it by SQL; the columns are those of its
    `createcachetable`. A key holds a hash of the email address tried, never the address itself (and, for the
    per-client limits, the client's IP address, as in Redis before)."""

    cache_key = models.CharField(max_length=255, primary_key=True)
    value = models.TextField()
    expires = models.DateTimeField(db_index=True)

    class Meta:
        db_table = "accounts_rate_limit_counter"

    def __str__(self) -> str:
        return self.cache_key
