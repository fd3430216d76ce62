"""The one catalogue of the error messages the emulated service answers with.

Every user-visible error text lives here, so that fidelity fixes happen in
one place.  Texts are AWS's own wherever a public source shows them (see
docs/fidelity.md); each section belongs to one concern.
"""

from __future__ import annotations


# --- Request validation (schema constraints) --------------------------------
# Service side (ValidationException), as AWS's JSON-protocol front end words it:
# docs/fidelity.md "Request validation" has the evidence for each form.
def validation_summary(violations: list[str]) -> str:
    """The whole ValidationException message for one or more constraint violations."""
    count = len(violations)
    noun = "error" if count == 1 else "errors"
    return f"{count} validation {noun} detected: " + "; ".join(violations)


def constraint_violation(rendered_value: str | None, path: str, constraint: str) -> str:
    """One violation; ``rendered_value`` None means the member was null (absent)."""
    value = "null" if rendered_value is None else f"'{rendered_value}'"
    return f"Value {value} at '{path}' failed to satisfy constraint: {constraint}"


def sensitive_constraint_violation(path: str, constraint: str) -> str:
    """One violation of a sensitive member (a runtime request's Body, CustomAttributes): the
    value is not echoed (confirmed: ``Value at 'body' failed to satisfy constraint``, the
    sagemaker-runtime's ValidationError in aws/aws-sdk-js#4203)."""
    return f"Value at '{path}' failed to satisfy constraint: {constraint}"


MEMBER_NOT_NULL = "Member must not be null"


def length_at_most(limit: int) -> str:
    """String length, list length or map size above ``max``."""
    return f"Member must have length less than or equal to {limit}"


def length_at_least(limit: int) -> str:
    """String length, list length or map size below ``min``."""
    return f"Member must have length greater than or equal to {limit}"


def value_at_most(limit: int | float) -> str:
    """A number above ``max``."""
    return f"Member must have value less than or equal to {limit}"


def value_at_least(limit: int | float) -> str:
    """A number below ``min``."""
    return f"Member must have value greater than or equal to {limit}"


def pattern_constraint(pattern: str) -> str:
    """A string not matching the model's ``pattern`` (printed as the model has it)."""
    return f"Member must satisfy regular expression pattern: {pattern}"


def enum_constraint(values: list[str]) -> str:
    """A string outside the ``enum`` (values in model order; wording confirmed, order not)."""
    return f"Member must satisfy enum value set: [{', '.join(values)}]"


def map_keys_constraint(constraints: list[str]) -> str:
    """Some key of a map breaks the key shape: every key constraint is listed."""
    return f"Map keys must satisfy constraint: [{', '.join(constraints)}]"


def map_values_constraint(constraints: list[str]) -> str:
    """Some value of a map breaks the value shape: every value constraint is listed."""
    return f"Map value must satisfy constraint: [{', '.join(constraints)}]"


# A member of the wrong JSON type never reaches validation: the JSON
# deserializer answers SerializationException.  Wording not confirmed except
# the number-for-string text.
def serialization_error(given: str, expected: str) -> str:
    """SerializationException text for a ``given`` JSON kind where model type ``expected`` is."""
    if given == "number" and expected == "string":
        return (
            "class com.amazon.coral.value.json.numbers.TruncatingBigNumber "
            "can not be converted to an String"
        )
    if given == "object":
        return "Start of structure or map found where not expected."
    if given == "array":
        return "Start of list found where not expected"
    return f"{given.upper()}_VALUE can not be converted to {expected.capitalize()}"


# A number the member's Java type cannot hold (an integer member is a 32-bit
# int, a long a 64-bit long) fails deserialization too.  Wording not confirmed.
_JAVA_NUMBER = {"integer": "int", "long": "long", "float": "float", "double": "double"}


def number_out_of_range(expected: str) -> str:
    """SerializationException text for a number beyond what model type ``expected`` holds."""
    return f"NUMBER_VALUE out of range of {_JAVA_NUMBER[expected]}"


# Client side: botocore's ParamValidationError report lines, verbatim from
# botocore/validate.py (boto3 raises these before any request is sent).
def param_missing(name: str, required: str) -> str:
    """A required member is absent."""
    return f'Missing required parameter in {name}: "{required}"'


def param_unknown(name: str, unknown: str, valid: list[str]) -> str:
    """A member the shape does not have."""
    return f'Unknown parameter in {name}: "{unknown}", must be one of: {", ".join(valid)}'


def param_type(name: str, value: object, valid: list[str]) -> str:
    """A value of a Python type botocore does not accept for the shape."""
    return (
        f"Invalid type for parameter {name}, value: {value}, "
        f"type: {type(value)}, valid types: {', '.join(valid)}"
    )


def param_range(name: str, value: object, minimum: object) -> str:
    """A number below the shape's ``min``."""
    return f"Invalid value for parameter {name}, value: {value}, valid min value: {minimum}"


def param_length(name: str, length: int, minimum: object) -> str:
    """A string or list shorter than the shape's ``min``."""
    return f"Invalid length for parameter {name}, value: {length}, valid min length: {minimum}"


def param_union_many(name: str, members: list[str]) -> str:
    """More than one member set on a tagged union."""
    return (
        f"Invalid number of parameters set for tagged union structure {name}. "
        f"Can only set one of the following keys: {', '.join(members)}."
    )


def param_union_empty(name: str, members: list[str]) -> str:
    """No member set on a tagged union (botocore's text lacks a space; kept)."""
    return (
        f"Must set one of the following keys for tagged union"
        f"structure {name}: {', '.join(members)}."
    )


# --- Common resource errors --------------------------------------------------
# DescribeTrainingJob & co. answer ValidationException, not the modeled
# ResourceNotFound, for a missing job (docs/fidelity.md).
RESOURCE_NOT_FOUND = "Requested resource not found."
INVALID_NEXT_TOKEN = "Invalid pagination token because of invalid format."  # wording not confirmed

# --- Training jobs -----------------------------------------------------------
# Evidence for each text is in docs/fidelity.md ("Training jobs"); texts marked
# "not confirmed" are our best AWS-style guess.

VALIDATION_EXCEPTION = "ValidationException"

#: What each training-job operation answers when the named job does not exist:
#: operation -> (error code, message).  AWS answers ValidationException even
#: though the model lists ResourceNotFound (confirmed for Describe and Delete;
#: Stop and Update assumed to match).
MISSING_TRAINING_JOB: dict[str, tuple[str, str]] = {
    "DescribeTrainingJob": (VALIDATION_EXCEPTION, RESOURCE_NOT_FOUND),
    "StopTrainingJob": (VALIDATION_EXCEPTION, RESOURCE_NOT_FOUND),
    "DeleteTrainingJob": (VALIDATION_EXCEPTION, RESOURCE_NOT_FOUND),
    "UpdateTrainingJob": (VALIDATION_EXCEPTION, RESOURCE_NOT_FOUND),
}


