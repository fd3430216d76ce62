"""Reliability: 8 threads x 5,000 mixed calls on one client.

No call raises anything but the API errors its situation calls for, no job is
lost or created twice (contested names are won by exactly one thread), and
the emulator's invariants hold afterwards.
"""

from __future__ import annotations

import random
import threading
import time
from collections import Counter

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.testing.stateful import check_all

THREADS = 8
CALLS_PER_THREAD = 5_000
SHARED_NAMES = tuple(f"shared-{i}" for i in range(40))

_TRAINING = {
    "AlgorithmSpecification": {
        "TrainingImage": "1.dkr.ecr.us-east-1.amazonaws.com/x:1",
        "TrainingInputMode": "File",
        "MetricDefinitions": [{"Name": "validation:loss", "Regex": "loss=([0-9.]+)"}],
    },
    "RoleArn": "arn:aws:iam::123456789012:role/R",
    "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
    "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
    "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
}
_COMPILATION = {
    "RoleArn": "arn:aws:iam::123456789012:role/R",
    "InputConfig": {"S3Uri": "s3://bucket/model.tar.gz", "Framework": "XGBOOST"},
    "OutputConfig": {"S3OutputLocation": "s3://bucket/out", "TargetDevice": "ml_c5"},
    "StoppingCondition": {"MaxRuntimeInSeconds": 900},
}
_TUNING_CONFIG = {
    "Strategy": "Random",
    "HyperParameterTuningJobObjective": {"Type": "Minimize", "MetricName": "validation:loss"},
    "ResourceLimits": {"MaxNumberOfTrainingJobs": 3, "MaxParallelTrainingJobs": 2},
    "ParameterRanges": {
        "ContinuousParameterRanges": [{"Name": "lr", "MinValue": "0.001", "MaxValue": "0.1"}]
    },
}
#: Error codes a worker may meet: duplicate names, wrong states (AWS's answers).
EXPECTED_CODES = frozenset({"ResourceInUse", "ValidationException"})


class Worker:
    """One thread's calls, and what it saw succeed."""

    def __init__(self, client: Client, index: int) -> None:
        self.client = client
        self.index = index
        self.random = random.Random(index)
        self.created: set[str] = set()
        self.deleted: set[str] = set()
        self.won: list[str] = []
        self.compiled: set[str] = set()
        self.errors: Counter[str] = Counter()
        self.failures: list[BaseException] = []

    def run(self) -> None:
        try:
            for step in range(CALLS_PER_THREAD):
                try:
                    self.step(step)
                except ClientError as error:
                    code = error.response["Error"]["Code"]
                    assert code in EXPECTED_CODES, error
                    self.errors[code] += 1
        except BaseException as failure:  # reported by the test, not lost in the thread
            self.failures.append(failure)

    def own(self) -> str | None:
        alive = sorted(self.created - self.deleted)
        return self.random.choice(alive) if alive else None

    def step(self, step: int) -> None:
        client, roll = self.client, self.random.random()
        if roll < 0.25:
            fresh = f"w{self.index}-{step}"
            client.create_training_job(TrainingJobName=fresh, **_TRAINING)
            self.created.add(fresh)
        elif roll < 0.30:
            shared = self.random.choice(SHARED_NAMES)
            client.create_training_job(TrainingJobName=shared, **_TRAINING)
            self.won.append(shared)  # only reached by the one thread that got the name
        elif roll < 0.45:
            name: str | None = self.own() or self.random.choice(SHARED_NAMES)
            try:
                client.describe_training_job(TrainingJobName=name)
            except ClientError as error:  # a shared name nobody has won yet
                assert name in SHARED_NAMES, error
                raise
        elif roll < 0.55:
            client.list_training_jobs(
                MaxResults=self.random.choice((1, 10, 100)),
                StatusEquals=self.random.choice(("InProgress", "Completed")),
            )
        elif roll < 0.65:
            name = self.own()
            if name is not None:
                client.stop_training_job(TrainingJobName=name)
        elif roll < 0.72:
            name = self.own()
            if name is not None:
                client.delete_training_job(TrainingJobName=name)
                self.deleted.add(name)
        elif roll < 0.80:
            name = self.own()
            if name is not None:
                arn = client.world.arn("training-job", name)
                client.add_tags(ResourceArn=arn, Tags=[{"Key": f"k{step % 5}", "Value": "v"}])
        elif roll < 0.85:
            name = f"c{self.index}-{step}"
            client.create_compilation_job(CompilationJobName=name, **_COMPILATION)
            self.compiled.add(name)
        elif roll < 0.851:
            client.create_hyper_parameter_tuning_job(
                HyperParameterTuningJobName=f"h{self.index}-{step}",
                HyperParameterTuningJobConfig=_TUNING_CONFIG,
                TrainingJobDefinition=_TRAINING,
            )
        else:
            client.emulator.advance(self.random.choice((1.0, 10.0, 60.0)))


def test_eight_threads_on_one_client() -> None:
    """40,000 concurrent mixed calls: no exception, no lost or duplicated job."""
    client = sagemaker_lite.client()
    workers = [Worker(client, index) for index in range(THREADS)]
    threads = [threading.Thread(target=w.run) for w in workers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    for worker in workers:
        assert not worker.failures, worker.failures[0]

    won = Counter(name for w in workers for name in w.won)
    assert all(count == 1 for count in won.values()), won.most_common(3)
    expected = set(won) | {n for w in workers for n in w.created - w.deleted}
    stored = {
        job.name
        for job in client.world.table("training-job").values()
        if "tuning_job_arn" not in job.data
    }
    assert stored == expected
    compilations = {job.name for job in client.world.table("compilation-job").values()}
    assert compilations == {n for w in workers for n in w.compiled}
    check_all(client)
    assert elapsed < 60, f"{THREADS * CALLS_PER_THREAD} calls took {elapsed:.1f}s"
