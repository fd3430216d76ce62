"""SageMaker Neo facts as data: targets, platforms, frameworks and their versions.

Sources (see docs/fidelity.md, "Compilation jobs"): the API reference for
OutputConfig / TargetPlatform / InputConfig, the Neo developer-guide pages
"Supported Instance Types and Frameworks", "Supported Frameworks" (edge) and
"Inference Container Images", and AWS's own ValidationException text that
lists the targets accepting ``FrameworkVersion``.
"""

from __future__ import annotations

from typing import Final

# --- Targets -----------------------------------------------------------------

#: Cloud instance families (``ml_*``): Neo returns an InferenceImage for these.
CLOUD_TARGETS: Final = frozenset(
    {
        "ml_m4", "ml_m5", "ml_m6g", "ml_c4", "ml_c5", "ml_c6g", "ml_p2", "ml_p3",
        "ml_g4dn", "ml_inf1", "ml_inf2", "ml_trn1", "ml_eia2",
    }
)  # fmt: skip

GPU_CLOUD_TARGETS: Final = frozenset({"ml_p2", "ml_p3", "ml_g4dn"})

#: Inferentia / Trainium targets: CompilerOptions is a Neuron CLI string.
NEURON_TARGETS: Final = frozenset({"ml_inf1", "ml_inf2", "ml_trn1"})

#: Targets that accept ``InputConfig.FrameworkVersion``: the cloud and edge
#: lists of AWS's "Unsupported framework version field for target" message,
#: plus the Neuron targets the SageMaker SDK later started sending it for.
FRAMEWORK_VERSION_CLOUD_TARGETS: Final = (
    "ml_c4", "ml_c5", "ml_m4", "ml_m5", "ml_p2", "ml_p3", "ml_g4dn",
)  # fmt: skip
FRAMEWORK_VERSION_EDGE_TARGETS: Final = (
    "lambda", "jetson_tx1", "jetson_nano", "jetson_tx2", "jetson_xavier", "deeplens",
    "rasp3b", "rasp4b", "imx8qm", "rk3288", "rk3399", "aisage", "sbe_c", "qcs605",
    "qcs603", "x86_win32", "x86_win64",
)  # fmt: skip
FRAMEWORK_VERSION_TARGETS: Final = (
    frozenset(FRAMEWORK_VERSION_CLOUD_TARGETS + FRAMEWORK_VERSION_EDGE_TARGETS) | NEURON_TARGETS
)

# --- TargetPlatform ----------------------------------------------------------

#: (Os, Arch) -> accelerators allowed with it (None: no accelerator).  Built from
#: the OutputConfig examples (Raspberry Pi, Jetson, RK3399, Android phones, EC2)
#: and the enum documentation (ARM_EABI is the Android 32-bit ABI).
PLATFORM_ACCELERATORS: Final[dict[tuple[str, str], frozenset[str | None]]] = {
    ("LINUX", "X86_64"): frozenset({None, "NVIDIA", "INTEL_GRAPHICS"}),
    ("LINUX", "X86"): frozenset({None, "INTEL_GRAPHICS"}),
    ("LINUX", "ARM64"): frozenset({None, "NVIDIA", "MALI", "NNA"}),
    ("LINUX", "ARM_EABIHF"): frozenset({None, "MALI"}),
    ("ANDROID", "ARM64"): frozenset({None}),
    ("ANDROID", "ARM_EABI"): frozenset({None}),
    ("ANDROID", "X86_64"): frozenset({None}),
    ("ANDROID", "X86"): frozenset({None}),
}

#: CompilerOptions keys the NVIDIA accelerator requires ("It also requires
#: gpu-code, trt-ver, cuda-ver compiler options").
NVIDIA_REQUIRED_OPTIONS: Final = ("gpu-code", "trt-ver", "cuda-ver")

ANDROID_API_LEVELS: Final = range(21, 30)  # "Available levels range from 21 to 29."
DTYPES: Final = frozenset({"float", "float32", "int64", "long"})

# --- Frameworks ----------------------------------------------------------------

#: Frameworks for which DataInputConfig is not needed ("XGBOOST: input data name
#: and shape are not needed"; scikit-learn models carry no tensor inputs).
FRAMEWORKS_WITHOUT_INPUT_SHAPES: Final = frozenset({"XGBOOST", "SKLEARN"})

#: Frameworks that also accept a bare list of shapes (``[[1,3,224,224]]``).
LIST_FORM_FRAMEWORKS: Final = frozenset({"PYTORCH"})