def training_job_exists(arn: str) -> str:
    """CreateTrainingJob with a name already used in this account and region (ResourceInUse)."""
    return (
        "Training job names must be unique within an AWS account and region, "
        f"and a training job with this name already exists ({arn})"
    )


def training_job_not_stoppable(arn: str, status: str) -> str:
    """StopTrainingJob on a job that is not InProgress (ValidationException)."""
    return f"The request was rejected because the training job is in status {status}."


#: Error code of DeleteTrainingJob on a job that is not deletable (not confirmed;
#: ResourceInUse is the error the model lists for this case).
TRAINING_JOB_NOT_DELETABLE_CODE = "ResourceInUse"


def training_job_not_deletable(name: str, status: str) -> str:
    """DeleteTrainingJob on a job that has not reached a terminal status (not confirmed)."""
    return f"Training job {name} is in status {status} and cannot be deleted."


def training_job_warm_pool_retained(name: str) -> str:
    """DeleteTrainingJob on a terminal job whose warm pool is still Available (not confirmed)."""
    return f"Training job {name} cannot be deleted while its warm pool is Available."


# CreateTrainingJob semantic rules, in the order families/shared/training_rules.py checks them.
ALGORITHM_SOURCE_MISSING = (  # not confirmed
    "Either TrainingImage or AlgorithmName must be specified in AlgorithmSpecification."
)
ALGORITHM_SOURCE_BOTH = (  # not confirmed
    "TrainingImage and AlgorithmName cannot both be specified in AlgorithmSpecification."
)
MAX_WAIT_WITHOUT_SPOT = (  # confirmed (sagify#111, amazon-sagemaker-examples#869)
    "Invalid MaxWaitTimeInSeconds. It is only supported when EnableManagedSpotTraining "
    "is set to true"
)


def max_wait_below_max_runtime(max_wait: int, max_runtime: int) -> str:
    """MaxWaitTimeInSeconds below MaxRuntimeInSeconds (rule documented; text not confirmed)."""
    return (
        f"Invalid MaxWaitTimeInSeconds: {max_wait}. It must be greater than or equal to "
        f"MaxRuntimeInSeconds: {max_runtime}"
    )


def duplicate_channel_name(name: str) -> str:
    """Two InputDataConfig channels share a name (not confirmed)."""
    return f"Channel names must be unique. Duplicate channel name found: {name}"


INSTANCE_GROUPS_WITH_TYPE_OR_COUNT = (  # confirmed (sagemaker-python-sdk#5564)
    "InstanceType or InstanceCount cannot be specified with InstanceGroups"
)
INSTANCE_TYPE_REQUIRED = (  # not confirmed
    "ResourceConfig must specify either InstanceType and InstanceCount or InstanceGroups."
)


def duplicate_instance_group_name(name: str) -> str:
    """Two InstanceGroups share a name (not confirmed)."""
    return f"Instance group names must be unique. Duplicate instance group name found: {name}"


def unknown_instance_group(channel: str, group: str) -> str:
    """A channel's S3DataSource.InstanceGroupNames names no InstanceGroup (not confirmed)."""
    return (
        f"Channel {channel} references instance group {group} which is not defined in "
        "ResourceConfig.InstanceGroups"
    )


def channels_partially_assigned(assigned: list[str], unassigned: list[str]) -> str:
    """Some channels name instance groups, others not (confirmed, sagemaker-python-sdk#5225)."""
    return (
        f"Some channels have assigned instance groups: [{', '.join(assigned)}] "
        f"while others not: [{', '.join(unassigned)}]"
    )


def volume_kms_key_not_supported(instance_type: str) -> str:
    """VolumeKmsKeyId with an instance type whose storage is local NVMe (rule documented;
    text not confirmed)."""
    return (
        f"Instance type {instance_type} is not supported with VolumeKmsKeyId because it uses "
        "instance storage that is encrypted by default."
    )


# UpdateTrainingJob.
def update_profiler_not_in_progress(status: str) -> str:
    """Profiler update on a job that is no longer InProgress (not confirmed)."""
    return (
        "Profiler configuration can only be updated while the training job is InProgress. "
        f"Current status: {status}"
    )


def update_remote_debug_wrong_secondary_status(secondary_status: str) -> str:
    """RemoteDebugConfig update outside Downloading/Training (documented; text not confirmed)."""
    return (
        "RemoteDebugConfig can only be updated when the secondary status of the training job "
        f"is Downloading or Training. Current secondary status: {secondary_status}"
    )


def update_keep_alive_warm_pool_not_available(warm_pool_status: str) -> str:
    """KeepAlive update after the warm pool was reused or terminated (not confirmed)."""
    return (
        "KeepAlivePeriodInSeconds can only be updated while the warm pool is Available. "
        f"Current warm pool status: {warm_pool_status}"
    )


# FailureReason prefixes AWS uses (widely quoted, e.g. "AlgorithmError: ..." and
# "ClientError: ..." in sagemaker-python-sdk issues).
def algorithm_error(detail: str) -> str:
    """FailureReason of a job whose algorithm (container) exited non-zero."""
    return f"AlgorithmError: {detail}"


def client_error(detail: str) -> str:
    """FailureReason of a job that failed because of the request (data, permissions, image)."""
    return f"ClientError: {detail}"


# StatusMessage of each SecondaryStatusTransitions entry, by secondary status:
# the last message AWS shows within that status (the one the entry keeps).
SECONDARY_STATUS_MESSAGES: dict[str, str] = {
    "Starting": "Preparing the instances for training",
    "Downloading": "Downloading the training image",
    "Training": "Training image download completed. Training in progress.",
    "Uploading": "Uploading generated training model",
    "Completed": "Training job completed",
    "Stopping": "Stopping the training job",
    "Stopped": "Training job stopped",
    # The four below are not confirmed.
    "MaxRuntimeExceeded": "Training job stopped because it exceeded MaxRuntimeInSeconds",
    "MaxWaitTimeExceeded": "Training job stopped because it exceeded MaxWaitTimeInSeconds",
    "Failed": "Training job failed",
    "Interrupted": "Spot instances were interrupted",
}

