"""Service handlers, one module per job family: ``handler(world, request) -> response``."""
