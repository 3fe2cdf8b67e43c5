"""The lists a referral's choices come from: the reference lists (editable in admin) and the first responder
organisations. Every choice is checked against its list; an unknown value is an error, never a new entry."""

import logging
from collections.abc import Iterable

from django.core.cache import cache
from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from accounts.models import Organisation
from accounts.selectors import first_responder_organisations
from referrals.choices import FixedChoices
from referrals.models.reference import (
    NAMES_CACHE_SECONDS,
    Country,
    LocalAuthority,
    Nationality,
    PoliceForce,
    ReferenceItem,
    UkRegion,
    UkTown,
    names_cache_key,
)

logger = logging.getLogger(__name__)

ORGANISATIONS = "organisations"
UNKNOWN = "Unknown"

LISTS: dict[str, type[Model]] = {
    "countries": Country,
    "nationalities": Nationality,
    "uk_towns": UkTown,
    "uk_regions": UkRegion,
    "local_authorities": LocalAuthority,
    "police_forces": PoliceForce,
    # Only the active first responder organisations, read through accounts' selector.
    ORGANISATIONS: Organisation,
}


def _model(list_key: str) -> type[ReferenceItem]:
    if list_key not in LISTS or list_key == ORGANISATIONS:
        raise KeyError(f"Not a reference list: {list_key!r}")
    return LISTS[list_key]


def _offered(model: type[ReferenceItem]) -> QuerySet:
    """The rows a new answer may name: active, and not ended (a local authority abolished in a reorganisation)."""
    rows = model.objects.filter(is_active=True)
    if any(field.name == "ended_on" for field in model._meta.fields):
        rows = rows.filter(Q(ended_on__isnull=True) | Q(ended_on__gt=timezone.localdate()))
    return rows


def _names_from_database(list_key: str) -> list[str]:
    if list_key == ORGANISATIONS:
        return list(first_responder_organisations().order_by("name").values_list("name", flat=True))
    names = list(_offered(_model(list_key)).order_by("name").values_list("name", flat=True))
    if UNKNOWN in names:
        names.remove(UNKNOWN)
        names.insert(0, UNKNOWN)
    return names


def reference_names(list_key: str) -> list[str]:
    """The names a new answer may take (active, not ended), ordered by name with "Unknown" first. The reference
    lists are cached, the first responder organisations too (they are read on many pages and change rarely; a
    save or delete of a row, an organisation's included, forgets them: referrals.models.reference)."""
    key = names_cache_key(Organisation if list_key == ORGANISATIONS else _model(list_key))
    try:
        names = cache.get(key)
    except Exception:
        logger.warning("Cache unavailable, reading reference list %s from the database", list_key, exc_info=True)
        return _names_from_database(list_key)
    if names is None:
        names = _names_from_database(list_key)
        try:
            cache.set(key, names, NAMES_CACHE_SECONDS)
        except Exception:
            logger.warning("Cache unavailable, reference list %s not cached", list_key, exc_info=True)
    return names


def reference_choices(list_key: str, *, kept: Iterable[str] = ()) -> list[tuple[str, str]]:
    """(value, label) pairs for a select or autocomplete widget: the name is both. `kept`: the answer already
    held, offered still when its row has ended since (a referral started before a council was abolished)."""
    names = reference_names(list_key)
    offered = set(names)
    held = [value for value in dict.fromkeys(kept) if value and value not in offered and _was_offered(list_key, value)]
    if held:
        names = sorted([*names, *held], key=lambda name: (name != UNKNOWN, name.casefold()))
    return [(name, name) for name in names]


# The choices of each list's select as last made in this process, with the names they were made from: a page
# reuses them while the list (read as before, from the cache) holds the same names, and makes them again when not.
_SELECT_CHOICES: dict[str, tuple[list[str], FixedChoices]] = {}


def reference_select_choices(list_key: str, *, kept: Iterable[str] = ()) -> FixedChoices:
    """A select's choices: a blank first, then reference_choices(list_key, kept=kept)."""
    names = reference_names(list_key)
    if any(value and value not in names for value in kept):  # an answer held that is no longer offered: rare
        return FixedChoices([("", ""), *reference_choices(list_key, kept=kept)])
    made = _SELECT_CHOICES.get(list_key)
    if made is None or made[0] != names:
        made = _SELECT_CHOICES[list_key] = (names, FixedChoices([("", ""), *((name, name) for name in names)]))
    return made[1]


def is_reference_value(list_key: str, value: str, *, kept: Iterable[str] = ()) -> bool:
    """Whether `value` is exactly (case included) a name a new answer may take: one query on the unique name
    index. A name in `kept` (the answer already held) may also be one that has ended since."""
    if not isinstance(value, str) or not value:
        return False
    if list_key == ORGANISATIONS:
        return first_responder_organisations().filter(name=value).exists()
    if value in set(kept):
        return _was_offered(list_key, value)
    return _offered(_model(list_key)).filter(name=value).exists()


def _was_offered(list_key: str, value: str) -> bool:
    """An active name of the list, ended or not."""
    if list_key == ORGANISATIONS or not isinstance(value, str):
        return False
    return _model(list_key).objects.filter(name=value, is_active=True).exists()