#: Every StatusMessage AWS shows within a secondary status, in order (from the
#: API reference and sagemaker-python-sdk job logs); the last is the one above.
SECONDARY_STATUS_MESSAGE_SEQUENCES: dict[str, tuple[str, ...]] = {
    "Starting": (
        "Starting the training job",
        "Launching requested ML instances",
        "Preparing the instances for training",
    ),
    "Downloading": ("Downloading input data", "Downloading the training image"),
    "Training": ("Training image download completed. Training in progress.",),
    "Uploading": ("Uploading generated training model",),
    "Completed": ("Training job completed",),
    "Stopping": ("Stopping the training job",),
    "Stopped": ("Training job stopped",),
}

# --- Hyperparameter tuning jobs ----------------------------------------------
# Texts marked "confirmed" are quoted from real responses (docs/fidelity.md has
# the evidence); the others are AWS-style wording we could not confirm.


def tuning_job_exists(name: str) -> str:
    """ResourceInUse for CreateHyperParameterTuningJob with a used name (confirmed)."""
    return (
        f"A hyperparameter tuning job with the name, {name}, already exists. "
        "Choose a different name."
    )


def tuning_job_not_found(name: str) -> str:
    """ResourceNotFound for a missing tuning job (confirmed for Describe)."""
    return f"Amazon SageMaker can't find a tuning job called {name}. Type another name."


#: Error code per operation when the named tuning job does not exist; the
#: message is :func:`tuning_job_not_found` for all of them (wording confirmed
#: for Describe only; Delete models no error, so it answers like the others).
MISSING_TUNING_JOB_CODE: dict[str, str] = {
    "DescribeHyperParameterTuningJob": "ResourceNotFound",
    "StopHyperParameterTuningJob": "ResourceNotFound",
    "DeleteHyperParameterTuningJob": "ResourceNotFound",
    "ListTrainingJobsForHyperParameterTuningJob": "ResourceNotFound",
}


def missing_tuning_job(operation: str, name: str) -> tuple[str, str]:
    """The (code, message) the service answers when ``operation`` names a missing tuning job."""
    return MISSING_TUNING_JOB_CODE[operation], tuning_job_not_found(name)


def tuning_job_not_stoppable(name: str, status: str) -> str:
    """ValidationException: StopHyperParameterTuningJob on a job not InProgress (not confirmed)."""
    return (
        f"The request was rejected because the hyperparameter tuning job {name} is in "
        f"status {status}."
    )


def tuning_job_not_deletable(name: str, status: str) -> str:
    """DeleteHyperParameterTuningJob before a terminal status.  Clients match "not in a
    terminal state" (the Terraform provider stops the job and retries on it:
    hashicorp/terraform-provider-aws, internal/service/sagemaker/hyper_parameter_tuning_job.go);
    the rest of the sentence is not confirmed."""
    return (
        f"Hyperparameter tuning job {name} is in status {status}: it is not in a terminal"
        " state and cannot be deleted."
    )


def no_training_job_succeeded(attempts: int) -> str:
    """FailureReason of a tuning job whose first children all failed (confirmed, 2025 text)."""
    return (
        f"No training job succeeded after {attempts} attempts. For additional details, please "
        "take a look at the training job failures by listing training jobs for the "
        "hyperparameter tuning job."
    )


def instance_quota_exceeded(instance_type: str, limit: int, current: int, delta: int) -> str:
    """ResourceLimitExceeded: parallel jobs x InstanceCount above the quota (confirmed)."""
    return (
        f"The account-level service limit '{instance_type} for training job usage' is {limit} "
        f"Instances, with current utilization of {current} Instances and a request delta of "
        f"{delta} Instances. Please use AWS Service Quotas to request an increase for this quota. "
        "If AWS Service Quotas is not available, contact AWS support to request an increase for "
        "this quota."
    )


# CreateHyperParameterTuningJob semantic validation.
METRIC_NOT_DEFINED = (  # confirmed
    "A metric is required for this hyperparameter tuning job objective. "
    "Provide a metric in the metric definitions."
)


def not_enough_combinations(total: int, max_jobs: int) -> str:
    """Only discrete ranges, fewer combinations than MaxNumberOfTrainingJobs (confirmed)."""
    return (
        "You don't have enough combinations of hyperparameter ranges. The total number of "
        f"hyperparameter combinations for the provided ranges [{float(total)}] must be equal or "
        f"greater than the value of MaxNumberOfJobs, [{max_jobs}]. Provide additional ranges."
    )


WARM_START_HYPERPARAMETERS_CHANGED = (  # confirmed
    "The set of tunable plus static HyperParameter names is not the same across current and "
    "parent tuning jobs. Please ensure this set is constant when warm starting. Note that "
    "previously static HyperParameters can be tuned in warm start jobs and vice versa."
)


def range_value_not_numeric(name: str, field: str, value: str, integer: bool) -> str:
    """MinValue/MaxValue of a range that does not parse (not confirmed)."""
    kind = "an integer" if integer else "a number"
    return f"The {field} '{value}' of hyperparameter '{name}' must be {kind}."


def range_min_above_max(name: str, min_value: str, max_value: str) -> str:
    """MinValue > MaxValue (not confirmed)."""
    return (
        f"The MinValue '{min_value}' of hyperparameter '{name}' must be less than or equal to "
        f"its MaxValue '{max_value}'."
    )


def logarithmic_needs_positive(name: str) -> str:
    """Logarithmic scaling with MinValue <= 0 (not confirmed)."""
    return (
        f"Logarithmic scaling works only for ranges that have only values greater than 0, "
        f"but the range of hyperparameter '{name}' includes values less than or equal to 0."
    )


def reverse_logarithmic_integer(name: str) -> str:
    """ReverseLogarithmic on an integer range (not confirmed)."""
    return (
        f"ReverseLogarithmic scaling is supported only for continuous hyperparameters, "
        f"but hyperparameter '{name}' is an integer hyperparameter."
    )


def reverse_logarithmic_range(name: str) -> str:
    """ReverseLogarithmic outside 0 <= x < 1.0 (not confirmed)."""
    return (
        f"ReverseLogarithmic scaling works only for ranges that are entirely within the range "
        f"0<=x<1.0, but the range of hyperparameter '{name}' is not."
    )


def hyperparameter_tuned_twice(name: str) -> str:
    """One name in two parameter ranges (not confirmed)."""
    return f"The hyperparameter '{name}' is specified in more than one hyperparameter range."


def hyperparameter_tuned_and_static(name: str) -> str:
    """One name both tuned and static (not confirmed)."""
    return (
        f"The hyperparameter '{name}' is specified in both the hyperparameter ranges and the "
        "static hyperparameters."
    )


def too_many_tuned_hyperparameters(count: int, limit: int) -> str:
    """More ranges than the service allows in total (not confirmed)."""
    return (
        f"The number of hyperparameters in the hyperparameter ranges ({count}) exceeds the "
        f"maximum of {limit}."
    )


