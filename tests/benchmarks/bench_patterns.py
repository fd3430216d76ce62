"""Benchmark: the worst case over every pattern of the model is linear (issue 24.1).

Run ``python tests/benchmarks/bench_patterns.py``.  For each pattern of
botocore's whole SageMaker model it matches the hostile values of
``tests/reliability/hostile.py`` (runs of one character, alternating pairs, a
failing tail) at two lengths, and prints the slowest pattern, its time per
megabyte, and the ratio of the two lengths' times (target: about 2, linear).
The baseline, measured in the same run, is ``re`` on the S3 URI pattern at
two small lengths: its ratio near 4 is the quadratic backtracking fixed here.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from reliability.hostile import model_patterns, pattern_attacks

from sagemaker_lite.contract import patterns

S3_URI = "(https|s3)://([^/]+)/?(.*)"
SHORT, LONG = 100_000, 200_000


def _worst(test: object, length: int) -> float:
    """The slowest single attack value of ``length`` characters (seconds)."""
    worst = 0.0
    for value in pattern_attacks(length):
        started = time.perf_counter()
        test(value)  # type: ignore[operator]
        worst = max(worst, time.perf_counter() - started)
    return worst


def main() -> None:
    """Measure and print the worst pattern, its linearity ratio, and re's baseline."""
    search = patterns.compiled(S3_URI).search
    re_short, re_long = _worst(search, 2_000), _worst(search, 4_000)
    print(
        f"re, S3 URI pattern: {re_short * 1e3:.1f} ms at 2k, {re_long * 1e3:.1f} ms at 4k"
        f"  (ratio {re_long / re_short:.1f}: quadratic)"
    )
    results = []
    for pattern in model_patterns(full=True):
        try:
            matcher = patterns.matcher(pattern)
        except patterns.UnsupportedPattern:
            continue  # re cannot compile it either: no shape we serve uses it
        _worst(matcher, 1_000)  # warm the automaton's states
        results.append((_worst(matcher, LONG), _worst(matcher, SHORT), pattern))
    long_time, short_time, pattern = max(results)
    print(f"patterns measured: {len(results)}")
    print(
        f"worst pattern {pattern[:70]!r}: {short_time * 1e3:.1f} ms at {SHORT // 1000}k,"
        f" {long_time * 1e3:.1f} ms at {LONG // 1000}k = {long_time / (LONG / 1e6):.2f} s/MB"
        f"  (ratio {long_time / max(short_time, 1e-9):.2f}, target about 2: linear)"
    )
    print(
        f"the same S3 value through re at {LONG // 1000}k would take about"
        f" {re_long * (LONG / 4_000) ** 2:.0f} s (quadratic from the baseline)"
    )


if __name__ == "__main__":
    main()
