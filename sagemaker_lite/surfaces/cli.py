"""The ``sagemaker-lite`` command line: validate requests, simulate jobs, run the demo.

``validate`` answers what SageMaker would answer to a request (botocore's
client-side report or the service's ``ValidationException``) without calling
AWS; ``simulate`` runs a job definition on the virtual clock and prints how
it unfolds; ``demo`` does the same for a built-in tuning job.

Exit codes: 0 success, 1 an invalid request or a job that ended ``Failed``,
2 a usage problem (unknown operation, missing file, unreadable, binary or
non-UTF-8 input, bad JSON, input too large or nested too deeply), 141 the
reader of the output went away (``| head``), as for a shell command killed by
SIGPIPE.  Every problem is one line on stderr, never a traceback.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import json
import math
import os
import sys
from collections.abc import Callable, Mapping, Sequence
from typing import IO, Any

import attrs

from sagemaker_lite.contract.errors import ApiError, ParamValidationError, to_client_error
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.surfaces.emulator import Emulator

EXIT_OK, EXIT_INVALID, EXIT_USAGE, EXIT_BROKEN_PIPE = 0, 1, 2, 141
#: The largest request file read.  A SageMaker request is far smaller: its
#: largest members (100 hyperparameters of 2,500 characters) come to ~250 KB.
MAX_INPUT_BYTES = 10 * 1024 * 1024
#: The deepest nesting accepted.  No SageMaker request shape is nested more
#: than ~10 levels; deeper input cannot be valid and would exhaust the stack.
MAX_DEPTH = 100

#: The pure semantic rules ``validate`` runs after the schema, per create operation.
#: (Rules needing stored jobs, such as warm-start parents, are left to the service.)
SEMANTIC_RULES = {
    "CreateTrainingJob": "shared.training_rules:check_create_training_job",
    "CreateHyperParameterTuningJob": "tuning.rules:check_create_hyper_parameter_tuning_job",
    "CreateCompilationJob": "compilation.rules:check_create_compilation_job",
    "CreateTransformJob": "transform.rules:check_create_transform_job",
}


NO_MATPLOTLIB = "--plot needs matplotlib, which is not installed (pip install matplotlib)"


class UsageError(Exception):
    """A problem with the command line or its input files (exit code 2)."""


# --- input ---------------------------------------------------------------------


def resolve_operation(name: str) -> str:
    """The AWS name of an operation given as ``CreateTrainingJob``, ``create_training_job``
    or ``create-training-job``."""
    by_python = {op.python_name: op.name for op in OPERATIONS.values()}
    found = name if name in OPERATIONS else by_python.get(name.replace("-", "_").lower())
    if found is None:
        valid = ", ".join(sorted(OPERATIONS))
        raise UsageError(f"unknown operation {name!r}; valid operations: {valid}")
    return found


def load_request(path: str, stdin: IO[str] | None = None) -> dict[str, Any]:
    """A request read from a JSON file (``-`` for standard input).

    Raises :class:`UsageError` (one line) for a missing or unreadable file,
    input over :data:`MAX_INPUT_BYTES`, bytes that are not UTF-8 text, bad
    JSON, JSON nested deeper than :data:`MAX_DEPTH` or not an object.
    """
    label = "<stdin>" if path == "-" else path
    text = _decode(_read(path, stdin), label)
    try:
        request = json.loads(text)
    except json.JSONDecodeError as exc:
        raise UsageError(
            f"{label}: invalid JSON at line {exc.lineno} column {exc.colno}: {exc.msg}"
        ) from None
    except RecursionError:
        raise UsageError(f"{label}: JSON nested more than {MAX_DEPTH} levels deep") from None
    except ValueError as exc:  # e.g. an integer of more digits than Python converts
        raise UsageError(f"{label}: invalid JSON: {exc}") from None
    if not isinstance(request, dict):
        raise UsageError(f"{label}: expected a JSON object of request members")
    if _depth(request) > MAX_DEPTH:
        raise UsageError(f"{label}: JSON nested more than {MAX_DEPTH} levels deep")
    return request


def _read(path: str, stdin: IO[str] | None) -> bytes | str:
    if path == "-":
        source = stdin or sys.stdin
        binary = getattr(source, "buffer", None)
        data: bytes | str = (binary or source).read(MAX_INPUT_BYTES + 1)
        label = "<stdin>"
    else:
        try:
            with open(path, "rb") as file:
                data = file.read(MAX_INPUT_BYTES + 1)
        except FileNotFoundError:
            raise UsageError(f"{path}: no such file") from None
        except OSError as exc:
            raise UsageError(f"{path}: cannot read: {exc.strerror or exc}") from None
        label = path
    if len(data) > MAX_INPUT_BYTES:
        raise UsageError(f"{label}: larger than {MAX_INPUT_BYTES // (1024 * 1024)} MiB")
    return data


def _decode(data: bytes | str, label: str) -> str:
    if isinstance(data, str):
        return data
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise UsageError(
            f"{label}: not UTF-8 text (byte 0x{data[exc.start]:02x} at offset {exc.start})"
        ) from None
    if "\x00" in text:
        raise UsageError(f"{label}: binary data, not a JSON text file")
    return text


def _depth(value: Any) -> int:
    """How deeply ``value`` nests lists and objects (iteratively: no recursion limit)."""
    deepest, stack = 0, [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            deepest = max(deepest, depth)
            if depth <= MAX_DEPTH:
                stack.extend((child, depth + 1) for child in _children_of(item))
    return deepest


def _children_of(item: dict[str, Any] | list[Any]) -> list[Any]:
    return list(item.values()) if isinstance(item, dict) else item


# --- validate -------------------------------------------------------------------


def validation_report(operation: str, request: Mapping[str, Any]) -> str | None:
    """What SageMaker (or botocore, client-side) answers to ``request``; None when valid."""
    from sagemaker_lite.contract import validation

    try:
        validation.check_params(operation, request)
        validation.check_request(operation, request)
        rule = SEMANTIC_RULES.get(operation)
        if rule is not None:
            module, _, function = rule.partition(":")
            rules = importlib.import_module(f"sagemaker_lite.families.{module}")
            getattr(rules, function)(request)
    except ParamValidationError as error:
        return str(error)
    except ApiError as error:
        return str(to_client_error(error, operation, "00000000-0000-0000-0000-000000000000"))
    return None


def cmd_validate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``validate OPERATION FILE``."""
    operation = resolve_operation(args.operation)
    report = validation_report(operation, load_request(args.file))
    if report is None:
        print("valid", file=out)
        return EXIT_OK
    print(report, file=err)
    return EXIT_INVALID


