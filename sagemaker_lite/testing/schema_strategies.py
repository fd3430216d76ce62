"""Hypothesis strategies for valid requests, drawn from the constraint model.

``request_strategy("CreateTrainingJob")`` yields request dicts that satisfy
every constraint of the operation's input (required members, lengths, sizes,
patterns, enums, numeric ranges).  Collections are kept small so drawing
stays fast.  Hypothesis is imported here only: the runtime never needs it.
"""

from __future__ import annotations

import datetime as _dt
import functools
import re
from typing import TYPE_CHECKING, Any

from sagemaker_lite.contract import patterns
from sagemaker_lite.contract.spec import load_model, operation

if TYPE_CHECKING:
    from hypothesis.strategies import SearchStrategy

#: Upper bound on drawn list lengths and map sizes (unless a ``min`` needs more).
MAX_COLLECTION = 3
#: Upper bound on drawn lengths of unpatterned strings (unless a ``min`` needs more).
MAX_TEXT = 24


_REPEATED_CLASS = re.compile(r"(\[[^\]]*\])[+*]")


def _string(shape: dict[str, Any]) -> SearchStrategy[str]:
    from hypothesis import strategies as st

    lo, hi = shape.get("min", 0), shape.get("max")
    if "enum" in shape:
        return st.sampled_from([v for v in shape["enum"] if lo <= len(v) <= (hi or len(v))])
    if "pattern" in shape:
        pattern = shape["pattern"]
        repeated = _REPEATED_CLASS.fullmatch(pattern)
        if repeated is not None and lo > 1:
            # One class repeated (CallbackToken: ``[a-zA-Z0-9]+``, exactly 10 long):
            # draw the length asked for instead of filtering short matches away.
            pattern = f"{repeated.group(1)}{{{lo},{hi if hi is not None else lo + MAX_TEXT}}}"
        text = st.from_regex(patterns.compiled(pattern), fullmatch=True)
        return text.filter(lambda s: lo <= len(s) and (hi is None or len(s) <= hi))
    return st.text(min_size=lo, max_size=max(lo, min(hi or MAX_TEXT, MAX_TEXT)))


def _number(shape: dict[str, Any]) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    lo, hi = shape.get("min"), shape.get("max")
    if shape["type"] in ("integer", "long"):
        bits = 31 if shape["type"] == "integer" else 63
        return st.integers(
            min_value=-(2**bits) if lo is None else lo,
            max_value=2**bits - 1 if hi is None else hi,
        )
    return st.floats(min_value=lo, max_value=hi, allow_nan=False, allow_infinity=False)


def _deferred(name: str) -> SearchStrategy[Any]:
    from hypothesis import strategies as st

    return st.deferred(lambda: shape_strategy(name))


@functools.cache
def shape_strategy(name: str) -> SearchStrategy[Any]:
    """Values satisfying every constraint of shape ``name`` (cached per shape)."""
    from hypothesis import strategies as st

    shape: dict[str, Any] = load_model()["shapes"][name]
    kind = shape["type"]
    if kind == "structure":
        required = set(shape.get("required", ()))
        members = dict(shape["members"])
        return st.fixed_dictionaries(
            {m: _deferred(ref) for m, ref in members.items() if m in required},
            optional={m: _deferred(ref) for m, ref in members.items() if m not in required},
        )
    if kind in ("list", "map"):
        lo = shape.get("min", 0)
        hi = max(lo, min(shape.get("max", MAX_COLLECTION), MAX_COLLECTION))
        if kind == "list":
            return st.lists(shape_strategy(shape["member"]), min_size=lo, max_size=hi)
        return st.dictionaries(
            shape_strategy(shape["key"]), shape_strategy(shape["value"]), min_size=lo, max_size=hi
        )
    if kind == "string":
        return _string(shape)
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.datetimes(
            min_value=_dt.datetime(2000, 1, 1),
            max_value=_dt.datetime(2100, 1, 1),
            timezones=st.just(_dt.timezone.utc),
        )
    if kind == "blob":
        return st.binary(max_size=MAX_TEXT)
    return _number(shape)


def request_strategy(op: str) -> SearchStrategy[dict[str, Any]]:
    """Valid request parameter dicts for operation ``op``."""
    from hypothesis import strategies as st

    name = operation(op).get("input")
    if name is None:
        return st.just({})
    strategy: SearchStrategy[dict[str, Any]] = shape_strategy(name)
    return strategy


__all__ = ["MAX_COLLECTION", "MAX_TEXT", "present_members", "request_strategy", "shape_strategy"]


def present_members(
    shape_name: str, value: Any, path: tuple[Any, ...] = ()
) -> list[tuple[Any, ...]]:
    """Every (path, shape name, value) present in ``value``, depth first (for mutation tests).

    Paths hold member names (str) and list indices (int); map entries are not
    descended into (a map is one constrained member), nor are unknown members
    or values of the wrong type.
    """
    shape: dict[str, Any] = load_model()["shapes"][shape_name]
    found: list[tuple[Any, ...]] = [(path, shape_name, value)]
    if shape["type"] == "structure" and isinstance(value, dict):
        members = dict(shape["members"])
        for name, item in value.items():
            if name in members:
                found.extend(present_members(members[name], item, (*path, name)))
    elif shape["type"] == "list" and isinstance(value, (list, tuple)):
        for i, item in enumerate(value):
            found.extend(present_members(shape["member"], item, (*path, i)))
    return found
