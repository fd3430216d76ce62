"""sagemaker_lite: an in-process emulator of the Amazon SageMaker job APIs.

>>> import sagemaker_lite
>>> sm = sagemaker_lite.client(region_name="us-east-1")
>>> sm.list_training_jobs()["TrainingJobSummaries"]
[]
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from sagemaker_lite._lazy import lazy_attributes
from sagemaker_lite._version import __version__

if TYPE_CHECKING:
    from sagemaker_lite.engine.clock import VirtualClock
    from sagemaker_lite.surfaces.boto3_adapter import mock_sagemaker
    from sagemaker_lite.surfaces.client import Client
    from sagemaker_lite.surfaces.emulator import Emulator

#: The public names, and the module each lives in: imported on first use, so that
#: the pytest plugin (loaded by every pytest run) costs nothing until a test needs it.
_LAZY = {
    "VirtualClock": "sagemaker_lite.engine.clock",
    "Emulator": "sagemaker_lite.surfaces.emulator",
    "mock_sagemaker": "sagemaker_lite.surfaces.boto3_adapter",
    "Client": "sagemaker_lite.surfaces.client",
}


__getattr__ = lazy_attributes(__name__, _LAZY)


def client(
    region_name: str = "us-east-1",
    account_id: str = "123456789012",
    clock: VirtualClock | None = None,
    *,
    emulator: Emulator | None = None,
    auto_advance: bool = False,
) -> Client[Emulator]:
    """A SageMaker client backed by an in-process emulator.

    Each call without ``emulator`` starts a fresh, empty emulator; pass one
    (``client.emulator``) to share a world between clients, e.g. to use two
    regions or accounts of the same simulated SageMaker.
    """
    if emulator is None:
        from sagemaker_lite.surfaces.emulator import Emulator

        emulator = Emulator(clock, auto_advance=auto_advance)
    return emulator.client(region_name=region_name, account_id=account_id)


__all__ = ["Client", "Emulator", "VirtualClock", "__version__", "client", "mock_sagemaker"]
