"""Choices of a question's field made once per process, in the form Django's fields and widgets keep them.

A ChoiceField normalises the choices it is given (and its widget does so again): walking every pair of a
reference list of hundreds of names on each page was most of a question page's time. A BaseChoiceIterator is
left as it is by normalize_choices, so pairs already normalised are wrapped in one, and the same object serves
every page built while the list is unchanged (never copied: it cannot change).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.utils.choices import BaseChoiceIterator


class FixedChoices(BaseChoiceIterator):
    """(value, label) pairs of plain strings, never changed after they are made."""

    __slots__ = ("pairs",)

    def __init__(self, pairs: Iterable[tuple[str, str]]):
        self.pairs = tuple(pairs)

    def __iter__(self):
        return iter(self.pairs)

    def __len__(self) -> int:
        return len(self.pairs)

    def __bool__(self) -> bool:
        return bool(self.pairs)

    def __getitem__(self, index):
        return self.pairs[index]

    def __eq__(self, other):
        if other is self:
            return True
        if isinstance(other, FixedChoices):
            return self.pairs == other.pairs
        return super().__eq__(other)

    def __copy__(self) -> FixedChoices:
        return self

    def __deepcopy__(self, memo) -> FixedChoices:
        return self

    def __repr__(self) -> str:
        return f"FixedChoices({len(self.pairs)} pairs)"
