"""Reference lists of the live service (countries, nationalities, UK towns and regions, local authorities, police
forces), copied into the project and editable in admin."""

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from simple_history.models import HistoricalRecords

from accounts.models import Organisation

# Bump the version when the shape of the cached value changes, so that old entries are never read.
NAMES_CACHE_KEY = "referrals:reference-names:v2:{label}:{day}"
NAMES_CACHE_SECONDS = 600


class ReferenceItem(models.Model):
    name = models.CharField(max_length=200, unique=True)
    is_active = models.BooleanField(default=True)
    # inherit=True gives each concrete list its own history table (HistoricalCountry, ...).
    history = HistoricalRecords(inherit=True)

    class Meta:
        abstract = True
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Country(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "countries"


class Nationality(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "nationalities"


class UkTown(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = "UK town"


class UkRegion(ReferenceItem):
    class Meta(ReferenceItem.Meta):
        verbose_name = "UK region"


class LocalAuthority(ReferenceItem):
    # A council abolished in a reorganisation (Allerdale into Cumberland, Aylesbury Vale into Buckinghamshire):
    # from this day it is no longer offered for a new answer, but answers that already name it keep it.
    ended_on = models.DateField(
        null=True,
        blank=True,
        help_text="The day it ceased to exist (a reorganisation's vesting day). From then on it is not offered "
        "in new referrals; referrals that already name it keep it.",
    )

    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "local authorities"

    @property
    def has_ended(self) -> bool:
        return self.ended_on is not None and self.ended_on <= timezone.localdate()


class PoliceForce(ReferenceItem):
    pass


REFERENCE_MODELS: tuple[type[ReferenceItem], ...] = (
    Country,
    Nationality,
    UkTown,
    UkRegion,
    LocalAuthority,
    PoliceForce,
)


def names_cache_key(model: type[ReferenceItem]) -> str:
    """Today's: a local authority that ends at midnight leaves the cached names with the day."""
    return NAMES_CACHE_KEY.format(label=model._meta.label_lower, day=timezone.localdate().isoformat())


def forget_cached_names(sender: type[ReferenceItem], **kwargs) -> None:
    """Signals rather than save()/delete() overrides: the admin's "delete selected" action deletes through the
    queryset, which sends post_delete for each row but never calls the model's delete()."""
    key = names_cache_key(sender)
    cache.delete(key)
    # A page may read the old rows between this write and its commit and cache them again: forget them once more.
    transaction.on_commit(lambda: cache.delete(key))


# The first responder organisations (accounts.Organisation) are a list of the referral too, cached the same way.
for _model in (*REFERENCE_MODELS, Organisation):
    post_save.connect(forget_cached_names, sender=_model, dispatch_uid=f"forget-names-{_model.__name__}-save")
    post_delete.connect(forget_cached_names, sender=_model, dispatch_uid=f"forget-names-{_model.__name__}-delete")
