"""Bad input to the command line: one line on stderr, the documented exit code, no traceback."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from sagemaker_lite.surfaces import cli, demo

ROOT = Path(__file__).resolve().parent.parent


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def one_line_error(err: str, command: str = "validate") -> str:
    """The single error line (asserting there is exactly one and no traceback)."""
    lines = err.splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    assert lines[0].startswith(f"sagemaker-lite {command}: error: "), err
    return lines[0]


def write_bytes(tmp_path: Path, data: bytes, name: str = "request.json") -> str:
    path = tmp_path / name
    path.write_bytes(data)
    return str(path)


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b'{"TrainingJobName": "caf\xe9"}', "not UTF-8 text (byte 0xe9 at offset 24)"),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "not UTF-8 text (byte 0x89 at offset 0)"),
        (b'{"a": 1}\x00\x00\x00', "binary data, not a JSON text file"),
        (b"", "invalid JSON at line 1 column 1"),
        (b"[1, 2]", "expected a JSON object of request members"),
        (b'{"a": ' + b"1" * 5000 + b"}", "invalid JSON: Exceeds the limit"),
        (b"[" * 1000 + b"]" * 1000, "nested more than 100 levels deep"),
        (b'{"a": ' + b'{"b": ' * 150 + b"1" + b"}" * 151, "nested more than 100 levels deep"),
    ],
    ids=["latin-1", "png", "nul-bytes", "empty", "array", "huge-int", "1000-deep", "150-deep"],
)
def test_bad_files_get_one_line_and_exit_2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, data: bytes, message: str
) -> None:
    for command in (["validate", "CreateTrainingJob"], ["simulate"]):
        code, out, err = run(capsys, *command, write_bytes(tmp_path, data))
        assert (code, out) == (cli.EXIT_USAGE, "")
        assert message in one_line_error(err, command[0])


def test_a_utf8_byte_order_mark_is_accepted(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Windows editors write one; it is not part of the JSON."""
    path = write_bytes(tmp_path, b"\xef\xbb\xbf" + json.dumps(demo.tuning_request()).encode())
    assert run(capsys, "validate", "CreateHyperParameterTuningJob", path) == (0, "valid\n", "")


def test_a_huge_file_is_refused_without_reading_it_all(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(cli, "MAX_INPUT_BYTES", 1000)
    path = write_bytes(tmp_path, b'{"a": "' + b"x" * 5000 + b'"}')
    code, _, err = run(capsys, "validate", "CreateTrainingJob", path)
    assert code == cli.EXIT_USAGE
    assert one_line_error(err).endswith(f"{path}: larger than 0 MiB")


def test_the_default_size_limit_is_far_above_any_real_request() -> None:
    biggest = {f"param_{i}": "x" * 2500 for i in range(100)}  # HyperParameters at its bounds
    assert len(json.dumps({"HyperParameters": biggest})) * 10 < cli.MAX_INPUT_BYTES


def test_a_directory_is_a_usage_error(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = run(capsys, "validate", "CreateTrainingJob", str(tmp_path))
    assert code == cli.EXIT_USAGE
    assert "cannot read" in one_line_error(err)


def test_non_utf8_standard_input(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    stdin = io.TextIOWrapper(io.BytesIO(b'{"TrainingJobName": "\xff"}'), encoding="utf-8")
    monkeypatch.setattr(sys, "stdin", stdin)
    code, _, err = run(capsys, "simulate", "-")
    assert code == cli.EXIT_USAGE
    assert "<stdin>: not UTF-8 text (byte 0xff at offset 21)" in one_line_error(err, "simulate")


def test_lone_surrogates_in_json_escapes_print(tmp_path: Path) -> None:
    """A request naming '\\ud800' is reported (escaped), not a UnicodeEncodeError."""
    request = {**demo.tuning_request(), "HyperParameterTuningJobName": "\ud800"}
    path = write_bytes(tmp_path, json.dumps(request).encode())  # JSON escapes it: \ud800
    result = subprocess.run(
        [sys.executable, "-m", "sagemaker_lite", "validate", "CreateHyperParameterTuningJob", path],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == cli.EXIT_INVALID, result.stderr
    assert "Traceback" not in result.stderr
    assert "\\ud800" in result.stderr


def piped(arguments: str, reader: str) -> subprocess.CompletedProcess[str]:
    """``python -m sagemaker_lite ARGUMENTS | READER`` in bash; the exit code is ours."""
    script = f"{sys.executable} -m sagemaker_lite {arguments} | {reader}; exit ${{PIPESTATUS[0]}}"
    return subprocess.run(
        ["bash", "-c", script], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_a_closed_pipe_stops_quietly_with_exit_141() -> None:
    """``sagemaker-lite demo | true``: the reader is gone before the first line is written."""
    result = piped("demo --no-progress", "true")
    assert result.stderr == ""
    assert result.returncode == cli.EXIT_BROKEN_PIPE


def test_head_gets_its_lines_and_nothing_is_printed_on_stderr() -> None:
    """``| head -1``: whether the pipe closes before the rest is written or not."""
    result = piped("demo --no-progress", "head -1")
    assert result.stdout == "HyperParameterTuningJob demo-xgboost-tuning\n"
    assert result.stderr == ""
    assert result.returncode in (cli.EXIT_OK, cli.EXIT_BROKEN_PIPE)


def test_simulate_from_stdin_into_a_closed_pipe(tmp_path: Path) -> None:
    request = tmp_path / "tuning.json"
    request.write_text(json.dumps(demo.tuning_request()), encoding="utf-8")
    result = piped(f"simulate - < {request}", "head -2")
    assert len(result.stdout.splitlines()) == 2
    assert "Error" not in result.stderr and "Traceback" not in result.stderr
    assert result.returncode in (cli.EXIT_OK, cli.EXIT_BROKEN_PIPE)


def test_a_compilation_timeline_has_no_empty_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    request: dict[str, Any] = {
        "CompilationJobName": "my-neo",
        "RoleArn": "arn:aws:iam::123456789012:role/SageMakerRole",
        "InputConfig": {"S3Uri": "s3://my-bucket/model.tar.gz", "Framework": "XGBOOST"},
        "OutputConfig": {"S3OutputLocation": "s3://my-bucket/out", "TargetDevice": "ml_c5"},
        "StoppingCondition": {"MaxRuntimeInSeconds": 900},
    }
    code, out, _ = run(capsys, "simulate", write_bytes(tmp_path, json.dumps(request).encode()))
    assert code == 0
    assert out.splitlines() == [
        "CompilationJob my-neo",
        "  time       status",
        "  +00:00:00  STARTING",
        "  +00:00:30  INPROGRESS",
        "  +00:04:30  COMPLETED",
    ]  # and no empty "FailureReason: " line for a job that did not fail
