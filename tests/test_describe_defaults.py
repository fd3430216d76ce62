"""Members AWS fills into a describe where the request left them out (issue 24.4)."""

from __future__ import annotations

from typing import Any

import pytest
from factories import training_request

import sagemaker_lite


@pytest.mark.parametrize(
    ("sent", "described"),
    [
        (
            {"S3OutputPath": "s3://b/p"},
            {"S3OutputPath": "s3://b/p", "ProfilingIntervalInMilliseconds": 500},
        ),
        ({"S3OutputPath": "s3://b/p", "ProfilingIntervalInMilliseconds": 100}, None),
        ({"DisableProfiler": True}, None),
    ],
)
def test_profiler_config_gains_the_default_interval(
    sent: dict[str, Any], described: dict[str, Any] | None
) -> None:
    # A real describe-training-job of an SDK job: ProfilingIntervalInMilliseconds 500.
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request("prof-1", ProfilerConfig=sent))
    answer = sm.describe_training_job(TrainingJobName="prof-1")["ProfilerConfig"]
    assert answer == (described if described is not None else sent)
