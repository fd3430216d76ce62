"""Compilation (Neo) jobs: the service, its rules and the Neo target tables."""
