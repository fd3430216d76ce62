"""Scripted outcomes: how long each phase of a job takes, whether it fails, what it measures.

By default every job follows a deterministic plan.  Users override it
globally or per job (by name or predicate); callables are evaluated once, at
creation, against the job's request, so a stored plan is plain data (it goes
into snapshots) and a job's future is fixed the moment it is created.
"""

from __future__ import annotations

import functools
import hashlib
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs

from sagemaker_lite.contract.linear_regex import Unsupported, compile_program

Hyperparameters = Mapping[str, str]
Metrics = Mapping[str, float]
Series = Mapping[str, Sequence[tuple[float, float]]]
Match = None | str | Callable[[Mapping[str, Any]], bool]
#: One outcome for every Debugger/Profiler rule of a job, or outcomes by rule name.
RuleOutcomes = str | Mapping[str, str]
#: A scripted file's content: bytes, text (written as UTF-8), or a function of the
#: job's hyperparameters (training) or ``Environment`` (other kinds) giving either.
Content = bytes | str | Callable[[Mapping[str, str]], "bytes | str"]
#: Scripted files by artifact, then by path inside it: a processing job's
#: ``{OutputName: {relative path: content}}``; a training job's ``"model"``
#: (``model.tar.gz``) and ``"output"`` (``output.tar.gz``) members.
Files = Mapping[str, Mapping[str, Content]]
#: The artifacts of a training job's files (members of model.tar.gz, output.tar.gz).
MODEL_FILES, OUTPUT_FILES = "model", "output"
#: A training job's checkpoint files (written under CheckpointConfig.S3Uri).
CHECKPOINT_FILES = "checkpoints"

TRAINING_PHASES = ("Starting", "Downloading", "Training", "Uploading")
COMPILATION_PHASES = ("STARTING", "INPROGRESS")
PROCESSING_PHASES = ("Starting", "Processing")
TRANSFORM_PHASES = ("Starting", "Transforming")
#: An endpoint's timed phases: Creating, each update (Updating, or RollingBack after a
#: failed one), a scripted SystemUpdating right after it is first InService, Deleting.
ENDPOINT_PHASES = ("Creating", "Updating", "RollingBack", "SystemUpdating", "Deleting")
#: What a Debugger/Profiler rule evaluation can conclude (RuleEvaluationStatus).
RULE_OUTCOMES = ("NoIssuesFound", "IssuesFound", "Error")
DEFAULT_RULE_OUTCOME = "NoIssuesFound"
ANY_RULE = "*"  # the rule_outcomes key that stands for every rule

#: The phases a script may time or fail, per job kind; a script that gives only a
#: failure reason fails the job at the end of the kind's FAILING_PHASE.
PHASES: dict[str, tuple[str, ...]] = {
    "training-job": TRAINING_PHASES,
    "compilation-job": COMPILATION_PHASES,
    "processing-job": PROCESSING_PHASES,
    "transform-job": TRANSFORM_PHASES,
    "endpoint": ENDPOINT_PHASES,
}
FAILING_PHASE = {
    "training-job": "Training",
    "compilation-job": "INPROGRESS",
    "processing-job": "Processing",
    "transform-job": "Transforming",
    "endpoint": "Creating",
}
#: The default plan of each kind: a small job of a few minutes (docs/scripting.md says
#: where the numbers come from).  A request whose own limits are shorter gets the
#: plan shrunk to fit them (``fit_limits``); only a script runs a job into its limit.
DEFAULT_DURATIONS: dict[str, dict[str, float]] = {
    "training-job": {"Starting": 120.0, "Downloading": 30.0, "Training": 180.0, "Uploading": 20.0},
    "compilation-job": {"STARTING": 30.0, "INPROGRESS": 240.0},
    "processing-job": {"Starting": 180.0, "Processing": 300.0},
    "transform-job": {"Starting": 240.0, "Transforming": 180.0},
    # SystemUpdating 0: an endpoint never system-updates unless a script says so.
    "endpoint": {
        "Creating": 300.0,
        "Updating": 300.0,
        "RollingBack": 120.0,
        "SystemUpdating": 0.0,
        "Deleting": 30.0,
    },
}
#: The limits of a request's StoppingCondition and the phases each counts: a training
#: job's MaxRuntimeInSeconds runs from the end of Starting, its MaxWaitTimeInSeconds
#: (managed spot) from creation; processing and compilation count their working phase.
LIMITED_PHASES: dict[str, tuple[tuple[str, tuple[str, ...]], ...]] = {
    "training-job": (
        ("MaxRuntimeInSeconds", TRAINING_PHASES[1:]),
        ("MaxWaitTimeInSeconds", TRAINING_PHASES),
    ),
    "processing-job": (("MaxRuntimeInSeconds", ("Processing",)),),
    "compilation-job": (("MaxRuntimeInSeconds", ("INPROGRESS",)),),
}
#: What share of a limit a default plan shrunk to fit it takes.
FITTED_SHARE = 0.5
DEFAULT_FAILURE_REASON = {
    "training-job": "AlgorithmError: scripted failure",
    "compilation-job": "ClientError: scripted failure",
    # What AWS shows for a failed processing container or transform (docs/fidelity.md).
    "processing-job": "AlgorithmError: See job logs for more information",
    "transform-job": "ClientError: See job logs for more information",
    # What AWS shows for a container that never answers /ping (docs/fidelity.md); the
    # endpoints family puts the variant's name in.
    "endpoint": "The primary container for production variant {variant} did not pass the "
    "ping health check. Please check CloudWatch logs for this endpoint.",
}
#: Points of a default learning curve.
DEFAULT_EPOCHS = 10
#: A metric's direction, as a tuning objective's ``Type`` names it.
MAXIMIZE, MINIMIZE = "Maximize", "Minimize"
# Plans kept for sharing (the cache starts over when full).
MAX_SHARED_PLANS = 4096
# Cap on metric log parsing, so a hostile MetricDefinitions regex has bounded input.
MAX_LOG_LINES = 10_000
MAX_LOG_LINE_LENGTH = 512
# Steps (threads advanced by one character) one MetricDefinitions regex may take
# over a job's log: well under a second at worst, far beyond what a sane regex
# needs for MAX_LOG_LINES lines.
MAX_REGEX_STEPS = 1_000_000


