"""Reference lists of the live service (countries, nationalities, UK towns and regions, local authorities, police
forces), copied into the project and editable in admin."""

from django.core.cache import cache
from django.db import models, transaction
from django.db.models.signals import post_delete, post_save
from simple_history.models import HistoricalRecords

# Bump the version when the shape of the cached value changes, so that old entries are never read.
NAMES_CACHE_KEY = "referrals:reference-names:v1:{label}"
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
    class Meta(ReferenceItem.Meta):
        verbose_name_plural = "local authorities"


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
    return NAMES_CACHE_KEY.format(label=model._meta.label_lower)


def forget_cached_names(sender: type[ReferenceItem], **kwargs) -> None:
    """Signals rather than save()/delete() overrides: the admin's "delete selected" action deletes through the
    queryset, which sends post_delete for each row but never calls the model's delete()."""
    key = names_cache_key(sender)
    cache.delete(key)
    # A page may read the old rows between this write and its commit and cache them again: forget them once more.
    transaction.on_commit(lambda: cache.delete(key))


for _model in REFERENCE_MODELS:
    post_save.connect(forget_cached_names, sender=_model, dispatch_uid=f"forget-names-{_model.__name__}-save")
    post_delete.connect(forget_cached_names, sender=_model, dispatch_uid=f"forget-names-{_model.__name__}-delete")
