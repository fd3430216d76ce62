"""What botocore's JSON serializer refuses after its validator accepted a request.

boto3 fails on the client, before anything is sent, in two cases the
validator lets through (checked against botocore 1.43; see docs/fidelity.md):

* an ``int`` in a ``float``/``double`` member too large for a float:
  ``Serializer._handle_float`` calls ``math.isnan`` on it and raises
  ``OverflowError``;
* an ``int`` anywhere whose decimal form is longer than Python's
  ``sys.get_int_max_str_digits()``: ``json.dumps`` raises ``ValueError``.

The direct client raises the same exceptions at the same point (after
``ParamValidationError`` would have been raised), so a request fails the same
way through ``sagemaker_lite.client()`` and through boto3 under
``mock_sagemaker()``.  The boto3 path never gets here: botocore raised first.
"""

from __future__ import annotations

import functools
import math
import sys
from collections.abc import Callable, Mapping
from typing import Any

from sagemaker_lite.contract.spec import operation, shape

_FLOAT_KINDS = ("float", "double")
# log10(2): an int of n bits has at most ceil(n * log10(2)) decimal digits.
_DIGITS_PER_BIT = 0.30103


def check_serializable(operation_name: str, params: Mapping[str, Any]) -> None:
    """Raise what botocore's serializer raises for ``params``, in the order it would."""
    input_shape = operation(operation_name).get("input")
    if input_shape is not None:
        _floats(input_shape)(params)
    _check_int_digits(params)


Walk = Callable[[Any], None]


def _skip(value: Any) -> None:
    return None


#: Shapes whose walk is being built: a shape inside itself (Search's SearchExpression)
#: walks through its finished walk, looked up when a value reaches it.
_BUILDING: set[str] = set()


def _floats(name: str) -> Walk:
    """A walk over a value of shape ``name`` that does what botocore does to its floats."""
    if name in _BUILDING:
        return lambda value: _built_floats(name)(value)
    _BUILDING.add(name)
    try:
        return _built_floats(name)
    finally:
        _BUILDING.discard(name)


@functools.cache
def _built_floats(name: str) -> Walk:
    spec = shape(name)
    kind = spec["type"]
    if kind in _FLOAT_KINDS:
        return _handle_float
    if kind == "structure":
        members = {
            member: walk for member, ref in spec["members"] if (walk := _floats(ref)) is not _skip
        }
        if not members:
            return _skip

        def structure(value: Any) -> None:
            for member, item in value.items():
                walk = members.get(member)
                if walk is not None and item is not None:
                    walk(item)

        return structure
    if kind in ("list", "map"):
        inner = _floats(spec["member" if kind == "list" else "value"])
        if inner is _skip:
            return _skip
        list_kind = kind == "list"

        def items(value: Any) -> None:
            for item in value if list_kind else value.values():
                inner(item)

        return items
    return _skip


def _handle_float(value: Any) -> None:
    # botocore.serialize.Serializer._handle_float: the comparisons, then isnan.
    if value != math.inf and value != -math.inf:
        math.isnan(value)  # OverflowError for an int beyond a float's range


def _check_int_digits(value: Any) -> None:
    limit = sys.get_int_max_str_digits()
    if limit:
        _digits(value, limit)


def _digits(value: Any, limit: int) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _digits(item, limit)
    elif isinstance(value, list):
        for item in value:
            _digits(item, limit)
    elif (
        isinstance(value, int)
        and not isinstance(value, bool)
        and value.bit_length() * _DIGITS_PER_BIT > limit - 1
    ):
        int.__repr__(value)  # json.dumps's own ValueError, word for word, if too long
