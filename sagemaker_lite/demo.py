"""Public path of the demo (it lives in :mod:`sagemaker_lite.surfaces.demo`)."""

from sagemaker_lite.surfaces.demo import *  # noqa: F403