# --- simulate -------------------------------------------------------------------


@attrs.frozen
class JobKind:
    """How to create, describe and read the status of one kind of job."""

    create: str
    name_member: str
    describe: str
    status_member: str
    secondary_member: str | None = None
    #: The member naming the model the job runs: ``simulate`` starts from an empty
    #: emulator, so it creates a stand-in model of that name first.
    model_member: str | None = None
    #: The describe member that appears once the job's work has begun (its detail
    #: column reads "starting" until then, "started" after).
    started_member: str | None = None
    #: The member naming the endpoint configuration an endpoint deploys: ``simulate``
    #: creates it first (the ``--config`` request, or a stand-in of one variant), with
    #: a stand-in for each model it names.
    config_member: str | None = None


JOB_KINDS = (
    JobKind(
        "CreateTrainingJob",
        "TrainingJobName",
        "DescribeTrainingJob",
        "TrainingJobStatus",
        "SecondaryStatus",
    ),
    JobKind(
        "CreateHyperParameterTuningJob",
        "HyperParameterTuningJobName",
        "DescribeHyperParameterTuningJob",
        "HyperParameterTuningJobStatus",
    ),
    JobKind(
        "CreateCompilationJob",
        "CompilationJobName",
        "DescribeCompilationJob",
        "CompilationJobStatus",
    ),
    JobKind(
        "CreateProcessingJob",
        "ProcessingJobName",
        "DescribeProcessingJob",
        "ProcessingJobStatus",
        started_member="ProcessingStartTime",
    ),
    JobKind(
        "CreateTransformJob",
        "TransformJobName",
        "DescribeTransformJob",
        "TransformJobStatus",
        model_member="ModelName",
        started_member="TransformStartTime",
    ),
    JobKind(
        "CreateEndpoint",
        "EndpointName",
        "DescribeEndpoint",
        "EndpointStatus",
        config_member="EndpointConfigName",
    ),
)
#: What ``simulate`` deploys when an endpoint's configuration is not given: one variant.
STAND_IN_VARIANT = {
    "VariantName": "AllTraffic",
    "ModelName": "stand-in",
    "InstanceType": "ml.m5.large",
    "InitialInstanceCount": 1,
}


