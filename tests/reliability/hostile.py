"""Hostile request strategies: what careless or malicious callers send.

Requests follow the operation's input shape loosely (so validation is
exercised deep inside structures, lists and maps) while any value may be
replaced by something hostile: None, wrong types, NaN and infinities, huge
numbers, huge strings, odd unicode (lone surrogates, NUL, right-to-left
marks, combining characters), bytes, deep nesting and unknown keys.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from typing import Any

from hypothesis import strategies as st

from sagemaker_lite.spec import load_model

HUGE_STRING = "a" * 100_000
ODD_STRINGS = (
    "",
    " ",
    "\x00",
    "\ud800",
    "a\udfff",
    "\u202eevil",
    "\ufeffbom",
    "e\u0301",
    "🙂" * 70,
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
    "名前",
    "a_b",
    "-leading",
    "trailing-",
    "../../etc/passwd",
    "s3://",
    "arn:aws:sagemaker:us-east-1:123456789012:training-job/x",
    "%s%n",
    "${jndi:x}",
    "'; DROP TABLE jobs; --",
    "\n\r\t",
    "NaN",
    "1e999",
    "-0",
)
MAX_NESTING = 300  # deeper than any real request, well within what repr() can print


def _nest(depth: int, as_list: bool) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


def hostile_values() -> st.SearchStrategy[Any]:
    """Any one hostile value."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=True, allow_infinity=True),
        st.decimals(allow_nan=True, allow_infinity=True),
        st.sampled_from(ODD_STRINGS),
        st.text(max_size=20),
        st.just(HUGE_STRING),
        st.binary(max_size=8),
        st.datetimes(),
        st.tuples(st.integers(1, MAX_NESTING), st.booleans()).map(lambda p: _nest(*p)),
        st.lists(st.integers(), max_size=3),
        st.dictionaries(st.text(max_size=5), st.integers(), max_size=3),
        st.just(object()),
        st.just(dt.date(2024, 1, 1)),
        st.just(decimal.Decimal("1e-400")),
    )


def _plausible_scalar(shape: dict[str, Any]) -> st.SearchStrategy[Any]:
    kind = shape["type"]
    if kind == "string":
        options = list(shape.get("enum", ())[:2]) or ["abc", "my-job-1"]
        return st.sampled_from(options)
    if kind in ("integer", "long"):
        return st.sampled_from([shape.get("min", 0), shape.get("max", 1), 1])
    if kind in ("float", "double"):
        return st.sampled_from([0.5, float(shape.get("min", 0))])
    if kind == "boolean":
        return st.booleans()
    if kind == "timestamp":
        return st.just(dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc))
    return st.just(b"blob")


def _deferred(ref: str, depth: int) -> st.SearchStrategy[Any]:
    """``shape_values(ref, depth)``, built only when drawn (shapes nest)."""
    return st.deferred(lambda: shape_values(ref, depth))


@functools.cache
def shape_values(name: str, depth: int = 0) -> st.SearchStrategy[Any]:
    """Values loosely of shape ``name``, any part of which may be hostile."""
    return st.one_of(_shaped(name, depth), hostile_values())


@functools.cache
def _shaped(name: str, depth: int) -> st.SearchStrategy[Any]:
    shape = load_model()["shapes"][name]
    kind = shape["type"]
    hostile = hostile_values()
    if depth > 3:
        return _plausible_scalar(shape) if kind not in ("structure", "list", "map") else st.just({})
    if kind == "structure":
        members = dict(shape["members"])
        body = st.fixed_dictionaries(
            {},
            optional={m: _deferred(ref, depth + 1) for m, ref in members.items()},
        )
        with_unknown = st.tuples(body, st.text(min_size=1, max_size=10), hostile).map(
            lambda t: {**t[0], t[1]: t[2]}
        )
        return st.one_of(body, with_unknown)
    if kind == "list":
        member = st.deferred(lambda: shape_values(shape["member"], depth + 1))
        return st.lists(member, max_size=3)
    if kind == "map":
        value = st.deferred(lambda: shape_values(shape["value"], depth + 1))
        keys = st.one_of(st.sampled_from(("k", "", "a" * 300)), st.text(max_size=5))
        return st.dictionaries(keys, value, max_size=3)
    return _plausible_scalar(shape)


def hostile_requests(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for ``operation``: its members, loosely typed, often hostile."""
    name = load_model()["operations"][operation].get("input")
    if name is None:
        return st.dictionaries(st.text(max_size=5), hostile_values(), max_size=2)
    top: st.SearchStrategy[dict[str, Any]] = _shaped(name, 0)
    return top
