"""One virtual timeline for every sleeper: which sleeps are virtual, and when time jumps.

While any ``mock_sagemaker()`` (or ``Emulator.patch_sleep()`` block) is active,
``time.sleep``, ``asyncio.sleep``, ``threading.Thread.start`` and
``botocore.waiter.time`` are replaced by
dispatchers, and ``time.time``, ``time.time_ns``, ``time.monotonic`` and
``time.monotonic_ns`` by readers.  It is a discrete-event simulation, as trio's
``MockClock(autojump_threshold=0)`` and ``looptime`` are for one event loop,
stretched over threads and event loops:

* **Which sleeps are virtual** (:func:`sleep_target`).  ``"auto"``
  (``mock_sagemaker``'s default): a sleep is virtual when the calling thread's
  latest AWS call was served by that mock and either (a) the mock's emulator has
  a job in flight, or (b) nothing is in flight and since that call the thread has
  slept less than :data:`IDLE_ALLOWANCE` (60 s) in all, this sleep included, or
  this is its first sleep since the call.  ``"global"`` (and ``patch_sleep()``):
  every sleep of every thread.  ``"waiters"``: botocore waiters' sleeps only
  (virtual under ``"auto"`` and ``"global"`` too).  ``"real"``: none.
* **Parking.**  A virtual sleep of ``s`` parks its thread (or, for
  ``asyncio.sleep``, its task) on the timeline, to wake at ``skew + s``.  Each
  thread that served a call or slept virtually is a *participant*; a participant
  event loop is parked while it waits in its selector (its next timer, from
  ``call_later``, ``wait_for``, ``asyncio.timeout``..., is its wake-up).
* **Jumping.**  When every participant is parked (or away, below), the skew jumps
  to the earliest wake-up, every emulator of an active scope advances by the same
  amount, and whoever was due wakes.  So concurrent sleeps overlap as they do in
  real time, and deadlines fire at their virtual times.
* **Joining.**  A thread joins at its first call to a mock, or its first virtual
  sleep; a thread started by a participant (a pool worker too) joins when it starts,
  so that the others' jumps do not leave it behind before its first call.
* **Away: no new hang.**  A participant that is not parked holds the clock, unless
  it is away: its thread ended, it sleeps for real, it waits in a blocking
  primitive (``Thread.join``, a ``Condition``/``Event``/queue wait, an idle pool
  worker), or it did nothing on the timeline for :data:`GRACE` (1 s) of real
  time.  And a parked sleeper never waits longer in real time than its sleep
  would have taken: time moves at least as fast as real time, always.
* **Clocks.**  The readers return what the replaced function returns plus the
  *skew*, the virtual seconds the timeline has jumped: in every thread, so all
  threads and every event loop (``loop.time()`` reads ``time.monotonic()``) agree.
  Jumps only add to the skew, and it is kept when the last scope closes (the
  readers stay installed while it is not zero: the replaced function plus that
  constant): time never runs backwards, in any thread, also across a mock's
  exit.  ``time.perf_counter`` is left alone (test frameworks time tests with
  it).  Threads that never call a mock keep real sleeps: they read the shifted
  clocks but never hold the timeline.
* **Frozen clocks.**  While a freezegun freeze or a time-machine travel is
  active, the readers add nothing to the clock it set (time-machine's
  ``monotonic`` is real, so it keeps the skew); a jump moves the freeze or
  travel instead, and the emulators follow it: a fresh one starts at the frozen
  moment, and the tool's own moves carry it forward (never back) at its next call.
"""

from __future__ import annotations

import asyncio
import contextlib
import heapq
import itertools
import math
import sys
import threading
import time
import types
import weakref
from collections.abc import Coroutine, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from sagemaker_lite.engine.clock import VirtualClock

if TYPE_CHECKING:
    from sagemaker_lite.engine.emulator import Engine

Mode = Literal["auto", "waiters", "global", "real"]
MODES: tuple[Mode, ...] = ("auto", "waiters", "global", "real")

