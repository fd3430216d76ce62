"""Semantic rules and derived values for SageMaker Neo compilation jobs.

``check_create_compilation_job`` runs after schema validation: an ordered table
of small rules, each returning AWS's message for the first thing it finds wrong
(or ``None``).  The facts the rules consult live in :mod:`neo_targets`; every
text lives in :mod:`sagemaker_lite.contract.messages`.
"""

from __future__ import annotations

import ast
import hashlib
import json
import re
from collections.abc import Callable, Mapping
from typing import Any, Final

from sagemaker_lite.contract import messages
from sagemaker_lite.contract.errors import ApiError, validation_error
from sagemaker_lite.families.compilation import neo_targets as neo

Request = Mapping[str, Any]
Rule = Callable[[Request], "str | None"]

# Bucket names: 3-63 lowercase letters, digits, dots and hyphens (S3's rules).
_S3_URI: Final = re.compile(
    r"^s3://(?P<bucket>[a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(?:/(?P<key>.*))?$"
)
# Any URI the model's pattern admits, split into bucket and key for a FailureReason.
_ANY_URI: Final = re.compile(r"^[a-z0-9]+://(?P<bucket>[^/]*)/?(?P<key>.*)$")
_COREML_RANGE: Final = re.compile(r"^\d+\.\.(?:\d+|-1)$")

#: 28 days: the documented maximum of StoppingCondition.MaxRuntimeInSeconds.
MAX_RUNTIME_LIMIT: Final = 28 * 24 * 3600

STOPPABLE_STATUSES: Final = frozenset({"STARTING", "INPROGRESS"})
#: "You can delete a compilation job only if its current status is COMPLETED,
#: FAILED, or STOPPED."
DELETABLE_STATUSES: Final = frozenset({"COMPLETED", "FAILED", "STOPPED"})


# --- parsing helpers -----------------------------------------------------------


