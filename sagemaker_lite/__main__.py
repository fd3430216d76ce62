"""``python -m sagemaker_lite``: the same command line as ``sagemaker-lite``."""

from __future__ import annotations

import os
import sys

from sagemaker_lite.surfaces.cli import main


def run() -> int:
    """Run the command line; a reader that goes away (``| head``) ends it quietly."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        # Point stdout at /dev/null so the interpreter's final flush cannot fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    return code


if __name__ == "__main__":
    sys.exit(run())