#: Statuses a job ends in (the detail column of processing and transform rows).
TERMINAL_STATUSES = ("Completed", "Failed", "Stopped")


def job_kind(request: Mapping[str, Any], operation: str | None = None) -> JobKind:
    """The kind of job ``request`` creates: from ``operation``, else from its name member."""
    if operation is not None:
        name = resolve_operation(operation)
        for kind in JOB_KINDS:
            if kind.create == name:
                return kind
        creatable = ", ".join(kind.create for kind in JOB_KINDS)
        raise UsageError(f"cannot simulate {name}; simulate runs one of: {creatable}")
    for kind in JOB_KINDS:
        if kind.name_member in request:
            return kind
    members = ", ".join(kind.name_member for kind in JOB_KINDS)
    raise UsageError(f"cannot tell which job this is (no {members}); pass --operation")


@attrs.frozen
class Step:
    """One row of a timeline: seconds since creation, status, secondary status or progress."""

    offset: float
    status: str
    detail: str


@attrs.define
class Simulation:
    """What a simulated job went through, and its final describe."""

    kind: JobKind
    name: str
    steps: list[Step] = attrs.Factory(list)
    final: dict[str, Any] = attrs.Factory(dict)
    children: list[dict[str, Any]] = attrs.Factory(list)
    #: What simulate did beyond the request (a stand-in model), said on stderr.
    notes: list[str] = attrs.Factory(list)


Progress = Callable[[float, dict[str, Any]], None]


def simulate(
    client: Client[Emulator],
    kind: JobKind,
    request: dict[str, Any],
    progress: Progress | None = None,
    config: Mapping[str, Any] | None = None,
) -> Simulation:
    """Create the job, then step virtual time event by event until the world is idle.

    After each event the job is described through the client (exactly what a
    user's polling loop would see) and a timeline row is kept whenever what
    it shows changes.  ``progress(offset, describe)`` is called at every step.
    ``config``: the CreateEndpointConfig request an endpoint deploys (default: a
    stand-in of one variant, under the name the endpoint request gives).
    """
    emulator = client.emulator
    start = emulator.now()
    model = request.get(kind.model_member) if kind.model_member else None
    notes: list[str] = []
    if isinstance(model, str):
        _stand_in_model(client, model, notes)
    config_name = request.get(kind.config_member) if kind.config_member else None
    if config is not None or isinstance(config_name, str):
        named = notes if config is not None else []  # the default stand-in goes unsaid
        if config is None:
            config = {"EndpointConfigName": config_name, "ProductionVariants": [STAND_IN_VARIANT]}
        for variant in config.get("ProductionVariants") or ():
            if isinstance(variant, dict) and isinstance(variant.get("ModelName"), str):
                _stand_in_model(client, variant["ModelName"], named)
        client.call("CreateEndpointConfig", dict(config))
    client.call(kind.create, request)
    name = request[kind.name_member]
    sim = Simulation(kind, name, notes=notes)
    while True:
        described = client.call(kind.describe, {kind.name_member: name})
        offset = emulator.now() - start
        step = Step(offset, described[kind.status_member], _detail(kind, described))
        if not sim.steps or (sim.steps[-1].status, sim.steps[-1].detail) != (
            step.status,
            step.detail,
        ):
            sim.steps.append(step)
        if progress is not None:
            progress(offset, described)
        due = emulator.scheduler.next_time()
        if due is None:
            break
        emulator.advance(max(0.0, due - emulator.now()))
    sim.final = described
    if kind.create == "CreateHyperParameterTuningJob":
        sim.children = _children(client, name)
    return sim


