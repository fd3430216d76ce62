"""Public path of snapshots' error (snapshots live in :mod:`sagemaker_lite.engine.snapshot`)."""

from sagemaker_lite.engine.snapshot import SnapshotError

__all__ = ["SnapshotError"]
