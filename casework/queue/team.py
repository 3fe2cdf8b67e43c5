"""The team page's reads: who a manager may give cases to, and each person's open caseload."""

from django.db.models import Count, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce

from accounts.models import User
from accounts.roles import Role
from casework.models import Case
from casework.selectors import case_list_for


def assignable_staff_for(*, user: User) -> QuerySet[User]:
    """Who a manager may give cases to: the active caseworkers and managers of their authority."""
    if user.role != Role.MANAGER or case_list_for(user=user).query.is_empty():
        return User.objects.none()
    return User.objects.filter(
        organisation_id=user.organisation_id, is_active=True, role__in=[Role.CASEWORKER, Role.MANAGER]
    ).order_by("full_name", "email", "pk")


def caseloads_for(*, user: User) -> list[User]:
    """The authority's staff, each with `open_cases`: the open cases assigned to them. One query: a count per
    person from the (assignee, status) index, where a join would read every open case of the authority."""
    open_assigned = (
        Case.objects.filter(assignee_id=OuterRef("pk"), status__in=Case.OPEN_STATUSES)
        .order_by()
        .values("assignee_id")
        .annotate(count=Count("*"))
        .values("count")
    )
    return list(assignable_staff_for(user=user).annotate(open_cases=Coalesce(Subquery(open_assigned), 0)))
