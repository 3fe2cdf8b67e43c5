"""The queue's urgency order, which "Get next case" (casework.services.assignment) and the queue's pages
(casework.queue) both follow: overdue first, then children, then the nearest deadline, then the oldest case."""

from django.db import models
from django.db.models import Q
from django.utils import timezone


def urgency_order(now=None) -> list:
    """The queue's order: overdue first, then children, then the nearest deadline, then the oldest case."""
    now = now or timezone.now()
    overdue = models.Case(
        models.When(next_deadline_at__lt=now, then=models.Value(True)),
        default=models.Value(False),
        output_field=models.BooleanField(),
    )
    return [overdue.desc(), "-is_child", "next_deadline_at", "opened_at", "pk"]


# Within one slice of `urgency_slices` the urgency order is simply this, which an index can walk.
URGENCY_SLICE_ORDER = ("next_deadline_at", "opened_at", "pk")


def urgency_slices(now) -> list[Q]:
    """The urgency order cut into consecutive slices, each ordered by URGENCY_SLICE_ORDER: overdue children,
    overdue adults, then children and adults with a later deadline or none. Ordering by `urgency_order()`'s
    expression sorts every matching row; walking the slices in an index stops at the first rows wanted."""
    overdue, later, none = Q(next_deadline_at__lt=now), Q(next_deadline_at__gte=now), Q(next_deadline_at__isnull=True)
    child, adult = Q(is_child=True), Q(is_child=False)
    return [overdue & child, overdue & adult, later & child, none & child, later & adult, none & adult]
