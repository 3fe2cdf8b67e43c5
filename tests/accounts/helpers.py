import re

from django.core import mail


def last_emailed_code() -> str:
    """The one-time code in the most recent email (allauth's codes look like ABC-DEF or 6 characters)."""
    body = mail.outbox[-1].body
    match = re.search(r"^\s*([A-Z0-9]{3,4}-?[A-Z0-9]{3,4})\s*$", body, re.MULTILINE)
    assert match, body
    return match.group(1)