def too_many_hyperparameters(count: int, limit: int) -> str:
    """Static + tunable (+ _tuning_objective_metric) above the limit (not confirmed)."""
    return (
        f"The total number of static and tunable hyperparameters ({count}), including "
        f"_tuning_objective_metric, exceeds the maximum of {limit}."
    )


AUTO_PARAMETERS_NEED_AUTOTUNE = (  # not confirmed
    "AutoParameters can be specified only when Autotune is enabled."
)
OBJECTIVE_REQUIRED = (  # not confirmed
    "HyperParameterTuningJobObjective is required when TrainingJobDefinition is specified."
)


def parallel_above_max(parallel: int, max_jobs: int) -> str:
    """MaxParallelTrainingJobs > MaxNumberOfTrainingJobs (not confirmed)."""
    return (
        f"MaxParallelTrainingJobs ({parallel}) must be less than or equal to "
        f"MaxNumberOfTrainingJobs ({max_jobs})."
    )


def max_jobs_required(strategy: str) -> str:
    """Non-Grid strategy without MaxNumberOfTrainingJobs or Autotune (not confirmed)."""
    return f"MaxNumberOfTrainingJobs is required for the {strategy} strategy."


def quota_exceeded(field: str, value: int, limit: int) -> str:
    """A ResourceLimits value above its default service quota (not confirmed)."""
    return (
        f"The value of {field} ({value}) exceeds the account-level service limit of {limit}. "
        "Please use AWS Service Quotas to request an increase for this quota."
    )


EXACTLY_ONE_DEFINITION = (  # not confirmed
    "Exactly one of TrainingJobDefinition or TrainingJobDefinitions must be specified."
)


def duplicate_definition_name(name: str) -> str:
    """Two TrainingJobDefinitions with one DefinitionName (not confirmed)."""
    return f"The training job definition name '{name}' is used more than once."


def definition_missing(field: str) -> str:
    """A member each entry of TrainingJobDefinitions must carry (not confirmed)."""
    return f"{field} must be specified for each training job definition in TrainingJobDefinitions."


def definitions_forbid(field: str) -> str:
    """A HyperParameterTuningJobConfig member replaced by per-definition members (not confirmed)."""
    return (
        f"HyperParameterTuningJobConfig.{field} must not be specified when "
        "TrainingJobDefinitions is specified."
    )


GRID_ONLY_CATEGORICAL = (  # not confirmed
    "Only categorical parameters are supported when using the Grid search strategy."
)


def grid_max_jobs_mismatch(max_jobs: int, combinations: int) -> str:
    """Grid with a MaxNumberOfTrainingJobs other than the number of combinations (not confirmed)."""
    return (
        f"For the Grid search strategy, MaxNumberOfTrainingJobs ({max_jobs}) must equal the total "
        f"number of distinct categorical combinations ({combinations})."
    )


def grid_too_many_combinations(combinations: int, limit: int) -> str:
    """Grid search space above the training-jobs-per-tuning-job quota (not confirmed)."""
    return (
        f"The total number of distinct categorical combinations ({combinations}) exceeds the "
        f"maximum number of training jobs per hyperparameter tuning job ({limit})."
    )


HYPERBAND_EARLY_STOPPING = (  # wording after the API reference; not confirmed
    "TrainingJobEarlyStoppingType must be Off to use the Hyperband strategy."
)


def hyperband_min_above_max(min_resource: int, max_resource: int) -> str:
    """Hyperband MinResource > MaxResource (not confirmed)."""
    return (
        f"MinResource ({min_resource}) must be less than or equal to MaxResource "
        f"({max_resource}) in HyperbandStrategyConfig."
    )


def hyperband_max_resource_too_large(max_resource: int, limit: int) -> str:
    """Hyperband MaxResource above the documented 20,000 (not confirmed)."""
    return f"MaxResource ({max_resource}) must be less than or equal to {limit}."


HYPERBAND_MAX_RESOURCE_UNKNOWN = (  # not confirmed
    "MaxResource was not specified in HyperbandStrategyConfig and could not be inferred from "
    "the static hyperparameters (epochs, numepochs, n-epochs, n_epochs, num_epochs)."
)


def duplicate_warm_start_parent(name: str) -> str:
    """A parent listed twice in WarmStartConfig (not confirmed)."""
    return f"The parent hyperparameter tuning job '{name}' is specified more than once."


def warm_start_parent_not_found(name: str) -> str:
    """WarmStartConfig names a tuning job that does not exist (not confirmed)."""
    return f"The parent hyperparameter tuning job '{name}' does not exist."


def warm_start_parent_not_terminal(name: str, status: str) -> str:
    """WarmStartConfig names a tuning job that has not finished (not confirmed)."""
    return (
        f"The parent hyperparameter tuning job '{name}' is in status {status}. Parent jobs must "
        "be in a terminal state (Completed, Stopped or Failed)."
    )


# --- Compilation jobs --------------------------------------------------------
# Texts quoted from real AWS output say so; the rest are AWS-style wording not
# confirmed against the service (docs/fidelity.md, "Compilation jobs").

# Quoted from moto, the only public source found (wording not confirmed).
COMPILATION_INPUT_AND_MODEL_PACKAGE = (
    "InputConfig and ModelPackageVersionArn cannot be specified at the same time."
)
COMPILATION_INPUT_OR_MODEL_PACKAGE_REQUIRED = (
    "Either InputConfig or ModelPackageVersionArn must be specified."
)
COMPILATION_TARGET_DEVICE_AND_PLATFORM = (
    "TargetDevice and TargetPlatform are mutually exclusive. Specify only one of them."
)
COMPILATION_TARGET_DEVICE_OR_PLATFORM_REQUIRED = (
    "Either TargetDevice or TargetPlatform must be specified in OutputConfig."
)

# AWS's own text (aws/amazon-sagemaker-examples#3239), "targetsand" included.
COMPILATION_FRAMEWORK_VERSION_TARGET_PREFIX = (
    "Unsupported framework version field for target. Framework version is supported "
    "for Target Platform configuration and only part of target devices. \n"
    "Framework version is only supported for "
)


def compilation_framework_version_target(cloud: tuple[str, ...], edge: tuple[str, ...]) -> str:
    """FrameworkVersion given for a TargetDevice that does not take one (AWS's text)."""
    return (
        f"{COMPILATION_FRAMEWORK_VERSION_TARGET_PREFIX}{', '.join(cloud)} cloud targets"
        f"and {', '.join(edge)} edge targets."
    )


def compilation_framework_version_framework(framework: str, allowed: tuple[str, ...]) -> str:
    """FrameworkVersion given for a framework that has no versions to choose."""
    return (
        f"FrameworkVersion is not supported for framework {framework}. It is only supported "
        f"for the {', '.join(allowed)} frameworks."
    )


