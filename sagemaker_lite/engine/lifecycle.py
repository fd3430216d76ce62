"""The job state machines, as data, and the one engine that interprets them.

Every job kind names its own statuses, but all follow the same rules: a job
moves only along a row of its table; an event with no row for the job's
current state is dropped (a completion scheduled for a job that was stopped
meanwhile simply never happens).  Illegal transitions are therefore
impossible by construction, and terminal states have no outgoing rows.

A state is a pair ``(primary, secondary)``; kinds without a secondary status
(tuning, compilation) use ``None``.  A row that leads back to its own state
is a *tick*: it changes nothing but lets the family react (a training job
reporting an epoch, a tuning job reaching its time limit) only while the job
is in that state.
"""

from __future__ import annotations

from collections.abc import Iterable

import attrs

ANY = "*"  # in a row's source: any secondary status
State = tuple[str, "str | None"]


@attrs.frozen
class StateMachine:
    """One job kind's lifecycle: its initial state, table of rows, and terminal statuses."""

    kind: str
    initial: State
    # (source primary, source secondary or ANY, event) -> target state
    rows: tuple[tuple[str, str | None, str, str, str | None], ...]
    _index: dict[tuple[str, str | None, str], State] = attrs.field(init=False, repr=False)
    #: Primary statuses with no way out (no row starts from them).
    terminal: frozenset[str] = attrs.field(init=False)

    def __attrs_post_init__(self) -> None:
        index: dict[tuple[str, str | None, str], State] = {}
        for primary, secondary, event, to_primary, to_secondary in self.rows:
            index[(primary, secondary, event)] = (to_primary, to_secondary)
        object.__setattr__(self, "_index", index)
        sources = {row[0] for row in self.rows}
        object.__setattr__(self, "terminal", frozenset(self.primaries() - sources))

    def next_state(self, state: State, event: str) -> State | None:
        """The state ``event`` leads to from ``state``, or None when the table has no row."""
        primary, secondary = state
        index = self._index
        target = index.get((primary, secondary, event))
        return target if target is not None else index.get((primary, ANY, event))

    def primaries(self) -> set[str]:
        """Every primary status of this kind."""
        return {self.initial[0]} | {row[0] for row in self.rows} | {row[3] for row in self.rows}

    def legal_states(self) -> frozenset[State]:
        """Every (primary, secondary) pair a job of this kind can ever be in."""
        states: set[State] = {self.initial}
        frontier = [self.initial]
        while frontier:
            state = frontier.pop()
            for event in self.events():
                target = self.next_state(state, event)
                if target is not None and target not in states:
                    states.add(target)
                    frontier.append(target)
        return frozenset(states)

    def events(self) -> Iterable[str]:
        """Every event name the table knows."""
        return sorted({row[2] for row in self.rows})


IN_PROGRESS = "InProgress"

TRAINING = StateMachine(
    kind="training-job",
    initial=(IN_PROGRESS, "Starting"),
    rows=(
        (IN_PROGRESS, "Starting", "download", IN_PROGRESS, "Downloading"),
        (IN_PROGRESS, "Starting", "train", IN_PROGRESS, "Training"),
        (IN_PROGRESS, "Downloading", "train", IN_PROGRESS, "Training"),
        (IN_PROGRESS, "Training", "upload", IN_PROGRESS, "Uploading"),
        (IN_PROGRESS, "Training", "epoch", IN_PROGRESS, "Training"),
        (IN_PROGRESS, "Uploading", "complete", "Completed", "Completed"),
        (IN_PROGRESS, ANY, "fail", "Failed", "Failed"),
        (IN_PROGRESS, ANY, "stop", "Stopping", "Stopping"),
        (IN_PROGRESS, ANY, "max_runtime", "Stopped", "MaxRuntimeExceeded"),
        (IN_PROGRESS, ANY, "max_wait", "Stopped", "MaxWaitTimeExceeded"),
        ("Stopping", "Stopping", "stopped", "Stopped", "Stopped"),
    ),
)

TUNING = StateMachine(
    kind="hyper-parameter-tuning-job",
    initial=(IN_PROGRESS, None),
    rows=(
        (IN_PROGRESS, None, "complete", "Completed", None),
        (IN_PROGRESS, None, "max_runtime", IN_PROGRESS, None),
        (IN_PROGRESS, None, "fail", "Failed", None),
        (IN_PROGRESS, None, "stop", "Stopping", None),
        ("Stopping", None, "stopped", "Stopped", None),
    ),
)

