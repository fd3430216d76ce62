"""Hyperparameter tuning jobs: the service, its rules, and the search strategies."""
