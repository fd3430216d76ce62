"""Which sleeps become virtual time, and what the clocks read then: the one policy.

While any ``mock_sagemaker()`` (or ``Emulator.patch_sleep()`` block) is active,
``time.sleep``, ``asyncio.sleep``, ``botocore.waiter.time``, ``time.time``,
``time.time_ns``, ``time.monotonic`` and ``time.monotonic_ns`` are replaced by
dispatchers, installed when the first scope opens and removed when the last
one closes, whatever the order they close in.  Each dispatcher asks
:func:`sleep_target` which scope (if any) a sleep belongs to:

* ``"auto"`` (``mock_sagemaker``'s default): a sleep is virtual when the calling
  thread's latest AWS call was served by that mock and either (a) the mock's
  emulator has a job in flight (an event still scheduled), or (b) nothing is in
  flight, and since its latest call to the mock the thread has slept idle less
  than :data:`IDLE_ALLOWANCE` (60 s) in all, this sleep included, or this is its
  first idle sleep since that call (of any length).  (b) covers the pauses a
  poller takes after the job ended and before the describe that sees it (the
  SDK's log loop sleeps 10 s three times between describes), and the SDK's
  habit of sleeping before its first describe.  Every other sleep is real:
  threads that never called the mock, and idle sleeps beyond the allowance.
* ``"global"`` (and ``patch_sleep()``): every sleep, in every thread.
* ``"waiters"``: only botocore waiters' sleeps (``botocore.waiter.time.sleep``).
  Waiters are virtual under ``"auto"`` and ``"global"`` too.
* ``"real"``: nothing.

A virtual sleep of ``s`` seconds advances the emulator's clock by exactly ``s``
(so a loop that sleeps ``p`` between describes stops at most ``p`` after the job
ends) and adds ``s`` to the sleeping thread's *offset*: ``time.time()`` and
``time.monotonic()`` read the real clock plus that offset, so code that times
itself (the SageMaker SDK's log loop describes again once ``time.time()`` says
30 s passed) agrees with its own sleeps, and time never runs backwards within a
thread.  Other threads read the real clocks, and ``asyncio.sleep`` shifts no
clock (an event loop's timers belong to all its tasks).  Offsets are forgotten
when the last scope closes.  ``time.perf_counter`` is left alone (test frameworks time
tests with it).
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import threading
import time
import types
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from sagemaker_lite.engine.emulator import Engine

Mode = Literal["auto", "waiters", "global", "real"]
MODES: tuple[Mode, ...] = ("auto", "waiters", "global", "real")

_T = TypeVar("_T")

#: Virtual seconds a thread may sleep, once nothing is in flight, after its latest call.
IDLE_ALLOWANCE = 60.0
# The virtual clock's answers are datetimes, which end with year 9999.
_LAST_MOMENT = datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp()


@dataclass(eq=False)
class Scope:
    """One active user of virtual time: an emulator and which sleeps it takes over."""

    emulator: Engine
    mode: Mode


class _ThreadState(threading.local):
    """What virtual time knows about one thread (reset when the last scope closes)."""

    generation = -1
    scope: Scope | None = None
    idle_slept: float | None = None  # (b): idle seconds slept since the latest call
    offset = 0.0


_lock = threading.RLock()
_scopes: list[Scope] = []  # active, in the order they opened
_generation = 0  # bumped when the last scope closes: thread states older than it are void
_thread = _ThreadState()

#: What each patched name held when the first scope opened (the real functions, or
#: whatever another tool, e.g. freezegun or a test's monkeypatch, had put there):
#: the dispatchers call it for everything that is not virtual, and uninstalling puts
#: it back.
_previous: dict[str, Any] = {
    "time.sleep": time.sleep,
    "time.time": time.time,
    "time.time_ns": time.time_ns,
    "time.monotonic": time.monotonic,
    "time.monotonic_ns": time.monotonic_ns,
    "asyncio.sleep": asyncio.sleep,
}


# --- opening and closing scopes ------------------------------------------------------


def activate(scope: Scope) -> None:
    """Open ``scope``; the first open scope installs the dispatchers."""
    with _lock:
        if not _scopes:
            _install()
        _scopes.append(scope)


def deactivate(scope: Scope) -> None:
    """Close ``scope``; when none is left, put every patched function back."""
    global _generation
    with _lock:
        _scopes.remove(scope)
        if not _scopes:
            _uninstall()
            _generation += 1


@contextlib.contextmanager
def scoped(scope: Scope) -> Iterator[Scope]:
    """``activate(scope)`` for the duration of a ``with`` block."""
    activate(scope)
    try:
        yield scope
    finally:
        deactivate(scope)


def note_call(scope: Scope) -> None:
    """Record that ``scope`` just served an AWS call made by the calling thread."""
    state = _state()
    state.scope = scope
    state.idle_slept = 0.0


def offset() -> float:
    """Virtual seconds the calling thread has slept (0 outside every scope)."""
    state = _thread
    return state.offset if state.generation == _generation else 0.0


# --- the policy ----------------------------------------------------------------------


def sleep_target(seconds: float, *, waiter: bool = False) -> Scope | None:
    """The scope whose clock the calling thread's sleep of ``seconds`` advances (None: real)."""
    state = _state()
    scope = state.scope
    with _lock:
        if scope is not None and scope in _scopes:
            if scope.mode == "global" or (waiter and scope.mode != "real"):
                return scope
            if scope.mode == "auto":
                if _in_flight(scope.emulator):
                    return scope
                slept = state.idle_slept
                if slept is not None and (slept == 0 or slept + seconds <= IDLE_ALLOWANCE):
                    state.idle_slept = slept + seconds
                    return scope
        wanted = ("auto", "waiters", "global") if waiter else ("global",)
        for candidate in reversed(_scopes):
            if candidate.mode in wanted:
                return candidate
    return None


