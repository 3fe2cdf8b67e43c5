"""In-app notifications, each with the state of its one email.

A notification carries a reference (such as NRM-2026-004217) and a kind, and nothing else that an email could
show: the email says that there is an update and asks the reader to sign in. The row is written in the
transaction of the change it reports, so a Redis outage loses nothing; the sweep sends what is still pending.
"""

import enum
from dataclasses import dataclass

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.roles import AUTHORITY_ROLES, FIRST_RESPONDER_ROLES, PANEL_ROLES, Role
from common.converters import is_reference

# Delivery attempts before an email is marked failed (and shown as such in admin).
MAX_EMAIL_ATTEMPTS = 8


class Link(enum.Enum):
    """What a notification in the list links to (notifications.selectors.notification_link makes the URL)."""

    NONE = "none"  # the description is the whole message: there is nothing to open
    REFERENCE = "reference"  # the case or referral of its reference, on the pages of the recipient's role
    DRAFTS = "drafts"  # the first responder's referrals, drafts included
    PANEL_MEETINGS = "panel_meetings"  # the meetings of the recipient's panels
    MEETING_INVITATIONS = "meeting_invitations"  # the meetings a Slavery Safeguarding Lead is invited to
    MEMBERSHIP_REQUESTS = "membership_requests"  # requests to join, for the recipient to approve


# The people who refer: a partner API client's service user (also of a first responder role) is told through its
# webhooks (partners), never by notification or email.
REFERRERS = FIRST_RESPONDER_ROLES - {Role.API_CLIENT}


@dataclass(frozen=True)
class Audience:
    """Who may receive a kind of notification: the roles whose pages open its link (and, for notices about
    administration, superusers whatever their role). notify() refuses anyone else."""

    roles: frozenset[Role]
    link: Link
    superusers: bool = False

    def admits(self, user) -> bool:
        return user.role in self.roles or (self.superusers and user.is_superuser)


