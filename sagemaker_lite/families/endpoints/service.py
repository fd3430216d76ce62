"""Endpoint configurations and endpoints: create, describe, list, update, delete.

An endpoint configuration is a resource (no status): its production variants name
models that must exist.  An endpoint deploys one configuration: ``Creating`` for the
plan's ``Creating`` seconds, then ``InService`` (or ``Failed`` with its
``FailureReason``).  An update (UpdateEndpoint with a new configuration, or
UpdateEndpointWeightsAndCapacities) is ``Updating`` and then ``InService`` with what
it asked for, or, when the plan fails updates, ``RollingBack`` and ``InService`` on the
previous deployment with a ``FailureReason``.  DeleteEndpoint is ``Deleting``, then
the endpoint is gone.  The lifecycle table is :data:`~sagemaker_lite.engine.lifecycle.ENDPOINT`.

An endpoint keeps what it deployed (the configuration's request and each variant's
model, ``Job.data["deployment"]``): deleting the configuration or a model later
changes nothing it serves, as on AWS (docs/fidelity.md, "Endpoints").
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.copying import fresh
from sagemaker_lite.contract.errors import validation_error
from sagemaker_lite.engine.behaviour import DEFAULT_FAILURE_REASON
from sagemaker_lite.engine.jobs import Job, new_job
from sagemaker_lite.engine.lifecycle import ENDPOINT, ENDPOINT_CONFIG, MODEL
from sagemaker_lite.engine.world import World
from sagemaker_lite.families.shared.service import (
    drop_none,
    echoed_members,
    lister,
    pop_tags,
    timestamp,
)

KIND = ENDPOINT.kind
CONFIG_KIND = ENDPOINT_CONFIG.kind
#: ListEndpoints' and ListEndpointConfigs' default order (their member docs).
DEFAULT_SORT = ("CreationTime", "Descending")
_CONFIG_ECHOED = echoed_members("CreateEndpointConfig", "DescribeEndpointConfig")
#: What a production variant defaults to (API reference, ProductionVariant).
DEFAULT_WEIGHT = 1.0
#: Statuses in which an endpoint can be updated or deleted; the others are in progress.
UPDATABLE = frozenset({"InService"})
DELETABLE = frozenset({"InService", "Failed"})
#: Statuses in which an endpoint serves requests (its instances are up).
SERVING = frozenset({"InService", "Updating", "SystemUpdating", "RollingBack"})
#: Variant statuses shown while an endpoint is in each status (VariantStatus).
_VARIANT_STATUS = {"Creating": "Creating", "Updating": "Updating", "Deleting": "Deleting"}


# --- lookups ----------------------------------------------------------------------


def find_endpoint(world: World, name: str) -> Job:
    """The endpoint ``name``, or the ValidationException AWS answers for a missing one."""
    endpoint = world.get(KIND, name)
    if endpoint is None:
        raise validation_error(messages.endpoint_not_found(world.arn(KIND, name)))
    return endpoint


def find_config(world: World, name: str) -> Job:
    """The endpoint configuration ``name``, or AWS's ValidationException."""
    config = world.get(CONFIG_KIND, name)
    if config is None:
        raise validation_error(messages.endpoint_config_not_found(world.arn(CONFIG_KIND, name)))
    return config


def _variants(request: Mapping[str, Any]) -> list[dict[str, Any]]:
    """Every variant of a CreateEndpointConfig request, production first, then shadow."""
    return [
        *request.get("ProductionVariants", ()),
        *(request.get("ShadowProductionVariants") or ()),
    ]


def _models(world: World, config: Mapping[str, Any]) -> dict[str, dict[str, Any]]:
    """The CreateModel request of each model the config's variants name (AWS's error for a
    missing one): what an endpoint deploys, kept with it."""
    models: dict[str, dict[str, Any]] = {}
    for variant in _variants(config):
        name = variant.get("ModelName")
        if name is None or name in models:
            continue
        model = world.get(MODEL.kind, name)
        if model is None:
            raise validation_error(messages.model_not_found(world.arn(MODEL.kind, name)))
        models[name] = {"ModelName": model.name, **fresh(model.request)}
    return models


# --- endpoint configurations ------------------------------------------------------


