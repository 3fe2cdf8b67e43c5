"""Who may see which statistics (design.md, roles): an analyst sees every table for the whole service; a manager
of a competent authority sees their authority's figures (its NRM referrals and decisions; Duty to Notify reports
belong to no authority, so not those) and its operational dashboard; anyone else gets a 404."""

from dataclasses import dataclass

from django.http import Http404

from accounts.models import User
from accounts.roles import Role
from casework.rules import is_authority_member
from insights.tables import TABLES, Table


@dataclass(frozen=True)
class Viewer:
    user: User
    # None: the whole service (an analyst). A manager's figures are always their authority's.
    authority_id: int | None

    @property
    def is_analyst(self) -> bool:
        return self.authority_id is None

    @property
    def tables(self) -> tuple[Table, ...]:
        if self.is_analyst:
            return TABLES
        return tuple(table for table in TABLES if table.source.has_authority)

    def table(self, key: str) -> Table:
        """The table with that key if this viewer may see it; a 404 otherwise."""
        for table in self.tables:
            if table.key == key:
                return table
        raise Http404


def _is_active_manager(user: User) -> bool:
    return is_authority_member(user) and user.role == Role.MANAGER


def statistics_viewer(user: User) -> Viewer:
    """Statistics: analysts and authority managers. A 404 for everyone else."""
    if user.is_authenticated and user.is_active and user.role == Role.ANALYST:
        return Viewer(user=user, authority_id=None)
    if _is_active_manager(user):
        return Viewer(user=user, authority_id=user.organisation_id)
    raise Http404


def analyst_viewer(user: User) -> Viewer:
    """The research extract and the service's own measures: analysts only."""
    viewer = statistics_viewer(user)
    if not viewer.is_analyst:
        raise Http404
    return viewer


def manager_viewer(user: User) -> Viewer:
    """The operational dashboard: an authority's managers, for their authority."""
    if not _is_active_manager(user):
        raise Http404
    return Viewer(user=user, authority_id=user.organisation_id)
