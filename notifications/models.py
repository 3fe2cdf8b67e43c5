"""In-app notifications, each with the state of its one email.

A notification carries a reference (such as NRM-2026-004217) and a kind, and nothing else that an email could
show: the email says that there is an update and asks the reader to sign in. The row is written in the
transaction of the change it reports, so a Redis outage loses nothing; the sweep sends what is still pending.
"""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

from common.converters import is_reference

# Delivery attempts before an email is marked failed (and shown as such in admin).
MAX_EMAIL_ATTEMPTS = 8


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
    def opens_a_page(self) -> bool:
        """Whether the reference is a case's or a referral's, which the list links to (a draft's is not)."""
        return is_reference(self.reference) and self.kind != self.Kind.DRAFT_EXPIRING

    @property
    def is_unread(self) -> bool:
        return self.read_at is None
