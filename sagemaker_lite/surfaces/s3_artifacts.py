"""The artifact store ``mock_sagemaker()`` installs: S3 through a boto3 client.

Reads and writes go through an ordinary boto3 S3 client, guarded like every
client made inside a mock (:mod:`.network_guard`): moto's ``mock_aws()``
serves them when it is active; otherwise the guard refuses them, and the store
answers None ("no S3 served"), so jobs behave as without S3.  Never moto's
internals, never an S3 of our own.
"""

from __future__ import annotations

import sys
import threading
from typing import Any

from sagemaker_lite.families.shared.artifacts import split_uri
from sagemaker_lite.surfaces import network_guard

__all__ = ["S3Artifacts"]


def _unsendable() -> tuple[type[Exception], ...]:
    """What botocore raises for a request it cannot build: the object it names does
    not exist (a key with a lone surrogate, a bucket name S3's rules refuse)."""
    from botocore.exceptions import ParamValidationError

    return (UnicodeError, ParamValidationError)


class S3Artifacts:
    """An :class:`~sagemaker_lite.engine.artifacts.ArtifactStore` over boto3's S3 client."""

    def __init__(self) -> None:
        self._clients: dict[str, Any] = {}
        self._lock = threading.Lock()

    def _client(self, region: str) -> Any | None:
        # Only moto serves S3 in the process: while it is not even imported, nothing
        # can (our own client has no stub), so skip making a client and a refused call.
        if "moto" not in sys.modules:
            return None
        with self._lock:
            client = self._clients.get(region)
            if client is None:
                import boto3

                client = boto3.session.Session().client("s3", region_name=region)
                network_guard.guard(client)
                self._clients[region] = client
            return client

    @staticmethod
    def _serves(client: Any) -> bool:
        # Whether S3 is served, for a request botocore could not build (see _unsendable).
        try:
            client.list_buckets()
        except network_guard.RequestRefused:
            return False
        return True

    def has_objects(self, uri: str, region: str) -> bool | None:
        """Whether some object's key starts with ``uri``'s (None: no S3 served)."""
        client = self._client(region)
        if client is None:
            return None
        bucket, key = split_uri(uri)
        try:
            answer = client.list_objects_v2(Bucket=bucket, Prefix=key, MaxKeys=1)
        except network_guard.RequestRefused:
            return None
        except client.exceptions.NoSuchBucket:
            return False
        except _unsendable():
            return False if self._serves(client) else None
        return bool(answer.get("KeyCount"))

    def keys(self, uri: str, region: str) -> list[str] | None:
        """Every key under ``uri``, in key order (None: no S3 served)."""
        client = self._client(region)
        if client is None:
            return None
        bucket, prefix = split_uri(uri)
        found: list[str] = []
        try:
            for page in client.get_paginator("list_objects_v2").paginate(
                Bucket=bucket, Prefix=prefix
            ):
                found.extend(item["Key"] for item in page.get("Contents", ()))
        except network_guard.RequestRefused:
            return None
        except client.exceptions.NoSuchBucket:
            return []
        except _unsendable():
            return [] if self._serves(client) else None
        return found

    def get(self, uri: str, region: str) -> bytes | None:
        """One object's body (None: missing, or no S3 served)."""
        client = self._client(region)
        if client is None:
            return None
        bucket, key = split_uri(uri)
        from botocore.exceptions import ClientError

        try:
            body: bytes = client.get_object(Bucket=bucket, Key=key)["Body"].read()
        except (network_guard.RequestRefused, ClientError, *_unsendable()):
            return None
        return body

    def fetch(
        self, uri: str, region: str, version_id: str | None = None
    ) -> tuple[bool, bytes | None]:
        """Whether S3 is served, and the body of the object (version) at ``uri``."""
        client = self._client(region)
        if client is None:
            return False, None
        bucket, key = split_uri(uri)
        from botocore.exceptions import ClientError

        version = {"VersionId": version_id} if version_id is not None else {}
        try:
            body: bytes = client.get_object(Bucket=bucket, Key=key, **version)["Body"].read()
        except network_guard.RequestRefused:
            return False, None
        except ClientError:
            return True, None
        except _unsendable():
            return self._serves(client), None
        return True, body

    def put(self, uri: str, body: bytes, region: str) -> bool | None:
        """Write ``body`` at ``uri``; False when S3 refuses it, None when none is served."""
        client = self._client(region)
        if client is None:
            return None
        bucket, key = split_uri(uri)
        from botocore.exceptions import ClientError

        try:
            client.put_object(Bucket=bucket, Key=key, Body=body)
        except network_guard.RequestRefused:
            return None
        except (ClientError, *_unsendable()):
            return False
        return True
