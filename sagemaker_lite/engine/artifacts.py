"""Where jobs read their inputs and leave their artifacts: a store the surface installs.

The engine and the families never import an S3 client.  A surface that serves
S3 in the process (``mock_sagemaker()`` with moto's ``mock_aws()`` stacked)
installs an :class:`ArtifactStore` as ``emulator.artifacts``; families look
inputs up and write artifacts through it at job events, in virtual time.  With
no store, or a store that answers None (no S3 served), jobs behave as they did
before S3 existed: no artifacts, no input checks.
"""

from __future__ import annotations

from typing import Protocol


class ArtifactStore(Protocol):
    """S3 as the jobs of one emulator see it (``uri``: ``s3://bucket/key``)."""

    def has_objects(self, uri: str, region: str) -> bool | None:
        """Whether any object's key starts with ``uri``'s key (None: no S3 served)."""

    def keys(self, uri: str, region: str) -> list[str] | None:
        """The keys of every object under ``uri``, in key order (None: no S3 served)."""

    def get(self, uri: str, region: str) -> bytes | None:
        """One object's body (None: missing, or no S3 served)."""

    def fetch(
        self, uri: str, region: str, version_id: str | None = None
    ) -> tuple[bool, bytes | None]:
        """Whether S3 is served, and one object's body (of ``version_id``, else the
        latest; None when the bucket, key or version does not exist)."""

    def put(self, uri: str, body: bytes, region: str) -> bool | None:
        """Write one object; True when written, False when S3 refused it (no such
        bucket...), None when no S3 is served."""
