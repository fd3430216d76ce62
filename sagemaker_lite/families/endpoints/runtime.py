"""Real-time inference (the ``sagemaker-runtime`` service): InvokeEndpoint, its streamed
form and InvokeEndpointAsync.

An endpoint that serves (InService, or Updating/RollingBack/SystemUpdating on its
current deployment) routes each request to a production variant, by the variants'
current weights (deterministic: a hash of the emulator's seed, the endpoint and the
request's number) unless ``TargetVariant`` names one, and to one of the variant's
instances in turn.  The variant's model answers through
:mod:`sagemaker_lite.families.shared.inference` (its script, or the default answer).
Every invocation is recorded on the endpoint (``Job.data["invocations"]``), which its
CloudWatch logs and metrics are derived from.

The runtime answers its own errors: ``ValidationError`` (not SageMaker's
``ValidationException``) and ``ModelError`` when the container answered an error.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from sagemaker_lite.contract import messages, patterns
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.contract.validation import aws_path, render_value
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.world import World, partition
from sagemaker_lite.families.endpoints.service import KIND, SERVING
from sagemaker_lite.families.shared import inference

#: HTTP statuses of the runtime's errors (botocore's sagemaker-runtime model).
STATUS = {"ValidationError": 400, "ModelError": 424}
#: The largest Body the model documents (BodyBlob's max: 6 MB)...
MAX_BODY = 6 * 1024 * 1024
#: ... and the HTTP front end's limit, past which it answers 413 before any check: the
#: documented maximum plus 4 KiB, as the 5246976 bytes AWS answered when the documented
#: maximum was 5 MB (docs/fidelity.md, "Real-time inference").
MAX_CONTENT_LENGTH = MAX_BODY + 4096
#: Virtual latencies of a default invocation, microseconds: the container's time (plus
#: one per 128 bytes of request) and SageMaker's own overhead (docs/endpoints.md).
MODEL_LATENCY_US = 1000
OVERHEAD_LATENCY_US = 300
LOG_GROUP_PREFIX = "/aws/sagemaker/Endpoints/"


class RuntimeApiError(ApiError):
    """An error sagemaker-runtime answers: code, message, HTTP status and extra members."""

    def __init__(self, code: str, message: str, **members: Any) -> None:
        super().__init__(code, message)
        self.status = STATUS[code]
        self.members = members


@attrs.frozen
class Constraint:
    """The constraints of one request member, as botocore's model has them."""

    member: str
    min: int | None = None
    max: int | None = None
    pattern: str | None = None
    #: A sensitive member's value is never echoed in a message.
    sensitive: bool = False


def check_request(constraints: Sequence[Constraint], request: Mapping[str, Any]) -> None:
    """The runtime's ValidationError for every member of ``request`` that breaks its
    constraints (in model order; length, range, then pattern, as the service lists them)."""
    violations: list[str] = []
    for constraint in constraints:
        value = request.get(constraint.member)
        if value is None:
            continue
        for text in _broken(constraint, value):
            path = aws_path((constraint.member,))
            if constraint.sensitive:
                violations.append(messages.sensitive_constraint_violation(path, text))
            else:
                violations.append(messages.constraint_violation(render_value(value), path, text))
    if violations:
        raise RuntimeApiError("ValidationError", messages.validation_summary(violations))


def _broken(constraint: Constraint, value: Any) -> list[str]:
    """The texts of the constraints ``value`` breaks."""
    found = []
    sized = isinstance(value, (str, bytes, bytearray))
    if sized:
        size = len(value)
        if constraint.max is not None and size > constraint.max:
            found.append(messages.length_at_most(constraint.max))
        if constraint.min is not None and size < constraint.min:
            found.append(messages.length_at_least(constraint.min))
    elif isinstance(value, int) and not isinstance(value, bool):
        if constraint.max is not None and value > constraint.max:
            found.append(messages.value_at_most(constraint.max))
        if constraint.min is not None and value < constraint.min:
            found.append(messages.value_at_least(constraint.min))
    pattern = constraint.pattern
    if pattern is not None and isinstance(value, str) and not patterns.matcher(pattern)(value):
        found.append(messages.pattern_constraint(pattern))
    return found


def log_group(endpoint: str) -> str:
    """The CloudWatch Logs group of an endpoint."""
    return f"{LOG_GROUP_PREFIX}{endpoint}"


def instance_id(endpoint: Job, variant: str, index: int) -> str:
    """The stable id of instance ``index`` of a variant (``i-`` and 17 hex digits)."""
    digest = hashlib.sha256(f"{endpoint.arn}/{variant}/{index}".encode()).hexdigest()
    return f"i-{digest[:17]}"


def instance_count(state: Mapping[str, Any]) -> int:
    """How many instances a variant runs (a serverless variant counts as one)."""
    return max(1, int(state.get("CurrentInstanceCount") or 1))


def _unit(*parts: object) -> float:
    digest = hashlib.sha256("\x00".join(map(str, parts)).encode()).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def _serving(world: World, name: str) -> Job:
    endpoint = world.get(KIND, name)
    if endpoint is None or endpoint.name != name or endpoint.status not in SERVING:
        raise RuntimeApiError(
            "ValidationError", messages.runtime_endpoint_not_found(name, world.account)
        )
    return endpoint


def _route(world: World, endpoint: Job, target: str | None, number: int) -> dict[str, Any]:
    """The variant state a request goes to: ``target``, else drawn by current weight."""
    variants = endpoint.data["deployment"]["variants"]
    if target is not None:
        for state in variants:
            if state["VariantName"] == target:
                return dict(state)
        raise RuntimeApiError(
            "ValidationError", messages.runtime_variant_not_found(target, endpoint.name)
        )
    total = sum(state["CurrentWeight"] for state in variants)
    if total <= 0:
        return dict(variants[0])
    point = _unit(world.emulator.seed, endpoint.arn, number) * total
    for state in variants:
        point -= state["CurrentWeight"]
        if point < 0:
            return dict(state)
    return dict(variants[-1])