def create_endpoint_config(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEndpointConfig: the name is free and every variant's model exists."""
    name = request["EndpointConfigName"]
    arn = world.arn(CONFIG_KIND, name)
    if world.get(CONFIG_KIND, name) is not None:
        raise validation_error(messages.endpoint_config_exists(arn))
    _models(world, request)
    tags = pop_tags(request)
    config = new_job(
        CONFIG_KIND,
        name,
        arn,
        request,
        world.emulator.now(),
        tags,
    )
    world.add(config)
    return {"EndpointConfigArn": arn}


def _with_defaults(variant: Mapping[str, Any]) -> dict[str, Any]:
    """A stored variant as DescribeEndpointConfig answers it (its default weight filled in)."""
    answer = fresh(dict(variant))
    answer.setdefault("InitialVariantWeight", DEFAULT_WEIGHT)
    return answer


def describe_config(
    name: str, arn: str, request: Mapping[str, Any], created: float
) -> dict[str, Any]:
    """The DescribeEndpointConfig answer for a stored configuration request."""
    response: dict[str, Any] = {"EndpointConfigName": name, "EndpointConfigArn": arn}
    for member in _CONFIG_ECHOED:
        if member in request:
            response[member] = fresh(request[member])
    for member in ("ProductionVariants", "ShadowProductionVariants"):
        if member in response:
            response[member] = [_with_defaults(v) for v in response[member]]
    response["CreationTime"] = timestamp(created)
    return response


def describe_endpoint_config(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeEndpointConfig."""
    config = find_config(world, request["EndpointConfigName"])
    return describe_config(config.name, config.arn, config.request, config.created)


def _config_summary(config: Job) -> dict[str, Any]:
    return {
        "EndpointConfigName": config.name,
        "EndpointConfigArn": config.arn,
        "CreationTime": timestamp(config.created),
    }


list_endpoint_configs = lister(
    CONFIG_KIND,
    "EndpointConfigs",
    _config_summary,
    default_sort=DEFAULT_SORT,
    doc="ListEndpointConfigs: name and creation-time filters, sorting, paging.",
)


def delete_endpoint_config(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteEndpointConfig: at once, even while an endpoint uses it (it keeps its copy)."""
    world.remove(find_config(world, request["EndpointConfigName"]))
    return {}


# --- endpoints: create and the lifecycle ---------------------------------------------


def _deployment(world: World, config: Job) -> dict[str, Any]:
    """What deploying ``config`` puts in place: its request, models and variant state."""
    variants = [_variant_state(v) for v in config.request["ProductionVariants"]]
    shadows = [_variant_state(v) for v in config.request.get("ShadowProductionVariants") or ()]
    return {
        "config": config.name,
        "request": fresh(config.request),
        "models": _models(world, config.request),
        "variants": variants,
        "shadows": shadows,
        "at": world.emulator.now(),
    }


def _variant_state(variant: Mapping[str, Any]) -> dict[str, Any]:
    """A variant's weights and capacity as DescribeEndpoint shows them once deployed."""
    weight = float(variant.get("InitialVariantWeight", DEFAULT_WEIGHT))
    state: dict[str, Any] = {
        "VariantName": variant["VariantName"],
        "CurrentWeight": weight,
        "DesiredWeight": weight,
    }
    serverless = variant.get("ServerlessConfig")
    if serverless is not None:
        state["CurrentServerlessConfig"] = fresh(serverless)
        state["DesiredServerlessConfig"] = fresh(serverless)
    elif variant.get("InitialInstanceCount") is not None:
        state["CurrentInstanceCount"] = variant["InitialInstanceCount"]
        state["DesiredInstanceCount"] = variant["InitialInstanceCount"]
    return state


def create_endpoint(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """CreateEndpoint: Creating now, InService (or Failed) when the plan says."""
    name = request["EndpointName"]
    arn = world.arn(KIND, name)
    if world.get(KIND, name) is not None:
        raise validation_error(messages.endpoint_exists(arn))
    config = find_config(world, request["EndpointConfigName"])
    deployment = _deployment(world, config)
    emulator = world.emulator
    plan = emulator.behaviour.plan(KIND, name, request, {})
    tags = pop_tags(request)
    now = emulator.now()
    endpoint = new_job(KIND, name, arn, request, now, tags)
    endpoint.data.update(
        {
            "plan": plan,
            "deployment": deployment,
            "pending": None,
            "deployment_config": request.get("DeploymentConfig"),
            "invocations": [],
        }
    )
    world.add(endpoint)
    durations = plan["durations"]
    ready = now + durations["Creating"]
    event = "fail" if plan["fail_at"] == "Creating" else "in_service"
    emulator.scheduler.schedule(endpoint, event, ready)
    return {"EndpointArn": arn}


def on_event(world: World, endpoint: Job, event: str, at: float) -> None:
    """React to a transition the scheduler applied (see the module docstring)."""
    data = endpoint.data
    if event == "fail" or event == "roll_back":
        endpoint.failure_reason = _reason(endpoint)
    elif event == "in_service":
        came_from = endpoint.history[-2][0]
        pending = data["pending"]
        data["pending"] = None
        if came_from == "Creating":
            _maybe_system_update(world, endpoint, at)
        elif came_from == "Updating" and pending is not None:
            _apply(data, pending)
            endpoint.failure_reason = None
    elif event == "deleted":
        world.remove(endpoint)


def _reason(endpoint: Job) -> str:
    """The plan's FailureReason; the default one names the endpoint's first variant."""
    reason: str = endpoint.data["plan"]["reason"]
    if reason == DEFAULT_FAILURE_REASON[KIND]:
        variants = endpoint.data["deployment"]["variants"]
        reason = reason.replace("{variant}", variants[0]["VariantName"])
    return reason


def _maybe_system_update(world: World, endpoint: Job, at: float) -> None:
    """A scripted SystemUpdating right after the endpoint is first InService."""
    seconds = endpoint.data["plan"]["durations"]["SystemUpdating"]
    if seconds > 0:
        emulator = world.emulator
        emulator.dispatch(endpoint, "system_update", at)
        emulator.scheduler.schedule(endpoint, "in_service", at + seconds)


def _apply(data: dict[str, Any], pending: dict[str, Any]) -> None:
    """Put a finished update in place: a new deployment, or new weights and capacities."""
    if "deployment" in pending:
        data["deployment"] = pending["deployment"]
        data["deployment_config"] = pending["deployment_config"]
        return
    for state in data["deployment"]["variants"]:
        state["CurrentWeight"] = state["DesiredWeight"]
        if "DesiredInstanceCount" in state:
            state["CurrentInstanceCount"] = state["DesiredInstanceCount"]
        if "DesiredServerlessConfig" in state:
            state["CurrentServerlessConfig"] = fresh(state["DesiredServerlessConfig"])


# --- endpoints: describe and list --------------------------------------------------


def resolved_image(image: str) -> str:
    """The digest-pinned form of an image (``repo@sha256:...``), as DeployedImages shows it.

    The digest is derived from the image name: stable for one image, different for two.
    """
    if "@sha256:" in image:
        return image
    repository, slash, last = image.rpartition("/")
    name = last.partition(":")[0]
    digest = hashlib.sha256(image.encode("utf-8", "surrogatepass")).hexdigest()
    return f"{repository}{slash}{name}@sha256:{digest}"


def _deployed_images(model: Mapping[str, Any] | None, at: float) -> list[dict[str, Any]]:
    images = []
    for container in _containers(model or {}):
        image = container.get("Image")
        if image:
            images.append(
                {
                    "SpecifiedImage": image,
                    "ResolvedImage": resolved_image(image),
                    "ResolutionTime": timestamp(at),
                }
            )
    return images


def _containers(model: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    primary = model.get("PrimaryContainer")
    return ([primary] if primary else []) + list(model.get("Containers") or ())


def _variant_summaries(
    endpoint: Job, deployment: Mapping[str, Any], member: str, status: str | None
) -> list[dict[str, Any]]:
    """ProductionVariants (``member="variants"``) or ShadowProductionVariants of a
    deployment; ``status``: the VariantStatus to show (None: none, the variant is settled)."""
    by_name = {v["VariantName"]: v for v in _variants(deployment["request"])}
    summaries = []
    for state in deployment[member]:
        summary: dict[str, Any] = {"VariantName": state["VariantName"]}
        model = deployment["models"].get(by_name[state["VariantName"]].get("ModelName"))
        images = _deployed_images(model, deployment["at"])
        if images and endpoint.status != "Creating":
            summary["DeployedImages"] = images
        summary.update(fresh(state))
        if endpoint.status == "Creating" and "CurrentInstanceCount" in summary:
            summary["CurrentInstanceCount"] = 0
        if status is not None:
            summary["VariantStatus"] = [
                {"Status": status, "StartTime": timestamp(endpoint.modified)}
            ]
        summaries.append(summary)
    return summaries


def _data_capture(config: Mapping[str, Any]) -> dict[str, Any] | None:
    """A DataCaptureConfigSummary of the deployed config's DataCaptureConfig."""
    capture = config.get("DataCaptureConfig")
    if capture is None:
        return None
    enabled = bool(capture.get("EnableCapture", True))
    return {
        "EnableCapture": enabled,
        "CaptureStatus": "Started" if enabled else "Stopped",
        "CurrentSamplingPercentage": capture["InitialSamplingPercentage"],
        "DestinationS3Uri": capture["DestinationS3Uri"],
        "KmsKeyId": capture.get("KmsKeyId", ""),
    }


def _pending_summary(endpoint: Job, pending: Mapping[str, Any]) -> dict[str, Any] | None:
    """PendingDeploymentSummary while an UpdateEndpoint deploys a new configuration."""
    deployment = pending.get("deployment")
    if deployment is None:
        return None
    by_name = {v["VariantName"]: v for v in _variants(deployment["request"])}
    summary: dict[str, Any] = {"EndpointConfigName": deployment["config"]}
    for member, key in (
        ("variants", "ProductionVariants"),
        ("shadows", "ShadowProductionVariants"),
    ):
        variants = []
        for state in deployment[member]:
            variant = by_name[state["VariantName"]]
            model = deployment["models"].get(variant.get("ModelName"))
            pending_variant: dict[str, Any] = {"VariantName": state["VariantName"]}
            images = _deployed_images(model, deployment["at"])
            if images:
                pending_variant["DeployedImages"] = images
            pending_variant.update(fresh(state))
            if "CurrentInstanceCount" in pending_variant:
                pending_variant["CurrentInstanceCount"] = 0
            for copied in ("InstanceType", "AcceleratorType"):
                if copied in variant:
                    pending_variant[copied] = variant[copied]
            pending_variant["VariantStatus"] = [
                {"Status": "Creating", "StartTime": timestamp(deployment["at"])}
            ]
            variants.append(pending_variant)
        if variants:
            summary[key] = variants
    summary["StartTime"] = timestamp(deployment["at"])
    return summary


def describe(endpoint: Job) -> dict[str, Any]:
    """The DescribeEndpoint answer for ``endpoint``."""
    data = endpoint.data
    deployment = data["deployment"]
    config = deployment["request"]
    status = _VARIANT_STATUS.get(endpoint.status)
    pending = data["pending"]
    if endpoint.status == "Updating" and pending is not None and "deployment" in pending:
        status = None  # the new configuration's variants are the ones updating
    response: dict[str, Any] = {
        "EndpointName": endpoint.name,
        "EndpointArn": endpoint.arn,
        "EndpointConfigName": deployment["config"],
        "ProductionVariants": _variant_summaries(endpoint, deployment, "variants", status),
        "DataCaptureConfig": _data_capture(config),
        "EndpointStatus": endpoint.status,
        "FailureReason": endpoint.failure_reason,
        "CreationTime": timestamp(endpoint.created),
        "LastModifiedTime": timestamp(endpoint.modified),
        "LastDeploymentConfig": fresh(data["deployment_config"]),
        "AsyncInferenceConfig": fresh(config.get("AsyncInferenceConfig")),
        "PendingDeploymentSummary": None
        if pending is None or endpoint.status != "Updating"
        else _pending_summary(endpoint, pending),
        "ExplainerConfig": fresh(config.get("ExplainerConfig")),
        "MetricsConfig": fresh(config.get("MetricsConfig")),
    }
    if deployment["shadows"]:
        response["ShadowProductionVariants"] = _variant_summaries(
            endpoint, deployment, "shadows", status
        )
    return drop_none(response)


def describe_endpoint(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DescribeEndpoint, then the emulator's polling hook."""
    endpoint = find_endpoint(world, request["EndpointName"])
    response = describe(endpoint)
    world.emulator.polled(endpoint)
    return response


def summary(endpoint: Job) -> dict[str, Any]:
    """An EndpointSummary."""
    return {
        "EndpointName": endpoint.name,
        "EndpointArn": endpoint.arn,
        "CreationTime": timestamp(endpoint.created),
        "LastModifiedTime": timestamp(endpoint.modified),
        "EndpointStatus": endpoint.status,
    }


list_endpoints = lister(
    KIND,
    "Endpoints",
    summary,
    default_sort=DEFAULT_SORT,
    doc="ListEndpoints: name, time and status filters, sorting, paging.",
)


# --- endpoints: update and delete -----------------------------------------------------


def _updatable(endpoint: Job) -> None:
    """AWS's error for an update of an endpoint that is not InService."""
    if endpoint.status == "Failed":
        raise validation_error(messages.endpoint_failed_update(endpoint.arn))
    if endpoint.status not in UPDATABLE:
        raise validation_error(messages.endpoint_in_progress(endpoint.arn))


def _start_update(world: World, endpoint: Job, pending: dict[str, Any], can_fail: bool) -> None:
    """Updating now; InService when the plan's Updating time is over, or (a failing plan)
    RollingBack then, and InService on the old deployment after RollingBack."""
    emulator = world.emulator
    now = emulator.now()
    durations = endpoint.data["plan"]["durations"]
    endpoint.data["pending"] = pending
    emulator.dispatch(endpoint, "update", now)
    done = now + durations["Updating"]
    if can_fail and endpoint.data["plan"]["fail_at"] == "Updating":
        emulator.scheduler.schedule(endpoint, "roll_back", done)
        emulator.scheduler.schedule(endpoint, "in_service", done + durations["RollingBack"])
    else:
        emulator.scheduler.schedule(endpoint, "in_service", done)


def update_endpoint(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateEndpoint: deploy another configuration (blue/green: the old one serves until
    the new one is InService)."""
    endpoint = find_endpoint(world, request["EndpointName"])
    config = find_config(world, request["EndpointConfigName"])
    _updatable(endpoint)
    deployment = _deployment(world, config)
    if request.get("RetainAllVariantProperties"):
        _retain(endpoint.data["deployment"], deployment, request)
    deployment_config = request.get("DeploymentConfig")
    if request.get("RetainDeploymentConfig") and deployment_config is None:
        deployment_config = endpoint.data["deployment_config"]
    pending = {"deployment": deployment, "deployment_config": deployment_config}
    _start_update(world, endpoint, pending, can_fail=True)
    return {"EndpointArn": endpoint.arn}


#: What RetainAllVariantProperties keeps, by VariantPropertyType: the state members.
_RETAINED = {
    "DesiredInstanceCount": ("CurrentInstanceCount", "DesiredInstanceCount"),
    "DesiredWeight": ("CurrentWeight", "DesiredWeight"),
}


def _retain(old: Mapping[str, Any], new: dict[str, Any], request: Mapping[str, Any]) -> None:
    """Keep the old deployment's weights and counts for variants of the same name."""
    excluded = {
        p["VariantPropertyType"] for p in request.get("ExcludeRetainedVariantProperties") or ()
    }
    previous = {v["VariantName"]: v for v in old["variants"]}
    for state in new["variants"]:
        before = previous.get(state["VariantName"])
        if before is None:
            continue
        for prop, members in _RETAINED.items():
            if prop in excluded:
                continue
            for member in members:
                if member in before and member in state:
                    state[member] = before[member]
    if "DataCaptureConfig" not in excluded and "DataCaptureConfig" in old["request"]:
        new["request"]["DataCaptureConfig"] = fresh(old["request"]["DataCaptureConfig"])


def update_endpoint_weights_and_capacities(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """UpdateEndpointWeightsAndCapacities: the desired values at once, current ones when
    the update is over."""
    endpoint = find_endpoint(world, request["EndpointName"])
    _updatable(endpoint)
    states = {v["VariantName"]: v for v in endpoint.data["deployment"]["variants"]}
    wanted = request["DesiredWeightsAndCapacities"]
    unknown = [w["VariantName"] for w in wanted if w["VariantName"] not in states]
    if unknown:
        raise validation_error(
            messages.endpoint_variants_unknown(unknown, endpoint.data["deployment"]["config"])
        )
    for change in wanted:
        state = states[change["VariantName"]]
        if change.get("DesiredWeight") is not None:
            state["DesiredWeight"] = float(change["DesiredWeight"])
        if change.get("DesiredInstanceCount") is not None and "DesiredInstanceCount" in state:
            state["DesiredInstanceCount"] = change["DesiredInstanceCount"]
        serverless = change.get("ServerlessUpdateConfig")
        if serverless and "DesiredServerlessConfig" in state:
            state["DesiredServerlessConfig"] = {**state["DesiredServerlessConfig"], **serverless}
    _start_update(world, endpoint, {"weights": True}, can_fail=False)
    return {"EndpointArn": endpoint.arn}


def delete_endpoint(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """DeleteEndpoint: Deleting now, gone after the plan's Deleting time."""
    endpoint = find_endpoint(world, request["EndpointName"])
    if endpoint.status not in DELETABLE:
        raise validation_error(messages.endpoint_in_progress(endpoint.arn))
    emulator = world.emulator
    now = emulator.now()
    endpoint.generation += 1  # nothing planned before (a system update) happens any more
    emulator.dispatch(endpoint, "delete", now)
    emulator.scheduler.schedule(
        endpoint, "deleted", now + endpoint.data["plan"]["durations"]["Deleting"]
    )
    return {}


def list_monitoring_schedules(world: World, request: dict[str, Any]) -> dict[str, Any]:
    """ListMonitoringSchedules: no monitoring is emulated, so no schedule exists."""
    return {"MonitoringScheduleSummaries": []}