def _stand_in_model(client: Client[Emulator], name: str, notes: list[str]) -> None:
    """A model called ``name`` (an image and nothing else), unless one exists; noted."""
    if client.world.get("model", name) is None:
        client.call("CreateModel", {"ModelName": name, "PrimaryContainer": {"Image": "stand-in"}})
        notes.append(f"created a stand-in model {name!r} (the emulator starts empty)")


def _detail(kind: JobKind, described: Mapping[str, Any]) -> str:
    if kind.config_member is not None:
        return _instances(described)
    if kind.secondary_member is not None:
        return str(described.get(kind.secondary_member, ""))
    if kind.started_member is not None:
        if described[kind.status_member] in TERMINAL_STATUSES:
            return "finished"
        return "started" if kind.started_member in described else "starting"
    counters = described.get("TrainingJobStatusCounters")
    if counters is None:
        return ""
    finished = sum(v for k, v in counters.items() if k != "InProgress")
    return f"{finished} training jobs finished, {counters['InProgress']} running"


def _instances(described: Mapping[str, Any]) -> str:
    """An endpoint's instances up out of those wanted (``serverless`` when it has none)."""
    variants = described.get("ProductionVariants") or ()
    wanted = sum(v.get("DesiredInstanceCount", 0) for v in variants)
    if not wanted:
        return "serverless" if variants else ""
    up = sum(v.get("CurrentInstanceCount", 0) for v in variants)
    return f"{up} of {wanted} instances up"


def _children(client: Client[Emulator], name: str) -> list[dict[str, Any]]:
    """Every child of a tuning job, in launch order."""
    children: list[dict[str, Any]] = []
    request: dict[str, Any] = {"HyperParameterTuningJobName": name, "MaxResults": 100}
    while True:
        page = client.call("ListTrainingJobsForHyperParameterTuningJob", request)
        children.extend(page["TrainingJobSummaries"])
        if "NextToken" not in page:
            break
        request["NextToken"] = page["NextToken"]
    return sorted(children, key=lambda child: (child["CreationTime"], child["TrainingJobName"]))


# --- rendering --------------------------------------------------------------------


def clock(seconds: float) -> str:
    """``+HH:MM:SS`` of a time offset."""
    whole = round(seconds)
    return f"+{whole // 3600:02d}:{whole % 3600 // 60:02d}:{whole % 60:02d}"


def number(text: Any) -> str:
    """A hyperparameter or metric value, shortened for display."""
    try:
        value = float(text)
    except (TypeError, ValueError):
        return str(text)
    return f"{value:.4g}" if math.isfinite(value) else str(text)


def render_timeline(sim: Simulation) -> list[str]:
    """The timeline table: offset, status, secondary status (or tuning progress).

    Kinds whose describe shows neither (compilation jobs) get no third column.
    """
    if not any(step.detail for step in sim.steps):
        return table(("time", "status"), [(clock(s.offset), s.status) for s in sim.steps])
    title = "secondary status" if sim.kind.secondary_member else "progress"
    rows = [(clock(s.offset), s.status, s.detail) for s in sim.steps]
    return table(("time", "status", title), rows)


def table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned columns separated by two spaces."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(header, *rows, strict=False)]
    lines = []
    for row in (header, *rows):
        lines.append("  ".join(str(c).ljust(w) for c, w in zip(row, widths, strict=True)).rstrip())
    return lines


def objective_of(child: Mapping[str, Any]) -> float | None:
    """A child's final objective value, if it has one."""
    metric = child.get("FinalHyperParameterTuningJobObjectiveMetric")
    return None if metric is None else float(metric["Value"])


