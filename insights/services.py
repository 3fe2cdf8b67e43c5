"""Every write of insights: the export log. (The fact tables are rebuilt by `insights.refresh`.)"""

from django.db import transaction

from accounts.models import User
from insights.models import ExportLogEntry


@transaction.atomic
def export_record(
    *, user: User, what: str, file_format: str, filters: dict, suppressed: bool, rows: int
) -> ExportLogEntry:
    """Records who downloaded which statistics, in which format, with which filters (never a person: a table's
    key or "research-extract", and the filters in codes and dates)."""
    return ExportLogEntry.objects.create(
        user=user, what=what, file_format=file_format, filters=filters, suppressed=suppressed, rows=rows
    )
