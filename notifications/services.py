"""Every write to notifications: creating them, sending their emails, marking them read.

Personal data never leaves through here: an email shows only the notification's reference and the service's
address, and logs and stored errors carry ids, kinds and exception classes, never a name or an address.
"""

import logging
import re
from functools import partial
from smtplib import SMTPException, SMTPRecipientsRefused, SMTPResponseException

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.mail import send_mail
from django.db import models, transaction
from django.template.loader import select_template
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from accounts.models import User
from accounts.roles import Role
from common.broker import BROKER_ERRORS, publish
from notifications.models import MAX_EMAIL_ATTEMPTS, Notification

logger = logging.getLogger(__name__)

_EMAIL_ADDRESS = re.compile(r"\S+@\S+")


class EmailDeliveryError(SMTPException):
    """Raised in place of the original error so that what reaches the task's logs has no address in it."""


@transaction.atomic
def notify(
    *, recipient: User, kind: Notification.Kind, subject: models.Model | None = None, reference: str = ""
) -> Notification | None:
    """Writes the notification in the caller's transaction; its email is queued only once that commits.

    A recipient whose role the kind does not declare (Notification.AUDIENCES) is not told: their pages could not
    open it. None then, and a log line with the kind and the role only."""
    kind = Notification.Kind(kind)  # an unknown kind is a programming error: ValueError here, not a bad row
    if recipient.role == Role.API_CLIENT:
        return None  # a partner's system is told through its webhooks (partners), by design: nothing to log
    if not Notification.AUDIENCES[kind].admits(recipient):
        logger.warning("Notification %s not sent: it is not declared for the role %s", kind.value, recipient.role)
        return None
    notification = Notification.objects.create(recipient=recipient, kind=kind, subject=subject, reference=reference)
    # robust: nothing raised after commit reaches the response (notification_queue_email catches broker errors).
    transaction.on_commit(partial(notification_queue_email, notification_id=notification.pk), robust=True)
    return notification


def notify_someone_told(sender, *, recipient: User, kind: str, subject: models.Model, **kwargs) -> Notification | None:
    """The receiver of accounts.signals.someone_to_tell (accounts may not call notify() itself)."""
    return notify(recipient=recipient, kind=kind, subject=subject)


def notification_queue_email(*, notification_id: int) -> bool:
    """Queues the email task. When the broker is down or frozen (a few seconds at most, common.broker) the row
    stays pending and the sweep sends it later."""
    from notifications.tasks import notification_send_email  # the task module imports this one

    try:
        publish(notification_send_email, notification_id)
    except BROKER_ERRORS as error:
        logger.warning(
            "Could not queue the email of notification %s (%s); the sweep will send it later",
            notification_id,
            type(error).__name__,
        )
        return False
    return True


def notification_deliver(*, notification_id: int) -> bool:
    """Sends the email of one notification, once. True when it was sent now.

    The row stays locked while the email goes out, so two deliveries of the same notification (a retry and the
    sweep, say) never both send. A failure is recorded and committed before it is raised again for the task to
    retry, which is why this is not one atomic block around the raise.
    """
    with transaction.atomic():
        notification = (
            Notification.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("recipient")
            .filter(pk=notification_id)
            .first()
        )
        if notification is None or notification.email_state != Notification.EmailState.PENDING:
            return False  # gone, being sent by another worker, already sent, or given up
        recipient = notification.recipient
        if not recipient.is_active or not recipient.email:
            _record_failure(notification, "RecipientInactive: the account cannot receive email", final=True)
            logger.info("Notification %s: not emailed, the recipient's account is inactive", notification.pk)
            return False
        try:
            subject, body = notification_render_email(notification=notification)
            send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, [recipient.email])
        except Exception as error:
            description = describe_error(error)
            _record_failure(notification, description, final=notification.email_attempts + 1 >= MAX_EMAIL_ATTEMPTS)
            logger.warning(
                "Notification %s: email attempt %s failed (%s)",
                notification.pk,
                notification.email_attempts,
                type(error).__name__,
            )
            failure = EmailDeliveryError(description)
        else:
            notification.email_state = Notification.EmailState.SENT
            notification.email_sent_at = timezone.now()
            notification.email_last_error = ""
            notification.save(update_fields=["email_state", "email_sent_at", "email_last_error"])
            logger.info("Notification %s: email sent", notification.pk)
            return True
    raise failure from None


def _record_failure(notification: Notification, description: str, *, final: bool) -> None:
    notification.email_attempts += 1
    notification.email_last_error = description
    if final:
        notification.email_state = Notification.EmailState.FAILED
    notification.save(update_fields=["email_attempts", "email_last_error", "email_state"])


