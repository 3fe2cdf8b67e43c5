"""What is waiting for the signed-in user, shown at the top of their landing page (templates/includes/waiting.html).

Each app counts its own work in its scoped selectors and hands the page a list of `Waiting` items: this module
only says how an item reads, so every landing page words its work the same way."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Waiting:
    """One kind of work waiting for the user: how many, what (singular and plural), where to find it, and how
    many of them are overdue (marked with a red tag)."""

    key: str  # stable, for tests and the page's data-testid
    count: int
    singular: str  # "information request to answer"
    plural: str  # "information requests to answer"
    href: str
    overdue: int = 0

    @property
    def text(self) -> str:
        return f"{self.count:,} {self.singular if self.count == 1 else self.plural}"


def waiting_items(*items: Waiting) -> list[Waiting]:
    """The items with something in them, in the order given (the most pressing first)."""
    return [item for item in items if item.count]
