"""The engine: virtual clock, scheduler, registries and scripted behaviour.

One engine is one simulated SageMaker: it holds a registry per (account,
region), one virtual clock and one scheduler.  It knows job kinds only as
data: ``families`` names, per kind, the module that reacts to its events and
that other families reach it through (:meth:`Engine.family`).  The public
:class:`sagemaker_lite.Emulator` (``surfaces/emulator.py``) fills it in and
adds clients, sleep patching and snapshots.
"""

from __future__ import annotations

import importlib
import random
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from datetime import datetime, timedelta
from types import ModuleType
from typing import Any

from sagemaker_lite.engine.artifacts import ArtifactStore
from sagemaker_lite.engine.behaviour import (
    CHECKPOINT_FILES,
    MODEL_FILES,
    OUTPUT_FILES,
    Behaviour,
    Content,
    Files,
    Hyperparameters,
    Match,
    Metrics,
    ModelScript,
    RuleOutcomes,
    Script,
    Series,
)
from sagemaker_lite.engine.clock import VirtualClock
from sagemaker_lite.engine.jobs import Job, apply_event
from sagemaker_lite.engine.scheduler import Scheduler
from sagemaker_lite.engine.stall import StallWatch
from sagemaker_lite.engine.world import World

# run_until_idle gives up after this many events: a safety net against a
# scripted world that never settles.
MAX_IDLE_EVENTS = 10_000_000


def _files(artifacts: Mapping[str, Mapping[str, Content] | None]) -> Files | None:
    """The scripted artifacts that were given (None: the script sets no files)."""
    given = {name: members for name, members in artifacts.items() if members is not None}
    return given or None


def _request_id_prefix(bits: int) -> str:
    """The first four groups of a uuid4 (version nibble 4, variant bits 10) from ``bits``."""
    h = f"{bits & ~((0xF << 76) | (0xC << 60)) | (0x4 << 76) | (0x8 << 60):032x}"
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-"


