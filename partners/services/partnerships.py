"""The coordinator's writes to their partnership's local pathway (each recorded in the models' history)."""

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from partners.models import Partnership, PathwayContact

CONTACT_FIELDS = ("kind", "name", "organisation", "phone", "email", "notes")


def _locked(partnership: Partnership) -> Partnership:
    return Partnership.objects.select_for_update().get(pk=partnership.pk)


@transaction.atomic
def pathway_introduction_update(*, partnership: Partnership, actor: User, text: str) -> Partnership:
    partnership = _locked(partnership)
    partnership.pathway_introduction = text.strip()
    partnership.pathway_updated_at = timezone.now()
    partnership._history_user = actor
    partnership.save(update_fields=["pathway_introduction", "pathway_updated_at"])
    return partnership


@transaction.atomic
def pathway_contact_save(
    *, partnership: Partnership, actor: User, contact: PathwayContact | None = None, **fields
) -> PathwayContact:
    """Adds a contact (contact=None) or changes one of this partnership's contacts."""
    locked = _locked(partnership)
    if contact is None:
        contact = PathwayContact(partnership=locked)
    elif contact.partnership_id != locked.pk:
        raise PathwayContact.DoesNotExist
    for name in CONTACT_FIELDS:
        if name in fields:
            value = fields[name]
            setattr(contact, name, value.strip() if isinstance(value, str) else value)
    contact.updated_at = timezone.now()
    contact.updated_by = actor
    contact._history_user = actor
    contact.full_clean()
    contact.save()
    locked.pathway_updated_at = contact.updated_at
    locked.save(update_fields=["pathway_updated_at"])
    return contact


@transaction.atomic
def pathway_contact_remove(*, contact: PathwayContact, actor: User) -> None:
    locked = _locked(contact.partnership)
    contact._history_user = actor
    contact.delete()
    locked.pathway_updated_at = timezone.now()
    locked.save(update_fields=["pathway_updated_at"])
