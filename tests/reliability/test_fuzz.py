"""Reliability: 10,000+ hostile requests across every operation.

Every outcome is a response or a documented API error: botocore's
``ParamValidationError`` or a ``ClientError`` whose code the operation can
answer (its modeled errors, ``ValidationException``, or the JSON protocol's
``SerializationException``).  Never another exception, except the very one
botocore itself raises before sending the same parameters (an int too long
to print, one too large for a float member): boto3 users get that too.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError, ParamValidationError
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.contract.spec import load_model

from .hostile import botocore_agrees, hostile_requests

EXAMPLES_PER_OPERATION = 500
#: Codes any operation may answer besides its modeled errors.
COMMON_CODES = frozenset({"ValidationException", "SerializationException"})
#: Codes AWS answers beyond the model, each recorded in docs/fidelity.md.
DOCUMENTED_EXTRAS = {
    # "Hyperparameter tuning jobs": Delete of a missing job answers ResourceNotFound.
    "DeleteHyperParameterTuningJob": frozenset({"ResourceNotFound"}),
}


def allowed_codes(operation: str) -> frozenset[str]:
    """The error codes ``operation`` can answer."""
    modeled = set(load_model()["operations"][operation]["errors"])
    return COMMON_CODES | modeled | DOCUMENTED_EXTRAS.get(operation, frozenset())


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_hostile_requests_get_a_response_or_an_api_error(operation: str) -> None:
    """No hostile request escapes as anything but a response or a documented error."""
    client = sagemaker_lite.client()
    codes = allowed_codes(operation)

    @settings(
        max_examples=EXAMPLES_PER_OPERATION,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(request=hostile_requests(operation))
    def run(request: dict[str, Any]) -> None:
        try:
            response = client.call(operation, request)
        except ParamValidationError:
            return
        except ClientError as error:
            assert error.response["Error"]["Code"] in codes, error
            assert error.response["Error"]["Message"]
            return
        except Exception as error:
            assert botocore_agrees(operation, request, error), error
            return
        assert isinstance(response, dict) and "ResponseMetadata" in response

    run()
