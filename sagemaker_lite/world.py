"""The registry: the jobs of one account in one region."""

from __future__ import annotations

from typing import TYPE_CHECKING

from .jobs import Job

if TYPE_CHECKING:
    from .emulator import Emulator


def partition(region: str) -> str:
    """The ARN partition a region belongs to."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    return "aws"


#: Kinds whose ARNs keep the name's case.  Training jobs since a 2022 backend
#: change (aws/sagemaker-experiments#172); tuning jobs as DescribeHyperParameterTuningJob
#: shows them (boto/boto3#4606).  Compilation jobs: every quoted ARN is lower case
#: and nothing shows a mixed-case one, so they keep the lower-cased name.
CASE_PRESERVING_KINDS = frozenset({"training-job", "hyper-parameter-tuning-job"})


def lower_cased(arn: str) -> str:
    """``arn`` with the resource name lower-cased, as some List operations print it."""
    prefix, _, resource = arn.rpartition(":")
    return f"{prefix}:{resource.lower()}"


class World:
    """Every job of one (account, region), by kind and by ARN.

    Names are unique per kind regardless of case, as in SageMaker.  ARNs keep
    the name's case for the kinds in ``CASE_PRESERVING_KINDS``; ``by_arn`` is
    keyed on the ARN exactly as a describe gives it, so a differently cased
    ARN names nothing (as ListTags shows on AWS, boto/boto3#4606).  Each
    kind's table keeps creation order, so the default listing (newest first)
    walks it backwards without sorting.
    """

    def __init__(self, emulator: Emulator, account: str, region: str) -> None:
        self.emulator = emulator
        self.account = account
        self.region = region
        self.tables: dict[str, dict[str, Job]] = {}
        self.by_arn: dict[str, Job] = {}
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

    def add(self, job: Job) -> None:
        """Store a new job."""
        self.table(job.kind)[job.name.lower()] = job
        self.by_arn[job.arn] = job

    def remove(self, job: Job) -> None:
        """Forget a job; its pending events become stale."""
        job.deleted = True
        self.table(job.kind).pop(job.name.lower(), None)
        self.by_arn.pop(job.arn, None)