def compilation_framework_version_unsupported(
    framework: str, version: str, supported: tuple[str, ...]
) -> str:
    """A FrameworkVersion Neo does not list for the framework."""
    return (
        f"Framework version {version} is not supported for framework {framework}. "
        f"Supported versions: {', '.join(supported)}."
    )


def compilation_compiler_options_not_object(value: str) -> str:
    """CompilerOptions that is JSON but not a dictionary (outside Inferentia targets)."""
    return f"CompilerOptions '{value}' must be a JSON dictionary of compiler options."


def compilation_invalid_compiler_option(option: str, value: object, expected: str) -> str:
    """A documented compiler option with a value of the wrong form."""
    return f"Invalid value {value!r} for compiler option {option}: {expected}."


def compilation_coreml_framework(framework: str) -> str:
    """TargetDevice coreml with a framework the CoreML converter cannot read."""
    return (
        f"Framework {framework} is not supported for TargetDevice coreml. "
        "CoreML compilation supports TENSORFLOW and PYTORCH models."
    )


def compilation_data_input_config_required(framework: str) -> str:
    """DataInputConfig missing for a framework that needs input names and shapes."""
    return f"DataInputConfig is required for framework {framework}."


def compilation_data_input_config_not_json(value: str) -> str:
    """DataInputConfig that is not a JSON document."""
    return f"DataInputConfig '{value}' is not a valid JSON string."


def compilation_data_input_config_form(framework: str, example: str) -> str:
    """DataInputConfig of the wrong overall form for its framework."""
    return (
        f"Invalid DataInputConfig for framework {framework}. Specify the name and shape "
        f"of each expected data input, for example {example}."
    )


def compilation_data_input_config_shape(name: str, shape: object) -> str:
    """One input whose shape is not a non-empty list of positive integers."""
    return (
        f"Invalid shape {shape!r} for input '{name}' in DataInputConfig. "
        "A shape must be a non-empty list of positive integers."
    )


def compilation_max_runtime(value: int, limit: int) -> str:
    """StoppingCondition.MaxRuntimeInSeconds above the documented 28-day maximum."""
    return f"StoppingCondition.MaxRuntimeInSeconds {value} exceeds the maximum of {limit} seconds."


def compilation_job_exists(name: str) -> str:
    """CreateCompilationJob with a name already used (moto's text; not confirmed)."""
    return (
        f"Resource Already Exists: Compilation job with name {name} already exists. "
        "Choose a different name."
    )


# Describe/Stop/Delete of a compilation job that does not exist (moto's text).
COMPILATION_JOB_NOT_FOUND = "Could not find compilation job '{name}'."

#: Operation -> (error code, message template with {name}) for a missing job.
#: The API reference models ResourceNotFound for all three.
MISSING_COMPILATION_JOB: dict[str, tuple[str, str]] = {
    "DescribeCompilationJob": ("ResourceNotFound", COMPILATION_JOB_NOT_FOUND),
    "StopCompilationJob": ("ResourceNotFound", COMPILATION_JOB_NOT_FOUND),
    "DeleteCompilationJob": ("ResourceNotFound", COMPILATION_JOB_NOT_FOUND),
}


def compilation_job_not_stoppable(name: str, status: str) -> str:
    """StopCompilationJob on a job that is neither STARTING nor INPROGRESS."""
    return f"The request was rejected because the compilation job {name} is in status {status}."


def compilation_job_not_deletable(name: str, status: str) -> str:
    """DeleteCompilationJob on a job that is not COMPLETED, FAILED or STOPPED."""
    return (
        f"Compilation job {name} is in status {status} and cannot be deleted. You can delete a "
        "compilation job only if its status is COMPLETED, FAILED, or STOPPED."
    )


#: FailureReason texts for scripted failures, by kind.  Fields: {bucket}, {key},
#: {framework} (Neo's spelling, e.g. Tensorflow), {target}, {input}, {seconds}.
COMPILATION_FAILURE_REASONS: dict[str, str] = {
    # aws/amazon-sagemaker-examples#1546
    "s3_object_missing": (
        "ClientError: InputConfiguration: S3 object does not exist. Bucket: {bucket}, Key: {key}"
    ),
    # aws/amazon-sagemaker-examples#1037 (Tensorflow) and #846 (ONNX)
    "incompatible_model": "ClientError: InputConfiguration: Incompatible {framework} model",
    # SageMaker developer guide, "Troubleshoot Neo Compilation Errors"
    "wrong_input_shape": (
        "ClientError: InputConfiguration: Input {input} has wrong shape in Input Shape "
        "dictionary. Input shapes should be provided in NCHW format."
    ),
    # aws/amazon-sagemaker-examples#2664
    "operator_not_supported": (
        "ClientError: CompilationError: Unable to compile model for {target}:"
    ),
    # aws/amazon-sagemaker-examples#1284
    "internal_error": (
        "ServerError: There was an internal server error during the compilation job, please "
        "try again in a few minutes or contact amazon-neo-feedback@amazon.com to get support "
        "for this compilation job."
    ),
    # A job whose output location cannot be written (an S3OutputLocation that names no
    # valid bucket); wording not confirmed.
    "output_location": (
        "ClientError: OutputConfiguration: Unable to upload the compiled model to {output}"
    ),
    # CompilerOptions that is not JSON: accepted at creation (no evidence AWS refuses
    # it), the compilation then fails; wording not confirmed.
    "compiler_options_not_json": (
        "ClientError: OutputConfiguration: CompilerOptions '{options}' is not a valid JSON string."
    ),
    # The API reference names a TimeOut error; wording not confirmed.
    "timeout": (
        "ClientError: TimeOut: The compilation job did not complete within "
        "MaxRuntimeInSeconds ({seconds} seconds)."
    ),
}

# --- Tags ----------------------------------------------------------------------
# Training-job ARNs: arn:{partition}:sagemaker:{region}:{account}:training-job/{name},
# the name lower-cased (as in every ARN quoted in issues; rule not confirmed).
MAX_TAGS_PER_RESOURCE = 50


def too_many_tags(arn: str) -> str:
    """AddTags that would leave more than 50 tags on a resource (not confirmed)."""
    return (
        f"Resource {arn} cannot have more than {MAX_TAGS_PER_RESOURCE} tags. "
        "Remove some tags and try again."
    )


#: AddTags/ListTags/DeleteTags on an ARN naming no resource (ValidationException),
#: as ListTags answered in boto/boto3#4606 (2025); the ARN is not echoed.
TAGGED_RESOURCE_NOT_FOUND = "Resource does not exist"


