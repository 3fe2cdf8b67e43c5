"""A row of the queue's list: the case's few columns the list shows, with its deadline in words."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

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
    "opened_at",
    "assignee__full_name",
    "assignee__email",
)


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

    @classmethod
    def of(cls, case: Case, now: datetime, *, panel_review: PanelWork | None = None) -> QueueRow:
        deadline = case.next_deadline_at
        days = (timezone.localtime(deadline).date() - timezone.localtime(now).date()).days if deadline else 0
        return cls(
            case=case,
            exploitation=[EXPLOITATION_GROUP_LABELS.get(code, code) for code in case.exploitation_types],
            deadline=deadline,
            deadline_label=case.get_next_deadline_kind_display() if deadline else "",
            days=days,
            overdue=deadline is not None and deadline < now,
            panel_review=panel_review,
        )

    @property
    def days_label(self) -> str:
        if self.deadline is None:
            return ""
        if self.days == 0:
            return "Due today"
        if self.days > 0:
            return f"{self.days} day{'s' if self.days != 1 else ''} left"
        return f"{-self.days} day{'s' if self.days != -1 else ''} overdue"
