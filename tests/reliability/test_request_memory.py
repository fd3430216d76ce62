"""Reliability: a request's peak memory is linear in its size (bug 10 of issue 14).

A pattern translated into an alternation inside a repeat (``[\\S\\s]*`` became
``(?:[...]|[^...])*``) made the regex engine keep ~120 bytes per character
matched: a 16 MB ``Environment`` value peaked at 2 GB.  Each case here sends a
request of about a megabyte whose large part is one kind of value the model
constrains (a long string under each class of pattern, many map entries, many
list items) and measures the call's peak with :mod:`tracemalloc`, as a ratio
to the request's size.  The full-size figure is in
``tests/benchmarks/bench_request_memory.py``.
"""

from __future__ import annotations

import tracemalloc
from collections.abc import Callable
from typing import Any

import pytest
from factories import compilation_request, training_request

import sagemaker_lite
from sagemaker_lite.contract.errors import ClientError
from sagemaker_lite.surfaces.client import Client

SIZE = 1_000_000
#: Peak memory of one call, as a multiple of the request's size (issue 14's target).
MAX_RATIO = 20


def request_size(value: Any) -> int:
    """Bytes of the request's text content (what the caller built)."""
    if isinstance(value, str):
        return len(value.encode("utf-8"))
    if isinstance(value, dict):
        return sum(request_size(k) + request_size(v) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return sum(request_size(v) for v in value)
    return 8


def peak_of(call: Callable[[], object]) -> int:
    """Peak bytes allocated while ``call`` runs (its error, if any, is expected)."""
    tracemalloc.start()
    try:
        call()
    except ClientError:  # most cases are rejected; only the memory matters here
        pass
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return peak


def _warm(client: Client) -> None:
    # First use of an operation builds its validators; that is per process, not per request.
    client.create_training_job(**training_request("warm", Environment={"K": "v"}, Tags=[]))
    client.create_compilation_job(**compilation_request("warm"))
    for request in (
        training_request("warm-bad", Environment={"K": "v" * 600}),
        training_request("warm-bad", Tags=[{"Key": "k", "Value": "v" * 300}]),
        training_request("warm-bad", HyperParameters={"k": "v" * 3000}),
    ):
        with pytest.raises(ClientError, match="ValidationException"):
            client.create_training_job(**request)
    with pytest.raises(ClientError, match="ValidationException"):
        client.create_compilation_job(
            **compilation_request("warm-bad", **{"InputConfig.DataInputConfig": "x" * 20000})
        )


class _Recorder:
    """Stands in for a client to capture a case's request."""

    def __init__(self) -> None:
        self.params: dict[str, Any] = {}

    def __getattr__(self, name: str) -> Callable[..., None]:
        return self.params.update


CASES: dict[str, Callable[[Any], object]] = {
    # [\S\s]* : a long environment value.
    "environment value": lambda sm: sm.create_training_job(
        **training_request("big", Environment={"K": "x" * SIZE})
    ),
    # [\S\s]+ : a long compilation input shape.
    "data input config": lambda sm: sm.create_compilation_job(
        **compilation_request("big", **{"InputConfig.DataInputConfig": "{" * SIZE})
    ),
    # [\p{L}\p{Z}\p{N}_.:/=+\-@]* : a long tag value, in letters outside ASCII.
    "tag value": lambda sm: sm.create_training_job(
        **training_request("big", Tags=[{"Key": "k", "Value": "é" * (SIZE // 2)}])
    ),
    # .* : a long hyperparameter value.
    "hyperparameter value": lambda sm: sm.create_training_job(
        **training_request("big", HyperParameters={"k": "v" * SIZE})
    ),
    # Many map entries and many list items.
    "environment entries": lambda sm: sm.create_training_job(
        **training_request("big", Environment={f"K{i}": "v" * 40 for i in range(SIZE // 50)})
    ),
    "tags": lambda sm: sm.create_training_job(
        **training_request(
            "big", Tags=[{"Key": f"k{i}", "Value": "v" * 40} for i in range(SIZE // 50)]
        )
    ),
}


@pytest.mark.parametrize("case", sorted(CASES))
def test_peak_memory_of_a_large_request_is_linear_in_its_size(case: str) -> None:
    sm = sagemaker_lite.client()
    _warm(sm)
    call = CASES[case]
    recorder = _Recorder()
    call(recorder)  # the same call, recorded, gives the request's size
    size = request_size(recorder.params)
    peak = peak_of(lambda: call(sm))
    assert size >= SIZE // 2
    assert peak <= MAX_RATIO * size, f"{case}: peak {peak / size:.1f}x the request's size"
