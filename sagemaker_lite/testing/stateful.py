"""A Hypothesis state machine over the emulator, for testing job workflows.

Subclass :class:`SageMakerStateMachine` and add your own rules (driving your
code against ``self.client``) and invariants; the base class brings rules that
create, stop, delete and describe jobs of every kind, advance virtual time,
script failures and tag jobs, plus the emulator's own invariants::

    from hypothesis.stateful import invariant, rule
    from sagemaker_lite.testing import SageMakerStateMachine

    class MyWorkflow(SageMakerStateMachine):
        @rule(name=SageMakerStateMachine.training_jobs)
        def my_retry_logic(self, name):
            my_code.retry_if_failed(self.client, name)

        @invariant()
        def never_two_running(self):
            ...

    TestMyWorkflow = MyWorkflow.TestCase

Pipelines are driven too: pipelines created and updated from drawn definitions
(``pipeline_definitions``), executions started with drawn parameters and
scripted step outcomes, stopped, retried and answered (their Callback steps);
``kinds`` narrows the rules to some kinds (``frozenset({"pipeline"})``).

Your rules need no bookkeeping: what must exist is derived from the calls made
through ``self.client`` (a create that succeeded adds a job, a delete that
succeeded removes it), whichever rule made them.  Rules of a job family whose
handlers are not built are skipped.  Every rule checks the answer it gets, so
lost or duplicated jobs are caught at the step that causes them.  Runs are
short by default (:data:`MACHINE_SETTINGS`), so a failure shrinks in seconds.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterator, Mapping
from typing import Any, ClassVar

import attrs
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
)

from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.lifecycle import MACHINES, State
from sagemaker_lite.families.pipelines.definition import parse
from sagemaker_lite.surfaces.client import Client, handler_for
from sagemaker_lite.surfaces.emulator import Emulator
from sagemaker_lite.testing import pipelines as kit
from sagemaker_lite.testing import strategies as sms

TRAINING, TUNING, COMPILATION = "training-job", "hyper-parameter-tuning-job", "compilation-job"
PROCESSING, TRANSFORM, MODEL = "processing-job", "transform-job", "model"
ENDPOINT_CONFIG, ENDPOINT = "endpoint-config", "endpoint"
PIPELINE, PIPELINE_EXECUTION = "pipeline", "pipeline-execution"


@attrs.frozen
class JobKind:
    """One kind of job (or resource) the machine drives: its operations, names, stop states.

    A row of :data:`JOB_KINDS`; the machine's create, describe, stop and delete
    rules, its bundle and its invariants are generated from it.  What a create
    needs first (a transform job's model) comes from the kit's ``REQUEST_KINDS``
    and is made through the machine's client, so it is watched like any create.
    """

    kind: str
    bundle: str
    create: str
    name_member: str
    describe: str
    #: None for resources that never run (models).
    stop: str | None
    #: None for kinds AWS never deletes (processing and transform jobs).
    delete: str | None
    list_operation: str
    summaries: str
    #: A small pool of names, so rules collide on purpose (duplicates, reuse).
    names: tuple[str, ...]
    #: Statuses from which a stop is accepted, and those a stopped job shows.
    stoppable: frozenset[str]
    stopping: frozenset[str]
    #: The error code of a create whose name is taken (models: ValidationException).
    duplicate: str = "ResourceInUse"
    #: The status a successful delete leaves while the resource goes (endpoints:
    #: ``Deleting``, gone when its time is over); None: gone at once.
    going: str | None = None

    @classmethod
    def of(
        cls,
        kind: str,
        noun: str,
        bundle: str,
        names: tuple[str, ...],
        stoppable: set[str],
        stopping: set[str],
        *,
        deletable: bool = True,
        summaries: str | None = None,
        duplicate: str = "ResourceInUse",
        going: str | None = None,
    ) -> JobKind:
        """The row of a kind whose operations follow SageMaker's naming (``Create{noun}``...).

        Empty ``stoppable`` means the kind has no Stop operation.
        """
        return cls(
            kind,
            bundle,
            f"Create{noun}",
            f"{noun}Name",
            f"Describe{noun}",
            f"Stop{noun}" if stoppable else None,
            f"Delete{noun}" if deletable else None,
            f"List{noun}s",
            summaries or f"{noun}Summaries",
            names,
            frozenset(stoppable),
            frozenset(stopping),
            duplicate,
            going,
        )


JOB_KINDS: tuple[JobKind, ...] = (
    JobKind.of(
        TRAINING,
        "TrainingJob",
        "training_jobs",
        tuple(f"train-{i}" for i in range(6)),
        {"InProgress"},
        {"Stopping", "Stopped"},
    ),
    JobKind.of(
        TUNING,
        "HyperParameterTuningJob",
        "tuning_jobs",
        tuple(f"tune-{i}" for i in range(3)),
        {"InProgress"},
        {"Stopping", "Stopped"},
    ),
    JobKind.of(
        COMPILATION,
        "CompilationJob",
        "compilation_jobs",
        tuple(f"neo-{i}" for i in range(4)),
        {"STARTING", "INPROGRESS"},
        {"STOPPING", "STOPPED"},
    ),
    JobKind.of(
        PROCESSING,
        "ProcessingJob",
        "processing_jobs",
        tuple(f"prep-{i}" for i in range(4)),
        {"InProgress"},
        {"Stopping", "Stopped"},
        deletable=False,
    ),
    # A model never runs: created, described, listed and deleted (no Stop);
    # its names include the transform sample's model, so the two kinds meet.
    JobKind.of(
        MODEL,
        "Model",
        "models",
        tuple(f"model-{i}" for i in range(3)),
        set(),
        set(),
        summaries="Models",
        duplicate="ValidationException",
    ),
    JobKind.of(
        TRANSFORM,
        "TransformJob",
        "transform_jobs",
        tuple(f"score-{i}" for i in range(4)),
        {"InProgress"},
        {"Stopping", "Stopped"},
        deletable=False,
    ),
    # Endpoint configurations name models (the sample names model-0), endpoints deploy
    # a configuration (the sample deploys config-0): the three kinds meet.
    JobKind.of(
        ENDPOINT_CONFIG,
        "EndpointConfig",
        "endpoint_configs",
        tuple(f"config-{i}" for i in range(3)),
        set(),
        set(),
        summaries="EndpointConfigs",
        duplicate="ValidationException",
    ),
    JobKind.of(
        ENDPOINT,
        "Endpoint",
        "endpoints",
        tuple(f"endpoint-{i}" for i in range(3)),
        set(),
        set(),
        summaries="Endpoints",
        duplicate="ValidationException",
        going="Deleting",
    ),
)
KINDS = {row.kind: row for row in JOB_KINDS}
NAMES = {row.kind: row.names for row in JOB_KINDS}
#: Pipelines: created from drawn definitions, updated, deleted; their executions are
#: started with drawn parameters and scripted step outcomes (the pipeline rules below).
PIPELINES = JobKind.of(
    PIPELINE,
    "Pipeline",
    "pipelines",
    tuple(f"flow-{i}" for i in range(3)),
    set(),
    set(),
    duplicate="ValidationException",
)
#: Operations that add (True) or remove (False) a job of a kind when they succeed.
_EFFECTS = {
    **{row.create: (row, True) for row in (*JOB_KINDS, PIPELINES)},
    **{row.delete: (row, False) for row in (*JOB_KINDS, PIPELINES) if row.delete is not None},
}
#: The names of the jobs pipeline steps start (``pipelines-<execution id>-<step>-<random>``;
#: a tuning job's leaves out ``pipelines-``): the executions' own, like tuning children.
STEP_JOB_NAME = re.compile(r"(pipelines-)?[a-z0-9]{12}-.*-[0-9a-f]{10}")
#: What a pipeline execution's status may become next (AWS's PipelineExecutionStatus:
#: Executing, then Stopping/Stopped, Succeeded or Failed); Failed goes back to
#: Executing only through RetryPipelineExecution.
EXECUTION_NEXT: dict[str, frozenset[str]] = {
    "Executing": frozenset({"Executing", "Stopping", "Stopped", "Succeeded", "Failed"}),
    "Stopping": frozenset({"Stopping", "Stopped"}),
    "Stopped": frozenset({"Stopped"}),
    "Succeeded": frozenset({"Succeeded"}),
    "Failed": frozenset({"Failed"}),
}
_RETRY_TYPES = (
    ("InternalServerError", "SageMaker.JOB_INTERNAL_ERROR"),
    ("CapacityError", "SageMaker.CAPACITY_ERROR"),
)
_ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
_PAGE = 100

#: The machine's default settings: short runs, so a failing one shrinks in seconds.
#: (Apply ``@settings(...)`` to your subclass, or set ``TestCase.settings``, for more.)
MACHINE_SETTINGS: dict[str, Any] = {
    "max_examples": 100,
    "stateful_step_count": 12,
    "deadline": None,
    "suppress_health_check": list(HealthCheck),
}


def family_built(operation: str) -> bool:
    """Whether the emulator serves ``operation`` (its family's handlers exist)."""
    try:
        handler_for(OPERATIONS[operation])
    except NotImplementedError:
        return False
    return True


# --- invariants as plain functions (also used by the thread and fuzz suites) -------------


def list_all(client: Client[Emulator], operation: str, result_key: str, **params: Any) -> list[Any]:
    """Every item of a List* operation, following NextToken."""
    items: list[Any] = []
    token = None
    while True:
        page = client.call(
            operation, {**params, "MaxResults": _PAGE, **({"NextToken": token} if token else {})}
        )
        items.extend(page[result_key])
        token = page.get("NextToken")
        if not token:
            return items


@functools.cache
def _legal_states(kind: str) -> frozenset[State]:
    # Worked out from the state-machine table, once (the machine runs it after every step).
    return MACHINES[kind].legal_states()


def check_states(emulator: Emulator) -> None:
    """Every job is in one legal state of its kind and stored exactly once, under its name."""
    for world in emulator.worlds.values():
        arns = set()
        for kind, table in world.tables.items():
            legal = _legal_states(kind)
            for key, job in table.items():
                assert key == job.name.lower(), (key, job.name)
                assert job.state in legal, (job.arn, job.state)
                assert not job.deleted, job.arn
                assert world.by_arn.get(job.arn) is job, job.arn
                assert job.arn not in arns, f"{job.arn} stored twice"
                arns.add(job.arn)
        assert arns == set(world.by_arn), "by_arn and the tables disagree"
        for kind, index in world.indexes.items():
            stored = sorted(world.table(kind).values(), key=lambda job: job.seq)
            assert list(index.by_creation) == stored, f"the {kind} creation order disagrees"
            assert sorted(index.by_name, key=lambda job: job.seq) == stored, kind
            for status, jobs in index.by_status.items():
                assert all(job.status == status for job in jobs), (kind, status)
            assert sum(len(jobs) for jobs in index.by_status.values()) == len(stored), kind


def check_timestamps(emulator: Emulator) -> None:
    """Each job's history runs forward in time, from creation to its last change, to now."""
    now = emulator.now()
    for job in emulator.jobs():
        times = [start for _, start in job.history]
        assert times == sorted(times), (job.arn, job.history)
        assert job.created == times[0] <= job.modified <= now, job.arn
        # Transitions touch LastModifiedTime, and so do updates (without a transition).
        assert job.modified >= times[-1], (job.arn, job.modified, job.history)


def check_list_matches_describe(
    client: Client[Emulator], kinds: tuple[str, ...] = tuple(KINDS)
) -> None:
    """Every listed job is described with the same values; listings hold every stored job."""
    for kind in kinds:
        row = KINDS[kind]
        if not family_built(row.list_operation):
            continue
        summaries = list_all(client, row.list_operation, row.summaries)
        stored = {job.name for job in client.world.table(kind).values()}
        names = [s[row.name_member] for s in summaries]
        assert sorted(names) == sorted(stored), (kind, names, stored)
        for summary in summaries:
            described = client.call(row.describe, {row.name_member: summary[row.name_member]})
            for field, value in summary.items():
                if field in described:
                    assert described[field] == value, (kind, field, value, described[field])


def check_tuning_counters(client: Client[Emulator]) -> None:
    """A tuning job's TrainingJobStatusCounters add up to the children it lists."""
    if not family_built("DescribeHyperParameterTuningJob"):
        return
    for job in list(client.world.table(TUNING).values()):
        described = client.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName=job.name)
        children = list_all(
            client,
            "ListTrainingJobsForHyperParameterTuningJob",
            "TrainingJobSummaries",
            HyperParameterTuningJobName=job.name,
        )
        counters = described["TrainingJobStatusCounters"]
        by_status: dict[str, int] = {}
        for child in children:
            by_status[child["TrainingJobStatus"]] = by_status.get(child["TrainingJobStatus"], 0) + 1
        assert sum(counters.values()) == len(children), (job.name, counters, len(children))
        assert counters["Completed"] == by_status.get("Completed", 0), (counters, by_status)
        assert counters["Stopped"] == by_status.get("Stopped", 0), (counters, by_status)
        assert counters["InProgress"] == by_status.get("InProgress", 0) + by_status.get(
            "Stopping", 0
        ), (counters, by_status)
        failed = counters["RetryableError"] + counters["NonRetryableError"]
        assert failed == by_status.get("Failed", 0), (counters, by_status)
        objectives = described["ObjectiveStatusCounters"]
        assert sum(objectives.values()) == len(children), (objectives, len(children))


@attrs.frozen
class PipelineRun:
    """One execution the machine started: its pipeline, the definition it ran, the
    parameters drawn for it and its scripted step outcomes."""

    pipeline: str
    definition: str
    parameters: Mapping[str, Any]
    outcomes: Mapping[str, kit.StepOutcome]


def check_pipelines(client: Client[Emulator]) -> None:
    """ListPipelines holds every stored pipeline as DescribePipeline shows it; each
    pipeline's ListPipelineExecutions summaries equal DescribePipelineExecution."""
    if not family_built("ListPipelines"):
        return
    summaries = list_all(client, "ListPipelines", "PipelineSummaries")
    stored = {job.name for job in client.world.table(PIPELINE).values()}
    assert sorted(s["PipelineName"] for s in summaries) == sorted(stored), (summaries, stored)
    for summary in summaries:
        name = summary["PipelineName"]
        described = client.call("DescribePipeline", {"PipelineName": name})
        for field, value in summary.items():
            if field in described:
                assert described[field] == value, (name, field, value, described[field])
        executions = list_all(
            client, "ListPipelineExecutions", "PipelineExecutionSummaries", PipelineName=name
        )
        for execution in executions:
            answer = client.call(
                "DescribePipelineExecution",
                {"PipelineExecutionArn": execution["PipelineExecutionArn"]},
            )
            assert answer["PipelineArn"] == described["PipelineArn"], answer
            for field, member in (
                ("PipelineExecutionStatus", "PipelineExecutionStatus"),
                ("PipelineExecutionDisplayName", "PipelineExecutionDisplayName"),
                ("PipelineExecutionFailureReason", "FailureReason"),
                ("StartTime", "CreationTime"),
            ):
                assert execution.get(field) == answer.get(member), (field, execution, answer)


def _retried_by(step: Mapping[str, Any], reason: str) -> int:
    """How many retries the step's RetryPolicies give a failure with ``reason`` (with no
    ExpireAfterMin to cut them short)."""
    kinds = {kind for prefix, kind in _RETRY_TYPES if reason.startswith(prefix)}
    return max(
        (
            int(policy.get("MaxAttempts", 5))
            for policy in step.get("RetryPolicies") or ()
            if kinds & set(policy.get("ExceptionType") or ()) and "ExpireAfterMin" not in policy
        ),
        default=0,
    )


def check_pipeline_execution(
    client: Client[Emulator], arn: str, run: PipelineRun | None = None
) -> None:
    """An execution agrees with its steps: Succeeded only when every step it reached
    succeeded, Failed only when one failed, and not left Executing once a step failed
    and none runs.  With the ``run`` it was started with: a step scripted to fail on
    every attempt fails with its scripted reason; one whose failures its RetryPolicies
    cover succeeds."""
    status = client.call("DescribePipelineExecution", {"PipelineExecutionArn": arn})[
        "PipelineExecutionStatus"
    ]
    steps = list_all(
        client, "ListPipelineExecutionSteps", "PipelineExecutionSteps", PipelineExecutionArn=arn
    )
    statuses = [step["StepStatus"] for step in steps]
    if status == "Succeeded":
        assert all(s == "Succeeded" for s in statuses), (arn, steps)
    if status == "Failed":
        assert "Failed" in statuses, (arn, steps)
    running = {"Executing", "Stopping"} & set(statuses)
    if "Failed" in statuses and not running:
        assert status in ("Failed", "Stopping", "Stopped"), (arn, status, steps)
    if run is None:
        return
    definition = parse(run.definition)
    for step in steps:
        outcome = run.outcomes.get(step["StepName"])
        if outcome is None or step["StepStatus"] in ("Executing", "Stopping", "Stopped"):
            continue
        if "CacheHitResult" in step or "SelectiveExecutionResult" in step:
            continue
        if outcome.failures == kit.ALWAYS:
            assert step["StepStatus"] == "Failed", (arn, step, outcome)
            assert step.get("FailureReason") == outcome.failure_reason, (arn, step, outcome)
        elif outcome.failures <= _retried_by(
            definition.steps[step["StepName"]], outcome.failure_reason
        ):
            assert step["StepStatus"] == "Succeeded", (arn, step, outcome)


def check_all(client: Client[Emulator]) -> None:
    """Every emulator invariant above."""
    check_states(client.emulator)
    check_timestamps(client.emulator)
    check_list_matches_describe(client)
    check_tuning_counters(client)
    check_endpoints(client)
    check_pipelines(client)


def check_endpoints(
    client: Client[Emulator], deployed: Mapping[tuple[str, str], set[str]] | None = None
) -> None:
    """Each endpoint describes as it stands: its status, the configuration it serves (one of
    those it was created or updated with, when ``deployed`` says), settled weights and
    counts while InService, no instances while Creating, a pending deployment only while
    Updating, and a FailureReason when Failed."""
    if not family_built("DescribeEndpoint"):
        return
    for job in list(client.world.table(ENDPOINT).values()):
        described = client.call("DescribeEndpoint", {"EndpointName": job.name})
        status = described["EndpointStatus"]
        assert status == job.status, (job.name, status, job.status)
        configs = (deployed or {}).get((ENDPOINT, job.name.lower()))
        if configs is not None:
            assert described["EndpointConfigName"] in configs, (described, configs)
        if "PendingDeploymentSummary" in described:
            assert status == "Updating", (job.name, status)
        if status == "Failed":
            assert described.get("FailureReason"), described
        assert described["ProductionVariants"], described
        for variant in described["ProductionVariants"]:
            if status == "InService":
                assert variant["CurrentWeight"] == variant["DesiredWeight"], variant
                if "DesiredInstanceCount" in variant:
                    assert variant["CurrentInstanceCount"] == variant["DesiredInstanceCount"]
            elif status == "Creating":
                assert variant.get("CurrentInstanceCount", 0) == 0, variant


def _built(operation: str, kind: str) -> Callable[[Any], bool]:
    return lambda machine: machine.drives(kind) and family_built(operation)


# --- the machine ----------------------------------------------------------------------------


_HYPOTHESIS_TEST_CASE: Any = RuleBasedStateMachine.__dict__["TestCase"]


class _TestCaseWithMachineSettings:
    """``Machine.TestCase``, whose settings default to :data:`MACHINE_SETTINGS`.

    ``@settings(...)`` on a subclass, or assigning ``TestCase.settings``, still
    wins: the defaults are put in place once, the first time the TestCase is seen.
    """

    def __get__(self, obj: object, owner: type[RuleBasedStateMachine]) -> Any:
        case = _HYPOTHESIS_TEST_CASE.__get__(obj, owner if obj is None else type(obj))
        if not case.__dict__.get("_sagemaker_lite_defaults", False):
            case._sagemaker_lite_defaults = True
            case.settings = settings(**MACHINE_SETTINGS)
        return case


class SageMakerStateMachine(RuleBasedStateMachine):
    """Rules over every job family with built-in invariants; subclass to add your own.

    ``self.client`` is a fresh client per run (override :meth:`make_client`
    to use another client of this package), ``self.emulator`` its emulator.
    Every call through ``self.client`` is watched: a create that succeeds
    adds a job to what must exist, a delete that succeeds removes it
    (``self.live``), so your own rules keep every invariant without
    bookkeeping.  Job kinds come from :data:`JOB_KINDS` (one row per kind).
    """

    training_jobs = Bundle("training_jobs")
    tuning_jobs = Bundle("tuning_jobs")
    compilation_jobs = Bundle("compilation_jobs")
    endpoint_configs = Bundle("endpoint_configs")
    endpoints = Bundle("endpoints")
    pipelines = Bundle("pipelines")
    #: The ARNs of the pipeline executions started.
    pipeline_executions = Bundle("pipeline_executions")

    account_id: ClassVar[str] = sms.DEFAULT_ACCOUNT
    region: ClassVar[str] = sms.DEFAULT_REGION
    #: The kinds whose rules run (``None``: every kind); for example
    #: ``frozenset({"pipeline"})`` for pipeline rules (and time) only.
    kinds: ClassVar[frozenset[str] | None] = None
    #: The definitions (JSON text) pipelines are created and updated from; set it to
    #: ``st.just(MY_DEFINITION)`` to drive your own pipeline.
    pipeline_definitions: ClassVar[st.SearchStrategy[str]] = kit.pipeline_definitions()

    TestCase = _TestCaseWithMachineSettings()

    def __init__(self) -> None:
        super().__init__()
        self.client = self.make_client()
        self.emulator = self.client.emulator
        self._existing: dict[tuple[str, str], str] = {}
        #: Resources whose delete succeeded and that are still going (endpoints Deleting).
        self._going: dict[tuple[str, str], str] = {}
        #: The configurations each endpoint was created or updated with.
        self._deployed: dict[tuple[str, str], set[str]] = {}
        self._watch(self.client)
        #: Scripted step outcomes, execution by execution.
        self.step_scripts = kit.StepScripts(self.emulator)
        #: Every execution started by the pipeline rules, by ARN.
        self.pipeline_runs: dict[str, PipelineRun] = {}
        self._versions: dict[str, list[str]] = {}
        self._seen: dict[str, str] = {}
        self._retried: set[str] = set()

    def make_client(self) -> Client[Emulator]:
        """The client the rules drive (a fresh emulator by default)."""
        return Emulator().client(region_name=self.region, account_id=self.account_id)

    def _watch(self, client: Client[Emulator]) -> None:
        """Record the effect of every successful create and delete made through ``client``."""
        call = client.call

        def watched(operation: str, params: dict[str, Any], **options: Any) -> dict[str, Any]:
            response = call(operation, params, **options)  # an error changes nothing
            effect = _EFFECTS.get(operation)
            if effect is not None:
                row, adds = effect
                name = str(params[row.name_member])
                key = (row.kind, name.lower())
                if adds:
                    self._existing[key] = name
                    self._going.pop(key, None)
                    self._deployed.pop(key, None)
                else:
                    self._existing.pop(key, None)
                    if row.going is not None:
                        self._going[key] = name
            if operation in ("CreateEndpoint", "UpdateEndpoint"):
                key = (ENDPOINT, str(params["EndpointName"]).lower())
                self._deployed.setdefault(key, set()).add(str(params["EndpointConfigName"]))
            return response

        client.call = watched  # type: ignore[method-assign,assignment]

    def drives(self, kind: str) -> bool:
        """Whether the rules of ``kind`` run (:attr:`kinds`)."""
        return self.kinds is None or kind in self.kinds

    def pipeline_parameters_for(self, definition: str) -> st.SearchStrategy[dict[str, Any]]:
        """The parameters an execution of ``definition`` is started with (override to
        draw your own; the default: ``pipelines.pipeline_parameters``)."""
        return kit.pipeline_parameters(definition)

    def step_outcomes_for(self, definition: str) -> st.SearchStrategy[dict[str, Any]]:
        """The scripted outcomes of an execution's job steps (override to draw your own,
        e.g. the files an evaluation step leaves; the default:
        :func:`~sagemaker_lite.testing.pipelines.step_outcomes`)."""
        return kit.step_outcomes(definition)

    @property
    def live(self) -> dict[tuple[str, str], str]:
        """(kind, lower-cased name) -> name of every job created through the client and not
        deleted (tuning jobs' children are the emulator's own and not included)."""
        return dict(self._existing)

    def _still_going(self, kind: str, name: str) -> bool:
        """Whether a resource whose delete succeeded is still stored (an endpoint Deleting)."""
        return (kind, name.lower()) in self._going and self.status_of(kind, name) is not None

    # --- helpers -------------------------------------------------------------------

    def outcome(self, operation: str, request: dict[str, Any]) -> tuple[str, str] | None:
        """Call ``operation``; None on success, else the (code, message) of its API error."""
        return sms.error_of(lambda: self.client.call(operation, request))

    def status_of(self, kind: str, name: str) -> str | None:
        """The job's status as stored (None when there is no such job)."""
        job = self.client.world.get(kind, name)
        return None if job is None else job.status

    def create_job(self, row: JobKind, request: dict[str, Any], name: str) -> Any:
        """Create a job called ``name`` after what it needs (through ``self.client``):
        succeeds unless the name is taken (``row.duplicate``)."""
        existed = (row.kind, name.lower()) in self._existing or self._still_going(row.kind, name)
        sms.set_up(self.client, row.create, request, account_id=self.account_id, region=self.region)
        missing = self.missing_models(request) if row.kind == ENDPOINT else []
        error = self.outcome(row.create, {**request, row.name_member: name})
        if existed:
            assert error is not None and error[0] == row.duplicate, error
            return multiple()
        if missing:  # the configuration's model was deleted since: AWS refuses the deploy
            assert error is not None and "Could not find model" in error[1], (missing, error)
            return multiple()
        assert error is None, error
        return name

    def missing_models(self, request: dict[str, Any]) -> list[str]:
        """The models an endpoint request's configuration names that do not exist."""
        config = self.client.world.get(ENDPOINT_CONFIG, str(request["EndpointConfigName"]))
        if config is None:
            return []
        variants = [
            *config.request["ProductionVariants"],
            *(config.request.get("ShadowProductionVariants") or ()),
        ]
        return [
            v["ModelName"]
            for v in variants
            if "ModelName" in v and self.client.world.get(MODEL, v["ModelName"]) is None
        ]

    def describe_job(self, row: JobKind, name: str) -> None:
        """Describe answers for a live job, and an error for a deleted one."""
        stored = (row.kind, name.lower()) in self._existing or self._still_going(row.kind, name)
        error = self.outcome(row.describe, {row.name_member: name})
        assert (error is None) == stored, error

    def stop_job(self, row: JobKind, name: str) -> None:
        """Only a job in a stoppable status stops; others answer ValidationException."""
        assert row.stop is not None, row.kind
        status = self.status_of(row.kind, name)
        error = self.outcome(row.stop, {row.name_member: name})
        if status is None:
            assert error is not None, f"{row.stop} of a missing job succeeded"
        elif status in row.stoppable:
            assert error is None, error
            assert self.status_of(row.kind, name) in row.stopping
        else:
            assert error is not None and error[0] == "ValidationException", (status, error)

    def delete_job(self, row: JobKind, name: str) -> None:
        """Only terminal jobs go (endpoints: InService or Failed ones, Deleting for a while);
        a failed delete leaves the job where it was."""
        assert row.delete is not None, row.kind
        status = self.status_of(row.kind, name)
        existed = status is not None
        error = self.outcome(row.delete, {row.name_member: name})
        if error is None:
            assert existed, f"{row.delete} of a missing {row.kind} succeeded"
            assert status != row.going, f"{row.delete} while {status} succeeded"
            assert self.status_of(row.kind, name) in (None, row.going)
        else:
            assert self.status_of(row.kind, name) is not None or not existed, error
        if row.kind == ENDPOINT:  # AWS deletes an InService or Failed endpoint only
            assert (error is None) == (status in ("InService", "Failed")), (status, error)

    # --- time and scripts -----------------------------------------------------------

    @rule(seconds=st.sampled_from((1.0, 29.0, 60.0, 150.0, 600.0, 3600.0)))
    def advance_time(self, seconds: float) -> None:
        """Move virtual time on; due transitions apply."""
        self.emulator.advance(seconds)

    @rule()
    def run_until_idle(self) -> None:
        """Let every job settle."""
        self.emulator.run_until_idle()

    @precondition(lambda self: self.drives(TRAINING))
    @rule(
        name=st.sampled_from(NAMES[TRAINING]),
        phase=st.sampled_from(("Starting", "Downloading", "Training", "Uploading")),
    )
    def script_training_failure(self, name: str, phase: str) -> None:
        """The next training job called ``name`` fails at the end of ``phase``."""
        self.emulator.script_training(
            name, fail_at=phase, failure_reason="AlgorithmError: scripted by the test"
        )

    # --- training only ---------------------------------------------------------------

    @precondition(lambda self: self.drives(TRAINING))
    @rule(name=training_jobs, keep_alive=st.integers(0, 3600))
    def update_training_job(self, name: str, keep_alive: int) -> None:
        """UpdateTrainingJob of the warm-pool keep-alive: answers an error or the ARN."""
        error = self.outcome(
            "UpdateTrainingJob",
            {"TrainingJobName": name, "ResourceConfig": {"KeepAlivePeriodInSeconds": keep_alive}},
        )
        if (TRAINING, name.lower()) not in self._existing:
            assert error is not None

    @precondition(lambda self: self.drives(TRAINING))
    @rule(name=training_jobs, tags=sms.tags())
    def tag_training_job(self, name: str, tags: list[dict[str, str]]) -> None:
        """AddTags then ListTags shows them; past 50 tags on the job, AddTags changes nothing."""
        job = self.client.world.get(TRAINING, name)
        if job is None or not tags:
            return
        before = dict(job.tags)
        error = self.outcome("AddTags", {"ResourceArn": job.arn, "Tags": tags})
        if len(before | {t["Key"]: t["Value"] for t in tags}) > sms.MAX_TAGS:
            assert error is not None and error[0] == "ValidationException", error
            assert job.tags == before
            return
        assert error is None, error
        listed = {
            t["Key"]: t["Value"]
            for t in self.client.list_tags(ResourceArn=job.arn, MaxResults=100)["Tags"]
        }
        assert all(listed.get(t["Key"]) == t["Value"] for t in tags), listed

    # --- endpoints ----------------------------------------------------------------------

    @precondition(_built("UpdateEndpoint", ENDPOINT))
    @rule(name=endpoints, config=st.sampled_from(NAMES[ENDPOINT_CONFIG]))
    def update_endpoint(self, name: str, config: str) -> None:
        """UpdateEndpoint to a configuration: accepted for an InService endpoint and an
        existing configuration whose models exist (then Updating), else ValidationException."""
        status = self.status_of(ENDPOINT, name)
        request = {"EndpointName": name, "EndpointConfigName": config}
        refused = (
            status != "InService"
            or self.client.world.get(ENDPOINT_CONFIG, config) is None
            or bool(self.missing_models(request))
        )
        error = self.outcome("UpdateEndpoint", request)
        if refused:
            assert error is not None and error[0] == "ValidationException", (status, error)
        else:
            assert error is None, error
            assert self.status_of(ENDPOINT, name) == "Updating"

    @precondition(_built("UpdateEndpointWeightsAndCapacities", ENDPOINT))
    @rule(name=endpoints, weight=st.sampled_from((0.0, 1.0, 2.5)))
    def update_endpoint_weights(self, name: str, weight: float) -> None:
        """UpdateEndpointWeightsAndCapacities of the first variant: only an InService
        endpoint takes it; DesiredWeight shows at once, CurrentWeight once InService."""
        status = self.status_of(ENDPOINT, name)
        variant = "AllTraffic"
        if status is not None:
            described = self.client.describe_endpoint(EndpointName=name)
            variant = described["ProductionVariants"][0]["VariantName"]
        error = self.outcome(
            "UpdateEndpointWeightsAndCapacities",
            {
                "EndpointName": name,
                "DesiredWeightsAndCapacities": [{"VariantName": variant, "DesiredWeight": weight}],
            },
        )
        if status != "InService":
            assert error is not None and error[0] == "ValidationException", (status, error)
            return
        assert error is None, error
        described = self.client.describe_endpoint(EndpointName=name)
        assert described["EndpointStatus"] == "Updating"
        assert described["ProductionVariants"][0]["DesiredWeight"] == weight

    @rule(
        name=st.sampled_from(NAMES[ENDPOINT]),
        phase=st.sampled_from(("Creating", "Updating")),
    )
    def script_endpoint_failure(self, name: str, phase: str) -> None:
        """The next endpoint called ``name`` fails its creation (Failed), or every update
        of it (RollingBack, then InService on the previous configuration)."""
        self.emulator.script_endpoint(
            name, fail_at=phase, failure_reason="scripted by the test: failed its health check"
        )

    # --- pipelines -------------------------------------------------------------------------

    def _pipeline_live(self, name: str) -> bool:
        return (PIPELINE, name.lower()) in self._existing

    @precondition(_built("CreatePipeline", PIPELINE))
    @rule(target=pipelines, name=st.sampled_from(PIPELINES.names), data=st.data())
    def create_pipeline(self, name: str, data: st.DataObject) -> Any:
        """CreatePipeline from a drawn definition; a taken name is refused."""
        definition = data.draw(self.pipeline_definitions, label="definition")
        existed = self._pipeline_live(name)
        error = self.outcome(
            "CreatePipeline",
            {"PipelineName": name, "PipelineDefinition": definition, "RoleArn": _ROLE},
        )
        if existed:
            assert error is not None and error[0] == PIPELINES.duplicate, error
            return multiple()
        assert error is None, error
        self._versions[name.lower()] = [definition]
        return name

    @precondition(_built("UpdatePipeline", PIPELINE))
    @rule(name=pipelines, data=st.data())
    def update_pipeline(self, name: str, data: st.DataObject) -> None:
        """UpdatePipeline with a drawn definition: the next version, or ResourceNotFound."""
        definition = data.draw(self.pipeline_definitions, label="definition")
        try:
            answer = self.client.update_pipeline(PipelineName=name, PipelineDefinition=definition)
        except self.client.exceptions.ResourceNotFound:
            assert not self._pipeline_live(name), name
            return
        versions = self._versions[name.lower()]
        versions.append(definition)
        assert answer["PipelineVersionId"] == len(versions), (answer, len(versions))

    @precondition(_built("DeletePipeline", PIPELINE))
    @rule(name=pipelines)
    def delete_pipeline(self, name: str) -> None:
        """DeletePipeline: a live pipeline goes (its executions stay readable)."""
        live = self._pipeline_live(name)
        error = self.outcome("DeletePipeline", {"PipelineName": name})
        assert (error is None) == live, error
        assert not self._pipeline_live(name)

    @precondition(_built("StartPipelineExecution", PIPELINE))
    @rule(target=pipeline_executions, name=pipelines, data=st.data())
    def start_pipeline_execution(self, name: str, data: st.DataObject) -> Any:
        """StartPipelineExecution with drawn parameters, its job steps scripted with drawn
        outcomes; ResourceNotFound for a deleted pipeline."""
        if not self._pipeline_live(name):
            error = self.outcome("StartPipelineExecution", {"PipelineName": name})
            assert error is not None and error[0] == "ResourceNotFound", error
            return multiple()
        definition = self._versions[name.lower()][-1]
        parameters = data.draw(self.pipeline_parameters_for(definition), label="parameters")
        outcomes = data.draw(self.step_outcomes_for(definition), label="outcomes")
        self.step_scripts.next(outcomes)
        arn = self.client.start_pipeline_execution(
            PipelineName=name, PipelineParameters=kit.as_request(parameters)
        )["PipelineExecutionArn"]
        self.step_scripts.bind(arn)
        self.pipeline_runs[arn] = PipelineRun(name, definition, parameters, outcomes)
        return arn

    def _execution_status(self, arn: str) -> str:
        status: str = self.client.describe_pipeline_execution(PipelineExecutionArn=arn)[
            "PipelineExecutionStatus"
        ]
        return status

    @precondition(_built("StopPipelineExecution", PIPELINE))
    @rule(arn=pipeline_executions)
    def stop_pipeline_execution(self, arn: str) -> None:
        """Only an Executing execution stops (Stopping, then Stopped); others answer
        ConflictException."""
        before = self._execution_status(arn)
        error = self.outcome("StopPipelineExecution", {"PipelineExecutionArn": arn})
        if before == "Executing":
            assert error is None, error
            assert self._execution_status(arn) in ("Stopping", "Stopped")
        else:
            assert error is not None and error[0] == "ConflictException", (before, error)

    @precondition(_built("RetryPipelineExecution", PIPELINE))
    @rule(arn=pipeline_executions)
    def retry_pipeline_execution(self, arn: str) -> None:
        """Only a Failed execution is retried; others answer ConflictException."""
        before = self._execution_status(arn)
        error = self.outcome("RetryPipelineExecution", {"PipelineExecutionArn": arn})
        if before == "Failed":
            assert error is None, error
            self._retried.add(arn)
        else:
            assert error is not None and error[0] == "ConflictException", (before, error)

    @precondition(_built("SendPipelineExecutionStepSuccess", PIPELINE))
    @rule(arn=pipeline_executions, succeed=st.booleans())
    def answer_callback(self, arn: str, succeed: bool) -> None:
        """Answer a waiting Callback step of the execution (success with its output,
        or failure); the step ends so."""
        steps = list_all(
            self.client,
            "ListPipelineExecutionSteps",
            "PipelineExecutionSteps",
            PipelineExecutionArn=arn,
        )
        waiting = [
            s
            for s in steps
            if s["StepStatus"] == "Executing" and "Callback" in s.get("Metadata", {})
        ]
        if not waiting:
            return
        step = waiting[0]
        token = step["Metadata"]["Callback"]["CallbackToken"]
        if succeed:
            self.client.send_pipeline_execution_step_success(
                CallbackToken=token, OutputParameters=[{"Name": "approved", "Value": "yes"}]
            )
        else:
            self.client.send_pipeline_execution_step_failure(
                CallbackToken=token, FailureReason="refused by the test"
            )
        after = {
            s["StepName"]: s
            for s in list_all(
                self.client,
                "ListPipelineExecutionSteps",
                "PipelineExecutionSteps",
                PipelineExecutionArn=arn,
            )
        }
        assert after[step["StepName"]]["StepStatus"] == ("Succeeded" if succeed else "Failed")

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def no_job_lost_or_duplicated(self) -> None:
        """The world holds exactly the jobs created through the client (plus tuning children,
        the jobs pipeline steps start, and endpoints still Deleting)."""
        for row in (*JOB_KINDS, PIPELINES):
            table = self.client.world.table(row.kind)
            stored = {
                key
                for key, job in table.items()
                if "tuning_job_arn" not in job.data and not STEP_JOB_NAME.fullmatch(job.name)
            }
            expected = {key for (kind, key) in self._existing if kind == row.kind}
            going = {key for (kind, key) in self._going if kind == row.kind}
            assert expected <= stored, (row.kind, stored, expected)
            assert stored - expected <= going, (row.kind, stored, expected)
            for key in stored - expected:
                assert table[key].status == row.going, (row.kind, key, table[key].status)

    @invariant()
    def endpoints_show_their_deployment(self) -> None:
        """DescribeEndpoint agrees with the endpoint's status and what it was deployed with."""
        check_endpoints(self.client, self._deployed)

    @invariant()
    def one_legal_state_each(self) -> None:
        """No job in two states, or in one its kind does not have."""
        check_states(self.emulator)

    @invariant()
    def timestamps_monotonic(self) -> None:
        """Histories run forward in time."""
        check_timestamps(self.emulator)

    @invariant()
    def lists_agree_with_describes(self) -> None:
        """List* summaries equal the describe answers."""
        check_list_matches_describe(self.client)

    @invariant()
    def tuning_counters_match_children(self) -> None:
        """Tuning counters add up to the children."""
        check_tuning_counters(self.client)

    @invariant()
    def pipeline_executions_move_forward(self) -> None:
        """An execution's status only moves forward along AWS's lifecycle (Failed back to
        Executing only after RetryPipelineExecution)."""
        retried, self._retried = self._retried, set()
        for arn in self.pipeline_runs:
            job = self.client.world.by_arn[arn]
            before, now = self._seen.get(arn), job.status
            if before is not None:
                allowed = EXECUTION_NEXT["Executing" if arn in retried else before]
                assert now in allowed | {before}, (arn, before, now)
            self._seen[arn] = now

    @invariant()
    def pipelines_agree_with_their_steps(self) -> None:
        """A failing step fails its execution; scripted outcomes are what the steps show;
        ListPipelines and ListPipelineExecutions agree with the describes."""
        if not self.pipeline_runs and not self.client.world.table(PIPELINE):
            return
        for arn, run in self.pipeline_runs.items():
            check_pipeline_execution(self.client, arn, run)
        check_pipelines(self.client)


def _add_rules(row: JobKind) -> None:
    """The create, describe, stop and delete rules of one kind of job (from its table row)."""
    bundle = getattr(SageMakerStateMachine, row.bundle, None)
    if bundle is None:
        bundle = Bundle(row.bundle)
        setattr(SageMakerStateMachine, row.bundle, bundle)
    noun = row.bundle.removesuffix("s")  # training_job, model

    def create(self: SageMakerStateMachine, request: dict[str, Any], name: str) -> Any:
        return self.create_job(row, request, name)

    def describe(self: SageMakerStateMachine, name: str) -> None:
        self.describe_job(row, name)

    def stop(self: SageMakerStateMachine, name: str) -> None:
        self.stop_job(row, name)

    def delete(self: SageMakerStateMachine, name: str) -> None:
        self.delete_job(row, name)

    rules: dict[str, tuple[Callable[..., Any], str, Any]] = {
        f"create_{noun}": (
            create,
            row.create,
            rule(
                target=bundle,
                request=sms.mostly_samples(row.create),
                name=st.sampled_from(row.names),
            ),
        ),
        f"describe_{noun}": (describe, row.describe, rule(name=bundle)),
    }
    if row.stop is not None:
        rules[f"stop_{noun}"] = (stop, row.stop, rule(name=bundle))
    if row.delete is not None:
        rules[f"delete_{noun}"] = (delete, row.delete, rule(name=bundle))
    for method, (function, operation, decorator) in rules.items():
        function.__name__ = function.__qualname__ = method
        function.__doc__ = f"{operation}, checked against what must exist."
        setattr(
            SageMakerStateMachine,
            method,
            precondition(_built(operation, row.kind))(decorator(function)),
        )


for _row in JOB_KINDS:
    _add_rules(_row)


def jobs_of(emulator: Emulator, kind: str) -> Iterator[Job]:
    """Every stored job of ``kind`` in every world."""
    return (job for job in emulator.jobs() if job.kind == kind)


__all__ = [
    "JOB_KINDS",
    "KINDS",
    "MACHINE_SETTINGS",
    "NAMES",
    "PIPELINES",
    "JobKind",
    "PipelineRun",
    "SageMakerStateMachine",
    "check_all",
    "check_endpoints",
    "check_list_matches_describe",
    "check_pipeline_execution",
    "check_pipelines",
    "check_states",
    "check_timestamps",
    "check_tuning_counters",
    "family_built",
    "jobs_of",
    "list_all",
]
