from referrals.services.drafts import (
    DraftChangedElsewhere,
    draft_create,
    draft_delete,
    draft_save_page,
)
from referrals.services.evidence import EvidenceRejected, evidence_add, evidence_remove
from referrals.services.hygiene import drafts_delete_expired, drafts_delete_unanswered, drafts_warn_expiring
from referrals.services.submission import ReferralIncomplete, referral_feedback_give, referral_submit

__all__ = [
    "DraftChangedElsewhere",
    "EvidenceRejected",
    "ReferralIncomplete",
    "draft_create",
    "draft_delete",
    "draft_save_page",
    "drafts_delete_expired",
    "drafts_delete_unanswered",
    "drafts_warn_expiring",
    "evidence_add",
    "evidence_remove",
    "referral_feedback_give",
    "referral_submit",
]
