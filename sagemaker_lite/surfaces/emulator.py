"""The public emulator: the engine, with its families, and the controls users reach.

:class:`~sagemaker_lite.engine.emulator.Engine` is the simulated service and
knows no client, no family module and no patch of ``time``; this subclass
wires it to the families (``families.FAMILIES``), serves operations through
the client (``call``, for families that start other jobs), and adds what
users call on ``client.emulator``: ``client()``, ``patch_sleep()`` and snapshots.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import Any

from sagemaker_lite.engine import snapshot as snapshots
from sagemaker_lite.engine.clock import VirtualClock
from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.engine.world import World
from sagemaker_lite.families import FAMILIES
from sagemaker_lite.surfaces.client import Client, serve
from sagemaker_lite.surfaces.virtual_time import Scope, scoped


class Emulator(Engine):
    """A simulated SageMaker.  Thread-safe: one lock serialises every request.

    Its controls (``advance``, ``run_until_idle``, ``script_*``, snapshots) are
    not AWS API; they are reached as ``client.emulator``.
    """

    families: Mapping[str, str] = FAMILIES

    def client(
        self, region_name: str = "us-east-1", account_id: str = "123456789012"
    ) -> Client[Emulator]:
        """A client bound to this emulator's world for ``account_id`` in ``region_name``."""
        return Client(self, region_name=region_name, account_id=account_id)

    def call(self, world: World, operation: str, request: dict[str, Any]) -> dict[str, Any]:
        """Serve ``operation`` in ``world`` exactly as a client call would, checks included
        (``surfaces.client.serve``: the service's ``ApiError``, no metadata, no due events
        applied, since a family calls from inside the engine)."""
        return serve(world, operation, request)

    @contextmanager
    def patch_sleep(self) -> Iterator[None]:
        """Within the block, ``time.sleep(s)`` advances the virtual clock instead of waiting.

        Polling loops, boto3 waiters and the SageMaker SDK's ``wait()`` all sleep
        through ``time.sleep``; under this they finish at once while every
        status they poll is the one virtual time says.  The sleeping thread's
        ``time.time()``/``time.monotonic()`` move on with it (see
        :mod:`sagemaker_lite.surfaces.virtual_time`).
        """
        with scoped(Scope(self, "global")):
            yield

    def snapshot(self) -> dict[str, Any]:
        """The whole state (clock, random state, jobs, schedules) as JSON-serialisable data."""
        return snapshots.snapshot(self)

    def restore(self, state: dict[str, Any]) -> None:
        """Put this emulator back into a state from :meth:`snapshot`; clients stay valid.

        Raises :class:`sagemaker_lite.snapshot.SnapshotError` (and changes nothing)
        if ``state`` cannot be read.
        """
        snapshots.restore(self, state)

    @classmethod
    def from_snapshot(cls, state: dict[str, Any], clock: VirtualClock | None = None) -> Emulator:
        """A new emulator in the state of ``state`` (scripts are not part of a snapshot).

        Raises :class:`sagemaker_lite.snapshot.SnapshotError` if ``state`` cannot be read.
        """
        emulator = cls(clock)  # restore sets the seed, random state and request ids
        emulator.restore(state)
        return emulator