def notification_render_email(*, notification: Notification) -> tuple[str, str]:
    """The subject and body of a notification's email. The templates get the reference and the service's
    address only, so that no template can show anything else."""
    context = {"reference": notification.reference, "service_url": settings.SERVICE_URL}
    subject_template = select_template(
        [f"notifications/email/{notification.kind}_subject.txt", "notifications/email/default_subject.txt"]
    )
    body_template = select_template(
        [f"notifications/email/{notification.kind}_body.txt", "notifications/email/default_body.txt"]
    )
    subject = " ".join(subject_template.render(context).split())  # one line: a header cannot hold newlines
    return subject, body_template.render(context).strip() + "\n"


def describe_error(error: BaseException) -> str:
    """The error's class and a short message, with anything that looks like an email address taken out (SMTP
    servers echo the recipient's address back)."""
    if isinstance(error, SMTPRecipientsRefused):
        codes = sorted({code for code, _ in error.recipients.values()})
        message = "recipient refused, code " + ", ".join(map(str, codes))
    elif isinstance(error, SMTPResponseException):
        text = error.smtp_error.decode(errors="replace") if isinstance(error.smtp_error, bytes) else error.smtp_error
        message = f"code {error.smtp_code} {text}"
    else:
        message = str(error)
    message = " ".join(_EMAIL_ADDRESS.sub("[address]", message).split())
    return f"{type(error).__name__}: {message}"[:200]


@transaction.atomic
def notification_resend_email(*, notification_id: int) -> bool:
    """Gives a failed email another full set of attempts (the admin's "Send the email again")."""
    notification = Notification.objects.select_for_update().filter(pk=notification_id).first()
    if notification is None or notification.email_state != Notification.EmailState.FAILED:
        return False
    notification.email_state = Notification.EmailState.PENDING
    notification.email_attempts = 0
    notification.save(update_fields=["email_state", "email_attempts"])
    # robust: nothing raised after commit reaches the response (notification_queue_email catches broker errors).
    transaction.on_commit(partial(notification_queue_email, notification_id=notification.pk), robust=True)
    return True


@transaction.atomic
def notification_mark_read(*, notification_id: int, user: User) -> Notification:
    """Marks one of the user's own notifications read. Anyone else's raises Notification.DoesNotExist."""
    notification = Notification.objects.select_for_update().get(pk=notification_id, recipient=user)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def notifications_mark_all_read(*, user: User) -> int:
    """Marks every unread notification of the user read; returns how many."""
    unread = list(Notification.objects.select_for_update().filter(recipient=user, read_at__isnull=True))
    now = timezone.now()
    for notification in unread:
        notification.read_at = now
    bulk_update_with_history(unread, Notification, ["read_at"], batch_size=500)
    return len(unread)


# Retention (privacy's policy and schedule) -------------------------------------------------------------------

TRIM_BATCH_SIZE = 1000


def notifications_older_than(*, moment) -> models.QuerySet[Notification]:
    # Every email state named, so that the (email_state, created_at) sweep index serves the date condition.
    return Notification.objects.filter(email_state__in=Notification.EmailState.values, created_at__lt=moment)


def notifications_trim(*, before) -> int:
    """Deletes notifications (and their history) created before `before`, a batch per short transaction;
    rows another run holds are skipped. Returns how many were deleted."""
    deleted = 0
    while True:
        with transaction.atomic():
            ids = list(
                notifications_older_than(moment=before)
                .select_for_update(skip_locked=True)
                .order_by("email_state", "created_at")
                .values_list("pk", flat=True)[:TRIM_BATCH_SIZE]
            )
            if ids:
                Notification.objects.filter(pk__in=ids).delete()
                Notification.history.filter(id__in=ids).delete()
        deleted += len(ids)
        if len(ids) < TRIM_BATCH_SIZE:
            return deleted


@transaction.atomic
def notifications_withdraw_about(*, subject: models.Model, recipients: models.QuerySet[User]) -> int:
    """Deletes the notifications about `subject` of those `recipients` who can no longer open it (the staff of the
    authority a case was transferred from), with their history, so that no one is left with a link to nothing."""
    rows = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False),
        object_id=subject.pk,
        recipient__in=recipients,
    )
    ids = list(rows.values_list("pk", flat=True))
    Notification.objects.filter(pk__in=ids).delete()
    Notification.history.filter(id__in=ids).delete()
    return len(ids)


@transaction.atomic
def notifications_delete_about(*, subject: models.Model) -> int:
    """Deletes every notification about `subject` (a case or referral being deleted), with its history."""
    rows = Notification.objects.filter(
        content_type=ContentType.objects.get_for_model(subject, for_concrete_model=False), object_id=subject.pk
    )
    ids = list(rows.values_list("pk", flat=True))
    rows.delete()
    Notification.history.filter(id__in=ids).delete()
    return len(ids)
