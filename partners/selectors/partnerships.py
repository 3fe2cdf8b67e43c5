"""A partnership coordinator's reads: their partnerships, the area's figures (never a person: drawn by insights'
own declared tables and grids from its fact tables, and always suppressed with insights' small-number rule), and
the local pathway shown to the first responders of member organisations."""

import time
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Prefetch, QuerySet
from django.db.models.functions import TruncMonth
from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from insights.figures import Area, Filters, facts, table_grid
from insights.grid import Dimension, Grid, build
from insights.models import Refresh, SuppressionPolicy
from insights.periods import Period
from insights.tables import AGE, TABLES_BY_KEY
from partners.models import Partnership, PathwayContact

MONTH = Dimension("month", "Month", label=lambda value: f"{value:%B %Y}", order=lambda value: value)


def coordinated_partnerships(*, user: User) -> QuerySet:
    """The partnerships `user` coordinates (none unless an active partnership coordinator)."""
    if not (user.is_authenticated and user.is_active and user.role == Role.PARTNERSHIP_COORDINATOR):
        return Partnership.objects.none()
    return Partnership.objects.filter(coordinators=user).order_by("name")


def coordinated_partnership(*, user: User, pk: int) -> Partnership:
    """One partnership `user` coordinates; a 404 for any other."""
    partnership = coordinated_partnerships(user=user).filter(pk=pk).first()
    if partnership is None:
        raise Http404
    return partnership


def partnership_area(partnership: Partnership) -> Area:
    return Area(
        local_authorities=tuple(partnership.local_authorities.order_by("name").values_list("name", flat=True)),
        police_forces=tuple(partnership.police_forces.order_by("name").values_list("name", flat=True)),
    )


@dataclass
class Figure:
    key: str
    title: str
    summary: str
    definition: str
    grid: Grid


# The area's tables, each one of insights' declared tables (its definition, dimensions and drawing), or by month.
AREA_TABLES = (
    "referrals-by-exploitation-type",
    "referrals-by-first-responder",
    "duty-to-notify-by-exploitation-type",
    "decision-times",
)


def _by_month(key: str, filters: Filters, *, title: str, summary: str, by_age: bool) -> Figure:
    table = TABLES_BY_KEY[key]
    month = TruncMonth(table.source.date_field)
    keys = ["age_group"] if by_age else []
    counts = list(facts(table, filters).annotate(month=month).values("month", *keys).annotate(n=Count("pk")).order_by())
    grid = build(counts, rows=(MONTH,), columns=(AGE,) if by_age else ())
    return Figure(key=f"{key}-by-month", title=title, summary=summary, definition=table.definition, grid=grid)


def area_figures(partnership: Partnership, period: Period) -> dict:
    """The partnership's figures for the period, every table suppressed with insights' rule and threshold (the
    figures of a small area leave the statistics team: they are treated as an export, whatever the on-screen
    policy says)."""
    area = partnership_area(partnership)
    threshold = SuppressionPolicy.current().threshold
    figures: list[Figure] = []
    if area.local_authorities or area.police_forces:
        filters = Filters(period=period, area=area)
        figures.append(
            _by_month(
                "referrals-by-age-and-location",
                filters,
                title="NRM referrals by month and age at exploitation",
                summary="NRM referrals recording a local authority or police force of the area, by month.",
                by_age=True,
            )
        )
        figures.append(
            _by_month(
                "duty-to-notify-by-quarter",
                filters,
                title="Duty to Notify reports by month",
                summary="Reports of adults who did not consent to a referral, by month. Never added to referrals.",
                by_age=False,
            )
        )
        for key in AREA_TABLES:
            table = TABLES_BY_KEY[key]
            figures.append(
                Figure(
                    key=key,
                    title=table.title,
                    summary=table.summary,
                    definition=table.definition,
                    grid=table_grid(table, filters),
                )
            )
        for figure in figures:
            figure.grid.suppress(threshold)
    return {"area": area, "figures": figures, "threshold": threshold, "refresh": Refresh.objects.first()}


PATHWAY_VERSION_KEY = "partners:pathway-version"
PATHWAY_KEY = "partners:pathway:v1:{version}:{organisation}"
PATHWAY_CACHE_SECONDS = 600


def _pathway_from_database(organisation_id: int) -> list[dict]:
    contacts = Prefetch("pathway_contacts", queryset=PathwayContact.objects.order_by("kind", "name", "pk"))
    partnerships = Partnership.objects.filter(member_organisations=organisation_id).prefetch_related(contacts)
    found = []
    for partnership in partnerships.order_by("name"):
        entries = [
            {
                "kind": contact.get_kind_display(),
                "name": contact.name,
                "organisation": contact.organisation,
                "phone": contact.phone,
                "email": contact.email,
                "notes": contact.notes,
            }
            for contact in partnership.pathway_contacts.all()
        ]
        if partnership.pathway_introduction or entries:
            found.append(
                {
                    "pk": partnership.pk,
                    "name": partnership.name,
                    "introduction": partnership.pathway_introduction,
                    "contacts": entries,
                }
            )
    return found


def pathway_for_organisation(organisation_id: int | None) -> list[dict]:
    """The local pathways of the partnerships an organisation is a member of (those with something to say), as
    plain data. Read on every start of a referral, so cached (no query when warm); any change of a partnership,
    its members or its contacts forgets every organisation's (partners.notices)."""
    if organisation_id is None:
        return []
    version = cache.get(PATHWAY_VERSION_KEY) or 0
    key = PATHWAY_KEY.format(version=version, organisation=organisation_id)
    found = cache.get(key)
    if found is None:
        found = _pathway_from_database(organisation_id)
        cache.set(key, found, PATHWAY_CACHE_SECONDS)
    return found


def forget_pathways() -> None:
    """A new version: every organisation's cached pathway is read again (the old keys expire). Again after the
    commit, as a page may read the old rows between the write and its commit and cache them under the new one."""

    def bump() -> None:
        cache.set(PATHWAY_VERSION_KEY, time.time_ns(), None)

    bump()
    transaction.on_commit(bump)
