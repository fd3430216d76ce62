"""``python -m sagemaker_lite.contract.spec refresh|check``: regenerate or verify the tables.

Two files: ``sagemaker.json`` (the constraint model, from botocore) and
``unicode.json`` (Unicode general categories for ``\\p{...}`` classes, from
:mod:`unicodedata`, so translating a pattern never scans every code point).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path

from sagemaker_lite.contract.patterns import (
    UNICODE_PATH,
    compute_category_table,
    render_category_table,
)
from sagemaker_lite.contract.spec import MODEL_PATH, generate


def generate_unicode() -> str:
    """The text of ``unicode.json`` as this Python's :mod:`unicodedata` gives it."""
    return render_category_table(compute_category_table())


def _files() -> list[tuple[Path, Callable[[], str]]]:
    # Read at call time, so tests can point the paths elsewhere.
    return [(MODEL_PATH, generate), (UNICODE_PATH, generate_unicode)]


def main(argv: list[str] | None = None) -> int:
    """Run the ``refresh`` or ``check`` command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m sagemaker_lite.contract.spec")
    parser.add_argument("command", choices=("refresh", "check"))
    args = parser.parse_args(argv)
    status = 0
    for path, make in _files():
        fresh = make()
        if args.command == "refresh":
            path.write_text(fresh, encoding="utf-8")
            print(f"wrote {path}")
            continue
        current = path.read_text(encoding="utf-8") if path.exists() else ""
        if current != fresh:
            print(
                f"{path} is stale: run `python -m sagemaker_lite.contract.spec refresh`",
                file=sys.stderr,
            )
            status = 1
        else:
            print(f"{path} is up to date")
    return status


if __name__ == "__main__":
    sys.exit(main())
