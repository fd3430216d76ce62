"""A fresh emulator for every test and for every Hypothesis example inside it.

The pytest fixtures hand out stand-ins (:class:`Fresh`) rather than an
emulator and clients: each attribute access goes to the emulator of the
*current* test, and inside ``@given`` to the emulator of the current
Hypothesis example.  So the natural property test::

    @given(valid_requests("CreateTrainingJob"))
    def test_submit(sagemaker_client, request):
        sagemaker_client.create_training_job(**request)

sees an empty world in every example (no ``ResourceInUse`` from an earlier
example's job), and the fixtures are session-scoped objects, so Hypothesis's
function-scoped-fixture health check has nothing to object to.

Hypothesis is never imported here: a run without it simply has no examples.
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import Any

from sagemaker_lite.surfaces.client import Client
from sagemaker_lite.surfaces.emulator import Emulator

Where = Callable[[], tuple[str, str]]
DEFAULT_REGION = "us-east-1"
DEFAULT_ACCOUNT = "123456789012"


def current_example() -> object | None:
    """The running Hypothesis example's build context (None outside any example)."""
    control = sys.modules.get("hypothesis.control")
    if control is None or not control.currently_in_test_context():
        return None
    context: object = control.current_build_context()
    return context


class Scope:
    """Which emulator is current: one per (test, Hypothesis example), made on first use."""

    def __init__(self) -> None:
        self._test: object = object()
        self._where: Where = lambda: (DEFAULT_REGION, DEFAULT_ACCOUNT)
        # The test and example the emulator belongs to, held (not their ids) so
        # they cannot be recycled by later ones.
        self._owner: object | None = None
        self._example: object | None = None
        self._emulator: Emulator | None = None
        self._client: Client[Emulator] | None = None
        self._boto3: Any = None
        self._mock: contextlib.ExitStack | None = None

    def start_test(self, where: Where) -> None:
        """A new test begins: later uses get a new emulator; ``where`` gives (region, account)."""
        self.end_test()
        self._test, self._where = object(), where

    def end_test(self) -> None:
        """The test is over: leave any ``mock_sagemaker`` it entered and drop its emulator."""
        if self._mock is not None:
            self._mock.close()
        self._owner = self._example = None
        self._emulator = self._client = self._mock = self._boto3 = None

    def _refresh(self) -> Emulator:
        # Outside any example (set-up, or another thread: Hypothesis's context
        # is per thread) the current emulator stays; a new example gets a new one.
        example = current_example()
        stale = self._owner is not self._test or (
            example is not None and example is not self._example
        )
        if self._emulator is None or stale:
            if self._mock is not None:
                self._mock.close()
            self._owner, self._example, self._emulator = self._test, example, Emulator()
            self._client = self._mock = None
        return self._emulator

    def emulator(self) -> Emulator:
        """The current emulator."""
        return self._refresh()

    def client(self) -> Client[Emulator]:
        """A client of the current emulator, in the test's region and account."""
        emulator = self._refresh()
        if self._client is None:
            region, account = self._where()
            self._client = emulator.client(region_name=region, account_id=account)
        return self._client

    def boto3_client(self) -> Any:
        """A real boto3 SageMaker client, served by the current emulator."""
        emulator = self._refresh()
        if self._mock is None:
            import boto3

            from sagemaker_lite.surfaces.boto3_adapter import mock_sagemaker

            region, account = self._where()
            self._mock = contextlib.ExitStack()
            self._mock.enter_context(mock_sagemaker(emulator, account_id=account))
            if self._boto3 is None:
                # Made once per test: calls go to whichever mock is active when they are made.
                self._boto3 = boto3.client("sagemaker", region_name=region)
        return self._boto3


class Fresh:
    """A stand-in forwarding every attribute to the current test's (or example's) object.

    ``isinstance`` sees the real class.  ``fresh.current()`` is the object itself.
    """

    __slots__ = ("_resolve",)

    def __init__(self, resolve: Callable[[], Any]) -> None:
        object.__setattr__(self, "_resolve", resolve)

    def current(self) -> Any:
        """The object the stand-in forwards to right now."""
        return self._resolve()

    def __getattr__(self, name: str) -> Any:
        value = getattr(self._resolve(), name)
        if name == "emulator" and isinstance(value, Emulator):
            return _EMULATOR  # so ``sagemaker_client.emulator is sagemaker_emulator``
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        setattr(self._resolve(), name, value)

    @property  # type: ignore[misc]  # isinstance() consults __class__, as with unittest.mock
    def __class__(self) -> type:
        return type(self._resolve())

    def __repr__(self) -> str:
        return f"<current test's {self._resolve()!r}>"


SCOPE = Scope()
_EMULATOR = Fresh(SCOPE.emulator)
CLIENT = Fresh(SCOPE.client)
BOTO3 = Fresh(SCOPE.boto3_client)
EMULATOR = _EMULATOR

__all__ = ["BOTO3", "CLIENT", "EMULATOR", "SCOPE", "Fresh", "Scope", "current_example"]
