"""Every write of privacy: the retention job and subject access exports."""

from privacy.services.retention import RetentionOutcome, retention_apply
from privacy.services.subject_access import (
    EXPORT_ROLES,
    ExportNotPermitted,
    SubjectAccessZip,
    SubjectNotFound,
    subject_access_export,
)

__all__ = [
    "EXPORT_ROLES",
    "ExportNotPermitted",
    "RetentionOutcome",
    "SubjectAccessZip",
    "SubjectNotFound",
    "retention_apply",
    "subject_access_export",
]
