"""A row of the queue's list: the case's few columns the list shows, with its deadline in words."""

from __future__ import annotations

import functools
from dataclasses import dataclass
from datetime import datetime

from django.utils import dateformat, timezone

from casework.models import Case
from casework.panel_port import PanelWork
from referrals.questions.definition import EXPLOITATION_GROUP_LABELS

ROW_FIELDS = (
    "reference",
    "status",
    "is_child",
    "nation",
    "exploitation_types",
    "next_deadline_at",
    "next_deadline_kind",
    "assignee__full_name",
    "assignee__email",
)


@functools.cache
def _labels(field: str) -> dict[str, str]:
    """A choice column's labels, as get_FOO_display() shows them: it makes this dict on every call."""
    return {value: str(label) for value, label in Case._meta.get_field(field).flatchoices}


@dataclass(frozen=True)
class QueueRow:
    case: Case
    exploitation: list[str]
    deadline: datetime | None
    deadline_label: str
    days: int  # days left (negative: overdue); 0 when due today or there is no deadline
    overdue: bool
    # The "Under review" tab's: the panel reviewing the decision, or None for the second-reviewer route.
    panel_review: PanelWork | None = None

    # The deadline as the markup writes it (what {{ deadline|date:"c" }} and {{ deadline|date:"j M Y" }} wrote).
    deadline_iso: str = ""
    deadline_date: str = ""

    @classmethod
    def of(cls, case: Case, now: datetime, *, panel_review: PanelWork | None = None) -> QueueRow:
        deadline = case.next_deadline_at
        local = timezone.localtime(deadline) if deadline else None
        days = (local.date() - timezone.localtime(now).date()).days if local else 0
        return cls(
            case=case,
            exploitation=[EXPLOITATION_GROUP_LABELS.get(code, code) for code in case.exploitation_types],
            deadline=deadline,
            deadline_label=_labels("next_deadline_kind").get(case.next_deadline_kind, case.next_deadline_kind)
            if deadline
            else "",
            days=days,
            overdue=deadline is not None and deadline < now,
            panel_review=panel_review,
            deadline_iso=local.isoformat() if local else "",
            deadline_date=dateformat.format(local, "j M Y") if local else "",
        )

    # What the list's markup shows of the case, each one attribute away (a template lookup each).
    @property
    def reference(self) -> str:
        return self.case.reference

    @property
    def href(self) -> str:
        return self.case.get_absolute_url()

    @property
    def is_child(self) -> bool:
        return self.case.is_child

    @property
    def nation_label(self) -> str:
        return _labels("nation").get(self.case.nation, self.case.nation)

    @property
    def status_label(self) -> str:
        return _labels("status").get(self.case.status, self.case.status)

    @property
    def assignee_name(self) -> str | None:
        """Their name, else their email; None when the case is unassigned."""
        assignee = self.case.assignee
        return None if assignee is None else assignee.full_name or assignee.email

    @property
    def exploitation_label(self) -> str:
        return ", ".join(self.exploitation) or "Not specified"

    @property
    def days_label(self) -> str:
        if self.deadline is None:
            return ""
        if self.days == 0:
            return "Due today"
        if self.days > 0:
            return f"{self.days} day{'s' if self.days != 1 else ''} left"
        return f"{-self.days} day{'s' if self.days != -1 else ''} overdue"
