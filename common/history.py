"""Change history that must forget: when personal details are removed from rows (retention), the old values
live on in django-simple-history's rows too. These helpers replace or remove those rows; the callers own the
rows themselves and call these in their own transaction."""

from collections.abc import Iterable

from django.db import models


def history_replace(model: type[models.Model], pks: Iterable[int], *, reason: str) -> int:
    """Drops every history row of these objects (they hold the old values) and writes one row each of what the
    objects hold now, with `reason`: the history says that something was removed, and no longer what."""
    pks = list(pks)
    if not pks:
        return 0
    model.history.filter(id__in=pks).delete()
    objects = list(model._default_manager.filter(pk__in=pks))
    model.history.bulk_history_create(objects, update=True, default_change_reason=reason)
    return len(objects)


def history_forget(model: type[models.Model], pks: Iterable[int]) -> int:
    """Removes every history row of deleted objects (deleting writes one last row holding the old values)."""
    pks = list(pks)
    if not pks:
        return 0
    deleted, _ = model.history.filter(id__in=pks).delete()
    return deleted