COMPILATION = StateMachine(
    kind="compilation-job",
    initial=("STARTING", None),
    rows=(
        ("STARTING", None, "compile", "INPROGRESS", None),
        ("INPROGRESS", None, "complete", "COMPLETED", None),
        ("STARTING", None, "fail", "FAILED", None),
        ("INPROGRESS", None, "fail", "FAILED", None),
        ("STARTING", None, "stop", "STOPPING", None),
        ("INPROGRESS", None, "stop", "STOPPING", None),
        ("STOPPING", None, "stopped", "STOPPED", None),
    ),
)


def _batch_machine(kind: str, working: str) -> StateMachine:
    """A processing or transform job: InProgress (instances ``Starting``, then ``working``),
    then Completed, Failed, or Stopping -> Stopped.  The secondary status is internal (the
    API shows none): it records when the work began, the job's ``...StartTime``."""
    return StateMachine(
        kind=kind,
        initial=(IN_PROGRESS, "Starting"),
        rows=(
            (IN_PROGRESS, "Starting", "start", IN_PROGRESS, working),
            (IN_PROGRESS, working, "complete", "Completed", None),
            (IN_PROGRESS, ANY, "fail", "Failed", None),
            (IN_PROGRESS, ANY, "stop", "Stopping", None),
            (IN_PROGRESS, ANY, "max_runtime", "Stopped", None),
            ("Stopping", None, "stopped", "Stopped", None),
        ),
    )


PROCESSING = _batch_machine("processing-job", "Processing")
TRANSFORM = _batch_machine("transform-job", "Transforming")

#: A model is a resource, not a job: it is created in its one state and only deleted.
MODEL = StateMachine(kind="model", initial=("Created", None), rows=())

#: An endpoint configuration is a resource too: created, then only deleted.
ENDPOINT_CONFIG = StateMachine(kind="endpoint-config", initial=("Created", None), rows=())

#: An endpoint: Creating -> InService (or Failed); from InService an update (a new
#: config, or new weights and capacities) is Updating -> InService, or RollingBack ->
#: InService when it fails; SystemUpdating only when scripted; Deleting -> Deleted, when
#: the endpoint leaves its world.  The secondary status is unused (the API shows none).
ENDPOINT = StateMachine(
    kind="endpoint",
    initial=("Creating", None),
    rows=(
        ("Creating", None, "in_service", "InService", None),
        ("Creating", None, "fail", "Failed", None),
        ("InService", None, "update", "Updating", None),
        ("Updating", None, "in_service", "InService", None),
        ("Updating", None, "roll_back", "RollingBack", None),
        ("RollingBack", None, "in_service", "InService", None),
        ("InService", None, "system_update", "SystemUpdating", None),
        ("SystemUpdating", None, "in_service", "InService", None),
        ("InService", None, "delete", "Deleting", None),
        ("Failed", None, "delete", "Deleting", None),
        ("Deleting", None, "deleted", "Deleted", None),
    ),
)


def _registry_machine(kind: str) -> StateMachine:
    """A model package group or model package: Pending, then InProgress, then Completed
    (the registry's ``...Status``; deleting removes it at once)."""
    return StateMachine(
        kind=kind,
        initial=("Pending", None),
        rows=(
            ("Pending", None, "start", IN_PROGRESS, None),
            (IN_PROGRESS, None, "complete", "Completed", None),
        ),
    )


MODEL_PACKAGE_GROUP = _registry_machine("model-package-group")
MODEL_PACKAGE = _registry_machine("model-package")

#: A pipeline is a resource: Active from its creation until it is deleted.
PIPELINE = StateMachine(kind="pipeline", initial=("Active", None), rows=())

#: A pipeline execution.  ``tick`` lets the executor look at its steps (a row back to
#: the same state); a failed execution can be retried (RetryPipelineExecution), so
#: only Succeeded and Stopped are terminal.
PIPELINE_EXECUTION = StateMachine(
    kind="pipeline-execution",
    initial=("Executing", None),
    rows=(
        ("Executing", None, "tick", "Executing", None),
        ("Executing", None, "succeed", "Succeeded", None),
        ("Executing", None, "fail", "Failed", None),
        ("Executing", None, "stop", "Stopping", None),
        ("Stopping", None, "tick", "Stopping", None),
        ("Stopping", None, "stopped", "Stopped", None),
        ("Failed", None, "retry", "Executing", None),
    ),
)

MACHINES: dict[str, StateMachine] = {
    m.kind: m
    for m in (
        TRAINING,
        TUNING,
        COMPILATION,
        PROCESSING,
        TRANSFORM,
        MODEL,
        ENDPOINT_CONFIG,
        ENDPOINT,
        MODEL_PACKAGE_GROUP,
        MODEL_PACKAGE,
        PIPELINE,
        PIPELINE_EXECUTION,
    )
}