#: The documented one-input example per framework, quoted in error messages.
DATA_INPUT_EXAMPLES: Final[dict[str, str]] = {
    "TENSORFLOW": '{"input":[1,1024,1024,3]}',
    "KERAS": '{"input_1":[1,3,224,224]}',
    "MXNET": '{"data":[1,3,1024,1024]}',
    "ONNX": '{"data":[1,3,1024,1024]}',
    "DARKNET": '{"data":[1,3,1024,1024]}',
    "PYTORCH": '{"input0":[1,3,224,224]} or [[1,3,224,224]]',
    "TFLITE": '{"input":[1,224,224,3]}',
}

#: PyTorch >= 2.0 models compiled for cloud instances need no DataInputConfig:
#: Neo derives it from the model (DescribeCompilationJob DerivedInformation).
PYTORCH_DERIVED_INPUT_MIN_VERSION: Final = (2, 0)

#: The CoreML converter supports TensorFlow and PyTorch models.
COREML_FRAMEWORKS: Final = frozenset({"TENSORFLOW", "PYTORCH"})
COREML_INPUT_TYPES: Final = frozenset({"Image", "Tensor"})

#: "This API field is only supported for the MXNet, PyTorch, TensorFlow and
#: TensorFlow Lite frameworks."
FRAMEWORK_VERSION_FRAMEWORKS: Final = ("MXNET", "PYTORCH", "TENSORFLOW", "TFLITE")

#: major.minor versions Neo lists per framework (cloud, edge and Inferentia
#: tables together); a patch level such as 1.15.3 matches its 1.15 entry.
SUPPORTED_FRAMEWORK_VERSIONS: Final[dict[str, tuple[str, ...]]] = {
    "MXNET": ("1.5", "1.8"),
    "PYTORCH": ("1.4", "1.5", "1.6", "1.7", "1.8", "1.9", "1.12", "1.13", "2.0"),
    "TENSORFLOW": ("1.15", "2.4", "2.5", "2.9"),
    "TFLITE": ("1.15",),
}

# --- Inference images (DescribeCompilationJob.InferenceImage) ----------------

#: Framework -> (repository, tag template, default framework version) for CPU
#: and GPU cloud targets; ``{version}`` and ``{processor}`` are filled in.
CLOUD_INFERENCE_IMAGES: Final[dict[str, tuple[str, str, str]]] = {
    "XGBOOST": ("xgboost-neo", "latest", ""),
    "KERAS": ("sagemaker-neo-keras", "{version}-{processor}-py3", "2.2.4"),
    "MXNET": ("sagemaker-inference-mxnet", "{version}-{processor}-py3", "1.8.0"),
    "ONNX": ("sagemaker-neo-onnx", "{version}-{processor}-py3", "1.5.0"),
    "PYTORCH": ("sagemaker-inference-pytorch", "{version}-{processor}-py3", "1.8"),
    "TENSORFLOW": ("sagemaker-inference-tensorflow", "{version}-{processor}-py3", "1.15.3"),
}

#: Framework -> (repository, tag template, default version) on ml_inf1.
INF1_INFERENCE_IMAGES: Final[dict[str, tuple[str, str, str]]] = {
    "MXNET": ("sagemaker-neo-mxnet", "{version}-inf-py3", "1.5.1"),
    "PYTORCH": ("sagemaker-neo-pytorch", "{version}-inf-py3", "1.5.1"),
    "TENSORFLOW": ("sagemaker-neo-tensorflow", "{version}-inf-py3", "1.15.0"),
}

#: Region -> AWS account that hosts the Neo inference images.
NEO_IMAGE_ACCOUNTS: Final[dict[str, str]] = {
    "af-south-1": "774647643957",
    "ap-east-1": "110948597952",
    "ap-northeast-1": "941853720454",
    "ap-northeast-2": "151534178276",
    "ap-northeast-3": "925152966179",
    "ap-south-1": "763008648453",
    "ap-southeast-1": "324986816169",
    "ap-southeast-2": "355873309152",
    "ca-central-1": "464438896020",
    "eu-central-1": "746233611703",
    "eu-north-1": "601324751636",
    "eu-south-1": "966458181534",
    "eu-west-1": "802834080501",
    "eu-west-2": "205493899709",
    "eu-west-3": "254080097072",
    "me-south-1": "836785723513",
    "sa-east-1": "756306329178",
    "us-east-1": "785573368785",
    "us-east-2": "007439368137",
    "us-west-1": "710691900526",
    "us-west-2": "301217895009",
}

#: How Neo spells each framework inside FailureReason texts ("Incompatible
#: Tensorflow model", "Incompatible ONNX model", "No valid Mxnet model file").
FAILURE_FRAMEWORK_NAMES: Final[dict[str, str]] = {
    "TENSORFLOW": "Tensorflow",
    "KERAS": "Keras",
    "MXNET": "Mxnet",
    "ONNX": "ONNX",
    "PYTORCH": "PyTorch",
    "XGBOOST": "XGBoost",
    "TFLITE": "TFLite",
    "DARKNET": "Darknet",
    "SKLEARN": "Sklearn",
}
