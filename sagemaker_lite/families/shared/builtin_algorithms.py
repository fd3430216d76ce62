"""SageMaker's built-in algorithm images and the metrics they publish.

One table: which image repositories are built-in algorithms (tuning lets their
objective go undefined), the MetricDefinitions AWS fills into a job on such an
image that sent none, and which of them a default job emits. Evidence:
docs/fidelity.md, "Round 3" (real DescribeHyperParameterTuningJob answers).
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

#: Repositories of SageMaker's built-in algorithm images.
REPOSITORIES: Final = frozenset(
    {
        "blazingtext", "factorization-machines", "forecasting-deepar", "image-classification",
        "instance-segmentation", "ipinsights", "kmeans", "knn", "lda", "linear-learner", "ntm",
        "object-detection", "object2vec", "pca", "randomcutforest", "semantic-segmentation",
        "seq2seq", "xgboost", "sagemaker-xgboost",
    }
)  # fmt: skip

# XGBoost prints "[epoch]#011{channel}-{metric}:{value}"; one regex template serves all.
_XGBOOST_REGEX = (
    r".*\[[0-9]+\].*#011{channel}-{metric}:([-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?).*"
)
_XGBOOST_METRICS = (
    "accuracy", "auc", "aucpr", "error", "f1", "gamma-deviance", "gamma-nloglik", "logloss",
    "mae", "map", "merror", "mlogloss", "mse", "ndcg", "poisson-nloglik", "rmse",
    "tweedie-nloglik",
)  # fmt: skip

# Linear Learner prints "#quality_metric: host=..., {channel} {metric} <kind>=value":
# the line's middle by metric ({c}: the channel), and the metrics of each channel,
# as a real describe lists them (37 definitions).
_LL_QUALITY = r"#quality_metric: host=\S+, {middle}=(\S+)"
_LL_MIDDLES = {
    "absolute_loss": "{c} absolute_loss <loss>",
    "binary_classification_accuracy": "{c} binary_classification_accuracy <score>",
    "binary_f_beta": r"{c} binary_f_\S+ <score>",
    "dcg": "{c} dcg <score>",
    "macro_f_beta": r"{c} macro_f_\S+ <score>",
    "macro_precision": "{c} macro_precision <score>",
    "macro_recall": "{c} macro_recall <score>",
    "mse": "{c} mse <loss>",
    "multiclass_accuracy": "{c} multiclass_accuracy <score>",
    "multiclass_top_k_accuracy": r"{c} multiclass_top_k_accuracy_\S+ <score>",
    "objective_loss": r"epoch=\S+, {c} \S+_objective <loss>",
    "objective_loss:final": r"{c} \S+_objective <loss>",
    "precision": "{c} precision <score>",
    "recall": "{c} recall <score>",
}
_LL_COMMON = (
    "absolute_loss", "binary_classification_accuracy", "binary_f_beta", "mse", "precision",
    "recall",
)  # fmt: skip
_LL_MULTICLASS = (
    "dcg", "macro_f_beta", "macro_precision", "macro_recall", "multiclass_accuracy",
    "multiclass_top_k_accuracy",
)  # fmt: skip
_LL_CHANNELS = {
    "train": (*_LL_COMMON, "objective_loss", "objective_loss:final"),
    "validation": (*_LL_COMMON, *_LL_MULTICLASS, "objective_loss", "objective_loss:final"),
    "test": (*_LL_COMMON, *_LL_MULTICLASS, "objective_loss"),
}
_LL_OTHERS = (
    {"Name": "train:progress", "Regex": r"#progress_metric: host=\S+, completed (\S+) %"},
    {
        "Name": "train:throughput",
        "Regex": r"#throughput_metric: host=\S+, train throughput=(\S+) records/second",
    },
)


def _xgboost() -> tuple[dict[str, str], ...]:
    return tuple(
        {"Name": f"{c}:{m}", "Regex": _XGBOOST_REGEX.format(channel=c, metric=m)}
        for c in ("train", "validation")
        for m in _XGBOOST_METRICS
    )


def _linear_learner() -> tuple[dict[str, str], ...]:
    definitions = []
    for channel, metrics in _LL_CHANNELS.items():
        for metric in metrics:
            # test's objective_loss is printed once, without an epoch (the :final line).
            line = (
                "objective_loss:final"
                if (channel, metric) == ("test", "objective_loss")
                else metric
            )
            middle = _LL_MIDDLES[line].replace("{c}", channel)
            definitions.append(
                {"Name": f"{channel}:{metric}", "Regex": _LL_QUALITY.format(middle=middle)}
            )
    return (*definitions, *_LL_OTHERS)


#: MetricDefinitions AWS fills in for a job on these repositories that sends none.
METRIC_DEFINITIONS: Final[Mapping[str, tuple[dict[str, str], ...]]] = {
    "xgboost": _xgboost(),
    "sagemaker-xgboost": _xgboost(),
    "linear-learner": _linear_learner(),
}

#: What a default job emits, by repository: metric (without channel) -> the
#: channels it is reported for, when the job has that channel.
_EMITTED: Final[Mapping[str, Mapping[str, tuple[str, ...]]]] = {
    # XGBoost's default objective reg:squarederror evaluates rmse on every watched channel.
    "xgboost": {"rmse": ("train", "validation")},
    "sagemaker-xgboost": {"rmse": ("train", "validation")},
    "linear-learner": {"objective_loss": ("train", "validation")},
}


def repository(image: str) -> str:
    """The repository of an image URI: ``.../linear-learner:1`` gives ``linear-learner``."""
    return re.split(r"[:@]", image.rsplit("/", 1)[-1], maxsplit=1)[0]


def is_built_in(image: str) -> bool:
    """Whether a training image is one of SageMaker's built-in algorithms."""
    return repository(image) in REPOSITORIES


def metric_definitions(image: str) -> tuple[dict[str, str], ...]:
    """The MetricDefinitions AWS gives a job on ``image`` (empty when it gives none)."""
    return METRIC_DEFINITIONS.get(repository(image), ())


def emitted_definitions(
    image: str, request: Mapping[str, Any], hyperparameters: Mapping[str, str]
) -> list[dict[str, str]]:
    """The definitions a default job on ``image`` reports values for.

    XGBoost reports the metrics named by ``eval_metric`` (comma separated) or
    its default; each for the channels it evaluates that the job has.
    """
    repo = repository(image)
    emitted = _EMITTED.get(repo)
    if emitted is None:
        return []
    if repo.endswith("xgboost") and hyperparameters.get("eval_metric"):
        channels = emitted["rmse"]
        emitted = {m.strip(): channels for m in hyperparameters["eval_metric"].split(",")}
    given = {c.get("ChannelName") for c in request.get("InputDataConfig") or ()}
    wanted = {
        f"{channel}:{metric}"
        for metric, channels in emitted.items()
        for channel in channels
        if channel in given
    }
    return [d for d in metric_definitions(image) if d["Name"] in wanted]


def fill_metric_definitions(spec: dict[str, Any]) -> Sequence[Mapping[str, str]]:
    """Give ``spec`` (an AlgorithmSpecification) its algorithm's definitions if it sent none.

    Returns the definitions now in ``spec``.
    """
    image = spec.get("TrainingImage")
    if not spec.get("MetricDefinitions") and image and not spec.get("AlgorithmName"):
        definitions = metric_definitions(image)
        if definitions:
            spec["MetricDefinitions"] = [dict(d) for d in definitions]
    result: Sequence[Mapping[str, str]] = spec.get("MetricDefinitions") or ()
    return result