def render_children(children: Sequence[Mapping[str, Any]]) -> list[str]:
    """The table of a tuning job's children: name, hyperparameters, objective, status."""
    rows = []
    for index, child in enumerate(children, 1):
        tuned = child.get("TunedHyperParameters", {})
        values = " ".join(f"{k}={number(v)}" for k, v in sorted(tuned.items()))
        value = objective_of(child)
        rows.append(
            (
                str(index),
                child["TrainingJobName"],
                values,
                "-" if value is None else number(value),
                child["TrainingJobStatus"],
            )
        )
    return table(("#", "training job", "hyperparameters", "objective", "status"), rows)


def running_best(values: Sequence[float | None], minimize: bool) -> list[float | None]:
    """The best objective seen so far after each trial."""
    best: float | None = None
    out: list[float | None] = []
    for value in values:
        if value is not None and (best is None or (value < best if minimize else value > best)):
            best = value
        out.append(best)
    return out


def render_plot(
    values: Sequence[float | None], minimize: bool, metric: str, height: int = 10
) -> list[str]:
    """A text plot of the objective per trial (``o``) and the running best (``-``, ``*``
    where a trial set a new best)."""
    known = [v for v in values if v is not None]
    if not known:
        return ["(no trial reported an objective)"]
    best = running_best(values, minimize)
    low, high = min(known), max(known)
    span = (high - low) or 1.0

    def row_of(value: float) -> int:
        return round((high - value) / span * (height - 1))

    grid = [[" "] * (3 * len(values)) for _ in range(height)]
    for i, (value, so_far) in enumerate(zip(values, best, strict=True)):
        column = 3 * i + 1
        if so_far is not None:
            grid[row_of(so_far)][column] = "-"
        if value is not None:
            grid[row_of(value)][column] = "*" if value == so_far else "o"
    labels = {0: number(high), height - 1: number(low), (height - 1) // 2: ""}
    width = max(len(label) for label in labels.values())
    lines = [f"{metric} per trial (o trial, * new best, - running best)"]
    for r, cells in enumerate(grid):
        lines.append(f"{labels.get(r, '').rjust(width)} |{''.join(cells).rstrip()}")
    lines.append(" " * width + " +" + "-" * (3 * len(values)))
    ticks = "".join(
        str(i).rjust(2).ljust(3) if i % 5 == 0 or i == 1 else "   "
        for i in range(1, len(values) + 1)
    )
    lines.append(" " * width + "  " + ticks.rstrip() + "   trial")
    return lines


def progress_bar(done: int, total: int, offset: float, width: int = 30) -> str:
    """``[#####-----] 5/10 training jobs  +00:37:00``."""
    filled = width if total <= 0 else min(width, width * done // total)
    return f"[{'#' * filled}{'-' * (width - filled)}] {done}/{total} training jobs  {clock(offset)}"


def tuning_progress(err: IO[str]) -> Progress:
    """A progress callback redrawing one stderr line as children finish."""

    def show(offset: float, described: dict[str, Any]) -> None:
        counters = described.get("TrainingJobStatusCounters", {})
        done = sum(v for k, v in counters.items() if k != "InProgress")
        limits = described["HyperParameterTuningJobConfig"]["ResourceLimits"]
        total = limits.get("MaxNumberOfTrainingJobs", done + counters.get("InProgress", 0))
        err.write("\r" + progress_bar(done, total, offset))
        if described["HyperParameterTuningJobStatus"] not in ("InProgress", "Stopping"):
            err.write("\n")
        err.flush()

    return show


def save_png(path: str, values: Sequence[float | None], minimize: bool, metric: str) -> None:
    """Plot the objective per trial and the running best to a PNG (needs matplotlib)."""
    _require_matplotlib()
    # Imported by name: matplotlib is optional and has no stubs here.
    importlib.import_module("matplotlib").use("Agg")
    plt: Any = importlib.import_module("matplotlib.pyplot")
    trials = list(range(1, len(values) + 1))
    figure, axes = plt.subplots(figsize=(7, 4))
    axes.plot(trials, [math.nan if v is None else v for v in values], "o", label="trial")
    best = running_best(values, minimize)
    axes.step(trials, [math.nan if v is None else v for v in best], where="post", label="best")
    axes.set_xlabel("trial")
    axes.set_ylabel(metric)
    axes.legend()
    figure.savefig(path)
    plt.close(figure)


def report(sim: Simulation, out: IO[str], plot: str | None = None) -> None:
    """Print a finished simulation: timeline, and for tuning the children, plot and best job."""
    print(f"{sim.kind.create.removeprefix('Create')} {sim.name}", file=out)
    for line in render_timeline(sim):
        print("  " + line, file=out)
    final = sim.final
    if final.get("FailureReason"):  # compilation describes answer "" when nothing failed
        print(f"FailureReason: {final['FailureReason']}", file=out)
    for metric in final.get("FinalMetricDataList", ()):
        print(f"{metric['MetricName']}: {number(metric['Value'])}", file=out)
    if sim.kind.create != "CreateHyperParameterTuningJob":
        return
    objective = final["HyperParameterTuningJobConfig"].get("HyperParameterTuningJobObjective", {})
    minimize = objective.get("Type", "Minimize") == "Minimize"
    metric = objective.get("MetricName", "objective")
    values = [objective_of(child) for child in sim.children]
    print(file=out)
    for line in render_children(sim.children):
        print(line, file=out)
    print(file=out)
    for line in render_plot(values, minimize, metric):
        print(line, file=out)
    best = final.get("BestTrainingJob")
    if best is not None:
        tuned = " ".join(
            f"{k}={number(v)}" for k, v in sorted(best["TunedHyperParameters"].items())
        )
        value = best["FinalHyperParameterTuningJobObjectiveMetric"]["Value"]
        print(f"\nbest training job: {best['TrainingJobName']}  {metric}={number(value)}", file=out)
        print(f"  {tuned}", file=out)
    if plot is not None:
        save_png(plot, values, minimize, metric)
        print(f"plot saved to {plot}", file=out)


def run_simulation(
    client: Client[Emulator],
    kind: JobKind,
    request: dict[str, Any],
    args: argparse.Namespace,
    out: IO[str],
    err: IO[str],
    config: Mapping[str, Any] | None = None,
) -> int:
    """Simulate, report, and choose the exit code (1 for a rejected request, or a job that
    failed or was stopped by its own limit)."""
    if args.plot is not None:
        if kind.create != "CreateHyperParameterTuningJob":
            raise UsageError(
                "--plot draws a tuning job's objective per trial; this is a "
                f"{kind.create.removeprefix('Create')}"
            )
        _require_matplotlib()
    show = args.progress if args.progress is not None else err.isatty()
    progress = tuning_progress(err) if show and kind.create.endswith("TuningJob") else None
    try:
        sim = simulate(client, kind, request, progress, config)
    except ParamValidationError as error:
        print(error, file=err)
        return EXIT_INVALID
    except client.exceptions.ClientError as error:
        print(error, file=err)
        return EXIT_INVALID
    for note in sim.notes:
        print(f"note: {note}", file=err)
    report(sim, out, args.plot)
    # Nothing here stops a job: Stopped means its own limit (MaxRuntimeExceeded...) did.
    failed = sim.final[kind.status_member] in ("Failed", "FAILED", "Stopped", "STOPPED")
    return EXIT_INVALID if failed else EXIT_OK


def _require_matplotlib() -> None:
    try:
        importlib.import_module("matplotlib")
    except ImportError:
        raise UsageError(NO_MATPLOTLIB) from None


def cmd_simulate(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``simulate FILE``."""
    request = load_request(args.file)
    kind = job_kind(request, args.operation)
    config = None
    if args.config is not None:
        if kind.config_member is None:
            raise UsageError(
                "--config names the endpoint configuration a CreateEndpoint deploys; this is a "
                f"{kind.create.removeprefix('Create')}"
            )
        config = load_request(args.config)
    return run_simulation(Emulator().client(), kind, request, args, out, err, config)


def cmd_demo(args: argparse.Namespace, out: IO[str], err: IO[str]) -> int:
    """``demo``: the built-in Bayesian tuning job, end to end."""
    from sagemaker_lite.surfaces import demo

    client = Emulator().client()
    demo.script(client.emulator)
    kind = JOB_KINDS[1]
    return run_simulation(client, kind, demo.tuning_request(), args, out, err)


# --- the parser -----------------------------------------------------------------------


def parser() -> argparse.ArgumentParser:
    """The argument parser of ``sagemaker-lite``."""
    from sagemaker_lite._version import __version__

    top = argparse.ArgumentParser(
        prog="sagemaker-lite",
        description="An in-process emulator of the Amazon SageMaker training, tuning, "
        "compilation, processing and batch transform job and endpoint APIs: validate "
        "requests and simulate jobs and endpoints on a virtual clock.",
        epilog="Exit codes: 0 success, 1 invalid request or a simulated job that failed or "
        "was stopped by its own limit, 2 usage error.",
    )
    top.add_argument("--version", action="version", version=f"sagemaker-lite {__version__}")
    commands = top.add_subparsers(dest="command", metavar="COMMAND", required=True)

    validate = commands.add_parser(
        "validate",
        help="check a request as SageMaker would, without calling AWS",
        description="Check a request (JSON with boto3's member names) against SageMaker's "
        "documented constraints and semantic rules. Prints 'valid' (exit 0) or the error "
        "AWS or botocore would give (exit 1).",
    )
    validate.add_argument("operation", help="e.g. CreateTrainingJob or create_training_job")
    validate.add_argument("file", help="request JSON file, or - for standard input")
    validate.set_defaults(run=cmd_validate)

    simulate_parser = commands.add_parser(
        "simulate",
        help="run a training, tuning, compilation, processing or transform job, or an "
        "endpoint's deployment, on the virtual clock",
        description="Create the job (or endpoint) in a fresh emulator, run it to its end in "
        "virtual time and print its status timeline; for a tuning job also its training jobs, "
        "a plot of the objective per trial and the best job.",
    )
    simulate_parser.add_argument("file", help="create request JSON file, or - for standard input")
    simulate_parser.add_argument(
        "--operation",
        help=", ".join(kind.create for kind in JOB_KINDS[:-1])
        + f" or {JOB_KINDS[-1].create} (default: told from the request's name member)",
    )
    simulate_parser.add_argument(
        "--config",
        metavar="CONFIG.json",
        help="the CreateEndpointConfig request an endpoint deploys (default: one variant of "
        "one ml.m5.large instance); its models are stand-ins",
    )
    _display_options(simulate_parser)
    simulate_parser.set_defaults(run=cmd_simulate)

    demo_parser = commands.add_parser(
        "demo",
        help="run the built-in Bayesian tuning example end to end",
        description="Tune eta, max_depth and booster of a scripted XGBoost-like training job "
        "with a Bayesian tuning job (15 training jobs, 3 at a time) in virtual time.",
    )
    _display_options(demo_parser)
    demo_parser.set_defaults(run=cmd_demo)
    return top


def _display_options(sub: argparse.ArgumentParser) -> None:
    sub.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr while a tuning job runs (default: when a terminal)",
    )
    sub.add_argument(
        "--plot", metavar="FILE.png", help="also save the objective plot as a PNG (matplotlib)"
    )


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code."""
    args = parser().parse_args(argv)
    out, err = sys.stdout, sys.stderr
    for stream in (out, err):
        # Lone surrogates from JSON escapes ("\ud800") still print, escaped.
        if isinstance(stream, io.TextIOWrapper):
            stream.reconfigure(errors="backslashreplace")
    try:
        code: int = args.run(args, out, err)
        out.flush()
    except UsageError as error:
        print(f"sagemaker-lite {args.command}: error: {error}", file=err)
        return EXIT_USAGE
    except BrokenPipeError:
        # The reader left (``| head``): stop quietly; Python must not flush into
        # the closed pipe again at exit.
        with contextlib.suppress(OSError):
            os.dup2(os.open(os.devnull, os.O_WRONLY), out.fileno())
        return EXIT_BROKEN_PIPE
    except RecursionError:
        print(f"sagemaker-lite {args.command}: error: input nested too deeply", file=err)
        return EXIT_USAGE
    return code
