"""Reliability: a failing call changes nothing (the emulator's snapshot is the same after it).

The only state a failing call may consume is the request-id counter: every
request AWS answers, error or not, carries a fresh request id.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import sagemaker_lite
from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.testing import strategies as sms

from .hostile import botocore_agrees, hostile_requests


def state_of(client: Client) -> dict[str, Any]:
    """The snapshot without the request-id counter."""
    state = client.emulator.snapshot()
    del state["request_ids"]
    return state


def _world() -> Client:
    """Jobs of every kind in every phase, so state-dependent errors are reachable."""
    client = sagemaker_lite.client()
    emulator = client.emulator
    base = _base_requests()
    for index in range(4):
        client.create_training_job(**{**base["CreateTrainingJob"], "TrainingJobName": f"t{index}"})
        client.create_compilation_job(
            **{**base["CreateCompilationJob"], "CompilationJobName": f"c{index}"}
        )
        emulator.advance(200)
    client.create_hyper_parameter_tuning_job(**base["CreateHyperParameterTuningJob"])
    client.stop_training_job(TrainingJobName="t3")
    emulator.advance(10)
    return client


def _base_requests() -> dict[str, dict[str, Any]]:
    training = {
        "TrainingJobName": "t",
        "AlgorithmSpecification": {
            "TrainingImage": "1.dkr.ecr.us-east-1.amazonaws.com/x:1",
            "TrainingInputMode": "File",
            "MetricDefinitions": [{"Name": sms.METRIC_NAME, "Regex": sms.METRIC_REGEX}],
        },
        "RoleArn": "arn:aws:iam::123456789012:role/R",
        "OutputDataConfig": {"S3OutputPath": "s3://bucket/out"},
        "ResourceConfig": {"InstanceType": "ml.m5.large", "InstanceCount": 1, "VolumeSizeInGB": 10},
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    definition = {k: v for k, v in training.items() if k != "TrainingJobName"}
    return {
        "CreateTrainingJob": training,
        "CreateCompilationJob": {
            "CompilationJobName": "c",
            "RoleArn": training["RoleArn"],
            "InputConfig": {"S3Uri": "s3://bucket/model.tar.gz", "Framework": "XGBOOST"},
            "OutputConfig": {"S3OutputLocation": "s3://bucket/out", "TargetDevice": "ml_c5"},
            "StoppingCondition": {"MaxRuntimeInSeconds": 900},
        },
        "CreateHyperParameterTuningJob": {
            "HyperParameterTuningJobName": "tune",
            "HyperParameterTuningJobConfig": {
                "Strategy": "Random",
                "HyperParameterTuningJobObjective": {
                    "Type": "Minimize",
                    "MetricName": sms.METRIC_NAME,
                },
                "ResourceLimits": {"MaxNumberOfTrainingJobs": 4, "MaxParallelTrainingJobs": 2},
                "ParameterRanges": {
                    "ContinuousParameterRanges": [
                        {"Name": "learning_rate", "MinValue": "0.001", "MaxValue": "0.1"}
                    ]
                },
            },
            "TrainingJobDefinition": definition,
        },
    }


# Calls that name existing jobs in states where the operation must refuse.
_NAMES = st.sampled_from(("t0", "t1", "t2", "t3", "c0", "c1", "c2", "c3", "tune", "ghost"))


def _state_errors() -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    base = _base_requests()
    return st.one_of(
        st.tuples(st.sampled_from(tuple(base)), _NAMES).map(
            lambda pair: (pair[0], {**base[pair[0]], _NAME_MEMBER[pair[0]]: pair[1]})
        ),
        st.tuples(
            st.sampled_from(
                ("StopTrainingJob", "DeleteTrainingJob", "UpdateTrainingJob", "DescribeTrainingJob")
            ),
            _NAMES,
        ).map(lambda pair: (pair[0], {"TrainingJobName": pair[1]})),
        st.tuples(st.sampled_from(("StopCompilationJob", "DeleteCompilationJob")), _NAMES).map(
            lambda pair: (pair[0], {"CompilationJobName": pair[1]})
        ),
        st.tuples(
            st.sampled_from(("StopHyperParameterTuningJob", "DeleteHyperParameterTuningJob")),
            _NAMES,
        ).map(lambda pair: (pair[0], {"HyperParameterTuningJobName": pair[1]})),
    )


_WORLD = _world().emulator.snapshot()
_NAME_MEMBER = {
    "CreateTrainingJob": "TrainingJobName",
    "CreateCompilationJob": "CompilationJobName",
    "CreateHyperParameterTuningJob": "HyperParameterTuningJobName",
}
_OPERATIONS = sorted(OPERATIONS)
_CALLS = st.one_of(
    _state_errors(),
    st.sampled_from(_OPERATIONS).flatmap(
        lambda op: sms.invalid_requests(op).map(lambda case: (op, case[0]))
    ),
    st.sampled_from(_OPERATIONS).flatmap(
        lambda op: hostile_requests(op).map(lambda request: (op, request))
    ),
)


@settings(max_examples=300)
@given(calls=st.lists(_CALLS, min_size=1, max_size=5))
def test_failing_calls_change_nothing(calls: list[tuple[str, dict[str, Any]]]) -> None:
    """Before and after every failing call the snapshots are equal."""
    client = sagemaker_lite.client()
    client.emulator.restore(_WORLD)  # the same busy world every example, cheaply
    for operation, request in calls:
        before = state_of(client)
        try:
            failed = sms.error_of(functools.partial(client.call, operation, request)) is not None
        except Exception as error:  # only what botocore itself raises before sending
            assert botocore_agrees(operation, request, error), error
            failed = True
        if failed:
            assert state_of(client) == before, operation