def _in_flight(emulator: Engine) -> bool:
    with emulator.lock:
        return emulator.scheduler.next_time() is not None


def _state() -> _ThreadState:
    state = _thread
    if state.generation != _generation:
        state.generation = _generation
        state.scope, state.idle_slept, state.offset = None, None, 0.0
    return state


# --- the dispatchers -----------------------------------------------------------------


def _slept_virtually(seconds: object, *, waiter: bool = False, shift: bool = True) -> bool:
    """Advance the calling thread's target scope by ``seconds``; False: sleep for real.

    ``shift``: move the thread's clocks too.  Zero, negative, non-finite and
    non-numeric durations always go to the real function: it yields for 0 and
    raises its own errors for the rest.
    """
    if not isinstance(seconds, (int, float)) or not (seconds > 0 and math.isfinite(seconds)):
        return False
    target = sleep_target(seconds, waiter=waiter)
    if target is None or target.emulator.now() + seconds >= _LAST_MOMENT:
        return False  # past what a datetime holds: the real function decides (it raises)
    target.emulator.advance(float(seconds))
    if shift:
        _state().offset += float(seconds)
    return True


def _real_sleep(seconds: float) -> None:
    _previous["time.sleep"](seconds)


def _sleep(seconds: float, /) -> None:
    if not _slept_virtually(seconds):
        _real_sleep(seconds)


def _waiter_sleep(seconds: float, /) -> None:
    if not _slept_virtually(seconds, waiter=True):
        _real_sleep(seconds)


def _async_sleep(delay: float, result: _T = None) -> Coroutine[Any, Any, _T]:  # type: ignore[assignment]
    # A virtual one still yields to the event loop once, as asyncio.sleep(0) does.  It
    # leaves the thread's clocks alone: the event loop's timers read time.monotonic(),
    # and moving it would fire other tasks' timeouts early.
    sleep = _previous["asyncio.sleep"]
    return sleep(0 if _slept_virtually(delay, shift=False) else delay, result)  # type: ignore[no-any-return]


def _time() -> float:
    return _previous["time.time"]() + offset()  # type: ignore[no-any-return]


def _time_ns() -> int:
    return _previous["time.time_ns"]() + int(offset() * 1e9)  # type: ignore[no-any-return]


def _monotonic() -> float:
    return _previous["time.monotonic"]() + offset()  # type: ignore[no-any-return]


def _monotonic_ns() -> int:
    return _previous["time.monotonic_ns"]() + int(offset() * 1e9)  # type: ignore[no-any-return]


_PATCHES: dict[str, tuple[Any, str, Any]] = {
    "time.sleep": (time, "sleep", _sleep),
    "time.time": (time, "time", _time),
    "time.time_ns": (time, "time_ns", _time_ns),
    "time.monotonic": (time, "monotonic", _monotonic),
    "time.monotonic_ns": (time, "monotonic_ns", _monotonic_ns),
    "asyncio.sleep": (asyncio, "sleep", _async_sleep),
}


def _install() -> None:
    import botocore.waiter

    # botocore's waiters sleep through their module's ``time``: give them their own.
    waiter_time = types.SimpleNamespace(**vars(time))
    waiter_time.sleep = _waiter_sleep
    for key, (owner, name, replacement) in _PATCHES.items():
        _previous[key] = getattr(owner, name)
        setattr(owner, name, replacement)
    _previous["botocore.waiter.time"] = botocore.waiter.time, waiter_time
    botocore.waiter.time = waiter_time


def _uninstall() -> None:
    import botocore.waiter

    # Where someone patched over us meanwhile (and will restore us), theirs stays:
    # our dispatchers behave exactly like the real functions once no scope is open.
    for key, (owner, name, replacement) in _PATCHES.items():
        if getattr(owner, name) is replacement:
            setattr(owner, name, _previous[key])
    saved_time, waiter_time = _previous.pop("botocore.waiter.time")
    if botocore.waiter.time is waiter_time:
        botocore.waiter.time = saved_time


__all__ = [
    "IDLE_ALLOWANCE",
    "MODES",
    "Mode",
    "Scope",
    "activate",
    "deactivate",
    "note_call",
    "offset",
    "scoped",
    "sleep_target",
]
