"""What a partner API client may read of its organisation's referrals: the same scope as the web first responder's
(referrals.selectors.referrals_for, casework.selectors.cases_referred_by and letters_for, for the client's service
user), and the changes feed built from partners.events.

Every read returns querysets or plain data; the views turn them into JSON."""

import base64
import binascii
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import DateTimeField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from casework.models import CaseEvent, Decision, Letter
from casework.selectors import cases_referred_by, letters_for
from partners.events import PUBLIC_CASE_EVENTS, PublicChange, case_event_change, referral_sent_change
from partners.models import ApiClient
from referrals.models import Referral
from referrals.selectors import referrals_for


def _last_public_change() -> Subquery:
    """When the referral last changed as its organisation sees it (its sending, or its newest public case event)."""
    newest_event = (
        CaseEvent.objects.filter(PUBLIC_CASE_EVENTS, case__referral=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("created_at")[:1]
    )
    return Greatest("submitted_at", Coalesce(Subquery(newest_event), "submitted_at"), output_field=DateTimeField())


def referrals_of_client(*, client: ApiClient, updated_since: datetime | None = None) -> QuerySet[Referral]:
    """The organisation's referrals (both routes), each with its case and `updated_at` (its last public change)."""
    referrals = referrals_for(user=client.user).select_related("case").annotate(updated_at=_last_public_change())
    if updated_since is not None:
        referrals = referrals.filter(updated_at__gte=updated_since)
    return referrals


def referral_of_client(*, client: ApiClient, reference: str) -> Referral | None:
    """One referral of the organisation by its reference, or None (another organisation's is None too)."""
    return referrals_of_client(client=client).filter(reference=reference).first()


def letters_of_referral(*, client: ApiClient, referral: Referral) -> QuerySet[Letter]:
    """The letters of the referral's served decisions that the client may download, oldest first."""
    return (
        letters_for(user=client.user)
        .filter(decision__case__referral=referral, decision__state=Decision.State.SERVED)
        .order_by("decision__served_at", "pk")
    )


# --- The changes feed ----------------------------------------------------------------------------------------


class InvalidCursor(ValueError):
    """A cursor this feed did not give out."""


@dataclass(frozen=True, order=True)
class Position:
    """Where a change is in the feed: by time, then a sending before a case event of the same instant, then id.
    The cursor a client holds is this position, encoded; it means nothing to the client."""

    occurred_at: datetime
    source: int  # 0: a referral's sending, 1: a case event
    pk: int

    def encode(self) -> str:
        raw = json.dumps([self.occurred_at.isoformat(), self.source, self.pk], separators=(",", ":"))
        return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")

    @classmethod
    def decode(cls, cursor: str) -> "Position":
        try:
            raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
            when, source, pk = json.loads(raw)
            occurred_at = parse_datetime(when)
            if occurred_at is None or occurred_at.tzinfo is None or source not in (0, 1):
                raise ValueError(cursor)
            if not isinstance(pk, int) or isinstance(pk, bool) or not 0 <= pk < 2**63:
                raise ValueError(cursor)
        except (ValueError, TypeError, binascii.Error, UnicodeDecodeError) as error:
            raise InvalidCursor(cursor) from error
        return cls(occurred_at, source, pk)


@dataclass(frozen=True)
class ChangesPage:
    changes: tuple[PublicChange, ...]
    cursor: str | None  # the position after the last change given; the same cursor back when there is none
    has_more: bool


def _after(position: Position | None, *, time_field: str, source: int) -> Q:
    if position is None:
        return Q()
    later = Q(**{f"{time_field}__gt": position.occurred_at})
    same_time = Q(**{time_field: position.occurred_at})
    if source > position.source:
        return later | same_time
    if source < position.source:
        return later
    return later | (same_time & Q(pk__gt=position.pk))


def settled_before() -> datetime:
    """Changes are listed once they are a few seconds old (PARTNER_API_CHANGES_SETTLE_SECONDS, 5 by default): a
    change is timed when its transaction writes it, not when it commits, so one committing a moment after a later
    one could otherwise fall behind a cursor already given out and never be listed."""
    return timezone.now() - timedelta(seconds=getattr(settings, "PARTNER_API_CHANGES_SETTLE_SECONDS", 5))


def changes_of_client(*, client: ApiClient, cursor: str | None = None, limit: int = 100) -> ChangesPage:
    """The organisation's referrals' public changes after `cursor` (from the first when None), oldest first, up
    to a few seconds ago (`settled_before`). Two queries whatever the number of referrals and events. Raises
    InvalidCursor for a cursor it did not give."""
    position = Position.decode(cursor) if cursor else None
    until = settled_before()
    sendings = (
        referrals_for(user=client.user)
        .filter(_after(position, time_field="submitted_at", source=0), submitted_at__lte=until)
        .order_by("submitted_at", "pk")[: limit + 1]
    )
    events = (
        CaseEvent.objects.filter(case__in=cases_referred_by(user=client.user).values("pk"))
        .filter(PUBLIC_CASE_EVENTS)
        .filter(_after(position, time_field="created_at", source=1), created_at__lte=until)
        .select_related("case__referral")
        .order_by("created_at", "pk")[: limit + 1]
    )
    found = [(Position(r.submitted_at, 0, r.pk), referral_sent_change(r)) for r in sendings]
    for event in events:
        change = case_event_change(event)
        if change is not None:  # always: the query is the same rule
            found.append((Position(event.created_at, 1, event.pk), change))
    found.sort(key=lambda item: item[0])
    page = found[:limit]
    last = page[-1][0].encode() if page else cursor
    return ChangesPage(changes=tuple(change for _, change in page), cursor=last, has_more=len(found) > limit)
