"""Request memory benchmark (run on demand: ``python tests/benchmarks/bench_request_memory.py``).

Peak memory of one call as a multiple of its request's size (issue 14: a
16 MB ``Environment`` value peaked at 1.96 GB; ``validate`` on a 200 MB request
was killed at 21 GB; target <= 20x).  Peaks are measured with
:mod:`tracemalloc` around the call only, after a small call of the same
operation (first use builds validators once per process):

- ``create_training_job`` with a 16 MB ``Environment`` value (direct client);
- the same through boto3 under ``mock_sagemaker()`` (botocore's serialising included);
- ``sagemaker-lite validate`` on a request file with a 200 MB ``Environment`` value
  (the file read and parsed, then checked), in a fresh process, over the file's size.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path[:0] = [str(ROOT), str(ROOT / "tests")]
from factories import training_request  # noqa: E402

import sagemaker_lite  # noqa: E402

MB = 1_000_000
TARGET = 20.0


def peak_ratio(call: Callable[[], object], size: int) -> float:
    """Peak bytes traced while ``call`` runs, over ``size`` (its error, if any, ignored)."""
    tracemalloc.start()
    try:
        call()
    except Exception:  # the long value is rejected; only memory matters here
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak / size


def direct(size: int) -> float:
    """Peak over size of a direct create with a ``size``-byte environment value."""
    sm = sagemaker_lite.client()
    sm.create_training_job(**training_request("warm", Environment={"K": "v"}))
    request = training_request("big", Environment={"K": "x" * size})
    return peak_ratio(lambda: sm.create_training_job(**request), size)


def through_boto3(size: int) -> float:
    """The same through a boto3 client served by ``mock_sagemaker()``."""
    import boto3

    with sagemaker_lite.mock_sagemaker():
        sm = boto3.client(
            "sagemaker",
            region_name="us-east-1",
            aws_access_key_id="testing",
            aws_secret_access_key="testing",
        )
        sm.create_training_job(**training_request("warm", Environment={"K": "v"}))
        request = training_request("big", Environment={"K": "x" * size})
        return peak_ratio(lambda: sm.create_training_job(**request), size)


# tracemalloc, not ru_maxrss: Linux carries a parent's peak RSS across fork and exec.
_VALIDATE = """
import sys, tracemalloc
sys.path[:0] = [{root!r}, {tests!r}]
from factories import training_request
from sagemaker_lite.cli import main, validation_report
validation_report("CreateTrainingJob", training_request(Environment={{"K": "v" * 600}}))
tracemalloc.start()
status = main(["validate", "CreateTrainingJob", {path!r}])
print(status, tracemalloc.get_traced_memory()[1])
"""


def cli_validate(size: int) -> tuple[float, int]:
    """(peak memory of ``sagemaker-lite validate`` over the file's size, exit status)."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "request.json"
        path.write_text(
            json.dumps(training_request("big", Environment={"K": "x" * size})), encoding="utf-8"
        )
        file_size = path.stat().st_size
        code = _VALIDATE.format(root=str(ROOT), tests=str(ROOT / "tests"), path=str(path))
        out = subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
    status, peak = (int(x) for x in out.stdout.split()[-2:])
    return peak / file_size, status


def main() -> None:
    """Print each peak ratio beside the target."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--create-mb", type=int, default=16)
    parser.add_argument("--validate-mb", type=int, default=200)
    args = parser.parse_args()
    rows = [
        (f"create, direct, {args.create_mb} MB value", direct(args.create_mb * MB)),
        (f"create, boto3, {args.create_mb} MB value", through_boto3(args.create_mb * MB)),
    ]
    ratio, status = cli_validate(args.validate_mb * MB)
    rows.append((f"validate CLI, {args.validate_mb} MB file (exit {status})", ratio))
    print("peak memory of one request / the request's size")
    for label, value in rows:
        verdict = "ok" if value <= TARGET else "MISSED"
        print(f"  {label:<45} {value:6.2f}x  (target <= {TARGET:g}x {verdict})")


if __name__ == "__main__":
    main()
