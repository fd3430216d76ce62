"""Benchmark: an SDK v2 fit + transform flow with S3 artifacts against the same flow without.

Run ``python tests/benchmarks/bench_artifacts.py``.  In one run, interleaved, each of
``RUNS`` rounds times the flow (``Estimator.fit()`` with its defaults, then
``Transformer.transform()`` of two CSV objects, waiting for both) twice under
``mock_aws()`` + the default ``mock_sagemaker()``:

* *artifacts*: as users get it (issue 21): input checks, model.tar.gz and
  output.tar.gz written, the transform's ``.out`` objects computed by the model
  script and written through moto's S3;
* *without*: the same, with the emulator's artifact store answering "no S3
  served", which is how every flow ran before issue 21.

Prints the median wall time of each and their ratio.  The SDK import, the bucket and
its input objects are outside the timed part.
"""

from __future__ import annotations

import contextlib
import io
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

for _name in ("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY"):
    os.environ.setdefault(_name, "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")
os.environ.setdefault("SAGEMAKER_SUPPRESS_V2_WARNING", "1")

import boto3  # noqa: E402

from sagemaker_lite import Emulator, mock_sagemaker  # noqa: E402

RUNS = 5
BUCKET = "my-bucket"


class NoS3:
    """An artifact store that answers "no S3 served", as before issue 21."""

    def has_objects(self, uri: str, region: str) -> bool | None:
        return None

    def keys(self, uri: str, region: str) -> list[str] | None:
        return None

    def get(self, uri: str, region: str) -> bytes | None:
        return None

    def fetch(
        self, uri: str, region: str, version_id: str | None = None
    ) -> tuple[bool, bytes | None]:
        return False, None

    def put(self, uri: str, body: bytes, region: str) -> bool | None:
        return None


def flow(artifacts: bool) -> float:
    """Seconds of one fit + transform flow in a fresh world."""
    import factories
    import moto
    import sagemaker

    emulator = Emulator()
    if not artifacts:
        emulator.artifacts = NoS3()
    with moto.mock_aws(), mock_sagemaker(emulator):
        boto_session = boto3.Session(region_name="us-east-1")
        s3 = boto_session.client("s3")
        factories.seed_inputs(s3, BUCKET)
        session = sagemaker.Session(boto_session=boto_session, default_bucket=BUCKET)
        started = time.perf_counter()
        with contextlib.redirect_stdout(io.StringIO()):
            estimator = factories.sdk_estimator(session, BUCKET)
            estimator.fit({"train": f"s3://{BUCKET}/data/train"})
            transformer = estimator.transformer(
                instance_count=1, instance_type="ml.m5.xlarge", output_path=f"s3://{BUCKET}/out"
            )
            transformer.transform(
                f"s3://{BUCKET}/batch", content_type="text/csv", split_type="Line", wait=True
            )
        seconds = time.perf_counter() - started
        written = s3.list_objects_v2(Bucket=BUCKET, Prefix="out/").get("KeyCount", 0)
        assert (written > 0) is artifacts, "the .out objects are written with artifacts only"
        return seconds


def main() -> None:
    import logging

    logging.getLogger("sagemaker").setLevel(logging.WARNING)
    flow(True)  # warm up: imports, botocore models
    times: dict[bool, list[float]] = {True: [], False: []}
    for _ in range(RUNS):
        for artifacts in (False, True):
            times[artifacts].append(flow(artifacts))
    with_s3, without = statistics.median(times[True]), statistics.median(times[False])
    print(f"SDK v2 fit + transform, median of {RUNS} (same run, interleaved)")
    print(f"  without artifacts (before issue 21): {without:.3f} s")
    print(f"  with S3 artifacts:                   {with_s3:.3f} s")
    print(f"  ratio with/without:                  {with_s3 / without:.2f}x")


if __name__ == "__main__":
    main()
