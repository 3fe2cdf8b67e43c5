from referrals.services.drafts import (
    DraftChangedElsewhere,
    draft_create,
    draft_delete,
    draft_save_page,
)

__all__ = ["DraftChangedElsewhere", "draft_create", "draft_delete", "draft_save_page"]