def parse_json_like(text: str) -> Any:
    """Parse a DataInputConfig / CompilerOptions string.

    AWS's own examples use Python-literal quoting (``{'data': [1,3,224,224]}``)
    and Neo accepts it, so a literal is tried when strict JSON fails.
    Raises ``ValueError`` when the text is neither.
    """
    try:
        return json.loads(text)
    except ValueError:
        pass
    try:
        return ast.literal_eval(text.strip())
    except (ValueError, SyntaxError, TypeError, MemoryError, RecursionError) as exc:
        raise ValueError(str(exc)) from exc


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_shape(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(_is_int(d) and d >= 1 for d in value)


def _version_tuple(version: str) -> tuple[int, ...]:
    parts = []
    for piece in version.split("."):
        if not piece.isdigit():
            break
        parts.append(int(piece))
    return tuple(parts)


def _major_minor(version: str) -> str:
    return ".".join(version.split(".")[:2])


def _target(request: Request) -> str | None:
    device = request.get("OutputConfig", {}).get("TargetDevice")
    return device if isinstance(device, str) else None


def _input(request: Request) -> Mapping[str, Any]:
    config = request.get("InputConfig")
    return config if isinstance(config, Mapping) else {}


def _derives_input_shapes(request: Request) -> bool:
    """PyTorch >= 2.0 compiled for a cloud instance: Neo reads the shapes itself."""
    config = _input(request)
    version = config.get("FrameworkVersion")
    return (
        config.get("Framework") == "PYTORCH"
        and isinstance(version, str)
        and _version_tuple(version) >= neo.PYTORCH_DERIVED_INPUT_MIN_VERSION
        and _target(request) in neo.CLOUD_TARGETS
    )


# --- rules ---------------------------------------------------------------------


def _rule_model_source(request: Request) -> str | None:
    has_input = "InputConfig" in request
    has_package = "ModelPackageVersionArn" in request
    if has_input and has_package:
        return messages.COMPILATION_INPUT_AND_MODEL_PACKAGE
    if not has_input and not has_package:
        return messages.COMPILATION_INPUT_OR_MODEL_PACKAGE_REQUIRED
    return None


def _rule_target(request: Request) -> str | None:
    output = request.get("OutputConfig", {})
    has_device, has_platform = "TargetDevice" in output, "TargetPlatform" in output
    if has_device and has_platform:
        return messages.COMPILATION_TARGET_DEVICE_AND_PLATFORM
    if not has_device and not has_platform:
        return messages.COMPILATION_TARGET_DEVICE_OR_PLATFORM_REQUIRED
    return None


def _unsupported_platform(request: Request) -> bool:
    """A TargetPlatform Os/Arch/Accelerator combination outside the documented ones."""
    platform = request.get("OutputConfig", {}).get("TargetPlatform")
    if not isinstance(platform, Mapping):
        return False
    os_, arch = str(platform.get("Os")), str(platform.get("Arch"))
    return platform.get("Accelerator") not in neo.PLATFORM_ACCELERATORS.get(
        (os_, arch), frozenset()
    )


def _nvidia_options_missing(request: Request) -> bool:
    """Accelerator NVIDIA without the gpu-code, trt-ver and cuda-ver compiler options."""
    output = request.get("OutputConfig", {})
    platform = output.get("TargetPlatform")
    if not isinstance(platform, Mapping) or platform.get("Accelerator") != "NVIDIA":
        return False
    try:
        options = parse_json_like(output.get("CompilerOptions") or "{}")
    except ValueError:
        return False  # the job fails for the options themselves (deferred_failure)
    return not isinstance(options, dict) or any(
        key not in options for key in neo.NVIDIA_REQUIRED_OPTIONS
    )


#: Documented compiler options: name -> (check, what a valid value looks like).
_OPTION_CHECKS: Final[dict[str, tuple[Callable[[Any], bool], str]]] = {
    "gpu-code": (
        lambda v: isinstance(v, str) and re.fullmatch(r"sm_\d+", v) is not None,
        "expected a GPU architecture such as sm_72",
    ),
    "trt-ver": (
        lambda v: isinstance(v, str) and re.fullmatch(r"\d+\.\d+\.\d+", v) is not None,
        "expected a TensorRT version in x.y.z format",
    ),
    "cuda-ver": (
        lambda v: isinstance(v, str) and re.fullmatch(r"\d+\.\d+", v) is not None,
        "expected a CUDA version in x.y format",
    ),
    "ANDROID_PLATFORM": (
        lambda v: _is_int(v) and v in neo.ANDROID_API_LEVELS,
        "expected an Android API level from 21 to 29",
    ),
    "mattr": (
        lambda v: (
            isinstance(v, list)
            and all(isinstance(f, str) and f[:1] in ("+", "-") and len(f) > 1 for f in v)
        ),
        "expected a list of CPU flags such as ['+neon']",
    ),
    "mcpu": (lambda v: isinstance(v, str) and bool(v), "expected a CPU micro-architecture name"),
    "dtype": (
        lambda v: isinstance(v, str) and v in neo.DTYPES,
        "expected one of float, float32, int64, long",
    ),
    "class_labels": (
        lambda v: isinstance(v, str) and bool(v),
        "expected the name of a labels file inside the model archive",
    ),
}


def _rule_compiler_options(request: Request) -> str | None:
    output = request.get("OutputConfig", {})
    raw = output.get("CompilerOptions")
    if raw is None:
        return None
    try:
        options = parse_json_like(raw)
    except ValueError:
        return None  # accepted; the job fails when Neo reads it (deferred_failure)
    if _target(request) in neo.NEURON_TARGETS:
        return None  # a Neuron compiler command line, passed through as is
    if not isinstance(options, dict):
        return messages.compilation_compiler_options_not_object(raw)
    for name, value in options.items():
        check = _OPTION_CHECKS.get(name)
        if check is not None and not check[0](value):
            return messages.compilation_invalid_compiler_option(name, value, check[1])
    return None


def _rule_framework_version(request: Request) -> str | None:
    config = _input(request)
    version = config.get("FrameworkVersion")
    if not isinstance(version, str):
        return None
    framework = str(config.get("Framework"))
    if framework not in neo.FRAMEWORK_VERSION_FRAMEWORKS:
        return messages.compilation_framework_version_framework(
            framework, neo.FRAMEWORK_VERSION_FRAMEWORKS
        )
    target = _target(request)
    if target is not None and target not in neo.FRAMEWORK_VERSION_TARGETS:
        return messages.compilation_framework_version_target(
            neo.FRAMEWORK_VERSION_CLOUD_TARGETS, neo.FRAMEWORK_VERSION_EDGE_TARGETS
        )
    supported = neo.SUPPORTED_FRAMEWORK_VERSIONS[framework]
    if _major_minor(version) not in supported:
        return messages.compilation_framework_version_unsupported(framework, version, supported)
    return None


def _rule_coreml(request: Request) -> str | None:
    framework = _input(request).get("Framework")
    if _target(request) == "coreml" and framework and framework not in neo.COREML_FRAMEWORKS:
        return messages.compilation_coreml_framework(str(framework))
    return None


def _coreml_shape_ok(shape: Any) -> bool:
    """A CoreML shape: static, with range dimensions ("1..10"), or enumerated."""
    if _is_shape(shape):
        return True
    if isinstance(shape, list) and shape and all(_is_shape(s) for s in shape):
        return True
    return isinstance(shape, list) and bool(shape) and all(_coreml_dim_ok(d) for d in shape)


def _coreml_dim_ok(dim: Any) -> bool:
    return (_is_int(dim) and dim >= 1) or (isinstance(dim, str) and bool(_COREML_RANGE.match(dim)))


def _check_input(name: str, spec: Any, coreml: bool) -> str | None:
    """One named input: a shape, or (CoreML) a dictionary with a shape."""
    if coreml and isinstance(spec, dict):
        shape, default = spec.get("shape"), spec.get("default_shape")
        if not _coreml_shape_ok(shape):
            return messages.compilation_data_input_config_shape(name, shape)
        if default is not None and not _is_shape(default):
            return messages.compilation_data_input_config_shape(name, default)
        return None
    if not _is_shape(spec):
        return messages.compilation_data_input_config_shape(name, spec)
    return None


def _rule_data_input(request: Request) -> str | None:
    config = _input(request)
    framework = config.get("Framework")
    if not config or not isinstance(framework, str):
        return None
    raw = config.get("DataInputConfig")
    if raw is None:
        needed = framework not in neo.FRAMEWORKS_WITHOUT_INPUT_SHAPES
        if needed and not _derives_input_shapes(request):
            return messages.compilation_data_input_config_required(framework)
        return None
    try:
        parsed = parse_json_like(raw)
    except ValueError:
        return messages.compilation_data_input_config_not_json(raw)
    if framework in neo.FRAMEWORKS_WITHOUT_INPUT_SHAPES:
        return None  # not needed, so not interpreted
    coreml = _target(request) == "coreml"
    if isinstance(parsed, dict) and parsed and all(isinstance(k, str) and k for k in parsed):
        inputs = list(parsed.items())
    elif isinstance(parsed, list) and parsed and framework in neo.LIST_FORM_FRAMEWORKS:
        inputs = [(f"input{i}", spec) for i, spec in enumerate(parsed)]
    else:
        return messages.compilation_data_input_config_form(
            framework, neo.DATA_INPUT_EXAMPLES.get(framework, neo.DATA_INPUT_EXAMPLES["MXNET"])
        )
    for name, spec in inputs:
        problem = _check_input(name, spec, coreml)
        if problem:
            return problem
    return None


def _rule_stopping_condition(request: Request) -> str | None:
    runtime = request.get("StoppingCondition", {}).get("MaxRuntimeInSeconds")
    if _is_int(runtime) and runtime > MAX_RUNTIME_LIMIT:
        return messages.compilation_max_runtime(runtime, MAX_RUNTIME_LIMIT)
    return None


#: The rules in the order they are checked; the first message found is raised.
CREATE_RULES: Final[tuple[Rule, ...]] = (
    _rule_model_source,
    _rule_target,
    _rule_compiler_options,
    _rule_framework_version,
    _rule_coreml,
    _rule_data_input,
    _rule_stopping_condition,
)


def check_create_compilation_job(request: Request) -> None:
    """Raise AWS's ValidationException for the first semantic rule ``request`` breaks."""
    for rule in CREATE_RULES:
        message = rule(request)
        if message is not None:
            raise validation_error(message)


def _compiler_options_parse(request: Request) -> bool:
    """Whether CompilerOptions, if given, is a JSON (or Python literal) document."""
    raw = request.get("OutputConfig", {}).get("CompilerOptions")
    if not isinstance(raw, str):
        return True
    try:
        parse_json_like(raw)
    except ValueError:
        return False
    return True


def deferred_failure(request: Request) -> tuple[str, str] | None:
    """``(phase, FailureReason)`` of a request Neo accepts but cannot compile, else None.

    No public source shows AWS refusing these at CreateCompilationJob, so they are not
    refused (docs/fidelity.md, "Rules without evidence"): the job fails at the end of
    ``phase`` (``STARTING`` for an input it cannot read, ``INPROGRESS`` for a target it
    cannot compile for or an output it cannot write), as Neo would notice it.
    """
    source = _input(request).get("S3Uri")
    if isinstance(source, str) and not _S3_URI.match(source):
        return "STARTING", failure_reason("s3_object_missing", request)
    if not _compiler_options_parse(request):
        return "INPROGRESS", failure_reason("compiler_options_not_json", request)
    if _unsupported_platform(request) or _nvidia_options_missing(request):
        return "INPROGRESS", failure_reason("operator_not_supported", request)
    output = str(request.get("OutputConfig", {}).get("S3OutputLocation", ""))
    if not _S3_URI.match(output):
        return "INPROGRESS", failure_reason("output_location", request)
    return None


# --- other operations ------------------------------------------------------------


def duplicate_compilation_job(name: str) -> ApiError:
    """The error CreateCompilationJob answers when ``name`` is taken."""
    return ApiError("ResourceInUse", messages.compilation_job_exists(name))


def missing_compilation_job(operation: str, name: str) -> ApiError:
    """The error ``operation`` (Describe/Stop/DeleteCompilationJob) answers for no such job."""
    code, template = messages.MISSING_COMPILATION_JOB[operation]
    return ApiError(code, template.format(name=name))


def check_stop_compilation_job(name: str, status: str) -> None:
    """Raise unless a job in ``status`` may be stopped (STARTING or INPROGRESS)."""
    if status not in STOPPABLE_STATUSES:
        raise validation_error(messages.compilation_job_not_stoppable(name, status))


def check_delete_compilation_job(name: str, status: str) -> None:
    """Raise unless a job in ``status`` may be deleted (COMPLETED, FAILED or STOPPED)."""
    if status not in DELETABLE_STATUSES:
        raise validation_error(messages.compilation_job_not_deletable(name, status))


# --- derived values ----------------------------------------------------------------


def target_suffix(request: Request) -> str:
    """The target part of Neo's artifact name: ``ml_c5`` or ``LINUX_ARM64_NVIDIA``."""
    output = request.get("OutputConfig", {})
    device = output.get("TargetDevice")
    if isinstance(device, str):
        return device
    platform = output.get("TargetPlatform", {})
    parts = (platform.get("Os"), platform.get("Arch"), platform.get("Accelerator"))
    return "_".join(str(p) for p in parts if p)


def model_artifact_uri(request: Request) -> str:
    """Where Neo writes the compiled model: ``{S3OutputLocation}/{stem}-{target}.tar.gz``.

    ``stem`` is the input archive's name without ``.tar.gz`` (``model`` for a
    model package or a prefix URI), e.g. ``s3://b/out/model-ml_c5.tar.gz``.
    """
    location = str(request["OutputConfig"]["S3OutputLocation"]).rstrip("/")
    source = str(_input(request).get("S3Uri", ""))
    stem = source.rsplit("/", 1)[-1] if "/" in source else ""
    for suffix in (".tar.gz", ".tgz"):
        if stem.endswith(suffix):
            stem = stem[: -len(suffix)]
    return f"{location}/{stem or 'model'}-{target_suffix(request)}.tar.gz"


#: The framework reported for a model-package job's InputConfig (the package is not
#: emulated, so its container's framework is unknown; not confirmed).
MODEL_PACKAGE_FRAMEWORK: Final = "PYTORCH"


def model_package_input(request: Request) -> dict[str, str]:
    """The InputConfig a model-package job describes: the package's model data and framework.

    ``{region, account, package, version}`` come from ModelPackageVersionArn; the
    archive is named as SageMaker names a registered model's data (not confirmed).
    """
    arn = str(request.get("ModelPackageVersionArn", ""))
    _, _, _, region, account, resource = (arn.split(":", 5) + [""] * 6)[:6]
    package = resource.partition("/")[2] or "model-package"
    return {
        "S3Uri": f"s3://sagemaker-{region}-{account}/{package}/model.tar.gz",
        "Framework": MODEL_PACKAGE_FRAMEWORK,
    }


def inference_image(request: Request, region: str) -> str | None:
    """The InferenceImage Neo reports for ``ml_*`` targets, or None where it has none."""
    target, config = _target(request), _input(request)
    framework = config.get("Framework")
    account = neo.NEO_IMAGE_ACCOUNTS.get(region)
    if target not in neo.CLOUD_TARGETS or not isinstance(framework, str) or account is None:
        return None
    if target == "ml_inf1":
        entry = neo.INF1_INFERENCE_IMAGES.get(framework)
    elif target in neo.NEURON_TARGETS or target == "ml_eia2":
        entry = None  # served from images outside the Neo table
    else:
        entry = neo.CLOUD_INFERENCE_IMAGES.get(framework)
    if entry is None:
        return None
    repository, tag_template, default_version = entry
    version = config.get("FrameworkVersion") or default_version
    processor = "gpu" if target in neo.GPU_CLOUD_TARGETS else "cpu"
    tag = tag_template.format(version=version, processor=processor)
    return f"{account}.dkr.ecr.{region}.amazonaws.com/{repository}:{tag}"


#: What Neo reports as derived for a PyTorch >= 2.0 model given no DataInputConfig.
DERIVED_PYTORCH_INPUT: Final = '{"input0": [1, 3, 224, 224]}'


def derived_fields(request: Request, *, region: str = "us-east-1") -> dict[str, Any]:
    """Fields a COMPLETED job's DescribeCompilationJob adds, deterministic per request.

    ``ModelDigests`` always (a BLAKE2b digest, as Neo uses, of the job's inputs
    and artifact location); ``InferenceImage`` for ``ml_*`` targets Neo has an
    image for; ``DerivedInformation`` when Neo read the input shapes itself.
    """
    basis = json.dumps(
        {
            "InputConfig": dict(_input(request)),
            "ModelPackageVersionArn": request.get("ModelPackageVersionArn"),
            "OutputConfig": dict(request.get("OutputConfig", {})),
            "Artifact": model_artifact_uri(request),
        },
        sort_keys=True,
        default=str,
    )
    fields: dict[str, Any] = {
        "ModelDigests": {"ArtifactDigest": hashlib.blake2b(basis.encode()).hexdigest()}
    }
    image = inference_image(request, region)
    if image is not None:
        fields["InferenceImage"] = image
    if "DataInputConfig" not in _input(request) and _derives_input_shapes(request):
        fields["DerivedInformation"] = {"DerivedDataInputConfig": DERIVED_PYTORCH_INPUT}
    return fields


def failure_reason(kind: str, request: Request, **fields: Any) -> str:
    """A FailureReason of ``kind`` (see ``messages.COMPILATION_FAILURE_REASONS``) for ``request``.

    Bucket, key, framework and target come from the request; ``fields`` adds or
    overrides placeholders (``input``, ``seconds``).
    """
    source = str(_input(request).get("S3Uri", ""))
    match = _ANY_URI.match(source)
    framework = str(_input(request).get("Framework", ""))
    runtime = request.get("StoppingCondition", {}).get("MaxRuntimeInSeconds", "")
    values: dict[str, Any] = {
        "bucket": match.group("bucket") if match else "",
        "key": (match.group("key") or "") if match else "",
        "framework": neo.FAILURE_FRAMEWORK_NAMES.get(framework, framework),
        "target": target_suffix(request),
        "output": request.get("OutputConfig", {}).get("S3OutputLocation", ""),
        "input": "input",
        "seconds": runtime,
        "options": request.get("OutputConfig", {}).get("CompilerOptions", ""),
    }
    values.update(fields)
    return messages.COMPILATION_FAILURE_REASONS[kind].format(**values)


__all__ = [
    "CREATE_RULES",
    "DELETABLE_STATUSES",
    "MAX_RUNTIME_LIMIT",
    "STOPPABLE_STATUSES",
    "check_create_compilation_job",
    "check_delete_compilation_job",
    "check_stop_compilation_job",
    "deferred_failure",
    "derived_fields",
    "duplicate_compilation_job",
    "failure_reason",
    "inference_image",
    "missing_compilation_job",
    "model_artifact_uri",
    "model_package_input",
    "parse_json_like",
    "target_suffix",
]
