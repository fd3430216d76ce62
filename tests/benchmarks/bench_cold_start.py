"""Cold start benchmark (run on demand: ``python tests/benchmarks/bench_cold_start.py [--runs N]``).

Each figure is the median over fresh Python processes (nothing imported,
nothing cached in memory) of the wall time from the first import to the
answer of the first ``create_training_job``:

- ours, direct: ``import sagemaker_lite`` + ``sagemaker_lite.client()`` + first create;
- ours, boto3: ``import boto3, sagemaker_lite`` + ``mock_sagemaker()`` + ``boto3.client`` +
  first create;
- moto: ``import boto3`` + ``from moto import mock_aws`` + ``mock_aws()`` + ``boto3.client`` +
  first create (the baseline, measured in the same run);
- boto3 alone: ``import boto3`` + ``boto3.client`` (the part of both boto3 paths that
  neither emulator can change).

Targets (issue 14): ours direct <= 0.25x moto; the first create <= 20 ms.  The
boto3 path is printed as a ratio to moto too, and with boto3's own cost taken
out of both.  Last, a fresh process runs a plain
``@given(valid_requests("CreateTrainingJob"))`` test under Hypothesis's default
200 ms deadline and says whether it passed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
_PRELUDE = f"""
import sys, time
sys.path[:0] = [{str(ROOT)!r}, {str(ROOT / "tests")!r}]
from factories import training_request
REQUEST = training_request("cold-start-1")
"""
_UNDER_MOCK = """
t0 = time.perf_counter()
{imports}
with {mock}:
    sm = boto3.client("sagemaker", region_name="us-east-1")
    t1 = time.perf_counter()
    sm.create_training_job(**REQUEST)
    t2 = time.perf_counter()
"""
SNIPPETS = {
    "ours, direct": """
t0 = time.perf_counter()
import sagemaker_lite
sm = sagemaker_lite.client()
t1 = time.perf_counter()
sm.create_training_job(**REQUEST)
t2 = time.perf_counter()
""",
    # The same boto3 session under each mock.
    "ours, boto3": _UNDER_MOCK.format(
        imports="import boto3, sagemaker_lite", mock="sagemaker_lite.mock_sagemaker()"
    ),
    "moto": _UNDER_MOCK.format(
        imports="import boto3\nfrom moto import mock_aws", mock="mock_aws()"
    ),
    "boto3 alone": """
t0 = time.perf_counter()
import boto3
sm = boto3.client("sagemaker", region_name="us-east-1")
t1 = t2 = time.perf_counter()
""",
}
_REPORT = "\nprint(t2 - t0, t2 - t1)\n"
_ENV = {
    **os.environ,
    "AWS_ACCESS_KEY_ID": "testing",
    "AWS_SECRET_ACCESS_KEY": "testing",
    "AWS_DEFAULT_REGION": "us-east-1",
}
HYPOTHESIS_TEST = """
from hypothesis import given

import sagemaker_lite
from sagemaker_lite.testing.strategies import valid_requests


@given(valid_requests("CreateTrainingJob"))
def test_create(request):
    sagemaker_lite.client().create_training_job(**request)
"""


def fresh_process(code: str) -> tuple[float, float]:
    """(seconds from first import to first answer, seconds of the first create)."""
    out = subprocess.run(
        [sys.executable, "-c", _PRELUDE + textwrap.dedent(code) + _REPORT],
        capture_output=True,
        text=True,
        env=_ENV,
        check=True,
    )
    total, first = out.stdout.split()
    return float(total), float(first)


def hypothesis_passes() -> tuple[bool, str]:
    """Whether a plain @given test meets the default deadline in a fresh process."""
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "test_cold.py"
        path.write_text(HYPOTHESIS_TEST, encoding="utf-8")
        out = subprocess.run(
            [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", str(path)],
            capture_output=True,
            text=True,
            cwd=tmp,
            env={**_ENV, "PYTHONPATH": str(ROOT)},
            check=False,
        )
    last = out.stdout.strip().splitlines()[-1] if out.stdout.strip() else out.stderr[-200:]
    return out.returncode == 0, last


def main() -> None:
    """Print each path's median cold start, the ratios and the targets."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    medians: dict[str, tuple[float, float]] = {}
    for name, code in SNIPPETS.items():
        runs = [fresh_process(code) for _ in range(args.runs)]
        medians[name] = (
            statistics.median(r[0] for r in runs),
            statistics.median(r[1] for r in runs),
        )
    print(f"cold start, median of {args.runs} fresh processes: import to first create answered")
    for name, (total, first) in medians.items():
        print(f"  {name:<13} {total * 1000:7.1f} ms   first create {first * 1000:6.1f} ms")
    moto, floor = medians["moto"][0], medians["boto3 alone"][0]
    direct, boto3_path = medians["ours, direct"][0], medians["ours, boto3"][0]
    first = medians["ours, direct"][1]
    print(f"ours direct / moto: {direct / moto:.3f}x (target <= 0.25x)")
    print(f"first create, direct: {first * 1000:.1f} ms (target <= 20 ms)")
    print(f"ours through boto3 / moto: {boto3_path / moto:.3f}x")
    print(
        f"beyond boto3's own {floor * 1000:.0f} ms: ours {(boto3_path - floor) * 1000:.0f} ms, "
        f"moto {(moto - floor) * 1000:.0f} ms, ratio {(boto3_path - floor) / (moto - floor):.3f}x"
    )
    passed, summary = hypothesis_passes()
    verdict = "passes" if passed else "FAILS"
    test = "@given(valid_requests('CreateTrainingJob'))"
    print(f"fresh {test}, 200 ms deadline: {verdict} ({summary})")


if __name__ == "__main__":
    main()
