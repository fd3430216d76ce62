"""Semantic rules of CreateTransformJob that need no stored resources.

The model named must exist too; that needs the world, so the service checks it.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import validation_error

#: What the API reference says SageMaker uses where a request leaves these out
#: (MaxConcurrentTransforms: 1 when the container serves no execution-parameters,
#: which no emulated container does).
DEFAULT_MAX_PAYLOAD_MB = 6
DEFAULT_MAX_CONCURRENT_TRANSFORMS = 1


def check_create_transform_job(request: Mapping[str, Any]) -> None:
    """Raise AWS's ValidationException for a payload limit the API reference forbids."""
    payload = request.get("MaxPayloadInMB")
    limit = messages.MAX_TRANSFORM_PAYLOAD_MB
    if payload is not None and payload > limit:
        raise validation_error(messages.transform_payload_too_large(payload))
    concurrent = request.get("MaxConcurrentTransforms")
    # The reference bounds the product of the two as given: with no MaxPayloadInMB
    # there is no evidence AWS refuses it (issue 24.7), so it is accepted.
    if concurrent and payload is not None and concurrent * payload > limit:
        raise validation_error(messages.transform_concurrency_too_large(concurrent, payload))
