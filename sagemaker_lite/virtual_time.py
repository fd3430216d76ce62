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
  flight but the thread has called the mock since its last such idle sleep: one
  pause per call, the pause a poller takes between its last describe and the one
  that sees the job's end, or before describing a job that has already ended.
  Every other sleep is real: threads that never called the mock, and a thread's
  second idle sleep without a call in between.
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
thread.  Other threads read the real clocks.  Offsets are forgotten when the
last scope closes.  ``time.perf_counter`` is left alone (test frameworks time
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
from typing import TYPE_CHECKING, Any, Literal, TypeVar

if TYPE_CHECKING:
    from .emulator import Emulator

Mode = Literal["auto", "waiters", "global", "real"]
MODES: tuple[Mode, ...] = ("auto", "waiters", "global", "real")

_T = TypeVar("_T")


@dataclass(eq=False)
class Scope:
    """One active user of virtual time: an emulator and which sleeps it takes over."""

    emulator: Emulator
    mode: Mode


class _ThreadState(threading.local):
    """What virtual time knows about one thread (reset when the last scope closes)."""

    generation = -1
    scope: Scope | None = None
    idle_pause = False  # (b): the thread called its mock since its last idle sleep
    offset = 0.0


_lock = threading.RLock()
_scopes: list[Scope] = []  # active, in the order they opened
_generation = 0  # bumped when the last scope closes: thread states older than it are void
_thread = _ThreadState()

_real_sleep = time.sleep
_real_time = time.time
_real_time_ns = time.time_ns
_real_monotonic = time.monotonic
_real_monotonic_ns = time.monotonic_ns
_real_async_sleep = asyncio.sleep
_saved: dict[str, Any] = {}


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
    state.idle_pause = True


def offset() -> float:
    """Virtual seconds the calling thread has slept (0 outside every scope)."""
    state = _thread
    return state.offset if state.generation == _generation else 0.0


# --- the policy ----------------------------------------------------------------------


def sleep_target(*, waiter: bool = False) -> Scope | None:
    """The scope whose clock a sleep of the calling thread advances (None: sleep for real)."""
    state = _state()
    scope = state.scope
    with _lock:
        if scope is not None and scope in _scopes:
            if scope.mode == "global" or (waiter and scope.mode != "real"):
                return scope
            if scope.mode == "auto":
                if _in_flight(scope.emulator):
                    return scope
                if state.idle_pause:
                    state.idle_pause = False
                    return scope
        wanted = ("auto", "waiters", "global") if waiter else ("global",)
        for candidate in reversed(_scopes):
            if candidate.mode in wanted:
                return candidate
    return None


def _in_flight(emulator: Emulator) -> bool:
    with emulator.lock:
        return emulator.scheduler.next_time() is not None


def _state() -> _ThreadState:
    state = _thread
    if state.generation != _generation:
        state.generation = _generation
        state.scope, state.idle_pause, state.offset = None, False, 0.0
    return state


def _virtual(seconds: object) -> bool:
    # Zero, negative, non-finite or non-numbers go to the real function: it yields
    # the GIL for 0 and raises its own errors for the rest.
    return isinstance(seconds, (int, float)) and seconds > 0 and math.isfinite(seconds)


def _advance(scope: Scope, seconds: float) -> None:
    scope.emulator.advance(float(seconds))
    _state().offset += float(seconds)


# --- the dispatchers -----------------------------------------------------------------


def _sleep(seconds: float, /) -> None:
    target = sleep_target() if _virtual(seconds) else None
    if target is None:
        _real_sleep(seconds)
        return
    _advance(target, seconds)
    _real_sleep(0)  # let other threads run, as a real sleep would


def _waiter_sleep(seconds: float, /) -> None:
    target = sleep_target(waiter=True) if _virtual(seconds) else None
    if target is None:
        _real_sleep(seconds)
    else:
        _advance(target, seconds)


def _async_sleep(delay: float, result: _T = None) -> Coroutine[Any, Any, _T]:  # type: ignore[assignment]
    target = sleep_target() if _virtual(delay) else None
    if target is None:
        return _real_async_sleep(delay, result)
    _advance(target, delay)
    return _real_async_sleep(0, result)


def _time() -> float:
    return _real_time() + offset()


def _time_ns() -> int:
    return _real_time_ns() + int(offset() * 1e9)


def _monotonic() -> float:
    return _real_monotonic() + offset()


def _monotonic_ns() -> int:
    return _real_monotonic_ns() + int(offset() * 1e9)


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
        _saved[key] = getattr(owner, name)
        setattr(owner, name, replacement)
    _saved["botocore.waiter.time"] = botocore.waiter.time, waiter_time
    botocore.waiter.time = waiter_time


def _uninstall() -> None:
    import botocore.waiter

    # Where someone patched over us meanwhile (and will restore us), theirs stays:
    # our dispatchers behave exactly like the real functions once no scope is open.
    for key, (owner, name, replacement) in _PATCHES.items():
        saved = _saved.pop(key)
        if getattr(owner, name) is replacement:
            setattr(owner, name, saved)
    saved_time, waiter_time = _saved.pop("botocore.waiter.time")
    if botocore.waiter.time is waiter_time:
        botocore.waiter.time = saved_time


__all__ = [
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
