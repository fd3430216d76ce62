"""A Hypothesis state machine over the emulator, for testing job workflows.

Subclass :class:`SageMakerStateMachine` and add your own rules (driving your
code against ``self.client``) and invariants; the base class brings rules that
create, stop, delete and describe jobs of every kind, advance virtual time,
script failures and tag jobs, plus the emulator's own invariants::

    from hypothesis.stateful import invariant, rule
    from sagemaker_lite.testing.stateful import SageMakerStateMachine

    class MyWorkflow(SageMakerStateMachine):
        @rule(name=SageMakerStateMachine.training_jobs)
        def my_retry_logic(self, name):
            my_code.retry_if_failed(self.client, name)

        @invariant()
        def never_two_running(self):
            ...

    TestMyWorkflow = MyWorkflow.TestCase

Rules of a job family whose handlers are not built are skipped.  Every rule
checks the answer it gets against a small model of what must exist, so lost
or duplicated jobs are caught at the step that causes them.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, ClassVar

from hypothesis import strategies as st
from hypothesis.stateful import (
    Bundle,
    RuleBasedStateMachine,
    invariant,
    multiple,
    precondition,
    rule,
)

from sagemaker_lite import messages
from sagemaker_lite.client import Client, handler_for
from sagemaker_lite.emulator import Emulator
from sagemaker_lite.jobs import Job
from sagemaker_lite.lifecycle import MACHINES
from sagemaker_lite.operations import OPERATIONS
from sagemaker_lite.testing import strategies as sms

TRAINING, TUNING, COMPILATION = "training-job", "hyper-parameter-tuning-job", "compilation-job"
#: The create operation and name member of each job kind.
_CREATE = {
    TRAINING: ("CreateTrainingJob", "TrainingJobName"),
    TUNING: ("CreateHyperParameterTuningJob", "HyperParameterTuningJobName"),
    COMPILATION: ("CreateCompilationJob", "CompilationJobName"),
}
#: A small pool of names per kind, so rules collide on purpose (duplicates, reuse).
NAMES = {
    TRAINING: tuple(f"train-{i}" for i in range(6)),
    TUNING: tuple(f"tune-{i}" for i in range(3)),
    COMPILATION: tuple(f"neo-{i}" for i in range(4)),
}
_STOPPABLE = {
    TRAINING: {"InProgress"},
    TUNING: {"InProgress"},
    COMPILATION: {"STARTING", "INPROGRESS"},
}
_PAGE = 100


def family_built(operation: str) -> bool:
    """Whether the emulator serves ``operation`` (its family's handlers exist)."""
    try:
        handler_for(OPERATIONS[operation])
    except NotImplementedError:
        return False
    return True


def _with_name(kind: str, request: dict[str, Any], name: str) -> dict[str, Any]:
    return {**request, _CREATE[kind][1]: name}


# --- invariants as plain functions (also used by the thread and fuzz suites) -------------


def list_all(client: Client, operation: str, result_key: str, **params: Any) -> list[Any]:
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


def check_states(emulator: Emulator) -> None:
    """Every job is in one legal state of its kind and stored exactly once, under its name."""
    for world in emulator.worlds.values():
        arns = set()
        for kind, table in world.tables.items():
            legal = MACHINES[kind].legal_states()
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
    """Each job's history runs forward in time, from creation to now."""
    now = emulator.now()
    for job in emulator.jobs():
        times = [start for _, start in job.history]
        assert times == sorted(times), (job.arn, job.history)
        assert job.created == times[0] <= job.modified <= now, job.arn
        assert job.modified == times[-1], (job.arn, job.modified, job.history)


_SUMMARY_FIELDS = {
    TRAINING: (
        "ListTrainingJobs",
        "TrainingJobSummaries",
        "DescribeTrainingJob",
        "TrainingJobName",
    ),
    COMPILATION: (
        "ListCompilationJobs",
        "CompilationJobSummaries",
        "DescribeCompilationJob",
        "CompilationJobName",
    ),
    TUNING: (
        "ListHyperParameterTuningJobs",
        "HyperParameterTuningJobSummaries",
        "DescribeHyperParameterTuningJob",
        "HyperParameterTuningJobName",
    ),
}


def check_list_matches_describe(
    client: Client, kinds: tuple[str, ...] = tuple(_SUMMARY_FIELDS)
) -> None:
    """Every listed job is described with the same values; listings hold every stored job."""
    for kind in kinds:
        list_op, key, describe_op, name_member = _SUMMARY_FIELDS[kind]
        if not family_built(list_op):
            continue
        summaries = list_all(client, list_op, key)
        stored = {job.name for job in client.world.table(kind).values()}
        names = [s[name_member] for s in summaries]
        assert sorted(names) == sorted(stored), (kind, names, stored)
        for summary in summaries:
            described = client.call(describe_op, {name_member: summary[name_member]})
            for field, value in summary.items():
                if field in described:
                    assert described[field] == value, (kind, field, value, described[field])


def check_tuning_counters(client: Client) -> None:
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


def check_all(client: Client) -> None:
    """Every emulator invariant above."""
    check_states(client.emulator)
    check_timestamps(client.emulator)
    check_list_matches_describe(client)
    check_tuning_counters(client)


# --- the machine ----------------------------------------------------------------------------


class SageMakerStateMachine(RuleBasedStateMachine):
    """Rules over every job family with built-in invariants; subclass to add your own.

    ``self.client`` is a fresh client per run (override :meth:`make_client`
    to use another, e.g. one of ``mock_sagemaker``), ``self.emulator`` its
    emulator, ``self.live`` the model: (kind, lower-cased name) -> name of
    every job a rule created and has not deleted.
    """

    training_jobs = Bundle("training_jobs")
    tuning_jobs = Bundle("tuning_jobs")
    compilation_jobs = Bundle("compilation_jobs")

    account_id: ClassVar[str] = sms.DEFAULT_ACCOUNT
    region: ClassVar[str] = sms.DEFAULT_REGION

    def __init__(self) -> None:
        super().__init__()
        self.client = self.make_client()
        self.emulator = self.client.emulator
        self.live: dict[tuple[str, str], str] = {}

    def make_client(self) -> Client:
        """The client the rules drive (a fresh emulator by default)."""
        return Emulator().client(region_name=self.region, account_id=self.account_id)

    # --- helpers -------------------------------------------------------------------

    def outcome(self, operation: str, request: dict[str, Any]) -> tuple[str, str] | None:
        """Call ``operation``; None on success, else the (code, message) of its API error."""
        return sms.error_of(lambda: self.client.call(operation, request))

    def status_of(self, kind: str, name: str) -> str | None:
        """The job's status as stored (None when there is no such job)."""
        job = self.client.world.get(kind, name)
        return None if job is None else job.status

    def _create(self, kind: str, request: dict[str, Any], name: str) -> Any:
        operation, _ = _CREATE[kind]
        existed = (kind, name.lower()) in self.live
        error = self.outcome(operation, _with_name(kind, request, name))
        if existed:
            assert error is not None and error[0] == "ResourceInUse", error
            return multiple()
        assert error is None, error
        self.live[(kind, name.lower())] = name
        return name

    def _stop(self, kind: str, operation: str, member: str, name: str) -> None:
        status = self.status_of(kind, name)
        error = self.outcome(operation, {member: name})
        if status is None:
            assert error is not None, f"{operation} of a missing job succeeded"
        elif status in _STOPPABLE[kind]:
            assert error is None, error
            assert self.status_of(kind, name) in {"Stopping", "STOPPING", "Stopped", "STOPPED"}
        else:
            assert error is not None and error[0] == "ValidationException", (status, error)

    def _delete(self, kind: str, operation: str, member: str, name: str) -> None:
        existed = self.status_of(kind, name) is not None
        error = self.outcome(operation, {member: name})
        if error is None:
            assert existed and self.status_of(kind, name) is None
            self.live.pop((kind, name.lower()), None)
        else:
            assert self.status_of(kind, name) is not None or not existed

    # --- time and scripts -----------------------------------------------------------

    @rule(seconds=st.sampled_from((1.0, 29.0, 60.0, 150.0, 600.0, 3600.0)))
    def advance_time(self, seconds: float) -> None:
        """Move virtual time on; due transitions apply."""
        self.emulator.advance(seconds)

    @rule()
    def run_until_idle(self) -> None:
        """Let every job settle."""
        self.emulator.run_until_idle()

    @rule(
        name=st.sampled_from(NAMES[TRAINING]),
        phase=st.sampled_from(("Starting", "Downloading", "Training", "Uploading")),
    )
    def script_training_failure(self, name: str, phase: str) -> None:
        """The next training job called ``name`` fails at the end of ``phase``."""
        self.emulator.script_training(
            name, fail_at=phase, failure_reason="AlgorithmError: scripted by the test"
        )

    # --- training -----------------------------------------------------------------------

    @rule(
        target=training_jobs,
        request=sms.valid_requests("CreateTrainingJob"),
        name=st.sampled_from(NAMES[TRAINING]),
    )
    def create_training_job(self, request: dict[str, Any], name: str) -> Any:
        """CreateTrainingJob: succeeds unless the name is taken (ResourceInUse)."""
        return self._create(TRAINING, request, name)

    @rule(name=training_jobs)
    def describe_training_job(self, name: str) -> None:
        """DescribeTrainingJob answers for a live job, and 'not found' for a deleted one."""
        error = self.outcome("DescribeTrainingJob", {"TrainingJobName": name})
        if (TRAINING, name.lower()) in self.live:
            assert error is None, error
        else:
            assert error == ("ValidationException", messages.RESOURCE_NOT_FOUND), error

    @rule(name=training_jobs)
    def stop_training_job(self, name: str) -> None:
        """StopTrainingJob: only an InProgress job stops."""
        self._stop(TRAINING, "StopTrainingJob", "TrainingJobName", name)

    @rule(name=training_jobs)
    def delete_training_job(self, name: str) -> None:
        """DeleteTrainingJob: only terminal jobs go."""
        self._delete(TRAINING, "DeleteTrainingJob", "TrainingJobName", name)

    @rule(name=training_jobs, keep_alive=st.integers(0, 3600))
    def update_training_job(self, name: str, keep_alive: int) -> None:
        """UpdateTrainingJob of the warm-pool keep-alive: answers an error or the ARN."""
        error = self.outcome(
            "UpdateTrainingJob",
            {"TrainingJobName": name, "ResourceConfig": {"KeepAlivePeriodInSeconds": keep_alive}},
        )
        if (TRAINING, name.lower()) not in self.live:
            assert error is not None

    @rule(name=training_jobs, tags=sms.tags())
    def tag_training_job(self, name: str, tags: list[dict[str, str]]) -> None:
        """AddTags then ListTags shows them."""
        job = self.client.world.get(TRAINING, name)
        if job is None or not tags:
            return
        self.client.add_tags(ResourceArn=job.arn, Tags=tags)
        listed = {
            t["Key"]: t["Value"]
            for t in self.client.list_tags(ResourceArn=job.arn, MaxResults=100)["Tags"]
        }
        assert all(listed.get(t["Key"]) == t["Value"] for t in tags), listed

    # --- tuning -----------------------------------------------------------------------

    @precondition(lambda self: family_built("CreateHyperParameterTuningJob"))
    @rule(
        target=tuning_jobs,
        request=sms.valid_requests("CreateHyperParameterTuningJob"),
        name=st.sampled_from(NAMES[TUNING]),
    )
    def create_tuning_job(self, request: dict[str, Any], name: str) -> Any:
        """CreateHyperParameterTuningJob (children are launched by the emulator)."""
        return self._create(TUNING, request, name)

    @precondition(lambda self: family_built("StopHyperParameterTuningJob"))
    @rule(name=tuning_jobs)
    def stop_tuning_job(self, name: str) -> None:
        """StopHyperParameterTuningJob: only an InProgress job stops."""
        self._stop(TUNING, "StopHyperParameterTuningJob", "HyperParameterTuningJobName", name)

    @precondition(lambda self: family_built("DeleteHyperParameterTuningJob"))
    @rule(name=tuning_jobs)
    def delete_tuning_job(self, name: str) -> None:
        """DeleteHyperParameterTuningJob: only terminal jobs go."""
        self._delete(TUNING, "DeleteHyperParameterTuningJob", "HyperParameterTuningJobName", name)

    # --- compilation ----------------------------------------------------------------------

    @precondition(lambda self: family_built("CreateCompilationJob"))
    @rule(
        target=compilation_jobs,
        request=sms.valid_requests("CreateCompilationJob"),
        name=st.sampled_from(NAMES[COMPILATION]),
    )
    def create_compilation_job(self, request: dict[str, Any], name: str) -> Any:
        """CreateCompilationJob."""
        return self._create(COMPILATION, request, name)

    @precondition(lambda self: family_built("StopCompilationJob"))
    @rule(name=compilation_jobs)
    def stop_compilation_job(self, name: str) -> None:
        """StopCompilationJob: only STARTING or INPROGRESS jobs stop."""
        self._stop(COMPILATION, "StopCompilationJob", "CompilationJobName", name)

    @precondition(lambda self: family_built("DeleteCompilationJob"))
    @rule(name=compilation_jobs)
    def delete_compilation_job(self, name: str) -> None:
        """DeleteCompilationJob: only terminal jobs go."""
        self._delete(COMPILATION, "DeleteCompilationJob", "CompilationJobName", name)

    # --- invariants ----------------------------------------------------------------------

    @invariant()
    def no_job_lost_or_duplicated(self) -> None:
        """The world holds exactly the jobs the rules created (plus tuning children)."""
        for kind in _CREATE:
            stored = {
                key
                for key, job in self.client.world.table(kind).items()
                if "tuning_job_arn" not in job.data
            }
            expected = {key for (k, key) in self.live if k == kind}
            assert stored == expected, (kind, stored, expected)

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


def jobs_of(emulator: Emulator, kind: str) -> Iterator[Job]:
    """Every stored job of ``kind`` in every world."""
    return (job for job in emulator.jobs() if job.kind == kind)


__all__ = [
    "NAMES",
    "SageMakerStateMachine",
    "check_all",
    "check_list_matches_describe",
    "check_states",
    "check_timestamps",
    "check_tuning_counters",
    "family_built",
    "jobs_of",
    "list_all",
]
