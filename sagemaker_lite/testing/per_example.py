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
Nothing here mocks, patches or imports the emulator until a test uses a
fixture: outside a test a stand-in answers no attribute (so pytest's and other
plugins' scans of modules at collection cannot set a test's mock off).
"""

from __future__ import annotations

import contextlib
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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
        #: Between start_test and end_test: the only time a stand-in forwards anything.
        self.in_test = False
        #: The test asked for the mock from its first line (a marker, or boto3_sagemaker).
        self._mock_whole_test = False

    def start_test(self, where: Where, *, mock: bool = False) -> None:
        """A new test begins: later uses get a new emulator; ``where`` gives (region, account).

        ``mock``: enter ``mock_sagemaker`` serving the test's emulator now, so every
        boto3 client the test (or a fixture set up after this) makes is served.
        """
        self.end_test()
        self._test, self._where, self.in_test = object(), where, True
        self._mock_whole_test = mock
        if mock:
            self._refresh()  # makes the test's emulator and enters the mock serving it

    def end_test(self) -> None:
        """The test is over: leave any ``mock_sagemaker`` it entered and drop its emulator."""
        if self._mock is not None:
            self._mock.close()
        self._owner = self._example = None
        self._emulator = self._client = self._mock = self._boto3 = None
        self.in_test = self._mock_whole_test = False

    def _enter_mock(self, emulator: Emulator) -> None:
        from sagemaker_lite.surfaces.boto3_adapter import mock_sagemaker

        _, account = self._where()
        self._mock = contextlib.ExitStack()
        self._mock.enter_context(mock_sagemaker(emulator, account_id=account))

    def _refresh(self) -> Emulator:
        # Outside any example (set-up, or another thread: Hypothesis's context
        # is per thread) the current emulator stays; a new example gets a new one.
        example = current_example()
        stale = self._owner is not self._test or (
            example is not None and example is not self._example
        )
        if self._emulator is None or stale:
            from sagemaker_lite.surfaces.emulator import Emulator

            if self._mock is not None:
                self._mock.close()
            self._owner, self._example, self._emulator = self._test, example, Emulator()
            self._client = self._mock = None
            if self._mock_whole_test:  # the new example's emulator serves from now on
                self._enter_mock(self._emulator)
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
            self._enter_mock(emulator)
        if self._boto3 is None:
            import boto3

            # Made once per test: calls go to whichever mock is active when they are made.
            self._boto3 = boto3.client("sagemaker", region_name=self._where()[0])
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
        _check_in_test("current")
        return self._resolve()

    def __getattr__(self, name: str) -> Any:
        # Dunder probes (``__wrapped__``, ``__test__``...) come from tools inspecting
        # objects, never from a user of the client: they must not make one.
        if name.startswith("__") and name.endswith("__"):
            raise AttributeError(name)
        _check_in_test(name)
        value = getattr(self._resolve(), name)
        if name == "emulator":
            from sagemaker_lite.surfaces.emulator import Emulator

            if isinstance(value, Emulator):
                return _EMULATOR  # so ``sagemaker_client.emulator is sagemaker_emulator``
        return value

    def __setattr__(self, name: str, value: Any) -> None:
        _check_in_test(name)
        setattr(self._resolve(), name, value)

    @property  # type: ignore[misc]  # isinstance() consults __class__, as with unittest.mock
    def __class__(self) -> type:
        # Outside a test (a collector's isinstance()): just what the stand-in is.
        return type(self._resolve()) if SCOPE.in_test else Fresh

    def __repr__(self) -> str:
        return f"<current test's {self._resolve()!r}>"


def _check_in_test(name: str) -> None:
    if not SCOPE.in_test:
        raise AttributeError(
            f"{name!r}: the sagemaker_lite fixtures forward to the current test's objects, "
            "and no test is running"
        )


SCOPE = Scope()
_EMULATOR = Fresh(SCOPE.emulator)
CLIENT = Fresh(SCOPE.client)
BOTO3 = Fresh(SCOPE.boto3_client)
EMULATOR = _EMULATOR

__all__ = ["BOTO3", "CLIENT", "EMULATOR", "SCOPE", "Fresh", "Scope", "current_example"]
