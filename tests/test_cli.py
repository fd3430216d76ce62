"""The ``sagemaker-lite`` command line, run in-process (and once as ``python -m``)."""

from __future__ import annotations

import io
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import factories
import pytest

import sagemaker_lite
from sagemaker_lite.engine.behaviour import DEFAULT_DURATIONS, TRAINING_PHASES
from sagemaker_lite.surfaces import cli, demo

ROLE = "arn:aws:iam::123456789012:role/SageMakerRole"
IMAGE = "683313688378.dkr.ecr.us-east-1.amazonaws.com/sagemaker-xgboost:1.7-1"


def training_request(**overrides: Any) -> dict[str, Any]:
    """The shared request, without hyperparameters or metrics; ``None`` removes a member."""
    defaults: dict[str, Any] = {
        "AlgorithmSpecification": {"TrainingImage": IMAGE, "TrainingInputMode": "File"},
        "HyperParameters": None,
        "ResourceConfig": {
            "InstanceType": "ml.m5.xlarge",
            "InstanceCount": 1,
            "VolumeSizeInGB": 10,
        },
        "StoppingCondition": {"MaxRuntimeInSeconds": 3600},
    }
    request = factories.training_request("my-job", **{**defaults, **overrides})
    return {k: v for k, v in request.items() if v is not None}


