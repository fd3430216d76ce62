"""Fresh copies of JSON-like data: what a caller gets can never alias stored state."""

from __future__ import annotations

import decimal
from typing import Any, TypeVar

T = TypeVar("T")


def fresh(value: T) -> T:
    """Copy dicts and lists recursively; scalars, datetimes and bytes are immutable and shared.

    Several times faster than ``copy.deepcopy`` on request-sized data, which
    matters because every response passes through here.
    """
    if isinstance(value, dict):
        return {k: fresh(v) if isinstance(v, (dict, list)) else v for k, v in value.items()}  # type: ignore[return-value]
    if isinstance(value, list):
        return [fresh(v) if isinstance(v, (dict, list)) else v for v in value]  # type: ignore[return-value]
    if isinstance(value, tuple):
        return [fresh(v) for v in value]  # type: ignore[return-value]
    return value


_PLAIN_SCALARS = frozenset((str, int, float, bool, type(None)))


def plain(value: Any) -> Any:
    """A fresh copy of a request in plain types: what botocore puts on the wire.

    botocore serialises a ``str``/``int``/``float`` subclass as its plain value
    (``json`` reads the underlying data, never an overridden ``__str__``) and
    walks a dict or list subclass through ``items()`` and iteration, as this
    does; so the emulator never stores, and later calls, a caller's overridden
    methods.  A ``Decimal`` becomes the float botocore sends.  Dicts and lists
    are copied; tuples become lists; anything else (datetimes, bytes, wrong
    types for validation to refuse) is kept.
    """
    cls = value.__class__
    if cls in _PLAIN_SCALARS:
        return value
    if isinstance(value, dict):
        return {plain(k): plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, str):
        return str.__str__(value)  # an exact str with the same characters
    if isinstance(value, int):
        return int.__int__(value)  # bool cannot be subclassed, so this is a real int
    if isinstance(value, float):
        return float.__float__(value)
    if isinstance(value, decimal.Decimal):
        # botocore's validator takes a Decimal only for a float/double member, and
        # its serializer sends float(value) (a signaling NaN raises its ValueError).
        return float(value)
    return value
