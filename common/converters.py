"""The one URL converter for case and referral references (NRM-2026-004217, DTN-2026-000812).

A reference in a URL matches this shape or the URL matches no pattern at all: a 404 before any view runs, so
nothing else (a NUL byte, which PostgreSQL refuses in text; a huge string; a path) reaches a query. Registered
once, as "reference", when the project starts (common.apps).
"""

import re

REFERENCE_REGEX = r"(?:NRM|DTN)-[0-9]{4}-[0-9]{6,9}"
REFERENCE_PATTERN = re.compile(REFERENCE_REGEX)


def is_reference(text: str) -> bool:
    """Whether `text` is exactly a case or referral reference (so a link to it can be made)."""
    return isinstance(text, str) and REFERENCE_PATTERN.fullmatch(text) is not None


class ReferenceConverter:
    regex = REFERENCE_REGEX

    def to_python(self, value: str) -> str:
        return value

    def to_url(self, value: str) -> str:
        return value
