"""The shipped constraint model: SageMaker's shapes, reduced to the facts we validate.

``sagemaker.json`` is generated from botocore's service model by
``python -m sagemaker_lite.contract.spec refresh`` and holds, for the operations in
:data:`sagemaker_lite.contract.operations.SPEC_OPERATIONS`, every reachable shape with
its type and constraints (``min``, ``max``, ``pattern``, ``enum``,
``required``, list member, map key/value) and no documentation.  Structure
members and enum values are kept as lists because their order is meaningful
(botocore reports members in model order).  botocore is needed only to
regenerate the file, never at runtime.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

MODEL_PATH = Path(__file__).with_name("sagemaker.json")

#: Shape keys copied verbatim (constraints and structural facts).
_SCALAR_KEYS = ("min", "max", "pattern", "enum", "required", "exception", "union", "document")
#: Shape keys that reference another shape (``{"shape": name}`` in botocore).
_REF_KEYS = ("member", "key", "value")

Model = dict[str, Any]


def _reduce_shape(shape: Mapping[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {"type": shape["type"]}
    for key in _SCALAR_KEYS:
        if key in shape:
            out[key] = shape[key]
    for key in _REF_KEYS:
        if key in shape:
            out[key] = shape[key]["shape"]
    if "members" in shape:
        out["members"] = [[name, ref["shape"]] for name, ref in shape["members"].items()]
        # Members boto3 fills with a fresh uuid4 when the caller leaves them out.
        tokens = [name for name, ref in shape["members"].items() if ref.get("idempotencyToken")]
        if tokens:
            out["idempotency"] = tokens
    return out


def _referenced(shape: Mapping[str, Any]) -> Iterable[str]:
    for key in _REF_KEYS:
        if key in shape:
            yield shape[key]["shape"]
    for ref in shape.get("members", {}).values():
        yield ref["shape"]


def build_model(service: Mapping[str, Any], operations: Iterable[str]) -> Model:
    """Reduce a botocore ``service-2.json`` document to the model of ``operations``."""
    all_shapes: Mapping[str, Any] = service["shapes"]
    ops: dict[str, Any] = {}
    pending: list[str] = []
    for name in operations:
        op = service["operations"][name]
        entry: dict[str, Any] = {"errors": [e["shape"] for e in op.get("errors", [])]}
        for key in ("input", "output"):
            if key in op:
                entry[key] = op[key]["shape"]
                pending.append(op[key]["shape"])
        pending.extend(entry["errors"])
        ops[name] = entry
    shapes: dict[str, Any] = {}
    while pending:
        name = pending.pop()
        if name in shapes:
            continue
        shapes[name] = _reduce_shape(all_shapes[name])
        pending.extend(_referenced(all_shapes[name]))
    return {
        "apiVersion": service["metadata"]["apiVersion"],
        "operations": ops,
        "shapes": shapes,
    }


def render(model: Model) -> str:
    """Deterministic, compact JSON text of ``model`` (stable diffs)."""
    return json.dumps(model, sort_keys=True, separators=(",", ":"), ensure_ascii=False) + "\n"


def generate() -> str:
    """The model text the installed botocore yields (needs botocore)."""
    import botocore.session

    from sagemaker_lite.contract.operations import SPEC_OPERATIONS

    loader = botocore.session.get_session().get_component("data_loader")
    service = loader.load_service_model("sagemaker", "service-2")
    return render(build_model(service, SPEC_OPERATIONS))


# The early tuning API (describe_tuning_job, seed 002) is in no botocore model:
# its shapes are kept here by hand, reusing the current model's leaf shapes.
_S = "structure"
LEGACY: Model = {
    "operations": {
        "DescribeTuningJob": {
            "input": "DescribeTuningJobRequest",
            "output": "DescribeTuningJobResponse",
            "errors": ["ResourceNotFound"],
        }
    },
    "shapes": {
        "DescribeTuningJobRequest": {
            "type": _S,
            "required": ["TuningJobName"],
            "members": [
                ["TuningJobName", "HyperParameterTuningJobName"],
                ["AwsAccountId", "LegacyAccountId"],
            ],
        },
        "LegacyAccountId": {"type": "string", "pattern": "[0-9]{12}"},
        "LegacyInteger": {"type": "integer"},
        "LegacyRangeType": {"type": "string", "enum": ["Integer", "Continuous", "Categorical"]},
        "DescribeTuningJobResponse": {
            "type": _S,
            "members": [
                ["BestTrainingJob", "LegacyBestTrainingJob"],
                ["MetricDefinitions", "MetricDefinitionList"],
                ["ParameterRanges", "LegacyParameterRanges"],
                ["ResourcesStats", "LegacyResourcesStats"],
                ["Strategy", "HyperParameterTuningJobStrategyType"],
                ["TuningJobName", "HyperParameterTuningJobName"],
                ["TuningJobStartTime", "Timestamp"],
                ["TuningJobEndTime", "Timestamp"],
                ["TuningJobStatus", "HyperParameterTuningJobStatus"],
                ["FailureReason", "FailureReason"],
            ],
        },
        "LegacyBestTrainingJob": {
            "type": _S,
            "members": [
                ["FinalTuningJobObjectiveMetric", "LegacyObjectiveMetric"],
                ["HyperParameters", "HyperParameters"],
                ["RetriedAttempt", "LegacyInteger"],
                ["TrainingJobName", "TrainingJobName"],
                ["TrainingJobStatus", "TrainingJobStatus"],
            ],
        },
        "LegacyObjectiveMetric": {
            "type": _S,
            "members": [["MetricName", "MetricName"], ["Value", "MetricValue"]],
        },
        "LegacyParameterRanges": {
            "type": _S,
            "members": [
                [kind, "LegacyRangeList"]
                for kind in (
                    "CategoricalParameterRanges",
                    "ContinuousParameterRanges",
                    "IntegerParameterRanges",
                )
            ],
        },
        "LegacyRangeList": {"type": "list", "member": "LegacyRange"},
        "LegacyRange": {
            "type": _S,
            "members": [
                ["Name", "ParameterValue"],
                ["Type", "LegacyRangeType"],
                ["MinValue", "ParameterValue"],
                ["MaxValue", "ParameterValue"],
                ["ScalingType", "HyperParameterScalingType"],
                ["Values", "ParameterValues"],
            ],
        },
        "LegacyResourcesStats": {
            "type": _S,
            "members": [["ConsumedResources", "LegacyConsumedResources"]],
        },
        "LegacyConsumedResources": {
            "type": _S,
            "members": [
                ["ComputeHours", "LegacyComputeHours"],
                ["Jobs", "LegacyJobs"],
                ["ResourceLimits", "LegacyResourceLimits"],
            ],
        },
        "LegacyComputeHours": {
            "type": _S,
            "members": [["Finished", "LegacyInteger"], ["InFlight", "LegacyInteger"]],
        },
        "LegacyJobs": {
            "type": _S,
            "members": [
                [k, "LegacyInteger"] for k in ("Completed", "Failed", "Pending", "Running")
            ],
        },
        "LegacyResourceLimits": {
            "type": _S,
            "members": [
                [k, "LegacyInteger"]
                for k in (
                    "MaxClockTimeInHours",
                    "MaxNumberOfTrainingJobs",
                    "MaxParallelTrainingJobs",
                )
            ],
        },
    },
}


@functools.cache
def load_model() -> Model:
    """The shipped model plus the legacy operation's shapes (parsed once per process)."""
    with MODEL_PATH.open(encoding="utf-8") as fh:
        model: Model = json.load(fh)
    model["operations"].update(LEGACY["operations"])
    model["shapes"].update(LEGACY["shapes"])
    return model


def shape(name: str) -> dict[str, Any]:
    """One shape of the shipped model by name."""
    found: dict[str, Any] = load_model()["shapes"][name]
    return found


def operation(name: str) -> dict[str, Any]:
    """One operation's entry (``input``, ``output``, ``errors``) of the shipped model."""
    found: dict[str, Any] = load_model()["operations"][name]
    return found


__all__ = [
    "LEGACY",
    "MODEL_PATH",
    "build_model",
    "generate",
    "load_model",
    "operation",
    "render",
    "shape",
]
