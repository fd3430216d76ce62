"""``python -m sagemaker_lite.spec refresh|check``: regenerate or verify sagemaker.json."""

from __future__ import annotations

import argparse
import sys

from sagemaker_lite.spec import MODEL_PATH, generate


def main(argv: list[str] | None = None) -> int:
    """Run the ``refresh`` or ``check`` command; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m sagemaker_lite.spec")
    parser.add_argument("command", choices=("refresh", "check"))
    args = parser.parse_args(argv)
    fresh = generate()
    if args.command == "refresh":
        MODEL_PATH.write_text(fresh, encoding="utf-8")
        print(f"wrote {MODEL_PATH}")
        return 0
    current = MODEL_PATH.read_text(encoding="utf-8") if MODEL_PATH.exists() else ""
    if current != fresh:
        print(
            f"{MODEL_PATH} is stale: run `python -m sagemaker_lite.spec refresh`", file=sys.stderr
        )
        return 1
    print(f"{MODEL_PATH} is up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
