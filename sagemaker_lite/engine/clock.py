"""The virtual clock: time only moves when someone moves it."""

from __future__ import annotations

import threading
from datetime import datetime, timedelta, timezone

DEFAULT_START = datetime(2026, 1, 1, tzinfo=timezone.utc)


class VirtualClock:
    """A tz-aware UTC clock that advances only on :meth:`advance` or :meth:`set`.

    Internally time is a float of epoch seconds (cheap to compare and store);
    :meth:`now` gives the ``datetime`` view.
    """

    def __init__(self, start: datetime | float | None = None) -> None:
        self._lock = threading.Lock()
        self._t = _to_epoch(DEFAULT_START if start is None else start)

    def time(self) -> float:
        """The current virtual time as epoch seconds."""
        return self._t

    def now(self) -> datetime:
        """The current virtual time as a tz-aware UTC ``datetime``."""
        return to_datetime(self._t)

    def advance(self, seconds: float | timedelta) -> datetime:
        """Move time forward; negative amounts are refused (time never runs back)."""
        delta = seconds.total_seconds() if isinstance(seconds, timedelta) else float(seconds)
        if delta < 0:
            raise ValueError(f"the virtual clock cannot go back ({delta} seconds)")
        with self._lock:
            self._t += delta
        return self.now()

    def set(self, when: datetime | float) -> datetime:
        """Move time forward to ``when``."""
        t = _to_epoch(when)
        with self._lock:
            if t < self._t:
                raise ValueError(f"the virtual clock cannot go back to {to_datetime(t)}")
            self._t = t
        return self.now()

    def __repr__(self) -> str:
        return f"VirtualClock({self.now().isoformat()})"


def to_datetime(epoch: float) -> datetime:
    """Epoch seconds to a tz-aware UTC ``datetime`` (millisecond precision, like AWS)."""
    return datetime.fromtimestamp(round(epoch, 3), timezone.utc)


def _to_epoch(when: datetime | float) -> float:
    if isinstance(when, datetime):
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return when.timestamp()
    return float(when)