_T = TypeVar("_T")

#: Virtual seconds a thread may sleep, once nothing is in flight, after its latest call.
IDLE_ALLOWANCE = 60.0
#: Real seconds after which a participant that did nothing on the timeline stops holding it.
GRACE = 1.0
# Real seconds between a parked sleeper's checks for participants gone away.
_CHECK_FIRST, _CHECK_MAX = 0.001, 0.02
# Real seconds a participant must stay in one waiting frame to count as waiting.
_SETTLE = 0.002
# The virtual clock's answers are datetimes, which end with year 9999.
_LAST_MOMENT = datetime(9999, 12, 31, tzinfo=timezone.utc).timestamp()

#: The functions as Python gave them, whatever is patched over them later.
_TRUE: dict[str, Any] = {
    "time.time": time.time,
    "time.time_ns": time.time_ns,
    "time.monotonic": time.monotonic,
    "time.monotonic_ns": time.monotonic_ns,
}
_perf = time.perf_counter


@dataclass(eq=False)
class Scope:
    """One active user of virtual time: an emulator and which sleeps it takes over."""

    emulator: Engine
    mode: Mode
    #: The emulator's clock is its own, not yet read by a call: a freeze or travel active
    #: when the scope opens (or before its first call) restarts it at the frozen moment.
    fresh: bool = False
    _fresh_at: float | None = None


class _ThreadState(threading.local):
    """What the sleep policy knows about one thread (reset when the last scope closes)."""

    generation = -1
    scope: Scope | None = None
    idle_slept: float | None = None  # (b): idle seconds slept since the latest call


@dataclass(eq=False)
class _Participant:
    """A thread (with the event loop it runs, if any) on the timeline."""

    thread: threading.Thread
    loop: asyncio.AbstractEventLoop | None = None
    parked: bool = False
    wake: float | None = None  # the skew it wakes at, when parked (None: no wake-up of its own)
    real_sleep: bool = False
    starting: bool = False  # in Thread.start
    seen: float = field(default_factory=_perf)  # real time of its latest step on the timeline
    # The waiting frame it was first seen in, and when: a thread just signalled still
    # shows the frame it waited in until it gets the GIL, so one sighting is not enough.
    blocked: tuple[Any, int, float] | None = None


_lock = threading.RLock()
_cond = threading.Condition(_lock)
_scopes: list[Scope] = []  # active, in the order they opened
_generation = 0  # bumped when the last scope closes: thread states older than it are void
_thread = _ThreadState()
_participants: dict[int, _Participant] = {}
# asyncio sleeps parked on the timeline: (wake skew, order, loop, future).
_task_sleeps: list[tuple[float, int, asyncio.AbstractEventLoop, asyncio.Future[Any]]] = []
_order = itertools.count()
_skew = [0.0]  # virtual seconds the timeline has jumped, ever: it never decreases
_loops: weakref.WeakSet[asyncio.AbstractEventLoop] = weakref.WeakSet()
_reentered = threading.local()

