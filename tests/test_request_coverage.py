"""valid_requests covers the request space: every member, and the API's bounds.

Over 500 drawn requests per create operation, every top-level member of the
operation's input appears (except those a kind documents as not drawn, with
the reason), and the bounds appear: 50 tags, 20 channels, 100
hyperparameters, 40 metric definitions, names of the maximum length.  Each
drawn request is also accepted by a fresh emulator.  The figures are printed
(``pytest -s``) for the record.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings

import sagemaker_lite
from sagemaker_lite.contract.spec import load_model
from sagemaker_lite.testing import strategies as sms

EXAMPLES = 500


def members(operation: str) -> list[str]:
    """The top-level members of ``operation``'s input."""
    model = load_model()
    shape = model["shapes"][model["operations"][operation]["input"]]
    return [name for name, _ in shape["members"]]


def draw_many(operation: str) -> list[dict[str, Any]]:
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=EXAMPLES,
        database=None,
        derandomize=True,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(sms.valid_requests(operation))
    def collect(request: dict[str, Any]) -> None:
        drawn.append(request)

    collect()
    return drawn


def bounds_reached(operation: str, drawn: list[dict[str, Any]]) -> dict[str, bool]:
    """Which of the API's bounds the drawn requests reach."""
    name_member = sms.REQUEST_KINDS[operation].name_member
    longest = max(len(r[name_member]) for r in drawn)
    model = load_model()
    input_shape = model["shapes"][model["operations"][operation]["input"]]
    name_max = model["shapes"][dict(input_shape["members"])[name_member]]["max"]
    reached = {
        f"{name_member} of {name_max} characters": longest == name_max,
        f"{sms.MAX_TAGS} tags": any(len(r.get("Tags", ())) == sms.MAX_TAGS for r in drawn),
    }
    if operation == "CreateTrainingJob":
        reached[f"{sms.MAX_CHANNELS} channels"] = any(
            len(r.get("InputDataConfig", ())) == sms.MAX_CHANNELS for r in drawn
        )
        reached[f"{sms.MAX_HYPERPARAMETERS} hyperparameters"] = any(
            len(r.get("HyperParameters", {})) == sms.MAX_HYPERPARAMETERS for r in drawn
        )
        reached[f"{sms.MAX_METRIC_DEFINITIONS} metric definitions"] = any(
            len(r["AlgorithmSpecification"].get("MetricDefinitions", ()))
            == sms.MAX_METRIC_DEFINITIONS
            for r in drawn
        )
        reached[f"{sms.MAX_ENVIRONMENT} environment variables"] = any(
            len(r.get("Environment", {})) == sms.MAX_ENVIRONMENT for r in drawn
        )
        reached[f"{sms.MAX_SUBNETS} subnets"] = any(
            len(r.get("VpcConfig", {}).get("Subnets", ())) == sms.MAX_SUBNETS for r in drawn
        )
    if operation == "CreateTransformJob":
        reached[f"{sms.MAX_TRANSFORM_ENVIRONMENT} environment variables"] = any(
            len(r.get("Environment", {})) == sms.MAX_TRANSFORM_ENVIRONMENT for r in drawn
        )
        reached["MaxPayloadInMB of 100"] = any(r.get("MaxPayloadInMB") == 100 for r in drawn)
    if operation == "CreateEndpointConfig":
        reached[f"{sms.MAX_PRODUCTION_VARIANTS} production variants"] = any(
            len(r["ProductionVariants"]) == sms.MAX_PRODUCTION_VARIANTS for r in drawn
        )
        reached["a serverless variant"] = any(
            "ServerlessConfig" in r["ProductionVariants"][0] for r in drawn
        )
    if operation == "CreateHyperParameterTuningJob":
        reached["10 training job definitions"] = any(
            len(r.get("TrainingJobDefinitions", ())) == 10 for r in drawn
        )
    return reached


@pytest.mark.slow
@pytest.mark.parametrize("operation", sms.CREATE_OPERATIONS)
def test_valid_requests_cover_every_member_and_the_bounds(operation: str) -> None:
    drawn = draw_many(operation)
    assert len(drawn) >= EXAMPLES
    seen = Counter(member for request in drawn for member in request)
    expected = [m for m in members(operation) if m not in sms.REQUEST_KINDS[operation].not_drawn]
    missing = [m for m in expected if not seen[m]]
    rarest = min(expected, key=lambda m: seen[m])
    print(
        f"\n{operation}: {len(expected) - len(missing)}/{len(members(operation))} members in "
        f"{len(drawn)} requests (not drawn: {dict(sms.REQUEST_KINDS[operation].not_drawn)}); "
        f"rarest {rarest} in {seen[rarest]}"
    )
    bounds = bounds_reached(operation, drawn)
    print(f"  bounds: {bounds}")
    assert not missing, missing
    assert all(bounds.values()), bounds
    client = sagemaker_lite.client()
    for index, request in enumerate(drawn):
        name = f"job-{index}"
        sms.set_up(client, operation, request)  # what the row says it needs (a model)
        client.call(operation, {**request, sms.REQUEST_KINDS[operation].name_member: name})
