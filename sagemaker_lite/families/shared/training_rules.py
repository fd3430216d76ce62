"""Semantic rules for training-job requests: what schema validation cannot express.

Each rule is a small pure function of the request that returns the error AWS
would answer, or ``None``.  The public checks run their rules in a fixed order
and raise the first error: SageMaker reports one semantic violation at a time.
Evidence for every rule and text is in docs/fidelity.md ("Training jobs").

Left to the schema (botocore's constraint model, enforced by
``sagemaker_lite.contract.validation``): the 100-hyperparameter and 100-variable limits
and their key/value lengths, the 40 MetricDefinitions, the 1..30 retry
attempts, the 20 channels and the ``s3://``/``https://`` form of every S3 URI.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, validation_error

Request = Mapping[str, Any]
Rule = Callable[[Request], "ApiError | None"]

#: Statuses from which DeleteTrainingJob may remove a job (API reference:
#: "only training jobs that are in a terminal state (Stopped, Failed, or Completed)").
DELETABLE_STATUSES = frozenset({"Completed", "Failed", "Stopped"})

#: The only status StopTrainingJob accepts; any other answers
#: "The request was rejected because the training job is in status X."
STOPPABLE_STATUSES = frozenset({"InProgress"})

#: Secondary statuses during which RemoteDebugConfig may be updated (API reference).
REMOTE_DEBUG_UPDATABLE_SECONDARY = frozenset({"Downloading", "Training"})

#: Instance families whose storage is local NVMe, so no EBS volume (and no
#: VolumeKmsKeyId) can be attached.  The same list sagemaker-python-sdk encodes
#: in ``volume_size_supported`` (a "d" family, or g5); the API reference names
#: ml.p4d, ml.g4dn and ml.g5 as examples.
LOCAL_STORAGE_FAMILIES = frozenset({"p3dn", "p4d", "p4de", "g4dn", "g5", "r5d"})

_EMPTY: Mapping[str, Any] = {}


def _section(request: Request, key: str) -> Mapping[str, Any]:
    """A nested structure of the request, empty when absent."""
    value = request.get(key)
    # Requests reach the rules as the validated private copy: plain dicts, which this
    # tests far faster than an isinstance against the Mapping ABC.
    return value if isinstance(value, dict) else _EMPTY


def _channels(request: Request) -> list[Mapping[str, Any]]:
    channels: list[Mapping[str, Any]] = request.get("InputDataConfig") or []
    return channels


def _first_duplicate(names: Iterable[str]) -> str | None:
    seen: set[str] = set()
    for name in names:
        if name in seen:
            return name
        seen.add(name)
    return None


def _channel_groups(channel: Mapping[str, Any]) -> Sequence[str]:
    s3 = _section(_section(channel, "DataSource"), "S3DataSource")
    groups: Sequence[str] = s3.get("InstanceGroupNames") or ()
    return groups


def instance_family(instance_type: str) -> str:
    """``ml.g5.xlarge`` -> ``g5``."""
    parts = instance_type.split(".")
    return parts[1] if len(parts) == 3 else parts[0]


# --- CreateTrainingJob rules, in the order they are checked -------------------


def rule_algorithm_source(request: Request) -> ApiError | None:
    """Exactly one of AlgorithmSpecification.TrainingImage / AlgorithmName."""
    if "AlgorithmSpecification" not in request:
        return None  # serverless jobs (ServerlessJobConfig) carry no algorithm
    spec = _section(request, "AlgorithmSpecification")
    has_image = bool(spec.get("TrainingImage"))  # the model allows "", which names nothing
    has_name = bool(spec.get("AlgorithmName"))
    if has_image and has_name:
        return validation_error(messages.ALGORITHM_SOURCE_BOTH)
    if not has_image and not has_name:
        return validation_error(messages.ALGORITHM_SOURCE_MISSING)
    return None


def rule_spot_stopping_condition(request: Request) -> ApiError | None:
    """MaxWaitTimeInSeconds goes with managed spot training, and is at least MaxRuntime.

    Spot without MaxWaitTimeInSeconds is accepted: nothing shows AWS refusing it.
    """
    stopping = _section(request, "StoppingCondition")
    max_wait = stopping.get("MaxWaitTimeInSeconds")
    spot = request.get("EnableManagedSpotTraining") is True
    if max_wait is not None and not spot:
        return validation_error(messages.MAX_WAIT_WITHOUT_SPOT)
    max_runtime = stopping.get("MaxRuntimeInSeconds")
    if max_wait is not None and max_runtime is not None and max_wait < max_runtime:
        return validation_error(messages.max_wait_below_max_runtime(max_wait, max_runtime))
    return None


def rule_unique_channel_names(request: Request) -> ApiError | None:
    """Channel names identify input directories, so they must be unique."""
    channels = _channels(request)
    if len(channels) < 2:
        return None
    duplicate = _first_duplicate(str(c.get("ChannelName")) for c in channels)
    return (
        None if duplicate is None else validation_error(messages.duplicate_channel_name(duplicate))
    )


def rule_instance_layout(request: Request) -> ApiError | None:
    """Homogeneous (InstanceType + InstanceCount) or heterogeneous (InstanceGroups), not both."""
    if "ResourceConfig" not in request:
        return None  # serverless jobs choose their own resources
    resources = _section(request, "ResourceConfig")
    groups = resources.get("InstanceGroups")
    if groups:
        if "InstanceType" in resources or "InstanceCount" in resources:
            return validation_error(messages.INSTANCE_GROUPS_WITH_TYPE_OR_COUNT)
        names = (str(g.get("InstanceGroupName")) for g in groups)
        duplicate = _first_duplicate(names)
        if duplicate is not None:
            return validation_error(messages.duplicate_instance_group_name(duplicate))
        return None
    if "InstanceType" not in resources or "InstanceCount" not in resources:
        return validation_error(messages.INSTANCE_TYPE_REQUIRED)
    return None


def rule_channel_instance_groups(request: Request) -> ApiError | None:
    """Channels name only defined groups, and either all channels name groups or none."""
    channels = _channels(request)
    groups = [_channel_groups(channel) for channel in channels]
    instance_groups = _section(request, "ResourceConfig").get("InstanceGroups")
    if not instance_groups and not any(groups):
        return None  # the common case: no instance groups anywhere
    defined = {str(g.get("InstanceGroupName")) for g in instance_groups or ()}
    for channel, named in zip(channels, groups, strict=True):
        for group in named:
            if group not in defined:
                name = str(channel.get("ChannelName"))
                return validation_error(messages.unknown_instance_group(name, group))
    assigned = [
        str(c.get("ChannelName")) for c, named in zip(channels, groups, strict=True) if named
    ]
    unassigned = [
        str(c.get("ChannelName")) for c, named in zip(channels, groups, strict=True) if not named
    ]
    if assigned and unassigned:
        return validation_error(messages.channels_partially_assigned(assigned, unassigned))
    return None


def rule_volume_kms_key(request: Request) -> ApiError | None:
    """No VolumeKmsKeyId on instance types with local NVMe storage."""
    resources = _section(request, "ResourceConfig")
    if not resources.get("VolumeKmsKeyId"):
        return None
    types = [resources.get("InstanceType")]
    types += [g.get("InstanceType") for g in resources.get("InstanceGroups") or []]
    for instance_type in types:
        if isinstance(instance_type, str) and instance_family(instance_type) in (
            LOCAL_STORAGE_FAMILIES
        ):
            return validation_error(messages.volume_kms_key_not_supported(instance_type))
    return None


#: The CreateTrainingJob rules, in checking order.
CREATE_RULES: tuple[Rule, ...] = (
    rule_algorithm_source,
    rule_spot_stopping_condition,
    rule_unique_channel_names,
    rule_instance_layout,
    rule_channel_instance_groups,
    rule_volume_kms_key,
)


def first_violation(rules: Iterable[Rule], request: Request) -> ApiError | None:
    """The error of the first rule ``request`` breaks, or ``None``."""
    for rule in rules:
        error = rule(request)
        if error is not None:
            return error
    return None


def check_create_training_job(request: Request) -> None:
    """Raise the first semantic error of a schema-valid CreateTrainingJob request."""
    error = first_violation(CREATE_RULES, request)
    if error is not None:
        raise error


# --- UpdateTrainingJob, StopTrainingJob, DeleteTrainingJob ---------------------


def check_update_training_job(
    request: Request, job_status: str, current: Mapping[str, Any]
) -> None:
    """Raise the error AWS answers for an UpdateTrainingJob that the job's state forbids.

    ``current`` is the job as DescribeTrainingJob shows it (``SecondaryStatus``,
    ``WarmPoolStatus``).  A request changing nothing, and a KeepAlivePeriodInSeconds
    for a job created without a warm pool, are accepted: no evidence shows AWS
    refusing either (docs/fidelity.md).
    """
    if ("ProfilerConfig" in request or "ProfilerRuleConfigurations" in request) and (
        job_status != "InProgress"
    ):
        raise validation_error(messages.update_profiler_not_in_progress(job_status))
    if "RemoteDebugConfig" in request:
        secondary = str(current.get("SecondaryStatus", ""))
        if job_status != "InProgress" or secondary not in REMOTE_DEBUG_UPDATABLE_SECONDARY:
            raise validation_error(messages.update_remote_debug_wrong_secondary_status(secondary))
    if "ResourceConfig" in request:
        # Once training ends the pool is Available, then Reused/Terminated for good.
        pool = _section(current, "WarmPoolStatus").get("Status")
        if pool is not None and pool != "Available":
            raise validation_error(messages.update_keep_alive_warm_pool_not_available(str(pool)))


def check_stop_training_job(arn: str, job_status: str) -> None:
    """Raise AWS's ValidationException when the job is not InProgress."""
    if job_status not in STOPPABLE_STATUSES:
        raise validation_error(messages.training_job_not_stoppable(arn, job_status))


def check_delete_training_job(
    name: str, job_status: str, warm_pool_status: str | None = None
) -> None:
    """Raise the error for deleting a job that is not terminal or keeps an Available warm pool."""
    code = messages.TRAINING_JOB_NOT_DELETABLE_CODE
    if job_status not in DELETABLE_STATUSES:
        raise ApiError(code, messages.training_job_not_deletable(name, job_status))
    if warm_pool_status == "Available":
        raise ApiError(code, messages.training_job_warm_pool_retained(name))


def missing_training_job(operation: str) -> ApiError:
    """The error ``operation`` answers when the named training job does not exist."""
    code, message = messages.MISSING_TRAINING_JOB[operation]
    return ApiError(code, message)


__all__ = [
    "CREATE_RULES",
    "DELETABLE_STATUSES",
    "LOCAL_STORAGE_FAMILIES",
    "REMOTE_DEBUG_UPDATABLE_SECONDARY",
    "STOPPABLE_STATUSES",
    "check_create_training_job",
    "check_delete_training_job",
    "check_stop_training_job",
    "check_update_training_job",
    "first_violation",
    "instance_family",
    "missing_training_job",
]
