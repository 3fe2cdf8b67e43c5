from casework.models.case import (
    IECA_NAME,
    IECA_SHORT_NAME,
    SCA_NAME,
    SCA_SHORT_NAME,
    AccessLogEntry,
    Case,
    CaseEvent,
    CaseNote,
)
from casework.models.policy import (
    DEFAULT_RECOVERY_DAYS,
    OverdueEscalation,
    Policy,
    PolicyMissing,
    PolicyOverridden,
    ReviewRoute,
)
from casework.models.support import (
    RecoveryNeed,
    SupportEndReason,
    SupportExtension,
    SupportExtensionReason,
    SupportRecord,
)
from casework.models.work import CaseFile, Decision, InformationRequest, Letter, PanelResponse, Reconsideration

__all__ = [
    "DEFAULT_RECOVERY_DAYS",
    "IECA_NAME",
    "IECA_SHORT_NAME",
    "SCA_NAME",
    "SCA_SHORT_NAME",
    "AccessLogEntry",
    "Case",
    "CaseEvent",
    "CaseFile",
    "CaseNote",
    "Decision",
    "InformationRequest",
    "Letter",
    "OverdueEscalation",
    "PanelResponse",
    "Policy",
    "PolicyMissing",
    "PolicyOverridden",
    "Reconsideration",
    "RecoveryNeed",
    "ReviewRoute",
    "SupportEndReason",
    "SupportExtension",
    "SupportExtensionReason",
    "SupportRecord",
]
