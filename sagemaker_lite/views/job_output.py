"""What a training job's instances print, derived from its plan: the source of its logs.

Nothing here is stored: the lines of a job are a pure function of its plan,
its request and its history, read at virtual time ``now``.  Scripted lines
(``script_training(logs=...)``) are printed by ``algo-1`` at the times their
metrics were extracted at; otherwise each point of each metric curve becomes
a line its ``MetricDefinitions`` regex reads back as that value, so the logs
and the metrics always agree.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from sagemaker_lite.contract.linear_regex import Program, Unsupported, compile_program
from sagemaker_lite.engine.behaviour import log_offsets, metric_names
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.families.shared.training_metrics import (
    emitted_points,
    output_end,
    training_start,
)

Line = tuple[float, str]  # (epoch seconds, message)


def instance_count(request: Mapping[str, Any]) -> int:
    """How many instances (log streams) a training job runs on."""
    resources = request.get("ResourceConfig") or {}
    groups = resources.get("InstanceGroups")
    if groups:
        return sum(int(group.get("InstanceCount", 0)) for group in groups) or 1
    return int(resources.get("InstanceCount") or 1)


def instance_type(request: Mapping[str, Any]) -> str:
    """The instance type a job runs on (the first group's, for heterogeneous clusters)."""
    resources = request.get("ResourceConfig") or {}
    groups = resources.get("InstanceGroups")
    if groups:
        return str(groups[0].get("InstanceType", ""))
    return str(resources.get("InstanceType", ""))


def host_lines(job: Job, host: int, now: float) -> list[Line]:
    """The lines host ``algo-{host}`` of ``job`` printed by ``now``, oldest first."""
    start = training_start(job)
    if start is None or start > now:
        return []
    request = job.request
    plan = job.data["plan"]
    end = output_end(job)
    count = instance_count(request)
    lines: list[Line] = [
        (
            start,
            f"Starting training job {job.name} on algo-{host} of {count}"
            f" ({instance_type(request)})",
        ),
        (
            start,
            f"Hyperparameters: {json.dumps(request.get('HyperParameters') or {}, sort_keys=True)}",
        ),
    ]
    restored = job.data.get("restored_checkpoints")
    if restored:
        lines.append((start, _restored_line(request, restored)))
    if host == 1:
        lines += _algorithm_lines(job, plan, start, now)
    if end is not None and end <= now and job.entered("Uploading") == end:
        lines.append((end, "Training complete; uploading the model artifacts."))
    if job.status == "Failed" and job.failure_reason:  # printed as the job fails
        lines.append((job.modified, job.failure_reason))
    lines.sort(key=lambda line: line[0])
    return lines


#: Where SageMaker puts a job's checkpoints when CheckpointConfig names no LocalPath.
DEFAULT_CHECKPOINT_PATH = "/opt/ml/checkpoints"


def _restored_line(request: Mapping[str, Any], paths: Sequence[str]) -> str:
    """What a job that starts with checkpoints under its S3Uri prints: they were copied
    to its LocalPath before training (the developer guide's "Use checkpoints")."""
    config = request.get("CheckpointConfig") or {}
    local = config.get("LocalPath") or DEFAULT_CHECKPOINT_PATH
    return (
        f"Restored {len(paths)} checkpoint file(s) from {config.get('S3Uri')} to {local}: "
        + ", ".join(paths)
    )


def _algorithm_lines(job: Job, plan: Mapping[str, Any], start: float, now: float) -> list[Line]:
    """The training loop's own lines: the scripted ones, or one per metric point."""
    end = output_end(job)
    cutoff = min(now, end if end is not None else now)
    scripted: Sequence[str] | None = plan.get("logs")
    if scripted is not None:
        offsets = log_offsets(len(scripted), plan["durations"]["Training"])
        return [
            (start + offset, line)
            for offset, line in zip(offsets, scripted, strict=True)
            if start + offset <= cutoff
        ]
    regexes = _regexes(job.request)
    lines: list[Line] = []
    for metric in metric_names(plan):
        for step, (at, value) in enumerate(emitted_points(job, metric, now)):
            lines.append((at, metric_line(metric, value, regexes.get(metric), step)))
    return lines


def _regexes(request: Mapping[str, Any]) -> dict[str, str]:
    definitions = (request.get("AlgorithmSpecification") or {}).get("MetricDefinitions") or ()
    return {d["Name"]: d["Regex"] for d in definitions}


# Ways programs commonly print a metric; the first one the job's regex reads
# back as the value is used.  ``{short}`` is the name after its channel prefix.
_FORMS = (
    "{name}: {value}",
    "{name}={value}",
    "{name} = {value}",
    "{short}: {value}",
    "{short}={value}",
    "{short} = {value}",
    "[{step}]#011{channel}-{short}:{value}",  # XGBoost's evaluation lines, as CloudWatch shows them
    "{name} {value}",
    "{short} {value}",
)


@functools.lru_cache(maxsize=65536)
def metric_line(metric: str, value: float, regex: str | None, step: int = 0) -> str:
    """A line that ``regex`` (the metric's MetricDefinitions regex) reads as ``value``.

    ``step``: the point's index on its curve (the epoch, for forms that print one).

    Tries the common forms, then a line built from the regex itself; when
    nothing fits (a regex no output of the value can satisfy), the plain form.
    Memoised: a log reader asks for the same lines at every poll.
    """
    text = repr(float(value))
    channel, _, short = metric.rpartition(":")
    fields = {
        "name": metric,
        "value": text,
        "short": short,
        "channel": channel or "train",
        "step": str(step),
    }
    if regex is None:
        return _FORMS[0].format(**fields)
    try:  # the linear-time engine: a user's regex never backtracks here either
        pattern = compile_program(regex)
    except Unsupported:
        return _FORMS[0].format(**fields)
    for form in _FORMS:
        line = form.format(**fields)
        if _reads_back(pattern, line, value):
            return line
    built = _built_from(regex, text)
    if built is not None and _reads_back(pattern, built, value):
        return built
    return _FORMS[0].format(**fields)


def _reads_back(pattern: Program, line: str, value: float) -> bool:
    match = pattern.search(line)
    text = None if match is None else match[1] if pattern.groups else match[0]
    if text is None:
        return False
    try:
        return float(text) == float(value)
    except ValueError:
        return False


def _built_from(regex: str, value: str) -> str | None:
    """A string the regex matches with ``value`` in its first group (best effort, or None)."""
    try:
        import re._parser as parser  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse as parser
    try:
        parsed = parser.parse(regex, 0)
    except Exception:  # any parse trouble just means "no sample"
        return None
    return _sample(list(parsed), value)


_CATEGORY_SAMPLES = {"CATEGORY_DIGIT": "0", "CATEGORY_SPACE": " ", "CATEGORY_WORD": "a"}


def _sample(items: list[tuple[Any, Any]], value: str) -> str | None:
    out: list[str] = []
    for op, arg in items:
        kind = str(op)
        if kind == "LITERAL":
            out.append(chr(arg))
        elif kind in ("ANY", "NOT_LITERAL"):
            out.append(" " if kind == "ANY" or arg != ord(" ") else "x")
        elif kind == "IN":
            char = _class_sample(arg)
            if char is None:
                return None
            out.append(char)
        elif kind in ("MAX_REPEAT", "MIN_REPEAT", "POSSESSIVE_REPEAT"):
            low, _, inner = arg
            piece = _sample(list(inner), value) if low else ""
            if piece is None:
                return None
            out.append(piece * low)
        elif kind == "SUBPATTERN":
            group, inner = arg[0], arg[-1]
            piece = value if group == 1 else _sample(list(inner), value)
            if piece is None:
                return None
            out.append(piece)
        elif kind == "BRANCH":
            piece = _sample(list(arg[1][0]), value)
            if piece is None:
                return None
            out.append(piece)
        elif kind != "AT":
            return None
    return "".join(out)


def _class_sample(items: Sequence[tuple[Any, Any]]) -> str | None:
    for op, arg in items:
        kind = str(op)
        if kind == "NEGATE":
            return None
        if kind == "LITERAL":
            return chr(arg)
        if kind == "RANGE":
            return chr(arg[0])
        if kind == "CATEGORY":
            return _CATEGORY_SAMPLES.get(str(arg))
    return None


def lines_by_host(job: Job, now: float) -> Iterator[tuple[int, list[Line]]]:
    """``(host number, lines)`` of every instance of ``job`` that has started by ``now``."""
    if training_start(job) is None:
        return
    for host in range(1, instance_count(job.request) + 1):
        yield host, host_lines(job, host, now)
