"""Fresh copies of JSON-like data: what a caller gets can never alias stored state."""

from __future__ import annotations

from typing import TypeVar

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