def invoke_endpoint(world: World, request: Mapping[str, Any]) -> dict[str, Any]:
    """InvokeEndpoint: ``Body`` (bytes) through the routed variant's model.

    Returns ``Body``, ``ContentType`` and ``InvokedProductionVariant``; raises
    :class:`RuntimeApiError` (ValidationError, ModelError).
    """
    response = _invoke(world, request, streaming=False)
    response["Body"] = b"".join(response.pop("Parts"))
    return response


def invoke_endpoint_with_response_stream(
    world: World, request: Mapping[str, Any]
) -> dict[str, Any]:
    """InvokeEndpointWithResponseStream: the model's answer as parts (one PayloadPart each).

    Returns ``Parts`` (a list of bytes), ``ContentType``, ``InvokedProductionVariant`` and
    ``StreamError``: None, or the ModelStreamError (``Message``, ``ErrorCode``) that ends
    the stream when the model fails after its first part.  A model failing before it
    answers anything raises the ModelError InvokeEndpoint raises.
    """
    return _invoke(world, request, streaming=True)


def _invoke(world: World, request: Mapping[str, Any], *, streaming: bool) -> dict[str, Any]:
    endpoint = _serving(world, request["EndpointName"])
    data = endpoint.data
    invocations: list[list[Any]] = data["invocations"]
    number = len(invocations)
    state = _route(world, endpoint, request.get("TargetVariant"), number)
    variant = state["VariantName"]
    deployment = data["deployment"]
    config = {v["VariantName"]: v for v in deployment["request"]["ProductionVariants"]}
    model = deployment["models"].get(config[variant].get("ModelName"), {})
    body: bytes = request["Body"]
    at = world.emulator.now()
    instance = instance_id(endpoint, variant, number % instance_count(state))
    latency = MODEL_LATENCY_US + len(body) // 128
    scripts = world.emulator.behaviour.models
    try:
        parts, content_type, broken = inference.stream(
            scripts, model, body, request.get("ContentType"), request.get("Accept")
        )
        if broken is not None and not (streaming and parts):
            raise broken
    except inference.ModelFailure as failure:
        invocations.append([at, variant, instance, failure.status, latency, failure.message])
        raise _model_error(world, endpoint, variant, instance, failure) from None
    response: dict[str, Any] = {
        "Parts": parts,
        "ContentType": content_type,
        "InvokedProductionVariant": variant,
    }
    if broken is None:
        invocations.append([at, variant, instance, 200, latency, None])
    else:  # the stream began: the model's failure ends it
        invocations.append([at, variant, instance, broken.status, latency, broken.message])
        response["StreamError"] = {"Message": broken.message, "ErrorCode": STREAM_BROKEN}
    return response


#: The ModelStreamError code of a stream the model broke off (API reference).
STREAM_BROKEN = "StreamBroken"


def _model_error(
    world: World, endpoint: Job, variant: str, instance: str, failure: inference.ModelFailure
) -> RuntimeApiError:
    stream = f"{variant}/{instance}"
    group = log_group(endpoint.name)
    region = world.region
    return RuntimeApiError(
        "ModelError",
        messages.runtime_model_error(failure.status, failure.message, region, group, world.account),
        OriginalStatusCode=failure.status,
        OriginalMessage=failure.message,
        LogStreamArn=f"arn:{partition(region)}:logs:{region}:{world.account}:log-group:"
        f"{group}:log-stream:{stream}",
    )


def invoke_endpoint_async(world: World, request: Mapping[str, Any]) -> dict[str, Any]:
    """InvokeEndpointAsync, once the caller has read ``InputLocation`` into ``Body``.

    The model answers at once (the queue is not emulated); returns ``InferenceId``,
    ``OutputLocation`` and ``FailureLocation`` (when the config has an
    ``S3FailurePath``), plus what to write: ``Output`` (bytes) at ``OutputLocation``, or
    ``Failure`` (the error text) at ``FailureLocation`` when the model answered an error.
    """
    endpoint = _serving(world, request["EndpointName"])
    async_config = endpoint.data["deployment"]["request"].get("AsyncInferenceConfig")
    if async_config is None:
        raise RuntimeApiError("ValidationError", messages.runtime_not_async(endpoint.name))
    output = async_config["OutputConfig"]
    inference_id = request.get("InferenceId") or _inference_id(world)
    found: dict[str, Any] = {
        "InferenceId": inference_id,
        "OutputLocation": f"{output['S3OutputPath'].rstrip('/')}/{inference_id}.out",
    }
    if output.get("S3FailurePath"):
        failure = f"{output['S3FailurePath'].rstrip('/')}/{inference_id}-error.out"
        found["FailureLocation"] = failure
    try:
        answer = invoke_endpoint(world, request)
    except RuntimeApiError as error:
        if error.code != "ModelError":
            raise
        found["Failure"] = str(error.members["OriginalMessage"]).encode("utf-8")
        return found
    found["Output"] = answer["Body"]
    return found


def _inference_id(world: World) -> str:
    """A uuid-shaped id, deterministic for the emulator's seed."""
    h = world.emulator.random_hex(32)
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


__all__ = [
    "MAX_BODY",
    "MAX_CONTENT_LENGTH",
    "Constraint",
    "RuntimeApiError",
    "check_request",
    "instance_id",
    "invoke_endpoint",
    "invoke_endpoint_async",
    "invoke_endpoint_with_response_stream",
    "log_group",
]
