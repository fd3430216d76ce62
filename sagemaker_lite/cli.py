"""Public path of the cli (it lives in :mod:`sagemaker_lite.surfaces.cli`)."""

from sagemaker_lite.surfaces.cli import *  # noqa: F403