# --- CloudWatch Logs (sagemaker_lite.views.logs) ------------------------------------
# AWS's texts: prefect-aws#177 and epsagon/list-lambdas#5 quote them from real answers.
LOG_GROUP_MISSING = "The specified log group does not exist."
LOG_STREAM_MISSING = "The specified log stream does not exist."
# The texts moto answers with (no captured AWS answer found; see docs/fidelity.md).
LOG_TOKEN_INVALID = "The specified nextToken is invalid."
LOG_ORDER_WITH_PREFIX = "Cannot order by LastEventTime with a logStreamNamePrefix."
# The API reference documents InvalidParameterException here; wording not confirmed.
LOG_NAMES_AND_PREFIX = "logStreamNames and logStreamNamePrefix are mutually exclusive."


def log_limit_too_high(limit: int, most: int) -> str:
    """A ``limit`` above the operation's maximum (AWS's usual validation wording)."""
    return (
        f"1 validation error detected: Value '{limit}' at 'limit' failed to satisfy "
        f"constraint: Member must have value less than or equal to {most}"
    )


# --- CloudWatch metrics (sagemaker_lite.views.metrics) ------------------------------
# InvalidParameterValue with moto's text (no captured AWS answer found).
METRICS_START_AFTER_END = "The parameter StartTime must be less than the parameter EndTime."

# --- CloudWatch and CloudWatch Logs: hostile input (issue 24.2, 24.9; docs/fidelity.md) ----
# A value its deserializer cannot take (wording not confirmed; the code is Smithy's).
CLOUDWATCH_SERIALIZATION = "Start of structure or map found where not expected."
# ValidationError (aws-solutions/quota-monitor-for-aws#171 quotes it from AWS).
METRICS_DUPLICATE_IDS = "The values for parameter id in MetricDataQueries are not unique."
# InvalidNextToken: the model's documented text ("The next token specified is invalid.").
METRICS_TOKEN_INVALID = "The next token specified is invalid."
# InvalidParameterException for a filter pattern that cannot be parsed (wording not confirmed).
LOG_FILTER_INVALID = "Invalid filter pattern."


def metrics_statistic_invalid(index: int) -> str:
    """GetMetricStatistics with a statistic outside the set (InvalidParameterValue;
    arabold/aws-to-slack#74 and Technofy/cloudwatch_exporter#13 quote AWS's answer)."""
    return (
        f"The parameter Statistics.member.{index} must be a value in the set "
        "[ Minimum, Maximum, Average, SampleCount, Sum ]."
    )


def metrics_stat_invalid(value: str, index: int) -> str:
    """GetMetricData with an unknown ``Stat`` (ValidationError; one line per query,
    joined by newlines: prometheus-community/yet-another-cloudwatch-exporter#385)."""
    return (
        f"The value {value} for parameter MetricDataQueries.member.{index}.MetricStat.Stat"
        " is not a valid statistic."
    )


# --- Models, processing jobs, batch transform jobs --------------------------------
# Evidence for each text is in docs/fidelity.md ("Models, processing and transform jobs").


def model_exists(arn: str) -> str:
    """CreateModel with a name already used (ValidationException; confirmed: SDK v2 and
    many user scripts match "Cannot create already existing model")."""
    return f'Cannot create already existing model "{arn}".'


def model_not_found(arn: str) -> str:
    """DescribeModel, DeleteModel or CreateTransformJob naming no model (ValidationException;
    confirmed for CreateTransformJob and CreateEndpointConfig in public logs)."""
    return f'Could not find model "{arn}".'


def job_exists(arn: str) -> str:
    """CreateProcessingJob / CreateTransformJob with a name already used (ResourceInUse;
    confirmed for processing jobs, assumed the same for transform jobs)."""
    return (
        "Job name must be unique within an AWS account and region, "
        f"and a job with this name already exists ({arn})"
    )


def job_not_found(name: str) -> str:
    """Describe/Stop of a processing or transform job that does not exist (ValidationException,
    the error botocore's waiters expect; wording not confirmed)."""
    return f"Could not find requested job with name {name}"


def job_not_stoppable(noun: str, status: str) -> str:
    """StopProcessingJob / StopTransformJob on a job that is not InProgress (not confirmed)."""
    return f"The request was rejected because the {noun} is in status {status}."


#: The documented ceiling of MaxPayloadInMB and of MaxConcurrentTransforms * MaxPayloadInMB.
MAX_TRANSFORM_PAYLOAD_MB = 100


def transform_payload_too_large(value: int) -> str:
    """MaxPayloadInMB above 100 (API reference: "cannot be greater than 100 MB"; wording
    not confirmed)."""
    return f"MaxPayloadInMB {value} exceeds the maximum of {MAX_TRANSFORM_PAYLOAD_MB} MB."


def transform_concurrency_too_large(concurrent: int, payload: int) -> str:
    """MaxConcurrentTransforms * MaxPayloadInMB above 100 (API reference; wording not confirmed)."""
    return (
        f"The product of MaxConcurrentTransforms ({concurrent}) and MaxPayloadInMB ({payload}) "
        f"cannot exceed {MAX_TRANSFORM_PAYLOAD_MB} MB."
    )


# --- S3 inputs (issue 21; docs/fidelity.md, "S3 inputs") ----------------------------


def no_s3_objects(uri: str, region: str, role: str, bucket: str) -> str:
    """CreateTrainingJob / CreateTransformJob (ValidationException) when no object's key
    starts with an S3Prefix input's S3Uri (aws/amazon-sagemaker-examples#2489, #2414).
    Manifests are read as the job downloads: :data:`MANIFEST_FAILURE_REASONS`."""
    return (
        f'No S3 objects found under S3 URL "{uri}" given in input data source. Please ensure '
        f"that the bucket exists in the selected region ({region}), that objects exist under "
        f'that S3 prefix, and that the role "{role}" has "s3:ListBucket" permissions on '
        f'bucket "{bucket}".'
    )


def compilation_input_missing(bucket: str, key: str) -> str:
    """A compilation job's FailureReason when its model artifact does not exist
    (aws/amazon-sagemaker-examples#1546)."""
    return (
        f"ClientError: InputConfiguration: S3 object does not exist. Bucket: {bucket}, Key: {key}"
    )


