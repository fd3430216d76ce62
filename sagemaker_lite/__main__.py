"""``python -m sagemaker_lite``: the same command line as ``sagemaker-lite``."""

from __future__ import annotations

import sys

from .cli import main

if __name__ == "__main__":
    sys.exit(main())