def compilation_request() -> dict[str, Any]:
    return {
        "CompilationJobName": "resnet-c5",
        "RoleArn": ROLE,
        "InputConfig": {
            "S3Uri": "s3://my-bucket/model.tar.gz",
            "DataInputConfig": '{"data": [1, 3, 224, 224]}',
            "Framework": "MXNET",
        },
        "OutputConfig": {"S3OutputLocation": "s3://my-bucket/compiled", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    }


def write(tmp_path: Path, request: Any, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_text(json.dumps(request, indent=2))
    return str(path)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


# --- validate -----------------------------------------------------------------------


def test_a_valid_request_prints_valid_and_exits_0(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, training_request())
    assert run(capsys, "validate", "CreateTrainingJob", path) == (0, "valid\n", "")


@pytest.mark.parametrize("spelling", ["create_training_job", "create-training-job"])
def test_operations_may_be_named_as_in_boto3_or_the_aws_cli(
    capsys: Any, tmp_path: Path, spelling: str
) -> None:
    path = write(tmp_path, training_request())
    assert run(capsys, "validate", spelling, path)[0] == 0


def test_a_constraint_violation_prints_the_services_validation_exception(
    capsys: Any, tmp_path: Path
) -> None:
    path = write(tmp_path, training_request(TrainingJobName="a_b"))
    code, out, err = run(capsys, "validate", "CreateTrainingJob", path)
    assert (code, out) == (1, "")
    assert err.startswith(
        "An error occurred (ValidationException) when calling the CreateTrainingJob operation: "
        "1 validation error detected: Value 'a_b' at 'trainingJobName' failed to satisfy "
        "constraint: Member must satisfy regular expression pattern: "
    )


def test_a_semantic_rule_violation_is_reported_as_aws_words_it(capsys: Any, tmp_path: Path) -> None:
    stopping = {"MaxRuntimeInSeconds": 3600, "MaxWaitTimeInSeconds": 7200}
    path = write(tmp_path, training_request(StoppingCondition=stopping))
    code, _, err = run(capsys, "validate", "CreateTrainingJob", path)
    assert code == 1
    assert "(ValidationException)" in err
    assert "Invalid MaxWaitTimeInSeconds" in err


def test_a_missing_required_member_gives_botocores_client_side_report(
    capsys: Any, tmp_path: Path
) -> None:
    path = write(tmp_path, training_request(RoleArn=None))
    code, _, err = run(capsys, "validate", "CreateTrainingJob", path)
    assert code == 1
    assert err == 'Parameter validation failed:\nMissing required parameter in input: "RoleArn"\n'


def test_validate_reads_standard_input(capsys: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(sys, "stdin", io.StringIO(json.dumps(compilation_request())))
    assert run(capsys, "validate", "CreateCompilationJob", "-") == (0, "valid\n", "")


def test_validate_checks_any_operation_against_its_constraints(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, {"StatusEquals": "Done"})
    code, _, err = run(capsys, "validate", "ListTrainingJobs", path)
    assert code == 1
    assert "Value 'Done' at 'statusEquals' failed to satisfy constraint" in err


def test_a_missing_file_exits_2(capsys: Any, tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate", "CreateTrainingJob", str(tmp_path / "nope.json"))
    assert (code, out) == (2, "")
    assert "nope.json: no such file" in err


def test_bad_json_exits_2_with_its_line_and_column(capsys: Any, tmp_path: Path) -> None:
    path = tmp_path / "bad.json"
    path.write_text('{\n  "TrainingJobName": "x",\n}\n')
    code, _, err = run(capsys, "validate", "CreateTrainingJob", str(path))
    assert code == 2
    assert "invalid JSON at line 3 column 1" in err


def test_json_that_is_not_an_object_exits_2(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", "CreateTrainingJob", write(tmp_path, [1, 2]))
    assert code == 2
    assert "expected a JSON object" in err


def test_an_unknown_operation_exits_2_and_lists_the_valid_ones(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", "CreateFoo", write(tmp_path, {}))
    assert code == 2
    assert "unknown operation 'CreateFoo'" in err
    for name in sagemaker_lite.contract.operations.OPERATIONS:
        assert name in err


# --- simulate ------------------------------------------------------------------------


def seconds_of(offset: str) -> int:
    hours, minutes, seconds = (int(part) for part in offset.lstrip("+").split(":"))
    return hours * 3600 + minutes * 60 + seconds


def timeline(out: str) -> list[list[str]]:
    rows = [line.split() for line in out.splitlines() if re.match(r"\s+\+\d\d:", line)]
    return [[row[0], row[1], " ".join(row[2:])] for row in rows]


def test_simulate_prints_a_training_jobs_timeline(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "simulate", write(tmp_path, training_request()))
    assert code == 0
    # One row per phase of the default plan, at the moment it begins.
    at, expected = 0.0, []
    for phase in TRAINING_PHASES:
        expected.append([cli.clock(at), "InProgress", phase])
        at += DEFAULT_DURATIONS["training-job"][phase]
    assert timeline(out) == [*expected, [cli.clock(at), "Completed", "Completed"]]


def test_simulate_of_a_job_with_a_short_limit_finishes_within_it(
    capsys: Any, tmp_path: Path
) -> None:
    # Unscripted, a job never runs into its own StoppingCondition (a script may).
    request = training_request(StoppingCondition={"MaxRuntimeInSeconds": 60})
    code, out, _ = run(capsys, "simulate", write(tmp_path, request))
    assert code == 0
    rows = timeline(out)
    assert rows[-1][1:] == ["Completed", "Completed"]
    training_start = next(row[0] for row in rows if row[2] == "Downloading")
    assert seconds_of(rows[-1][0]) - seconds_of(training_start) <= 60


def test_simulate_runs_a_compilation_job(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "simulate", write(tmp_path, compilation_request()))
    assert code == 0
    assert [row[:2] for row in timeline(out)] == [
        ["+00:00:00", "STARTING"],
        ["+00:00:30", "INPROGRESS"],
        ["+00:04:30", "COMPLETED"],
    ]


def test_a_job_that_fails_exits_1_and_shows_its_failure_reason(capsys: Any, tmp_path: Path) -> None:
    request = compilation_request()
    request["OutputConfig"]["CompilerOptions"] = "{not json"  # fails when compiled
    code, out, _ = run(capsys, "simulate", write(tmp_path, request))
    assert code == 1
    assert timeline(out)[-1][1] == "FAILED"
    assert "FailureReason: " in out


def test_simulate_reports_a_rejected_request_and_exits_1(capsys: Any, tmp_path: Path) -> None:
    code, out, err = run(
        capsys, "simulate", write(tmp_path, training_request(TrainingJobName="a_b"))
    )
    assert (code, out) == (1, "")
    assert "(ValidationException) when calling the CreateTrainingJob operation" in err


def test_simulate_needs_a_job_it_can_identify(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "simulate", write(tmp_path, {"RoleArn": ROLE}))
    assert code == 2
    assert "pass --operation" in err


def test_simulate_refuses_operations_that_create_no_job(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, training_request())
    code, _, err = run(capsys, "simulate", path, "--operation", "DescribeTrainingJob")
    assert code == 2
    assert "cannot simulate DescribeTrainingJob" in err


def tuning_request(max_jobs: int = 6) -> dict[str, Any]:
    request = demo.tuning_request(max_jobs=max_jobs, parallel=2)
    request["HyperParameterTuningJobName"] = "my-tuning"
    return request


def test_simulate_a_tuning_job_lists_every_child_and_the_best(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, tuning_request())
    code, out, err = run(
        capsys, "simulate", path, "--operation", "create_hyper_parameter_tuning_job"
    )
    assert (code, err) == (0, "")  # no progress bar: stderr is not a terminal
    children = re.findall(r"^\d+\s+(my-tuning-\d{3}-[0-9a-f]{8})\s", out, re.MULTILINE)
    assert len(children) == 6
    objectives = [
        float(v) for v in re.findall(r"^\d+\s+\S+\s+.*?\s([0-9.]+)\s+Completed$", out, re.M)
    ]
    best = re.search(r"best training job: (\S+)\s+validation:rmse=([0-9.]+)", out)
    assert best is not None
    assert best.group(1) in children
    assert float(best.group(2)) == min(objectives)
    assert "validation:rmse per trial" in out
    assert timeline(out)[-1][:2][1] == "Completed"


def test_progress_is_drawn_on_stderr_when_asked(capsys: Any, tmp_path: Path) -> None:
    code, _, err = run(capsys, "simulate", write(tmp_path, tuning_request(4)), "--progress")
    assert code == 0
    frames = err.split("\r")
    assert frames[-1].startswith("[" + "#" * 30 + "] 4/4 training jobs")
    assert err.endswith("\n")


def test_the_demo_tunes_to_the_best_of_its_trials(capsys: Any) -> None:
    code, out, _ = run(capsys, "demo")
    assert code == 0
    assert f"HyperParameterTuningJob {demo.TUNING_JOB_NAME}" in out
    rows = re.findall(
        r"^\d+\s+\S+\s+booster=(\S+) eta=(\S+) max_depth=(\d+)\s+([0-9.]+)\s+Completed$",
        out,
        re.MULTILINE,
    )
    assert len(rows) == 15
    for booster, eta, depth, value in rows:  # each objective is the scripted function's
        scripted = demo.objective({"booster": booster, "eta": eta, "max_depth": depth})
        assert float(value) == pytest.approx(scripted[demo.OBJECTIVE_METRIC], rel=2e-3)
    best = re.search(r"best training job: \S+\s+validation:rmse=([0-9.]+)", out)
    assert best is not None
    assert float(best.group(1)) == min(float(row[3]) for row in rows)


def test_plot_without_matplotlib_is_a_clear_usage_error(
    capsys: Any, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)  # import now raises ImportError
    code, out, err = run(capsys, "demo", "--plot", str(tmp_path / "plot.png"))
    assert (code, out) == (2, "")
    assert "--plot needs matplotlib" in err


def test_plot_saves_a_png_where_matplotlib_is_installed(capsys: Any, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib")
    target = tmp_path / "plot.png"
    assert run(capsys, "demo", "--plot", str(target))[0] == 0
    assert target.read_bytes().startswith(b"\x89PNG")


def test_plot_is_only_for_tuning_jobs(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, training_request())
    code, _, err = run(capsys, "simulate", path, "--plot", str(tmp_path / "p.png"))
    assert code == 2
    assert "--plot draws a tuning job's objective" in err


# --- rendering -----------------------------------------------------------------------


def test_the_text_plot_marks_trials_and_the_running_best() -> None:
    lines = cli.render_plot([3.0, 1.0, 2.0, None], minimize=True, metric="loss", height=3)
    grid = [line.split("|", 1)[1] for line in lines[1:4]]
    assert grid[0] == " *"  # trial 1 (3.0): the worst, on the top row, yet the first best
    assert grid[1] == "       o"  # trial 3 (2.0)
    assert grid[2] == "    *  -  -"  # trial 2 sets the best; it holds afterwards
    assert cli.running_best([3.0, None, 4.0, 1.0], minimize=True) == [3.0, 3.0, 3.0, 1.0]
    assert cli.running_best([1.0, 3.0, 2.0], minimize=False) == [1.0, 3.0, 3.0]


def test_the_progress_bar_fills_in_proportion() -> None:
    assert cli.progress_bar(5, 10, 3725.0, width=10) == "[#####-----] 5/10 training jobs  +01:02:05"


# --- help and version -------------------------------------------------------------------


@pytest.mark.parametrize("command", [[], ["validate"], ["simulate"], ["demo"]])
def test_every_command_has_help(capsys: Any, command: list[str]) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([*command, "--help"])
    assert exit_.value.code == 0
    assert "usage: sagemaker-lite" in capsys.readouterr().out


def test_version(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main(["--version"])
    assert exit_.value.code == 0
    assert capsys.readouterr().out == f"sagemaker-lite {sagemaker_lite.__version__}\n"


def test_a_missing_command_is_a_usage_error(capsys: Any) -> None:
    with pytest.raises(SystemExit) as exit_:
        cli.main([])
    assert exit_.value.code == 2


def test_python_dash_m_runs_the_command_line() -> None:
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-m", "sagemaker_lite", "--help"],
        capture_output=True,
        text=True,
        cwd=root,
        check=False,
    )
    assert result.returncode == 0
    assert "validate" in result.stdout
    assert "simulate" in result.stdout
    assert "demo" in result.stdout


def test_simulate_runs_a_processing_job(capsys: Any, tmp_path: Path) -> None:
    code, out, _ = run(capsys, "simulate", write(tmp_path, factories.processing_request()))
    assert code == 0
    # The default plan: instances start in 180 s, the processing takes 300 s.
    assert timeline(out) == [
        ["+00:00:00", "InProgress", "starting"],
        ["+00:03:00", "InProgress", "started"],
        ["+00:08:00", "Completed", "finished"],
    ]


def test_simulate_runs_a_transform_job_against_a_stand_in_model(
    capsys: Any, tmp_path: Path
) -> None:
    request = factories.transform_request(MaxPayloadInMB=10, MaxConcurrentTransforms=2)
    code, out, err = run(capsys, "simulate", write(tmp_path, request))
    assert code == 0
    assert [row[:2] for row in timeline(out)] == [
        ["+00:00:00", "InProgress"],
        ["+00:04:00", "InProgress"],
        ["+00:07:00", "Completed"],
    ]
    # What simulate adds to the request is said, not done quietly.
    assert err == "note: created a stand-in model 'model-1' (the emulator starts empty)\n"


def test_simulate_help_lists_every_kind_it_runs(capsys: Any) -> None:
    with pytest.raises(SystemExit):
        cli.main(["simulate", "--help"])
    shown = " ".join(capsys.readouterr().out.split())
    for kind in cli.JOB_KINDS:
        assert kind.create in shown


def test_a_job_stopped_by_its_own_limit_exits_1(capsys: Any, tmp_path: Path) -> None:
    request = tuning_request(max_jobs=6)
    request["HyperParameterTuningJobConfig"]["ResourceLimits"]["MaxRuntimeInSeconds"] = 120
    # Default plans are fitted to the tuning job's limit (3 waves of 40 s, each taking half).
    code, out, _ = run(capsys, "simulate", write(tmp_path, request))
    assert code == 0
    assert timeline(out)[-1][1] == "Completed"
    assert seconds_of(timeline(out)[-1][0]) <= 60
    # Scripted plans run the tuning job, or a training job, into its limit.
    args = cli.parser().parse_args(["simulate", "-", "--no-progress"])
    job = training_request(StoppingCondition={"MaxRuntimeInSeconds": 600})
    for kind, scripted in ((cli.JOB_KINDS[1], request), (cli.JOB_KINDS[0], job)):
        client = sagemaker_lite.client()
        client.emulator.script_training(durations={"Training": 3600})
        out_io = io.StringIO()
        code = cli.run_simulation(client, kind, scripted, args, out_io, io.StringIO())
        assert code == 1
        assert timeline(out_io.getvalue())[-1][1] == "Stopped"


def test_validate_runs_the_transform_payload_rule(capsys: Any, tmp_path: Path) -> None:
    request = factories.transform_request(MaxPayloadInMB=60, MaxConcurrentTransforms=2)
    code, _, err = run(capsys, "validate", "CreateTransformJob", write(tmp_path, request))
    assert code == 1
    assert "cannot exceed 100 MB" in err


# --- endpoints --------------------------------------------------------------------------

ENDPOINT = {"EndpointName": "churn-scorer", "EndpointConfigName": "churn-config"}


def endpoint_config(**variant: Any) -> dict[str, Any]:
    return {
        "EndpointConfigName": "churn-config",
        "ProductionVariants": [
            {
                "VariantName": "blue",
                "ModelName": "churn-model",
                "InstanceType": "ml.m5.xlarge",
                "InitialInstanceCount": 2,
                **variant,
            }
        ],
    }


def test_validate_checks_endpoint_configs_and_endpoints(capsys: Any, tmp_path: Path) -> None:
    path = write(tmp_path, endpoint_config())
    assert run(capsys, "validate", "create-endpoint-config", path) == (0, "valid\n", "")
    assert run(capsys, "validate", "CreateEndpoint", write(tmp_path, ENDPOINT, "e.json"))[0] == 0
    code, _, err = run(
        capsys,
        "validate",
        "CreateEndpointConfig",
        write(tmp_path, endpoint_config(VariantName="a_b")),
    )
    assert code == 1
    assert "(ValidationException) when calling the CreateEndpointConfig operation" in err
    assert "Value 'a_b' at 'productionVariants.1.member.variantName'" in err


def test_simulate_deploys_an_endpoint_on_a_stand_in_configuration(
    capsys: Any, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "simulate", write(tmp_path, ENDPOINT))
    assert code == 0
    assert out.splitlines()[0] == "Endpoint churn-scorer"
    # The default plan: Creating for 300 s, one ml.m5.large instance.
    assert timeline(out) == [
        ["+00:00:00", "Creating", "0 of 1 instances up"],
        ["+00:05:00", "InService", "1 of 1 instances up"],
    ]


def test_simulate_deploys_the_configuration_given(capsys: Any, tmp_path: Path) -> None:
    config = write(tmp_path, endpoint_config(), "config.json")
    code, out, _ = run(capsys, "simulate", write(tmp_path, ENDPOINT), "--config", config)
    assert code == 0
    assert timeline(out)[-1] == ["+00:05:00", "InService", "2 of 2 instances up"]
    variant = {
        "VariantName": "blue",
        "ModelName": "churn-model",
        "ServerlessConfig": {"MemorySizeInMB": 2048, "MaxConcurrency": 5},
    }
    serverless = {"EndpointConfigName": "churn-config", "ProductionVariants": [variant]}
    config = write(tmp_path, serverless, "serverless.json")
    code, out, _ = run(capsys, "simulate", write(tmp_path, ENDPOINT), "--config", config)
    assert timeline(out)[-1] == ["+00:05:00", "InService", "serverless"]


def test_simulate_an_endpoint_on_a_configuration_it_does_not_name(
    capsys: Any, tmp_path: Path
) -> None:
    config = write(tmp_path, {**endpoint_config(), "EndpointConfigName": "other"}, "config.json")
    code, out, err = run(capsys, "simulate", write(tmp_path, ENDPOINT), "--config", config)
    assert (code, out) == (1, "")
    assert "Could not find endpoint configuration" in err


def test_config_is_only_for_endpoints(capsys: Any, tmp_path: Path) -> None:
    config = write(tmp_path, endpoint_config(), "config.json")
    code, _, err = run(capsys, "simulate", write(tmp_path, training_request()), "--config", config)
    assert code == 2
    assert "--config names the endpoint configuration" in err
