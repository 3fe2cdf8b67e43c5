"""What partners listens to in the other apps (connected in PartnersConfig.ready(): nothing outside partners
imports partners). A referral's sending and each public case event are turned into a public change
(partners.events) and, in the same transaction, into the webhook deliveries of the referring organisation's
endpoints. An internal case event (a note, an assignment) costs no query; a public one costs one when its
organisation has no webhook."""

from django.db.models.signals import post_save
from django.dispatch import receiver

from casework.models import CaseEvent
from partners.events import case_event_change, change_event_of, referral_sent_change
from partners.models import WebhookEndpoint
from partners.services.webhooks import webhook_change_enqueue
from referrals.models import Referral


@receiver(post_save, sender=Referral, dispatch_uid="partners.webhooks.referral_sent")
def referral_sent(sender, instance: Referral, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        webhook_change_enqueue(change=referral_sent_change(instance))


@receiver(post_save, sender=CaseEvent, dispatch_uid="partners.webhooks.case_event")
def case_event_recorded(sender, instance: CaseEvent, created: bool, raw: bool = False, **kwargs) -> None:
    if not created or raw or change_event_of(instance) is None:
        return
    listening = WebhookEndpoint.objects.filter(
        active=True, client__organisation__referrals__case__pk=instance.case_id
    ).exists()
    if not listening:
        return
    change = case_event_change(instance)
    if change is not None:
        webhook_change_enqueue(change=change)