class Notification(models.Model):
    class Kind(models.TextChoices):
        REFERRAL_SUBMITTED = "referral_submitted", "Referral submitted"
        INFORMATION_REQUESTED = "information_requested", "Information requested"
        INFORMATION_ANSWERED = "information_answered", "Information provided"
        DECISION_SERVED = "decision_served", "Decision made"
        RECONSIDERATION_REQUESTED = "reconsideration_requested", "Reconsideration requested"
        RECONSIDERATION_DECIDED = "reconsideration_decided", "Reconsideration decided"
        CASE_ASSIGNED = "case_assigned", "Case assigned"
        SUPPORT_ENDING = "support_ending", "Support ending"
        DRAFT_EXPIRING = "draft_expiring", "Draft expiring"
        INFORMATION_DUE_SOON = "information_due_soon", "Information due soon"
        INFORMATION_OVERDUE = "information_overdue", "Information overdue"
        SUPPORT_STARTED = "support_started", "Support started"
        REVIEW_NEEDED = "review_needed", "Decision to review"
        DECISION_RETURNED = "decision_returned", "Decision returned"
        CASE_SUSPENDED = "case_suspended", "Case suspended"
        CASE_RESUMED = "case_resumed", "Case resumed"
        CASE_TRANSFERRED = "case_transferred", "Case transferred"
        MEMBERSHIP_REQUESTED = "membership_requested", "Request to join an organisation"
        MEMBERSHIP_APPROVED = "membership_approved", "Request to join approved"
        MEMBERSHIP_DECLINED = "membership_declined", "Request to join declined"
        MEMBERSHIP_EXPIRED = "membership_expired", "Request to join expired"
        UPLOAD_INFECTED = "upload_infected", "Infected file removed"
        STAFF_ACCESS_CHANGED = "staff_access_changed", "Staff access changed"
        PANEL_CASE_ROUTED = "panel_case_routed", "Case sent to your panel"
        PANEL_REVIEW_OVERDUE = "panel_review_overdue", "Panel review overdue"
        PANEL_MEETING_SCHEDULED = "panel_meeting_scheduled", "Panel meeting scheduled"
        PANEL_MEETING_INVITATION = "panel_meeting_invitation", "Invitation to a panel meeting"
        PANEL_RECOMMENDATION = "panel_recommendation", "Panel recommends reconsideration"
        SAFEGUARDING_LEAD_TOLD = "safeguarding_lead_told", "Referral to a decision-making panel"
        SUPPORT_BEGAN = "support_began", "Support provider started support"
        RNA_RECORDED = "rna_recorded", "Recovery Needs Assessment recorded"
        SUPPORT_EXTENDED = "support_extended", "Support extended"
        PERSON_MISSING = "person_missing", "Person reported missing"
        SUPPORT_ENDED = "support_ended", "Support ended"

    class EmailState(models.TextChoices):
        PENDING = "pending", "Pending"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    # The plain words shown in the list; "{reference}" is the only detail they carry.
    DESCRIPTIONS = {
        Kind.REFERRAL_SUBMITTED: "Referral {reference} has been submitted",
        Kind.INFORMATION_REQUESTED: "More information has been asked for on {reference}",
        Kind.INFORMATION_ANSWERED: "Information has been provided on {reference}",
        Kind.DECISION_SERVED: "A decision has been made on {reference}",
        Kind.RECONSIDERATION_REQUESTED: "A reconsideration has been requested on {reference}",
        Kind.RECONSIDERATION_DECIDED: "A reconsideration has been decided on {reference}",
        Kind.CASE_ASSIGNED: "Case {reference} has been assigned to you",
        Kind.SUPPORT_ENDING: "Support is ending soon on {reference}",
        Kind.DRAFT_EXPIRING: "Your draft referral {reference} will be deleted soon",
        Kind.INFORMATION_DUE_SOON: "Information asked for on {reference} is due soon",
        Kind.INFORMATION_OVERDUE: "Information asked for on {reference} is overdue",
        Kind.SUPPORT_STARTED: "Support should start for {reference}",
        Kind.REVIEW_NEEDED: "A negative decision on {reference} needs a second review",
        Kind.DECISION_RETURNED: "A decision on {reference} was returned by the reviewer",
        Kind.CASE_SUSPENDED: "Case {reference} has been suspended because the person is missing",
        Kind.CASE_RESUMED: "Case {reference} has been resumed",
        Kind.CASE_TRANSFERRED: "Case {reference} has been transferred to your authority",
        # About people joining an organisation: no name or address, ever (the page behind sign-in shows who).
        Kind.MEMBERSHIP_REQUESTED: "Someone has asked to join an organisation you approve members for",
        Kind.MEMBERSHIP_APPROVED: "Your request to join your organisation has been approved",
        Kind.MEMBERSHIP_DECLINED: "Your request to join an organisation was declined",
        Kind.MEMBERSHIP_EXPIRED: "Your request to join an organisation expired before anyone approved it",
        Kind.UPLOAD_INFECTED: "A file uploaded to {reference} contained a virus and has been removed",
        # To the other administrators: who and what are in the user's history in admin, never in the email.
        Kind.STAFF_ACCESS_CHANGED: "A user's role or admin access has been changed in NRM Digital administration",
        Kind.PANEL_CASE_ROUTED: "Case {reference} has been sent to your panel",
        Kind.PANEL_REVIEW_OVERDUE: "The panel's work on {reference} is overdue",
        # A meeting is about several cases: the email names none (the agenda is behind sign-in).
        Kind.PANEL_MEETING_SCHEDULED: "A meeting of your panel has been scheduled",
        Kind.PANEL_MEETING_INVITATION: "You have been invited to a meeting of an independent panel",
        Kind.PANEL_RECOMMENDATION: "An independent panel recommends reconsidering a decision on {reference}",
        Kind.SAFEGUARDING_LEAD_TOLD: "Referral {reference} from your organisation will be decided by a regional panel",
        Kind.SUPPORT_BEGAN: "The support provider has started supporting the person on {reference}",
        Kind.RNA_RECORDED: "A Recovery Needs Assessment has been recorded on {reference}",
        Kind.SUPPORT_EXTENDED: "Support has been extended on {reference}",
        Kind.PERSON_MISSING: "The support provider reports that the person on {reference} is missing: you can "
        "suspend the case",
        Kind.SUPPORT_ENDED: "The support provider has ended support on {reference}",
    }

    # Who receives each kind, and what its link opens: one entry per kind (a test checks that every kind has one,
    # and that a recipient of each role listed opens the link). Senders choose recipients; notify() refuses a
    # recipient whose role is not listed here, so nobody is told of something their pages cannot show.
    AUDIENCES = {
        Kind.REFERRAL_SUBMITTED: Audience(REFERRERS, Link.REFERENCE),
        Kind.INFORMATION_REQUESTED: Audience(REFERRERS, Link.REFERENCE),
        Kind.INFORMATION_ANSWERED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        # The first responder, the support provider and, for a child, the local authority's staff.
        Kind.DECISION_SERVED: Audience(REFERRERS | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.RECONSIDERATION_REQUESTED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        # Whoever asked (a first responder, a support provider or authority staff) and the first responder.
        Kind.RECONSIDERATION_DECIDED: Audience(REFERRERS | AUTHORITY_ROLES | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.CASE_ASSIGNED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.SUPPORT_ENDING: Audience(AUTHORITY_ROLES | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.DRAFT_EXPIRING: Audience(REFERRERS, Link.DRAFTS),
        Kind.INFORMATION_DUE_SOON: Audience(REFERRERS, Link.REFERENCE),
        Kind.INFORMATION_OVERDUE: Audience(REFERRERS | AUTHORITY_ROLES, Link.REFERENCE),
        Kind.SUPPORT_STARTED: Audience(REFERRERS | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.REVIEW_NEEDED: Audience(frozenset({Role.MANAGER}), Link.REFERENCE),
        Kind.DECISION_RETURNED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.CASE_SUSPENDED: Audience(REFERRERS | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.CASE_RESUMED: Audience(REFERRERS | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.CASE_TRANSFERRED: Audience(frozenset({Role.MANAGER}), Link.REFERENCE),
        Kind.MEMBERSHIP_REQUESTED: Audience(frozenset({Role.ORGANISATION_ADMIN, Role.ADMIN}), Link.MEMBERSHIP_REQUESTS),
        Kind.MEMBERSHIP_APPROVED: Audience(REFERRERS, Link.NONE),
        Kind.MEMBERSHIP_DECLINED: Audience(REFERRERS, Link.NONE),
        Kind.MEMBERSHIP_EXPIRED: Audience(REFERRERS, Link.NONE),
        # The uploader (a first responder, authority staff or a support provider), the organisation's
        # administrators and the authority's managers. A draft's has no reference to open.
        Kind.UPLOAD_INFECTED: Audience(REFERRERS | AUTHORITY_ROLES | {Role.SUPPORT_PROVIDER}, Link.REFERENCE),
        Kind.STAFF_ACCESS_CHANGED: Audience(frozenset({Role.ADMIN}), Link.NONE, superusers=True),
        Kind.PANEL_CASE_ROUTED: Audience(PANEL_ROLES, Link.REFERENCE),
        # The panel's chair and, by the nation's policy, the authority's managers.
        Kind.PANEL_REVIEW_OVERDUE: Audience(PANEL_ROLES | {Role.MANAGER}, Link.REFERENCE),
        Kind.PANEL_MEETING_SCHEDULED: Audience(PANEL_ROLES, Link.PANEL_MEETINGS),
        # Slavery Safeguarding Leads are first responders their organisation names.
        Kind.PANEL_MEETING_INVITATION: Audience(REFERRERS, Link.MEETING_INVITATIONS),
        Kind.PANEL_RECOMMENDATION: Audience(frozenset({Role.MANAGER}), Link.REFERENCE),
        Kind.SAFEGUARDING_LEAD_TOLD: Audience(REFERRERS, Link.REFERENCE),
        # The support provider's records, to the case's caseworker (its managers when nobody works it; the
        # managers too when the person is missing, so that someone can suspend the case at once).
        Kind.SUPPORT_BEGAN: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.RNA_RECORDED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.SUPPORT_EXTENDED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.PERSON_MISSING: Audience(AUTHORITY_ROLES, Link.REFERENCE),
        Kind.SUPPORT_ENDED: Audience(AUTHORITY_ROLES, Link.REFERENCE),
    }

    # The list and the unread count both start from the recipient, so the composite and partial indexes
    # below replace the FK's own index.
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications", db_index=False
    )
    kind = models.CharField(max_length=40, choices=Kind.choices)
    content_type = models.ForeignKey(ContentType, null=True, blank=True, on_delete=models.SET_NULL)
    object_id = models.PositiveBigIntegerField(null=True, blank=True)
    subject = GenericForeignKey("content_type", "object_id")
    reference = models.CharField(
        max_length=40, blank=True, help_text="The referral or case reference: the only detail an email shows"
    )
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)
    email_state = models.CharField(max_length=10, choices=EmailState.choices, default=EmailState.PENDING)
    email_attempts = models.PositiveSmallIntegerField(default=0)
    email_last_error = models.CharField(
        max_length=200, blank=True, help_text="The error's class and a short message, never personal data"
    )
    email_sent_at = models.DateTimeField(null=True, blank=True)
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at"], name="notification_recipient_idx"),
            models.Index(fields=["recipient"], condition=Q(read_at__isnull=True), name="notification_unread_idx"),
            models.Index(fields=["email_state", "created_at"], name="notification_sweep_idx"),
        ]

    def __str__(self) -> str:
        return self.description

    @property
    def description(self) -> str:
        template = self.DESCRIPTIONS.get(self.kind, "There is an update on {reference}")
        return " ".join(template.format(reference=self.reference).split())

    @property
    def audience(self) -> Audience:
        return self.AUDIENCES[self.kind]

    @property
    def opens_a_page(self) -> bool:
        """Whether the list links it anywhere: a reference kind needs a case's or a referral's reference (an
        infected file in a draft has none)."""
        link = self.audience.link
        return link != Link.NONE and (link != Link.REFERENCE or is_reference(self.reference))

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
