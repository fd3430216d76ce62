"""The model registry: model package groups and model packages."""