@attrs.frozen
class Script:
    """One user override; unset fields leave the plan as it was."""

    match: Match
    kind: str
    durations: Mapping[str, float] | None = None
    fail_at: str | None = None
    failure_reason: str | None = None
    metrics: Metrics | Callable[[Hyperparameters], Metrics] | None = None
    metric_series: Series | Callable[[Hyperparameters], Series] | None = None
    logs: Sequence[str] | Callable[[Hyperparameters], Sequence[str]] | None = None
    spot_savings: float | None = None
    rule_outcomes: RuleOutcomes | None = None
    exit_message: str | None = None
    files: Files | None = None

    def applies_to(self, name: str, request: Mapping[str, Any]) -> bool:
        """Whether this script governs the job ``name`` created with ``request``."""
        if self.match is None:
            return True
        if isinstance(self.match, str):
            return self.match == name
        return bool(self.match(request))


@attrs.frozen
class ModelScript:
    """What the models ``match`` selects answer: ``respond(body, content_type)``.

    ``match`` is None (every model), a model name, container image or model-data URL,
    or a predicate on the CreateModel request; see
    :mod:`sagemaker_lite.families.shared.inference`, which asks the models.
    """

    match: Match
    respond: Callable[[bytes, str], Any]


class Behaviour:
    """The scripts in force, in the order they were given (later ones win)."""

    def __init__(self) -> None:
        self.scripts: list[Script] = []
        #: What models answer (InvokeEndpoint, async inference, batch transform).
        self.models: list[ModelScript] = []
        self._shared: dict[tuple[Any, ...], dict[str, Any]] = {}

    def add(self, script: Script) -> None:
        """Add an override; it applies to jobs created from now on."""
        phases = PHASES[script.kind]
        for phase in list(script.durations or ()) + ([script.fail_at] if script.fail_at else []):
            if phase not in phases:
                raise ValueError(f"unknown phase {phase!r}; expected one of {phases}")
        for seconds in (script.durations or {}).values():
            if seconds < 0:
                raise ValueError("phase durations cannot be negative")
        outcomes = script.rule_outcomes
        for outcome in [outcomes] if isinstance(outcomes, str) else (outcomes or {}).values():
            if outcome not in RULE_OUTCOMES:
                raise ValueError(
                    f"unknown rule outcome {outcome!r}; expected one of {RULE_OUTCOMES}"
                )
        for artifact, members in (script.files or {}).items():
            for path in members:
                file_path(path)  # refuse a path that cannot be inside an artifact
            if not isinstance(artifact, str) or not artifact:
                raise ValueError(f"an artifact name must be a non-empty string, not {artifact!r}")
        self.scripts.append(script)

    def clear(self) -> None:
        """Back to the default plan for every job, and the default answer of every model."""
        self.scripts.clear()
        self.models.clear()

    def plan(
        self,
        kind: str,
        name: str,
        request: Mapping[str, Any],
        hyperparameters: Hyperparameters,
        metric_definitions: Sequence[Mapping[str, str]] = (),
        metric_names: Sequence[str] = (),
        epochs: int = DEFAULT_EPOCHS,
        directions: Mapping[str, str] | None = None,
        budget: float | None = None,
    ) -> dict[str, Any]:
        """The concrete, data-only plan of a new job (``epochs``: points of default curves).

        ``directions`` maps a metric to ``"Maximize"`` or ``"Minimize"`` (a tuning
        objective's ``Type``): it decides which way that metric's default values
        and curves go; other metrics are judged by their name.  ``budget``: seconds
        the whole plan should end within besides the request's own limits (a tuning
        job's share of its runtime limit per child), fitted as they are (``fit_limits``).

        A plan is never changed once made.  So jobs no script governs (most jobs
        of most test suites) share one plan per metrics, hyperparameters and
        epochs: a create then builds no plan, and a stored job is smaller.
        """
        directions = dict(directions or {})
        scripts = [s for s in self.scripts if s.kind == kind and s.applies_to(name, request)]
        if scripts:
            plan = _plan(
                kind, scripts, hyperparameters, metric_definitions, metric_names, epochs, directions
            )
            if any(script.durations for script in scripts):
                return plan  # scripted durations run into the limits as given
            return fit_limits(kind, plan, request, budget)
        return fit_limits(
            kind,
            self._shared_plan(
                kind, hyperparameters, metric_definitions, metric_names, epochs, directions
            ),
            request,
            budget,
        )

    def _shared_plan(
        self,
        kind: str,
        hyperparameters: Hyperparameters,
        metric_definitions: Sequence[Mapping[str, str]],
        metric_names: Sequence[str],
        epochs: int,
        directions: dict[str, str],
    ) -> dict[str, Any]:
        """The default plan jobs with the same inputs share (never changed once made)."""
        names = tuple([d["Name"] for d in metric_definitions])
        key = (
            kind,
            names,
            tuple(metric_names),
            tuple(hyperparameters.items()),
            epochs,
            tuple(sorted(directions.items())),
        )
        plan = self._shared.get(key)
        if plan is None:
            if len(self._shared) >= MAX_SHARED_PLANS:
                self._shared.clear()
            plan = _plan(
                kind, (), hyperparameters, metric_definitions, metric_names, epochs, directions
            )
            self._shared[key] = plan
        return plan