class Engine:
    """A simulated SageMaker.  Thread-safe: one lock serialises every request."""

    #: Job kind -> the module of its family (``on_event(world, job, event, at)``
    #: and whatever other families call on it); set by the public Emulator.
    families: Mapping[str, str] = {}

    def __init__(
        self,
        clock: VirtualClock | None = None,
        *,
        seed: int = 0,
        auto_advance: bool = False,
    ) -> None:
        self.clock = clock or VirtualClock()
        self.scheduler = Scheduler()
        self.behaviour = Behaviour()
        self.lock = threading.RLock()
        #: When True, every describe of an unfinished job moves the clock to that
        #: job's next scheduled event after answering, so a polling loop sees each
        #: status once and finishes without real waiting (see docs/time.md).
        self.auto_advance = auto_advance
        self._stall = StallWatch()  # warns when a job is polled while time stands still
        self.seed = seed
        self._random = random.Random(seed)
        #: Request ids are ``request_id_prefix`` + ``requests_served`` (see request_id).
        self.request_id_prefix = _request_id_prefix(self._random.getrandbits(128))
        self.requests_served = 0
        self.worlds: dict[tuple[str, str], World] = {}
        #: Where jobs read inputs and write artifacts (S3 served in the process); None:
        #: nowhere, so no artifacts and no input checks.  Installed by a surface.
        self.artifacts: ArtifactStore | None = None
        self._family_modules: dict[str, ModuleType] = {}
        #: Scripted outcomes of pipeline steps that start no job, by step name
        #: (see :meth:`script_pipeline_step`).
        self.pipeline_step_scripts: dict[str, dict[str, Any]] = {}
        self._event_time: float | None = None  # see now()

    # --- clients and worlds -------------------------------------------------

    def world(self, account: str, region: str) -> World:
        """The registry of ``account`` in ``region`` (created empty on first use)."""
        key = (account, region)
        world = self.worlds.get(key)
        if world is None:
            world = self.worlds[key] = World(self, account, region)
        return world

    def world_of(self, job: Job) -> World:
        """The world a job lives in, read from its ARN (``arn:p:sagemaker:region:account:...``)."""
        _, _, _, region, account, _ = job.arn.split(":", 5)
        return self.world(account, region)

    def read(self, world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """:meth:`call` for a Describe or List a family reads on its own account (a
        pipeline step's properties, a Search record): it never moves the clock, as a
        describe under ``auto_advance`` otherwise would."""
        with self.lock:
            polling, self.auto_advance = self.auto_advance, False
            try:
                return self.call(world, operation, request)
            finally:
                self.auto_advance = polling

    # --- time -----------------------------------------------------------------

    def now(self) -> float:
        """The current virtual time, epoch seconds: while a family reacts to an event,
        the event's own time (what it creates then, a pipeline step's job, is created
        when the event happened, even if the clock was moved past it in one jump)."""
        at = self._event_time
        return self.clock.time() if at is None else at

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move virtual time forward and apply every event that became due."""
        with self.lock:
            self.clock.advance(seconds)
            self.run_due()
            return self.clock.now()

    def run_due(self) -> None:
        """Apply every event due by now, in time order."""
        with self.lock:
            self.scheduler.run_due(self.clock.time(), self.dispatch)

    def run_until_idle(self) -> datetime:
        """Advance time event by event until nothing is scheduled; returns the final time."""
        with self.lock:
            for _ in range(MAX_IDLE_EVENTS):
                due = self.scheduler.next_time()
                if due is None:
                    return self.clock.now()
                if due > self.clock.time():
                    self.clock.set(due)
                self.run_due()
            raise RuntimeError("run_until_idle: the world did not settle")

    def skip_to_next_event(self, job: Job) -> None:
        """Move the clock to ``job``'s next event (or the world's, if it has none)."""
        with self.lock:
            due = self.scheduler.next_time(job)
            if due is None:
                due = self.scheduler.next_time()
            if due is not None and due > self.clock.time():
                self.clock.set(due)
                self.run_due()

    def polled(self, job: Job) -> None:
        """Called after a describe of ``job``: in auto-advance mode, move time on."""
        if job.terminal:
            return
        if self.auto_advance:
            self.skip_to_next_event(job)
        else:
            self._stall.polled(job, self.clock.time())

    # --- the engine -------------------------------------------------------------

    def dispatch(self, job: Job, event: str, at: float) -> None:
        """Apply a due event: move the job along its table, then let its family react
        (``on_event(world, job, event, at)`` of ``family(job.kind)``)."""
        status = job.status
        if apply_event(job, event, at):
            world = self.world_of(job)
            if job.status != status:
                world.status_changed(job, status)
            previous, self._event_time = self._event_time, at
            try:
                self.family(job.kind).on_event(world, job, event, at)
            finally:
                self._event_time = previous

    def family(self, kind: str) -> Any:
        """The family module of a job kind (imported on first use): how families reach
        one another without importing each other (a tuning job launches training jobs
        through ``family("training-job")``)."""
        module = self._family_modules.get(kind)
        if module is None:
            module = self._family_modules[kind] = importlib.import_module(self.families[kind])
        return module

    def call(self, world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """Serve an API operation in ``world`` as a client would (for families whose
        steps start other jobs); the public Emulator serves it through its client."""
        raise NotImplementedError(f"this engine serves no operations ({operation})")

    def request_id(self) -> str:
        """A deterministic, unique, uuid4-shaped request id: a random prefix, then a counter.

        Every call needs one, and formatting 128 fresh random bits cost more than
        the rest of a cheap call; a counter in the last group is just as unique.
        """
        with self.lock:
            self.requests_served += 1
            return f"{self.request_id_prefix}{self.requests_served:012x}"

    def random_hex(self, digits: int) -> str:
        """Deterministic hex digits (for generated names)."""
        with self.lock:
            return f"{self._random.getrandbits(4 * digits):0{digits}x}"

    # --- scripted behaviour -----------------------------------------------------

    def script_training(
        self,
        match: Match = None,
        *,
        durations: Mapping[str, float] | None = None,
        fail_at: str | None = None,
        failure_reason: str | None = None,
        metrics: Metrics | Callable[[Hyperparameters], Metrics] | None = None,
        metric_series: Series | Callable[[Hyperparameters], Series] | None = None,
        logs: Sequence[str] | Callable[[Hyperparameters], Sequence[str]] | None = None,
        spot_savings: float | None = None,
        rule_outcomes: RuleOutcomes | None = None,
        model_files: Mapping[str, Content] | None = None,
        output_files: Mapping[str, Content] | None = None,
        checkpoint_files: Mapping[str, Content] | None = None,
    ) -> None:
        """Script training jobs created from now on (all, or those ``match`` selects).

        ``match``: None (every job), a job name, or a predicate on the create request.
        ``durations``: seconds per phase (``Starting``, ``Downloading``, ``Training``,
        ``Uploading``).  ``fail_at``/``failure_reason``: the job fails at the end of
        that phase with that ``FailureReason`` (e.g. ``"AlgorithmError: ..."``).
        ``metrics``: final values by name, or a function of the hyperparameters.
        ``metric_series``: ``[(seconds into training, value), ...]`` by name, or a
        function.  ``logs``: log lines (or a function giving them) from which the
        job's ``MetricDefinitions`` regexes extract metrics, as SageMaker does.
        ``spot_savings``: the fraction of training time not billed for spot jobs.
        ``rule_outcomes``: how the job's Debugger/Profiler rules conclude
        (``"NoIssuesFound"``, ``"IssuesFound"`` or ``"Error"``), one for all or by
        rule name; the default is ``"NoIssuesFound"``.
        ``model_files``/``output_files``: ``{path: content}``, the members of the
        ``model.tar.gz`` (``/opt/ml/model``) and ``output.tar.gz``
        (``/opt/ml/output/data``) the job uploads when it completes; a content is
        bytes, text, or a function of the hyperparameters giving either.
        ``checkpoint_files``: ``{path: content}`` the job writes to its checkpoint
        directory (``CheckpointConfig.LocalPath``) as it trains; with S3 served they
        appear under ``CheckpointConfig.S3Uri`` when Training begins.
        """
        files = _files(
            {
                MODEL_FILES: model_files,
                OUTPUT_FILES: output_files,
                CHECKPOINT_FILES: checkpoint_files,
            }
        )
        self.behaviour.add(
            Script(
                match,
                "training-job",
                durations,
                fail_at,
                failure_reason,
                metrics,
                metric_series,
                logs,
                spot_savings,
                rule_outcomes,
                files=files,
            )
        )

    def script_compilation(
        self,
        match: Match = None,
        *,
        durations: Mapping[str, float] | None = None,
        fail_at: str | None = None,
        failure_reason: str | None = None,
        model_files: Mapping[str, Content] | None = None,
    ) -> None:
        """Script compilation jobs: phase durations (``STARTING``, ``INPROGRESS``), failure,
        and ``model_files`` (``{path: content}``), the members of the compiled archive."""
        files = _files({MODEL_FILES: model_files})
        self.behaviour.add(
            Script(match, "compilation-job", durations, fail_at, failure_reason, files=files)
        )

    def script_processing(
        self,
        match: Match = None,
        *,
        durations: Mapping[str, float] | None = None,
        fail_at: str | None = None,
        failure_reason: str | None = None,
        exit_message: str | None = None,
        logs: Sequence[str] | Callable[[Mapping[str, str]], Sequence[str]] | None = None,
        outputs: Files | None = None,
    ) -> None:
        """Script processing jobs created from now on (all, or those ``match`` selects).

        ``durations``: seconds per phase (``Starting``: instances until the container
        runs, which is ``ProcessingStartTime``; ``Processing``).  ``fail_at``/
        ``failure_reason``: the job fails at the end of that phase with that
        ``FailureReason``; ``exit_message``: the ``ExitMessage`` the container leaves.
        ``logs``: its log lines, or a function of the request's ``Environment`` giving them.
        ``outputs``: ``{OutputName: {path relative to its LocalPath: content}}``, the
        files the container leaves in each ``ProcessingOutput`` (a content is bytes,
        text, or a function of the ``Environment`` giving either).
        """
        self.behaviour.add(
            Script(
                match,
                "processing-job",
                durations,
                fail_at,
                failure_reason,
                logs=logs,
                exit_message=exit_message,
                files=outputs,
            )
        )

    def script_transform(
        self,
        match: Match = None,
        *,
        durations: Mapping[str, float] | None = None,
        fail_at: str | None = None,
        failure_reason: str | None = None,
        logs: Sequence[str] | Callable[[Mapping[str, str]], Sequence[str]] | None = None,
    ) -> None:
        """Script batch transform jobs: phase durations (``Starting``, then ``Transforming``
        from ``TransformStartTime``), failure with its reason, and log lines (or a function
        of the request's ``Environment`` giving them)."""
        self.behaviour.add(
            Script(match, "transform-job", durations, fail_at, failure_reason, logs=logs)
        )

    def script_endpoint(
        self,
        match: Match = None,
        *,
        durations: Mapping[str, float] | None = None,
        fail_at: str | None = None,
        failure_reason: str | None = None,
    ) -> None:
        """Script endpoints created from now on (all, or those ``match`` selects: an
        endpoint name or a predicate on the CreateEndpoint request).

        ``durations``: seconds per phase: ``Creating``, ``Updating`` (every update),
        ``RollingBack`` (after a failed update), ``Deleting``, and ``SystemUpdating``
        (0 by default: when positive, the endpoint system-updates for that long as soon
        as it is first InService).  ``fail_at="Creating"`` (the default once a
        ``failure_reason`` is given) ends creation Failed with that ``FailureReason``;
        ``fail_at="Updating"`` makes every update fail: the endpoint rolls back to its
        previous configuration and is InService again with the ``FailureReason``.
        """
        self.behaviour.add(Script(match, "endpoint", durations, fail_at, failure_reason))

    def script_model(
        self,
        match: Match = None,
        *,
        respond: Callable[[bytes, str], Any],
    ) -> None:
        """Script what models answer, for every way they are asked (InvokeEndpoint, async
        inference, batch transform): ``respond(body, content_type)`` returns the answer's
        body (bytes or str, typed as the request's Accept or content type) or
        ``(body, content_type)``; raising an exception is the container answering an
        error (``ModelError`` on InvokeEndpoint).

        ``match``: None (every model), a model name, a container image or a model-data
        URL (``ModelDataUrl``) of any of the model's containers, or a predicate on the
        CreateModel request.  Later scripts win; an unscripted model answers a
        deterministic score per record (docs/endpoints.md).
        """
        self.behaviour.models.append(ModelScript(match, respond))

    def script_pipeline_step(
        self,
        step_name: str,
        *,
        outputs: Mapping[str, str] | None = None,
        failure_reason: str | None = None,
        duration: float = 0.0,
    ) -> None:
        """Script the pipeline steps named ``step_name`` that start no job (Lambda steps):
        they run ``duration`` virtual seconds, then succeed with ``outputs`` (their
        OutputParameters by name) or, given ``failure_reason``, fail with it.  Steps
        that start jobs are scripted through their jobs (``script_training`` & co.);
        Callback steps wait for SendPipelineExecutionStepSuccess/Failure."""
        self.pipeline_step_scripts[step_name] = {
            "outputs": dict(outputs or {}),
            "failure_reason": failure_reason,
            "duration": float(duration),
        }

    def jobs(self) -> Iterator[Job]:
        """Every stored job of every world (for tests and invariants)."""
        for world in list(self.worlds.values()):
            for table in list(world.tables.values()):
                yield from list(table.values())

    def describe_state(self) -> dict[str, Any]:
        """A small summary for debugging: time and job counts per kind and status."""
        counts: dict[str, int] = {}
        for job in self.jobs():
            key = f"{job.kind}:{job.status}"
            counts[key] = counts.get(key, 0) + 1
        return {"now": self.clock.now().isoformat(), "jobs": counts}
