"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read in one statement written once.

Every signed-in request loads its session. Django's `db` engine reads it with
`Session.objects.get(session_key=..., expire_date__gt=now)`, and building that query through the ORM cost four
times what PostgreSQL took to answer it (about 0.5 ms against 0.1 ms, docs/adr/0034). This store reads the same row
with the same condition in SQL written once; creating, saving, cycling and deleting a session are Django's own."""

from functools import cache

from django.contrib.sessions.backends import db
from django.db import connections, router
from django.utils import timezone


@cache
def _load_sql(alias: str, table: str) -> str:
    quote = connections[alias].ops.quote_name
    # The table from the model's metadata, the columns Django's Session model's own, quoted; key and time are
    # parameters.
    return (
        f"SELECT {quote('session_data')} FROM {quote(table)} "  # noqa: S608
        f"WHERE {quote('session_key')} = %s AND {quote('expire_date')} > %s"
    )


class SessionStore(db.SessionStore):
    def load(self) -> dict:
        """The session's data, or {} (and no key, so that a new one is made) when it has expired or never was:
        as Django's `load`."""
        model = self.model
        alias = router.db_for_read(model)
        with connections[alias].cursor() as cursor:
            cursor.execute(_load_sql(alias, model._meta.db_table), [self.session_key, timezone.now()])
            row = cursor.fetchone()
        if row is None:
            self._session_key = None
            return {}
        return self.decode(row[0])