def fit_limits(
    kind: str, plan: dict[str, Any], request: Mapping[str, Any], budget: float | None = None
) -> dict[str, Any]:
    """``plan``, its phases shrunk where they would outlast a limit of ``request``.

    A default plan never runs into the job's own StoppingCondition: phases a limit
    counts that would reach it are scaled down together to take ``FITTED_SHARE`` of
    it (plans that fit are left as they are).  ``budget``, if given, is one more
    limit, on the whole plan from creation plus the ``STOP_SECONDS`` a stop takes:
    the share of its ``ResourceLimits.MaxRuntimeInSeconds`` a tuning job gives each
    child (the tuning family's ``child_budget``), which may stop the child early.
    Fitted the same way, it shrinks the stop too (the plan's ``stop_seconds``).
    ``plan`` itself is left alone (it may be shared); a changed copy is returned.
    """
    stopping = request.get("StoppingCondition") or {}
    limits: list[tuple[Any, tuple[str, ...]]] = []
    for member, phases in LIMITED_PHASES.get(kind, ()):
        if member == "MaxWaitTimeInSeconds" and not request.get("EnableManagedSpotTraining"):
            continue
        limits.append((stopping.get(member), phases))
    if budget is not None:
        limits.append((budget, (*PHASES[kind], STOPPING)))
    durations = plan["durations"]
    fitted = {**durations, STOPPING: stop_seconds(plan)}
    for limit, phases in limits:
        if not isinstance(limit, int | float) or isinstance(limit, bool) or limit <= 0:
            continue
        counted = sum(fitted[phase] for phase in phases)
        if counted < limit:
            continue
        scale = limit * FITTED_SHARE / counted
        for phase in phases:
            fitted[phase] = fitted[phase] * scale
    stop = fitted.pop(STOPPING)
    if fitted == durations and stop == stop_seconds(plan):
        return plan
    shrunk = {**plan, "durations": fitted}
    if stop != stop_seconds(plan):
        shrunk["stop_seconds"] = stop
    if plan.get("series") and durations.get("Training"):
        # Scripted points (or those read from scripted log lines) shrink with Training.
        scale = fitted["Training"] / durations["Training"]
        shrunk["series"] = {
            metric: [[t * scale, v] for t, v in points] for metric, points in plan["series"].items()
        }
    return shrunk


