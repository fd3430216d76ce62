"""Models (CreateModel and its kin)."""
