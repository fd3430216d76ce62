"""Models, processing and transform jobs: create/describe throughput against moto 5.

Run on demand: ``python tests/benchmarks/bench_families.py``.  For each kind,
prints create and describe calls per second, ours (the direct client) vs moto
(through boto3, as its users call it), in the same run, as ratios; target
>= 40x, the bar training jobs meet.  Each side's best of ``BENCH_REPEATS`` (3)
runs on a fresh client.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Callable
from typing import Any

import attrs

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))
sys.path.insert(0, os.path.dirname(__file__))
from bench_training import best, on_moto, rate
from factories import model_request, processing_request, transform_request

import sagemaker_lite


@attrs.frozen
class Kind:
    """One resource kind: how to make its i-th request and describe it by name."""

    label: str
    create: str
    describe: str
    name_member: str
    request: Callable[[str], dict[str, Any]]


KINDS = (
    Kind("model", "create_model", "describe_model", "ModelName", model_request),
    Kind(
        "processing job",
        "create_processing_job",
        "describe_processing_job",
        "ProcessingJobName",
        processing_request,
    ),
    Kind(
        "transform job",
        "create_transform_job",
        "describe_transform_job",
        "TransformJobName",
        lambda name: transform_request(name, model="scorer"),
    ),
)


def throughput(sm: Any, kind: Kind, count: int) -> tuple[float, float]:
    """(creates, describes) per second of ``count`` resources on a fresh client ``sm``."""
    sm.create_model(**model_request("scorer"))  # what every transform job runs
    create, describe = getattr(sm, kind.create), getattr(sm, kind.describe)
    create(**kind.request("warm-up"))  # one-time costs are not throughput
    describe(**{kind.name_member: "warm-up"})
    creates = rate(lambda i: create(**kind.request(f"r-{i}")), count)
    describes = rate(lambda i: describe(**{kind.name_member: f"r-{i}"}), count)
    return creates, describes


def ours(kind: Kind, count: int, repeats: int) -> tuple[float, float]:
    return best([throughput(sagemaker_lite.client(), kind, count) for _ in range(repeats)])


def moto(kind: Kind, count: int, repeats: int) -> tuple[float, float] | None:
    return on_moto(lambda client: throughput(client, kind, count), repeats)


def main() -> None:
    count = int(os.environ.get("BENCH_COUNT", "2000"))
    repeats = int(os.environ.get("BENCH_REPEATS", "3"))
    for kind in KINDS:
        gc.collect()
        mine = ours(kind, count, repeats)
        theirs = moto(kind, min(count, 500), repeats)
        for verb, our_rate, index in (("create", mine[0], 0), ("describe", mine[1], 1)):
            line = f"{verb:8} {kind.label:15} ours {our_rate:10.0f}/s"
            if theirs is None:
                print(line + "   (moto not installed: pip install -e '.[bench]')")
                continue
            ratio = our_rate / theirs[index]
            print(f"{line}   moto {theirs[index]:8.0f}/s   ratio {ratio:6.1f}x (target >= 40x)")


if __name__ == "__main__":
    main()
