"""Timestamp inputs, accepted exactly as botocore accepts them.

botocore (``botocore.utils.parse_to_aware_datetime``) takes a ``datetime``
(naive means UTC), an epoch number (int/float, or anything ``float()``
converts, such as ``"1700000000"``), or a string dateutil parses (ISO 8601 and
friends; a zone-less string means UTC).
"""

from __future__ import annotations

import datetime as _dt
from typing import Any

from dateutil import parser as _parser
from dateutil.tz import tzutc

_UTC = tzutc()
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)


def _from_epoch(seconds: float) -> _dt.datetime:
    try:
        return _dt.datetime.fromtimestamp(seconds, _UTC)
    except (OSError, OverflowError):
        pass
    try:  # botocore's fallback for values the platform's C library rejects
        return _EPOCH + _dt.timedelta(seconds=seconds)
    except OverflowError as exc:  # botocore fails here too (RuntimeError)
        raise ValueError(f"Invalid timestamp {seconds!r}") from exc


def to_datetime(value: Any) -> _dt.datetime:
    """``value`` as an aware UTC datetime; ``TypeError``/``ValueError`` if boto3 would reject it."""
    if isinstance(value, _dt.datetime):
        parsed = value
    elif isinstance(value, (int, float)):
        parsed = _from_epoch(value)
    else:
        try:
            parsed = _from_epoch(float(value))
        except (TypeError, ValueError):
            try:
                parsed = _parser.parse(value, tzinfos={"GMT": _UTC})
            except (TypeError, ValueError, AttributeError, OverflowError) as exc:
                raise ValueError(f"Invalid timestamp {value!r}: {exc}") from exc
    if parsed.tzinfo is None:
        return parsed.replace(tzinfo=_UTC)
    return parsed.astimezone(_UTC)


def is_timestamp(value: Any) -> bool:
    """Whether boto3 accepts ``value`` for a timestamp parameter."""
    try:
        to_datetime(value)
    except (TypeError, ValueError, OverflowError, OSError):
        return False
    return True


def to_epoch(value: Any) -> float:
    """Seconds since the epoch of a timestamp parameter (for handlers' time filters)."""
    return to_datetime(value).timestamp()


__all__ = ["is_timestamp", "to_datetime", "to_epoch"]