def _plan(
    kind: str,
    scripts: Sequence[Script],
    hyperparameters: Hyperparameters,
    metric_definitions: Sequence[Mapping[str, str]],
    metric_names: Sequence[str],
    epochs: int,
    directions: Mapping[str, str],
) -> dict[str, Any]:
    """The plan ``scripts`` (those governing the job, in order) make of the default one."""
    durations = DEFAULT_DURATIONS[kind]
    fail_at: str | None = None
    reason = DEFAULT_FAILURE_REASON[kind]
    metrics_src: Any = None
    series_src: Any = None
    logs_src: Any = None
    spot_savings = 0.7
    rule_outcomes: dict[str, str] = {}
    exit_message: str | None = None
    files_src: dict[str, dict[str, Content]] = {}
    for script in scripts:
        if script.durations:
            durations = {**durations, **script.durations}
        if script.fail_at is not None:
            fail_at = script.fail_at
        if script.failure_reason is not None:
            reason = script.failure_reason
            fail_at = fail_at or FAILING_PHASE[kind]
        if script.exit_message is not None:
            exit_message = script.exit_message
        metrics_src = script.metrics if script.metrics is not None else metrics_src
        series_src = script.metric_series if script.metric_series is not None else series_src
        logs_src = script.logs if script.logs is not None else logs_src
        spot_savings = script.spot_savings if script.spot_savings is not None else spot_savings
        for artifact, members in (script.files or {}).items():
            # Later scripts win path by path, as rule outcomes do rule by rule.
            files_src.setdefault(artifact, {}).update(
                {file_path(path): content for path, content in members.items()}
            )
        if isinstance(script.rule_outcomes, str):
            rule_outcomes = {ANY_RULE: script.rule_outcomes}
        elif script.rule_outcomes is not None:
            rule_outcomes = {**rule_outcomes, **script.rule_outcomes}
    lines: list[str] | None = None
    if logs_src is not None:  # the job's log lines (CloudWatch Logs), as plain data
        lines = [str(line) for line in _evaluate(logs_src, hyperparameters)[:MAX_LOG_LINES]]
    if kind != "training-job":
        run: dict[str, Any] = {"durations": dict(durations), "fail_at": fail_at, "reason": reason}
        if lines is not None:
            run["logs"] = lines
        if exit_message is not None:
            run["exit_message"] = exit_message
        if files_src:
            run["files"] = _files(files_src, hyperparameters)
        return run
    names = [d["Name"] for d in metric_definitions]
    names += [n for n in metric_names if n not in names]
    series = _evaluate(series_src, hyperparameters) or {}
    if lines is not None:
        offsets = log_offsets(len(lines), durations["Training"])
        series = {**extract_metrics(lines, metric_definitions, offsets), **series}
    scripted = _evaluate(metrics_src, hyperparameters)
    finals = {k: float(v) for k, v in scripted.items()} if scripted else {}
    for metric in names:
        if metric in finals:
            continue
        if series.get(metric):
            finals[metric] = float(series[metric][-1][1])
        elif logs_src is None:
            finals[metric] = default_metric(
                metric, hyperparameters, _higher_is_better(directions, metric)
            )
    plan: dict[str, Any] = {
        "durations": dict(durations),
        "fail_at": fail_at,
        "reason": reason,
        "metrics": finals,
        # Only scripted curves are stored; default ones are derived on demand (see
        # metric_series), which keeps a stored job small and its creation cheap.
        "series": {k: [[float(t), float(v)] for t, v in pts] for k, pts in series.items()},
        "epochs": epochs,
        "spot_savings": float(spot_savings),
        # Scripted log lines are the source of the metrics extracted from them and
        # of the job's CloudWatch Logs (None: default lines, derived on demand).
        "logs": lines,
        "rule_outcomes": rule_outcomes,
    }
    if directions:  # absent in most plans (and in snapshots older than it)
        plan["directions"] = {m: d for m, d in directions.items() if m in finals}
    if files_src:  # absent unless scripted, like directions
        plan["files"] = _files(files_src, hyperparameters)
    return plan


