"""Forms of the casework pages, one module per page group."""
