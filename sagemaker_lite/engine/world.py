"""The registry: the jobs of one account in one region."""

from __future__ import annotations

import itertools
import random
from typing import Any, Protocol

from sagemaker_lite.engine.artifacts import ArtifactStore
from sagemaker_lite.engine.behaviour import Behaviour
from sagemaker_lite.engine.jobs import Job
from sagemaker_lite.engine.ordering import KindIndex
from sagemaker_lite.engine.scheduler import Scheduler


class Host(Protocol):
    """What a world's families use of the engine that holds it (``world.emulator``).

    A protocol, so the registry needs no import of the engine (which imports it).
    """

    behaviour: Behaviour
    scheduler: Scheduler
    _random: random.Random
    seed: int
    #: Where jobs read inputs and write artifacts (None: no S3 served).
    artifacts: ArtifactStore | None
    #: Scripted outcomes of pipeline steps that start no job (``script_pipeline_step``).
    pipeline_step_scripts: dict[str, dict[str, Any]]

    def now(self) -> float: ...
    def dispatch(self, job: Job, event: str, at: float) -> None: ...
    def polled(self, job: Job) -> None: ...
    def random_hex(self, digits: int) -> str: ...
    def family(self, kind: str) -> Any: ...
    def call(self, world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]: ...
    def read(self, world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]: ...


def partition(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


#: Kinds whose ARNs keep the name's case.  Training jobs since a 2022 backend
#: change (aws/sagemaker-experiments#172); tuning jobs as DescribeHyperParameterTuningJob
#: shows them (boto/boto3#4606); processing jobs as aws/sagemaker-experiments#187
#: reports (mixed-case processing job names broke the same lower-casing lookup);
#: pipelines as a public DescribePipelineExecution answer shows them
#: (``pipeline/SimpleXGBoostPipeline/execution/...``, docs/fidelity.md).
#: Compilation jobs, models and transform jobs: nothing shows a mixed-case ARN, so
#: they keep the lower-cased name (docs/fidelity.md, "ARNs").
CASE_PRESERVING_KINDS = frozenset(
    {"training-job", "hyper-parameter-tuning-job", "processing-job", "pipeline"}
)


def lower_cased(arn: str) -> str:
    """``arn`` with the resource name lower-cased, as some List operations print it."""
    prefix, _, resource = arn.rpartition(":")
    return f"{prefix}:{resource.lower()}"


class World:
    """Every job of one (account, region), by kind and by ARN.

    Names are unique per kind regardless of case, as in SageMaker.  ARNs keep
    the name's case for the kinds in ``CASE_PRESERVING_KINDS``; ``by_arn`` is
    keyed on the ARN exactly as a describe gives it, so a differently cased
    ARN names nothing (as ListTags shows on AWS, boto/boto3#4606).  Each kind
    also has a :class:`KindIndex`, the sorted orders List operations page
    through; every change of a job's presence or status goes through here to
    keep it current.
    """

    def __init__(self, emulator: Host, account: str, region: str) -> None:
        self.emulator = emulator
        self.account = account
        self.region = region
        self.tables: dict[str, dict[str, Job]] = {}
        self.by_arn: dict[str, Job] = {}
        self.indexes: dict[str, KindIndex] = {}
        self._last_request: dict[str, dict[str, Any]] = {}  # per kind, for share_parts
        self._sequence = itertools.count(1)
        self._arn_prefix = f"arn:{partition(region)}:sagemaker:{region}:{account}:"

    def arn(self, kind: str, name: str) -> str:
        """The ARN SageMaker gives a resource of ``kind`` named ``name`` here."""
        return f"{self._arn_prefix}{kind}/{name if kind in CASE_PRESERVING_KINDS else name.lower()}"

    def get(self, kind: str, name: str) -> Job | None:
        """The live job of ``kind`` named ``name`` (any case), if any."""
        return self.tables.get(kind, {}).get(name.lower())

    def table(self, kind: str) -> dict[str, Job]:
        """The jobs of ``kind``, oldest first."""
        return self.tables.setdefault(kind, {})

    def index(self, kind: str) -> KindIndex:
        """The sorted orders of the jobs of ``kind``."""
        index = self.indexes.get(kind)
        if index is None:
            index = self.indexes[kind] = KindIndex()
        return index

    def add(self, job: Job) -> None:
        """Store a new job (it is given the next sequence number)."""
        job.seq = next(self._sequence)
        self._share_parts(job)
        key = job.name.lower()
        # A lower-case name is its own key: one string per job, not two.
        self.table(job.kind)[job.name if key == job.name else key] = job
        self.by_arn[job.arn] = job
        self.index(job.kind).add(job)

    def _share_parts(self, job: Job) -> None:
        """Let ``job``'s request hold the previous job's objects for the parts equal to them.

        Jobs created in a row mostly differ only in a few members (a name, the
        hyperparameters); the rest is stored once.  Safe because a stored
        request's parts are never changed in place: updates replace a member,
        and answers hand out copies (docs/architecture.md, "Memory per job").
        """
        request = job.request
        previous = self._last_request.get(job.kind)
        if previous is not None:
            for member, value in request.items():
                if isinstance(value, (dict, list)):
                    other = previous.get(member)
                    if other is not value and other == value:
                        request[member] = other
        self._last_request[job.kind] = request

    def remove(self, job: Job) -> None:
        """Forget a job; its pending events become stale."""
        if self.table(job.kind).get(job.name.lower()) is job:
            self.index(job.kind).remove(job)
        job.deleted = True
        self.table(job.kind).pop(job.name.lower(), None)
        self.by_arn.pop(job.arn, None)

    def status_changed(self, job: Job, old_status: str) -> None:
        """Re-file ``job``, whose status was ``old_status``, in the Status order."""
        if not job.deleted:
            self.index(job.kind).moved(job, old_status)

    def clear(self) -> None:
        """Forget every job (references callers kept go stale)."""
        for table in self.tables.values():
            for job in table.values():
                job.deleted = True
        self.tables.clear()
        self.by_arn.clear()
        self.indexes.clear()
        self._last_request.clear()