def file_path(path: object) -> str:
    """A scripted file's path inside its artifact, normalised (``./a//b`` is ``a/b``).

    Refuses what could not be a file under an output's ``LocalPath`` (or inside
    an archive): an empty or absolute path, or one climbing out with ``..``.
    """
    if not isinstance(path, str):
        raise ValueError(f"a file path must be a string, not {path!r}")
    parts = [part for part in path.split("/") if part not in ("", ".")]
    if not parts or path.startswith("/") or ".." in parts:
        raise ValueError(f"a file path must be relative, inside its artifact: {path!r}")
    return "/".join(parts)


def _files(
    sources: Mapping[str, Mapping[str, Content]], arguments: Hyperparameters
) -> dict[str, dict[str, bytes]]:
    """Scripted files as plain data: every callable evaluated once, text as UTF-8."""
    files: dict[str, dict[str, bytes]] = {}
    for artifact, members in sources.items():
        evaluated = files[artifact] = {}
        for path, content in members.items():
            value = content(dict(arguments)) if callable(content) else content
            if isinstance(value, str):
                value = value.encode("utf-8", "surrogatepass")
            if not isinstance(value, (bytes, bytearray)):
                raise TypeError(
                    f"scripted file {artifact}/{path} must be bytes or str, "
                    f"not {type(value).__name__}"
                )
            evaluated[path] = bytes(value)
    return files


def metric_names(plan: Mapping[str, Any]) -> list[str]:
    """Every metric a training plan reports: scripted curves first, then final values."""
    return list(plan["series"]) + [m for m in plan["metrics"] if m not in plan["series"]]


def metric_series(plan: Mapping[str, Any], metric: str) -> Sequence[Sequence[float]]:
    """``[[seconds into training, value], ...]`` of one metric: scripted, or the default curve.

    Read-only: a default curve is shared between the callers that ask for it.
    """
    if metric in plan["series"]:
        series: list[list[float]] = plan["series"][metric]
        return series
    return _default_curve(
        plan["metrics"][metric],
        plan["durations"]["Training"],
        _higher_is_better(plan.get("directions") or {}, metric),
        plan["epochs"],
    )


@functools.lru_cache(maxsize=4096)
def _default_curve(
    final: float, seconds: float, higher: bool, epochs: int
) -> tuple[tuple[float, float], ...]:
    # Remembered: early stopping reads a running child's curve at each of its epochs.
    return tuple((t, v) for t, v in default_series(final, seconds, higher, epochs))


def _higher_is_better(directions: Mapping[str, str], metric: str) -> bool:
    """The metric's direction: its objective ``Type`` if it has one, else its name's."""
    direction = directions.get(metric)
    return direction == MAXIMIZE if direction is not None else higher_is_better(metric)


def _evaluate(source: Any, hyperparameters: Hyperparameters) -> Any:
    if source is None:
        return None
    return source(dict(hyperparameters)) if callable(source) else source


@functools.lru_cache(maxsize=1024)
def higher_is_better(metric: str) -> bool:
    """Whether a metric name reads like a score (accuracy, AUC, F1...) rather than a loss."""
    lowered = metric.lower()
    return any(
        word in lowered for word in ("acc", "auc", "f1", "precision", "recall", "ndcg", "map")
    )


