"""Benchmark: cost of validating a typical valid CreateTrainingJob request.

Run ``python tests/benchmarks/bench_validation.py``.  Prints the cost of
``check_params`` + ``check_request`` as a ratio to ``copy.deepcopy`` of the
same request measured in the same run (target: <= 5x).
"""

from __future__ import annotations

import copy
import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from _requests import create_training_job  # noqa: E402

from sagemaker_lite.validation import check_params, check_request  # noqa: E402


def _best(stmt: object, number: int) -> float:
    return min(timeit.repeat(stmt, number=number, repeat=7)) / number  # type: ignore[arg-type]


def main() -> None:
    """Measure and print the ratio."""
    request = create_training_job()

    def validate() -> None:
        check_params("CreateTrainingJob", request)
        check_request("CreateTrainingJob", request)

    validate()  # compile the closures and regexes outside the measurement
    number = 2000
    deep = _best(lambda: copy.deepcopy(request), number)
    both = _best(validate, number)
    params = _best(lambda: check_params("CreateTrainingJob", request), number)
    service = _best(lambda: check_request("CreateTrainingJob", request), number)
    print(f"deepcopy:                     {deep * 1e6:8.1f} us")
    print(f"check_params:                 {params * 1e6:8.1f} us")
    print(f"check_request:                {service * 1e6:8.1f} us")
    print(f"check_params + check_request: {both * 1e6:8.1f} us  = {both / deep:.2f}x deepcopy")


if __name__ == "__main__":
    main()
