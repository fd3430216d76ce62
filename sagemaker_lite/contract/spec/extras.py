"""Waiter and paginator data for our operations, generated from botocore's model files.

``waiters.json`` and ``paginators.json`` hold the entries of botocore's
``waiters-2.json`` and ``paginators-1.json`` whose operation is in
:data:`sagemaker_lite.contract.operations.OPERATIONS`, unchanged.  The generic
interpreters in :mod:`sagemaker_lite.surfaces.waiters` and :mod:`sagemaker_lite.surfaces.paginators`
read them.  ``python -m sagemaker_lite.contract.spec.extras refresh|check`` regenerates or
verifies the files (botocore is needed only for that).
"""

from __future__ import annotations

import argparse
import functools
import json
import sys
from pathlib import Path
from typing import Any

WAITERS_PATH = Path(__file__).with_name("waiters.json")
PAGINATORS_PATH = Path(__file__).with_name("paginators.json")


def _render(data: dict[str, Any]) -> str:
    return json.dumps(data, sort_keys=True, indent=1) + "\n"


def generate() -> dict[Path, str]:
    """The text of each file as the installed botocore gives it (needs botocore)."""
    import botocore.session

    from sagemaker_lite.contract.operations import OPERATIONS

    loader = botocore.session.get_session().get_component("data_loader")
    waiters = loader.load_service_model("sagemaker", "waiters-2")["waiters"]
    pages = loader.load_service_model("sagemaker", "paginators-1")["pagination"]
    return {
        WAITERS_PATH: _render(
            {name: spec for name, spec in waiters.items() if spec["operation"] in OPERATIONS}
        ),
        PAGINATORS_PATH: _render(
            {name: spec for name, spec in pages.items() if name in OPERATIONS}
        ),
    }


@functools.cache
def load_waiters() -> dict[str, Any]:
    """Waiter configurations by botocore name (``TrainingJobCompletedOrStopped``)."""
    data: dict[str, Any] = json.loads(WAITERS_PATH.read_text(encoding="utf-8"))
    return data


@functools.cache
def load_paginators() -> dict[str, Any]:
    """Paginator configurations by operation name (``ListTrainingJobs``)."""
    data: dict[str, Any] = json.loads(PAGINATORS_PATH.read_text(encoding="utf-8"))
    return data


def main(argv: list[str] | None = None) -> int:
    """Run ``refresh`` (rewrite the files) or ``check`` (fail if stale); return the status."""
    parser = argparse.ArgumentParser(prog="python -m sagemaker_lite.contract.spec.extras")
    parser.add_argument("command", choices=("refresh", "check"))
    args = parser.parse_args(argv)
    stale = []
    for path, text in generate().items():
        if args.command == "refresh":
            path.write_text(text, encoding="utf-8")
            print(f"wrote {path}")
        elif not path.exists() or path.read_text(encoding="utf-8") != text:
            stale.append(path)
    for path in stale:
        print(
            f"{path} is stale: run `python -m sagemaker_lite.contract.spec.extras refresh`",
            file=sys.stderr,
        )
    return 1 if stale else 0


if __name__ == "__main__":
    sys.exit(main())
