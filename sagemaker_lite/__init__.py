"""sagemaker_lite: an in-process emulator of the Amazon SageMaker job APIs."""

from __future__ import annotations

__version__ = "0.1.0"