#: What each patched name held when the first scope opened (the real functions, or
#: whatever another tool, e.g. freezegun or a test's monkeypatch, had put there):
#: the dispatchers call it for everything that is not virtual, and uninstalling puts
#: it back.
_previous: dict[str, Any] = {
    "threading.Thread.start": threading.Thread.start,
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
    if scope.fresh:
        scope._fresh_at = scope.emulator.clock.time()
        _follow_frozen(scope)


def deactivate(scope: Scope) -> None:
    """Close ``scope``; when none is left, put the dispatchers back (the readers too,
    unless time has jumped: then they stay, so that no clock runs backwards)."""
    global _generation
    with _lock:
        _scopes.remove(scope)
        if not _scopes:
            _uninstall()
            _generation += 1
            _participants.clear()
            _cond.notify_all()  # parked sleepers of other threads go on in real time


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
    _follow_frozen(scope)
    scope.fresh = False
    if scope.mode in ("auto", "global"):
        with _lock:
            if _join_loop() is None:
                _participant()


def skew() -> float:
    """Virtual seconds the timeline has jumped ahead of the real clocks."""
    return _skew[0]


# --- freezegun and time-machine ------------------------------------------------------


def _tools() -> tuple[list[Any], list[Any]]:
    """The active freezegun freezes and time-machine travels (innermost last)."""
    api, machine = sys.modules.get("freezegun.api"), sys.modules.get("time_machine")
    freezes = getattr(api, "freeze_factories", None) if api is not None else None
    travels = getattr(machine, "traveller_stack", None) if machine is not None else None
    return freezes or [], travels or []


def frozen_now() -> float | None:
    """The epoch seconds a freezegun freeze or time-machine travel shows now (None: none)."""
    freezes, travels = _tools()
    if freezes:
        factory = freezes[-1]
        # A step-ticking freeze moves on at each read: look without reading.
        stepping = hasattr(factory, "step_width")
        moment = factory.time_to_freeze if stepping else factory()
        return float(moment.replace(tzinfo=timezone.utc).timestamp())
    if travels:
        return float(_TRUE["time.time"]())  # time-machine patches below Python
    return None


def _follow_frozen(scope: Scope) -> None:
    """The emulator's clock follows a frozen clock: it starts at the frozen moment (if its
    clock is still fresh) and moves forward with ``tick()``/``move_to()``, never back."""
    moment = frozen_now()
    if moment is None:
        return
    emulator = scope.emulator
    with emulator.lock:
        now = emulator.clock.time()
        if (
            scope.fresh
            and now == scope._fresh_at
            and emulator.scheduler.next_time() is None
            and moment != now
        ):
            emulator.clock = VirtualClock(moment)
            scope._fresh_at = moment
            return
    if moment > now + 1e-3:
        emulator.advance(moment - now)


def _move_tools(seconds: float) -> None:
    """A jump of the timeline moves every active freeze and travel by as much."""
    freezes, travels = _tools()
    # A frozen clock does not move by itself: with an event loop on the timeline, a jump
    # to its timer must take the frozen loop.time() past it (freezegun keeps microseconds,
    # and its monotonic is epoch-sized, where the loop's 1 ns clock resolution is below a
    # float's step), or the loop would find the timer not yet due, forever.
    loops = any(p.loop is not None and not p.loop.is_closed() for p in _participants.values())
    step = timedelta(microseconds=math.ceil(seconds * 1e6 - 1e-6) + (1 if loops else 0))
    for factory in freezes:
        with contextlib.suppress(AttributeError, TypeError):
            factory.time_to_freeze += step
    for traveller in travels:
        with contextlib.suppress(AttributeError, TypeError):
            traveller.shift(seconds)


# --- the policy ----------------------------------------------------------------------


def sleep_target(seconds: float, *, waiter: bool = False) -> Scope | None:
    """The scope that makes the calling thread's sleep of ``seconds`` virtual (None: real)."""
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
        state.scope, state.idle_slept = None, None
    return state


# --- the timeline (every function below runs with _lock held) ------------------------


def _participant() -> _Participant:
    """The calling thread's participant record (made on first use)."""
    ident = threading.get_ident()
    me = _participants.get(ident)
    if me is None or not me.thread.is_alive():
        me = _participants[ident] = _Participant(threading.current_thread())
    me.seen = _perf()
    return me


def _blocking_codes() -> frozenset[types.CodeType]:
    """Frames a thread sits in while it waits for another (so it cannot hold the clock)."""
    import concurrent.futures.thread

    functions: list[Any] = [
        threading.Condition.wait,
        threading.Thread.join,
        threading.Semaphore.acquire,
        concurrent.futures.thread._worker,  # an idle pool worker, in SimpleQueue.get
    ]
    if hasattr(threading.Thread, "_wait_for_tstate_lock"):
        functions.append(threading.Thread._wait_for_tstate_lock)
    return frozenset(f.__code__ for f in functions)


_BLOCKING = _blocking_codes()


def _away(who: _Participant, now: float, frames: dict[int, Any]) -> bool:
    if who.starting:
        return False
    if who.real_sleep or not who.thread.is_alive() or now - who.seen > GRACE:
        return True
    frame = frames.get(who.thread.ident or 0)
    if frame is None or frame.f_code not in _BLOCKING:
        who.blocked = None
        return False
    blocked = who.blocked
    if blocked is None or blocked[0] is not frame or blocked[1] != frame.f_lasti:
        who.blocked = (frame, frame.f_lasti, now)
        return False
    return now - blocked[2] >= _SETTLE


def _jump() -> None:
    """If no participant holds the clock, jump to the earliest wake-up and wake who is due."""
    now, frames = _perf(), None
    wakes: list[float] = []
    for who in list(_participants.values()):
        if who.parked:
            if who.wake is not None:
                wakes.append(who.wake)
            continue
        if frames is None:
            frames = sys._current_frames()
        if not _away(who, now, frames):
            return  # it runs: it may still call or sleep before the others' wake-ups
    while _task_sleeps and _task_sleeps[0][3].done():
        heapq.heappop(_task_sleeps)  # cancelled (a timeout fired first)
    if _task_sleeps:
        wakes.append(_task_sleeps[0][0])
    if not wakes:
        return
    target = min(wakes)
    if target > _skew[0]:
        _advance(target - _skew[0])
    _wake_due()


def _advance(seconds: float) -> None:
    _skew[0] += seconds
    emulators = {id(s.emulator): s.emulator for s in _scopes if s.mode != "real"}
    for emulator in emulators.values():
        emulator.advance(seconds)
    _move_tools(seconds)


def _wake_due() -> None:
    _cond.notify_all()
    woken: set[asyncio.AbstractEventLoop] = set()
    while _task_sleeps and _task_sleeps[0][0] <= _skew[0]:
        _, _, loop, future = heapq.heappop(_task_sleeps)
        if not future.done() and not loop.is_closed():
            loop.call_soon_threadsafe(_resolve, future)
            woken.add(loop)
    for who in _participants.values():
        own = who.loop
        if not who.parked or own is None or own.is_closed():
            continue
        due = who.wake is not None and who.wake <= _skew[0]
        if due:
            own.call_soon_threadsafe(_nothing)  # out of its selector: a timer is due
        if due or own in woken:
            # It runs from now (before its thread even gets the GIL): it holds the clock.
            who.parked, who.wake, who.seen = False, None, _perf()


def _resolve(future: asyncio.Future[Any]) -> None:
    if not future.done():
        future.set_result(None)


def _nothing() -> None:
    """Scheduled only to wake an event loop from its selector."""


def _park_thread(seconds: float) -> None:
    """Sleep ``seconds`` on the timeline; at most ``seconds`` of real time."""
    with _cond:
        me = _participant()
        wake = _skew[0] + seconds
        me.parked, me.wake = True, wake
        try:
            _jump()
            real_end = _perf() + seconds
            check = _CHECK_FIRST
            while _skew[0] < wake and _scopes:
                left = real_end - _perf()
                if left <= 0:
                    break  # a sleep never takes longer than it would for real
                _cond.wait(min(left, check))
                check = min(check * 2, _CHECK_MAX)
                if _skew[0] < wake:
                    _jump()
        finally:
            me.parked, me.wake, me.seen = False, None, _perf()


def _join_loop() -> asyncio.AbstractEventLoop | None:
    """Put the running event loop (if any) on the timeline: its selector parks it."""
    try:
        loop = asyncio.get_running_loop()
    except RuntimeError:
        return None
    me = _participant()
    if me.loop is not loop:
        selector = getattr(loop, "_selector", None)
        if selector is None:
            return None  # no selector to park in (a proactor loop): its timers stay real
        me.loop = loop
        if loop not in _loops:
            _loops.add(loop)
            selector.select = _parking_select(me, selector.select)
    return loop


def _parking_select(me: _Participant, select: Any) -> Any:
    def parking(timeout: float | None = None) -> Any:
        if (timeout is not None and timeout <= 0) or not _scopes:
            return select(timeout)
        with _cond:
            me.parked = True
            me.wake = None if timeout is None else _skew[0] + timeout
            at = _skew[0]
            _jump()
        real_end = None if timeout is None else _perf() + timeout
        check = _CHECK_FIRST
        try:
            while True:
                if _skew[0] != at:
                    return select(0)  # time jumped: the loop runs what came due
                left = None if real_end is None else real_end - _perf()
                if left is not None and left <= 0:
                    return select(0)
                events = select(check if left is None else min(left, check))
                if events or not _scopes:
                    return events
                check = min(check * 2, _CHECK_MAX)
                with _cond:
                    _jump()
        finally:
            with _cond:
                me.parked, me.wake, me.seen = False, None, _perf()

    return parking


def _forget_loops() -> None:
    for loop in list(_loops):
        selector = getattr(loop, "_selector", None)
        if selector is not None:
            vars(selector).pop("select", None)  # the class's method again
    _loops.clear()


# --- the dispatchers -----------------------------------------------------------------


def _virtual(seconds: object, *, waiter: bool = False) -> bool:
    """Whether a sleep of ``seconds`` goes on the timeline (False: the real function).

    Zero, negative, non-finite and non-numeric durations always go to the real
    function: it yields for 0 and raises its own errors for the rest.
    """
    if not isinstance(seconds, (int, float)) or not (seconds > 0 and math.isfinite(seconds)):
        return False
    target = sleep_target(seconds, waiter=waiter)
    # Past what a datetime holds: the real function decides (it raises).
    return target is not None and target.emulator.now() + seconds < _LAST_MOMENT


def _real_sleep(seconds: float) -> None:
    with _lock:
        me = _participants.get(threading.get_ident())
        if me is not None:
            me.real_sleep = True  # sleeping for real, it holds nobody's clock
            _jump()
    try:
        _previous["time.sleep"](seconds)
    finally:
        if me is not None:
            with _lock:
                me.real_sleep, me.seen = False, _perf()


def _sleep(seconds: float, /) -> None:
    if _virtual(seconds):
        _park_thread(float(seconds))
    else:
        _real_sleep(seconds)


def _waiter_sleep(seconds: float, /) -> None:
    if _virtual(seconds, waiter=True):
        _park_thread(float(seconds))
    else:
        _real_sleep(seconds)


def _async_sleep(delay: float, result: _T = None) -> Coroutine[Any, Any, _T]:  # type: ignore[assignment]
    if not _virtual(delay):
        return _previous["asyncio.sleep"](delay, result)  # type: ignore[no-any-return]
    with _lock:
        loop = _join_loop()
        if loop is None:
            return _previous["asyncio.sleep"](delay, result)  # type: ignore[no-any-return]
        future = loop.create_future()
        heapq.heappush(_task_sleeps, (_skew[0] + float(delay), next(_order), loop, future))
    return _await(future, result)


async def _await(future: asyncio.Future[Any], result: _T) -> _T:
    await future
    return result


def _read(name: str, scale: float = 1.0, *, wall: bool = True) -> Any:
    # Re-entered from what we replaced (freezegun imported while we were installed
    # takes us for the real function): the true one, or the calls would recurse.
    if getattr(_reentered, "on", False):
        return _TRUE[name]()
    _reentered.on = True
    try:
        value = _previous[name]()
    finally:
        _reentered.on = False
    freezes, travels = _tools()
    if freezes or (wall and travels):
        return value  # a clock a tool set: the timeline's jumps move that tool instead
    shift = _skew[0] * scale
    return value + (int(shift) if isinstance(value, int) else shift)


def _time() -> float:
    return _read("time.time")  # type: ignore[no-any-return]


def _time_ns() -> int:
    return _read("time.time_ns", 1e9)  # type: ignore[no-any-return]


def _monotonic() -> float:
    return _read("time.monotonic", wall=False)  # type: ignore[no-any-return]


def _monotonic_ns() -> int:
    return _read("time.monotonic_ns", 1e9, wall=False)  # type: ignore[no-any-return]


_thread_start = threading.Thread.start


def _start(thread: threading.Thread) -> None:
    """``Thread.start``: a thread a participant starts holds the clock from its first line
    (until it calls, sleeps, waits or ends), so it is not left behind by the others' jumps."""
    with _lock:
        me = _participants.get(threading.get_ident())
        if me is not None:
            me.starting = True  # waiting for the new thread to run is not waiting for others
    try:
        _thread_start(thread)
    finally:
        with _lock:
            if me is not None:
                me.starting, me.seen = False, _perf()
                if _scopes and thread.ident is not None:
                    _participants.setdefault(thread.ident, _Participant(thread))


_SLEEPERS: dict[str, tuple[Any, str, Any]] = {
    "time.sleep": (time, "sleep", _sleep),
    "asyncio.sleep": (asyncio, "sleep", _async_sleep),
    "threading.Thread.start": (threading.Thread, "start", _start),
}
_READERS: dict[str, tuple[Any, str, Any]] = {
    "time.time": (time, "time", _time),
    "time.time_ns": (time, "time_ns", _time_ns),
    "time.monotonic": (time, "monotonic", _monotonic),
    "time.monotonic_ns": (time, "monotonic_ns", _monotonic_ns),
}


def _botocore_waiter() -> Any:
    """botocore's waiter module, or None: the direct client and ``patch_sleep()`` work
    without botocore (it is not a dependency), and then there is no waiter to patch."""
    try:
        import botocore.waiter
    except ImportError:
        return None
    return botocore.waiter


def _install() -> None:
    for key, (owner, name, replacement) in {**_SLEEPERS, **_READERS}.items():
        current = getattr(owner, name)
        if current is not replacement:  # readers kept from an earlier scope stay as they are
            _previous[key] = current
            setattr(owner, name, replacement)
    waiter = _botocore_waiter()
    if waiter is not None:
        # botocore's waiters sleep through their module's ``time``: give them their own.
        waiter_time = types.SimpleNamespace(**vars(time))
        waiter_time.sleep = _waiter_sleep
        _previous["botocore.waiter.time"] = waiter.time, waiter_time
        waiter.time = waiter_time


def _uninstall() -> None:
    # Where someone patched over us meanwhile (and will restore us), theirs stays:
    # our dispatchers behave exactly like the real functions once no scope is open.
    # The readers stay while the timeline has jumped: time must not run backwards.
    patched = {**_SLEEPERS, **({} if _skew[0] else _READERS)}
    for key, (owner, name, replacement) in patched.items():
        if getattr(owner, name) is replacement:
            setattr(owner, name, _previous[key])
    if "botocore.waiter.time" in _previous:
        saved_time, waiter_time = _previous.pop("botocore.waiter.time")
        waiter = _botocore_waiter()
        if waiter is not None and waiter.time is waiter_time:
            waiter.time = saved_time
    _forget_loops()
    for _, _, loop, future in _task_sleeps:  # sleeps cut short: they end as real ones would
        if not loop.is_closed():
            loop.call_soon_threadsafe(_resolve, future)
    _task_sleeps.clear()


__all__ = [
    "GRACE",
    "IDLE_ALLOWANCE",
    "MODES",
    "Mode",
    "Scope",
    "activate",
    "deactivate",
    "frozen_now",
    "note_call",
    "scoped",
    "skew",
    "sleep_target",
]
