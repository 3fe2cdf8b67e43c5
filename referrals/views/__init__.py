"""Referral views, one module per capability: drafts (task list, question pages, check, delete), evidence,
submission (send, confirmation, PDF copy, prompt sheet, feedback) and lists (the organisation's referrals and a
referral's page)."""