@functools.lru_cache(maxsize=4096)
def _unit_hash(*parts: str) -> float:
    # surrogatepass: a lone surrogate is a valid hyperparameter or metric name (botocore
    # sends it as a JSON \u escape), and must hash, not raise.
    digest = hashlib.sha256("\x00".join(parts).encode("utf-8", "surrogatepass")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def default_metric(
    metric: str, hyperparameters: Hyperparameters, higher: bool | None = None
) -> float:
    """A deterministic metric that varies smoothly with the hyperparameters.

    Each numeric hyperparameter contributes a quadratic bowl in log10 space
    around an optimum derived from its name, each categorical value a fixed
    penalty; so a tuning job over default jobs has a real, findable best.
    ``higher`` (default: judged by the name) makes it a score in (0, 1] that
    is best high, else a loss that is best low.
    """
    loss = 0.05 + 0.1 * _unit_hash(metric)
    for key, raw in sorted(hyperparameters.items()):
        try:
            value = float(raw)
        except ValueError:
            loss += 0.3 * _unit_hash(metric, key, raw)
            continue
        if not math.isfinite(value):
            loss += 1.0
            continue
        optimum = -3.0 + 5.0 * _unit_hash(metric, key)  # between 1e-3 and 1e2
        position = math.log10(abs(value)) if abs(value) > 1e-12 else -12.0
        loss += 0.02 * (position - optimum) ** 2
    if higher is None:
        higher = higher_is_better(metric)
    return round(1.0 / (1.0 + loss), 6) if higher else round(loss, 6)


def default_series(
    final: float, seconds: float, higher: bool, epochs: int = 10
) -> list[list[float]]:
    """A learning curve: evenly spaced points over the training phase that settle on ``final``.

    It comes from the worse side, whatever the sign of ``final``: from below
    when ``higher`` is better, from above otherwise, so no epoch before the
    last looks better than the job's result.
    """
    if higher:
        start = final - (0.7 * abs(final) if final else 1.0)
    else:
        start = final + 2.0 * abs(final) + 1.0
    points = []
    for i in range(1, epochs + 1):
        fraction = i / epochs
        weight = math.exp(-4.0 * fraction) - math.exp(-4.0)
        value = final + (start - final) * weight / (1.0 - math.exp(-4.0))
        points.append([round(seconds * fraction, 3), round(value, 6)])
    return points


def log_offsets(count: int, training_seconds: float) -> list[float]:
    """Seconds into Training at which each of ``count`` scripted log lines is printed.

    Evenly spread over the phase, the first at its start: the lines' CloudWatch
    timestamps and the metrics extracted from them share these times.
    """
    return [round(training_seconds * index / count, 3) for index in range(count)]


def extract_metrics(
    lines: Sequence[str],
    definitions: Sequence[Mapping[str, str]],
    offsets: Sequence[float] | None = None,
) -> dict[str, list[tuple[float, float]]]:
    """Metric values from log lines, as SageMaker does: the first group of each regex match.

    A value is timed at its line's entry of ``offsets`` (default: the line's index).

    Bounded work whatever the regex: at most ``MAX_LOG_LINES`` lines, each cut to
    ``MAX_LOG_LINE_LENGTH`` characters, matched in linear time
    (:mod:`sagemaker_lite.contract.linear_regex`), and at most ``MAX_REGEX_STEPS`` steps per
    definition.  A regex the engine refuses (backreferences, lookaround...)
    extracts nothing; one that uses up its steps extracts nothing from later
    lines.  Either way its metric is missing, as for a regex that matches nothing.
    """
    found: dict[str, list[tuple[float, float]]] = {}
    log = tuple(line[:MAX_LOG_LINE_LENGTH] for line in lines[:MAX_LOG_LINES])
    for definition in definitions:
        values = _values(definition["Regex"], log)
        if values and offsets is not None:
            values = tuple((offsets[int(index)], value) for index, value in values)
        if values:
            found.setdefault(definition["Name"], []).extend(values)
    for series in found.values():
        series.sort(key=lambda point: point[0])  # two definitions of one name: line order
    return found


@functools.lru_cache(maxsize=64)
def _values(regex: str, log: tuple[str, ...]) -> tuple[tuple[float, float], ...]:
    """(line index, value) of every line ``regex`` extracts a number from.

    Cached: the children of a tuning job usually share one scripted log.
    """
    try:
        program = compile_program(regex)
    except Unsupported:
        return ()
    values = []
    for index, line in enumerate(log):
        if program.steps > MAX_REGEX_STEPS:
            break
        match = program.search(line)
        text = None if match is None else match[1] if program.groups else match[0]
        if text is None:
            continue
        try:
            values.append((float(index), float(text)))
        except ValueError:
            continue
    return tuple(values)


#: Seconds from Stopping to Stopped, for every job kind (unless a plan's fit shrank them).
STOP_SECONDS = 30.0
#: Where ``fit_limits`` counts a stop among a plan's phases (not a phase one may script).
STOPPING = "(stopping)"


def stop_seconds(plan: Mapping[str, Any]) -> float:
    """Seconds the job of ``plan`` takes from Stopping to Stopped.

    ``STOP_SECONDS``, unless the plan was fitted to a tuning job's share of its
    runtime limit (``fit_limits``), which a stop counts in.
    """
    seconds: float = plan.get("stop_seconds", STOP_SECONDS)
    return seconds


def rule_outcome(plan: Mapping[str, Any], rule: str) -> str:
    """The scripted (or default) outcome of the Debugger/Profiler rule named ``rule``."""
    outcomes: Mapping[str, str] = plan.get("rule_outcomes") or {}
    return outcomes.get(rule) or outcomes.get(ANY_RULE) or DEFAULT_RULE_OUTCOME
