"""Semantic rules the service applies after schema validation, one module per job family."""
