"""The partners app's scoped reads, one module per part (issue 14)."""
