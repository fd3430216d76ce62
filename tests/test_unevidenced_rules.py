"""Requests AWS is not known to refuse are accepted (issue 24.7): no stricter than AWS."""

from __future__ import annotations

from typing import Any

import pytest
from factories import compilation_request, tuning_request

import sagemaker_lite


@pytest.mark.parametrize("strategy", ["Bayesian", "Random", "Grid", "Hyperband"])
@pytest.mark.parametrize("ranges", [None, {}])
def test_a_tuning_job_without_ranges_runs_its_one_job(
    strategy: str, ranges: dict[str, Any] | None
) -> None:
    sm = sagemaker_lite.client()
    request = tuning_request(max_jobs=1, parallel=1, strategy=strategy)
    config = request["HyperParameterTuningJobConfig"]
    if ranges is None:
        del config["ParameterRanges"]
    else:
        config["ParameterRanges"] = ranges
    sm.create_hyper_parameter_tuning_job(**request)
    sm.emulator.advance(20_000)
    described = sm.describe_hyper_parameter_tuning_job(HyperParameterTuningJobName="tune-1")
    assert described["HyperParameterTuningJobStatus"] == "Completed"
    assert described["TrainingJobStatusCounters"]["Completed"] == 1
    assert described["BestTrainingJob"]["TunedHyperParameters"] == {}
    assert ("ParameterRanges" in described["HyperParameterTuningJobConfig"]) == (ranges is not None)


def test_without_ranges_more_jobs_than_combinations_keeps_aws_text() -> None:
    sm = sagemaker_lite.client()
    request = tuning_request(max_jobs=3, strategy="Random")
    del request["HyperParameterTuningJobConfig"]["ParameterRanges"]
    with pytest.raises(sm.exceptions.ClientError, match="enough combinations"):
        sm.create_hyper_parameter_tuning_job(**request)


def test_compiler_options_that_are_not_json_fail_the_job_later() -> None:
    sm = sagemaker_lite.client()
    request = compilation_request()
    request["OutputConfig"]["CompilerOptions"] = "{mcpu: skylake"
    sm.create_compilation_job(**request)
    name = request["CompilationJobName"]
    assert sm.describe_compilation_job(CompilationJobName=name)["FailureReason"] == ""
    sm.emulator.advance(7200)
    described = sm.describe_compilation_job(CompilationJobName=name)
    assert described["CompilationJobStatus"] == "FAILED"
    assert described["FailureReason"] == (
        "ClientError: OutputConfiguration: CompilerOptions '{mcpu: skylake' is not a valid "
        "JSON string."
    )