#: The FailureReasons of a job whose input is a manifest (a training channel or
#: transform input of S3DataType ManifestFile / AugmentedManifestFile, a processing
#: input of ManifestFile) when it downloads its data, by job kind, then by case:
#: ``missing`` (the manifest), ``invalid`` (it cannot be read as the API reference
#: describes it), ``object_missing`` (an object it lists).  Fields: {uri} (the
#: manifest), {name} (the channel or InputName), {detail} (why it is not valid),
#: {bucket} and {key} (the missing object).  Our wording: no public capture
#: (docs/fidelity.md, "S3 inputs"); "S3 object does not exist. Bucket: ..., Key: ..."
#: follows Neo's confirmed text (compilation_input_missing above).
MANIFEST_FAILURE_REASONS: dict[str, dict[str, str]] = {
    "training-job": {
        "missing": (
            "ClientError: Data download failed: the manifest file {uri} of channel "
            "'{name}' does not exist."
        ),
        "invalid": (
            "ClientError: Data download failed: the manifest file {uri} of channel "
            "'{name}' is not valid: {detail}."
        ),
        "object_missing": (
            "ClientError: Data download failed: S3 object does not exist. Bucket: {bucket}, "
            "Key: {key} (listed in the manifest of channel '{name}')."
        ),
    },
    # A processing job's failed download: "ClientError: Failed to download data. ..."
    # (aws-samples/sagemaker-run-notebook#32).
    "processing-job": {
        "missing": (
            "ClientError: Failed to download data. The manifest file {uri} of input "
            "'{name}' does not exist."
        ),
        "invalid": (
            "ClientError: Failed to download data. The manifest file {uri} of input "
            "'{name}' is not valid: {detail}."
        ),
        "object_missing": (
            "ClientError: Failed to download data. S3 object does not exist. Bucket: "
            "{bucket}, Key: {key} (listed in the manifest of input '{name}')."
        ),
    },
    # A transform job has one input, no name: it is the "input data source" of AWS's
    # confirmed CreateTransformJob text for an empty S3Prefix (no_s3_objects above).
    "transform-job": {
        "missing": (
            "ClientError: The manifest file {uri} given in input data source does not exist."
        ),
        "invalid": (
            "ClientError: The manifest file {uri} given in input data source is not valid: "
            "{detail}."
        ),
        "object_missing": (
            "ClientError: S3 object does not exist. Bucket: {bucket}, Key: {key} (listed in "
            "the manifest {uri} given in input data source)."
        ),
    },
}


def manifest_failure(
    kind: str, case: str, uri: str, name: str | None, *, detail: str = "", missing: str = ""
) -> str:
    """The FailureReason of a ``kind`` job whose manifest ``uri`` (of its input ``name``;
    None for a transform's) is ``case`` (:data:`MANIFEST_FAILURE_REASONS`): ``detail``
    says why it is invalid, ``missing`` is the URI of the listed object not there."""
    bucket, _, key = missing.removeprefix("s3://").partition("/")
    return MANIFEST_FAILURE_REASONS[kind][case].format(
        uri=uri, name=name, detail=detail, bucket=bucket, key=key
    )


def model_data_missing(uri: str) -> str:
    """CreateModel (ValidationException) whose ModelDataUrl / ModelDataSource has no object
    (aws/aws-step-functions-data-science-sdk-python#61, aws-ia/ecs-blueprints#223)."""
    return f"Could not find model data at {uri}."


# --- Endpoints, endpoint configurations, sagemaker-runtime --------------------------
# (docs/fidelity.md, "Endpoints": where each text was seen)


def endpoint_config_exists(arn: str) -> str:
    """CreateEndpointConfig with a name in use (ValidationException; confirmed: a logged
    ClientError in awslabs/spot-tagging-bot-for-digital-assets#2)."""
    return f'Cannot create already existing endpoint configuration "{arn}".'


def endpoint_config_not_found(arn: str) -> str:
    """Describe/DeleteEndpointConfig, CreateEndpoint or UpdateEndpoint naming no config
    (ValidationException; confirmed: the SDK's DescribeEndpointConfig in
    aws/amazon-sagemaker-examples#2339)."""
    return f'Could not find endpoint configuration "{arn}".'


def endpoint_exists(arn: str) -> str:
    """CreateEndpoint with a name in use (ValidationException; confirmed:
    aws/sagemaker-python-sdk#101)."""
    return f'Cannot create already existing endpoint "{arn}".'


def endpoint_not_found(arn: str) -> str:
    """Describe/Update/DeleteEndpoint naming no endpoint (ValidationException; confirmed:
    DeleteEndpoint in aws/amazon-sagemaker-examples#2402)."""
    return f'Could not find endpoint "{arn}".'


def endpoint_in_progress(arn: str) -> str:
    """Update or delete of an endpoint that is Creating, Updating, RollingBack...
    (ValidationException; confirmed for DeleteEndpoint while Creating and for
    UpdateEndpointWeightsAndCapacities while Updating: the operator-for-k8s constants,
    users' reports)."""
    return f'Cannot update in-progress endpoint "{arn}".'


def endpoint_failed_update(arn: str) -> str:
    """UpdateEndpoint of a Failed endpoint (ValidationException; wording not confirmed)."""
    return f'Cannot update failed endpoint "{arn}".'


def endpoint_variants_unknown(names: list[str], config: str) -> str:
    """UpdateEndpointWeightsAndCapacities naming variants the endpoint does not have
    (ValidationException; wording not confirmed)."""
    listed = ", ".join(names)
    return (
        f"The variant(s) [{listed}] are not present in the endpoint configuration "
        f"{config} of this endpoint."
    )


def runtime_endpoint_not_found(name: str, account: str) -> str:
    """sagemaker-runtime's answer for an endpoint that does not exist or is not in service
    (ValidationError, the runtime's code; confirmed: aws/amazon-sagemaker-examples#293)."""
    return f"Endpoint {name} of account {account} not found."


def runtime_payload_too_large(limit: int) -> str:
    """InvokeEndpoint whose Body is over the runtime's HTTP front end's limit: HTTP 413 with
    this plain text (confirmed, for 2018's 5 MB limit, 5246976 bytes: aws/sagemaker-python-sdk#171,
    aws/amazon-sagemaker-examples#245; today's number is inferred, docs/fidelity.md)."""
    return f"HTTP content length exceeded {limit} bytes."


def runtime_variant_not_found(variant: str, name: str) -> str:
    """InvokeEndpoint with a TargetVariant the endpoint lacks (ValidationError; wording not
    confirmed)."""
    return f"Variant {variant} not found for endpoint {name}."


def runtime_model_error(status: int, message: str, region: str, group: str, account: str) -> str:
    """ModelError: the container answered an error (confirmed: the wording users quote, as in
    aws/amazon-sagemaker-examples#4324 and philschmid/cdk-samples#5)."""
    kind = "client" if status < 500 else "server"
    console = f"https://{region}.console.aws.amazon.com/cloudwatch/home?region={region}"
    return (
        f'Received {kind} error ({status}) from primary with message "{message}". '
        f"See {console}#logEventViewer:group={group} in account {account} for more information."
    )


def runtime_not_async(name: str) -> str:
    """InvokeEndpointAsync on an endpoint without AsyncInferenceConfig (ValidationError;
    wording not confirmed)."""
    return f"Endpoint {name} is not configured for asynchronous inference."


def runtime_input_missing(location: str) -> str:
    """InvokeEndpointAsync whose InputLocation holds no object (ValidationError; wording not
    confirmed)."""
    return f"Could not read the input at {location}."


# --- The model registry (sagemaker_lite.families.registry) -------------------------
# Evidence for each text is in docs/fidelity.md ("The model registry").


def model_package_group_exists(arn: str) -> str:
    """CreateModelPackageGroup with a name already used (ValidationException; the start
    "Model Package Group already exists" is what Airflow's SageMakerHook matches)."""
    return f"Model Package Group already exists: {arn}"


def model_package_group_not_found(arn: str) -> str:
    """A model package group that does not exist (ValidationException; the wording follows
    DescribeModelPackage's confirmed one)."""
    return f"ModelPackageGroup {arn} does not exist."


def model_package_not_found(arn: str) -> str:
    """DescribeModelPackage (and the other package operations) naming no package
    (ValidationException; confirmed from a real answer)."""
    return f"ModelPackage {arn} does not exist."


def model_package_exists(arn: str) -> str:
    """CreateModelPackage with an unversioned name already used (not confirmed)."""
    return f"ModelPackage already exists: {arn}"


#: CreateModelPackage naming both a package and a group (ValidationException; the text a
#: moto contributor reported from AWS, getmoto/moto#7165).
PACKAGE_NAME_AND_GROUP = (
    "Both ModelPackageName and ModelPackageGroupName are provided in the input. "
    "Cannot determine which one to use."
)
#: CreateModelPackage naming neither (ValidationException; getmoto/moto#7165: "Missing ARN").
PACKAGE_NAME_OR_GROUP_MISSING = "Missing ARN."


def model_package_group_not_empty(arn: str) -> str:
    """DeleteModelPackageGroup while versions remain (ConflictException; not confirmed)."""
    return (
        f"Model Package Group {arn} cannot be deleted because it contains model packages. "
        "Delete the model packages first."
    )


# --- Pipelines (sagemaker_lite.families.pipelines) ----------------------------------
# Evidence for each text is in docs/fidelity.md ("Pipelines").


def pipeline_exists(name: str) -> str:
    """CreatePipeline with a name already used (ValidationException; the SDK's upsert
    matches "already exists"; wording as moto answers it, not confirmed)."""
    return (
        "Pipeline names must be unique within an AWS account and region. "
        f"Pipeline with name ({name}) already exists."
    )


def pipeline_not_found(arn: str) -> str:
    """A pipeline that does not exist (ResourceNotFound; wording not confirmed)."""
    return f"Pipeline '{arn}' does not exist."


def pipeline_version_not_found(arn: str, version: int) -> str:
    """DescribePipeline of a version the pipeline never had (ResourceNotFound; not confirmed)."""
    return f"Pipeline version '{version}' of pipeline '{arn}' does not exist."


def pipeline_execution_not_found(arn: str) -> str:
    """A pipeline execution that does not exist (ResourceNotFound; not confirmed)."""
    return f"Pipeline execution '{arn}' does not exist."


def pipeline_definition_invalid(detail: str) -> str:
    """CreatePipeline/UpdatePipeline with a definition the service cannot read
    (ValidationException; "Unable to parse pipeline definition." and the details
    "Expecting start of Json Object.", "Expecting start of Json Array.",
    "Unknown Argument member 'X'." and the enum form are confirmed)."""
    return f"Unable to parse pipeline definition. {detail}"


EXPECTING_OBJECT = "Expecting start of Json Object."
EXPECTING_ARRAY = "Expecting start of Json Array."


def unknown_argument_member(member: str) -> str:
    """A step's Arguments naming a member its job's request does not have (confirmed)."""
    return f"Unknown Argument member '{member}'."


def enum_member_invalid(value: str, shape: str, values: list[str]) -> str:
    """A step argument outside its enum (confirmed: sagemaker-python-sdk, FastFile)."""
    return (
        f"Model Validation failed: Value '{value}' for '{shape}' failed to satisfy "
        f"enum value set: [{', '.join(values)}]"
    )


def unknown_step_type(step_type: str) -> str:
    """A step Type the service does not know (not confirmed)."""
    return f"Unknown step type '{step_type}'."


def duplicate_step_name(name: str) -> str:
    """Two steps of one definition with the same name (not confirmed)."""
    return f"Step names must be unique: '{name}' is used more than once."


def depends_on_fail_step(step: str, fail: str) -> str:
    """A step depending on a Fail step (confirmed fragment: "CondStep can not depends on
    FailStep", the SDK's integration tests)."""
    return f"Step {step} can not depends on {fail}."


MISSING_DEFINITION = (  # wording as moto answers it (not confirmed)
    "Either Pipeline Definition or Pipeline Definition S3 location should be provided"
)
BOTH_DEFINITIONS = (  # wording as moto answers it (not confirmed)
    "Both Pipeline Definition and Pipeline Definition S3 Location shouldn't be present"
)
DEFINITION_IN_S3_NOT_SERVED = (
    "sagemaker_lite reads a PipelineDefinitionS3Location through the S3 served in the "
    "process, and none is: stack moto's mock_aws() with mock_sagemaker(), or send the "
    "definition as PipelineDefinition"
)


def definition_object_missing(bucket: str, key: str, version: str | None) -> str:
    """CreatePipeline / UpdatePipeline (ValidationException) whose
    PipelineDefinitionS3Location names no object (wording not confirmed:
    docs/fidelity.md, "Pipeline definitions in S3")."""
    where = f"s3://{bucket}/{key}" + (f" (version {version})" if version else "")
    return f"Unable to read the pipeline definition from {where}: the object does not exist."


def pipeline_execution_status_conflict(action: str, status: str) -> str:
    """Stop/Retry/Send* when the execution (or step) is not in a status allowing it
    (ConflictException; not confirmed)."""
    return f"Cannot {action} a pipeline execution in status {status}."


CALLBACK_TOKEN_NOT_FOUND = "Invalid callback token"  # ResourceNotFound; not confirmed
#: The execution's FailureReason once a step failed (confirmed: the SDK's integration
#: tests and public DescribePipelineExecution answers).
STEP_FAILURE = "Step failure: One or multiple steps failed."


def step_type_not_run(step_type: str) -> str:
    """The FailureReason of a step the emulator cannot run (EMR, AutoML, notebooks...)."""
    return f"sagemaker_lite does not run {step_type} steps: the step fails without starting"
