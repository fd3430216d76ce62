"""The constraints of botocore's CloudWatch and CloudWatch Logs models, checked as they check.

A caller may bypass botocore's own validation (``parameter_validation=False``,
or the direct handler): the request then reaches us with wrong types, null
members, out-of-range numbers.  This walks the operation's input shape in
botocore's model (loaded only when a CloudWatch call is served, which needs
botocore anyway) and raises what each service answers, never a Python error:

* a value of the wrong type: ``SerializationException`` (the service's
  deserializer fails first);
* broken constraints (required, length and value bounds, enum, pattern, the
  last through our linear matcher): the Coral summary ``1 validation error
  detected: ...`` as ``InvalidParameterException`` (CloudWatch Logs) or
  ``ValidationError`` (CloudWatch), the codes real answers carry (fidelity.md).
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
from collections.abc import Mapping
from typing import Any

from sagemaker_lite.contract import messages, patterns
from sagemaker_lite.contract.errors import ApiError
from sagemaker_lite.contract.schema import JAVA_RANGES
from sagemaker_lite.contract.timestamps import to_epoch
from sagemaker_lite.contract.validation import aws_path, render_value

#: The code each service gives a broken constraint.
VALIDATION_CODES = {"logs": "InvalidParameterException", "cloudwatch": "ValidationError"}

#: Shapes whose enum the view checks itself, in the service's own words (``Statistics``).
WORDED_BY_THE_VIEW = frozenset({"Statistic"})

_NUMBERS = (int, float, decimal.Decimal)
_TYPES: dict[str, Any] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, _NUMBERS) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, _NUMBERS) and not isinstance(v, bool),
    "timestamp": lambda v: (
        isinstance(v, (dt.datetime, dt.date, int, float, str)) and not isinstance(v, bool)
    ),
    "structure": lambda v: isinstance(v, dict),
    "map": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, (list, tuple)),
    "blob": lambda v: isinstance(v, (bytes, bytearray, str)),
}


@functools.cache
def _model(service: str) -> Any:
    import botocore.session  # only CloudWatch calls under mock_sagemaker come here

    return botocore.session.get_session().get_service_model(service)


class _Mismatch(Exception):
    pass


def _scalar(shape: Any, value: Any, path: tuple[Any, ...], found: list[str]) -> None:
    kind = shape.type_name
    if kind in JAVA_RANGES and not JAVA_RANGES[kind][0] <= value <= JAVA_RANGES[kind][1]:
        raise _Mismatch
    if isinstance(value, float) and value != value:
        raise _Mismatch  # NaN is no JSON number
    if kind == "timestamp":
        try:
            to_epoch(value)  # what the view reads: a time the service could parse
        except (ValueError, OverflowError, TypeError):
            raise _Mismatch from None
    meta = shape.metadata
    lo, hi = meta.get("min"), meta.get("max")
    texts = []
    if kind in ("string", "blob"):
        if hi is not None and len(value) > hi:
            texts.append(messages.length_at_most(hi))
        if lo is not None and len(value) < lo:
            texts.append(messages.length_at_least(lo))
        if "pattern" in meta and isinstance(value, str):
            try:
                if not patterns.full_match(meta["pattern"], value):
                    texts.append(messages.pattern_constraint(meta["pattern"]))
            except patterns.UnsupportedPattern:
                pass  # a pattern Java accepts and we cannot run: never stricter
        if shape.enum and value not in shape.enum and shape.name not in WORDED_BY_THE_VIEW:
            texts.append(messages.enum_constraint(list(shape.enum)))
    elif kind in ("integer", "long", "float", "double"):
        if hi is not None and value > hi:
            texts.append(messages.value_at_most(hi))
        if lo is not None and value < lo:
            texts.append(messages.value_at_least(lo))
    for text in texts:
        found.append(messages.constraint_violation(render_value(value), aws_path(path), text))


def _walk(shape: Any, value: Any, path: tuple[Any, ...], found: list[str]) -> None:
    kind = shape.type_name
    if not _TYPES.get(kind, lambda v: True)(value):
        raise _Mismatch
    if kind == "structure":
        for name in shape.required_members:
            if value.get(name) is None:
                found.append(
                    messages.constraint_violation(
                        None, aws_path((*path, name)), messages.MEMBER_NOT_NULL
                    )
                )
        for name, item in value.items():
            member = shape.members.get(name) if isinstance(name, str) else None
            if member is not None and item is not None:
                _walk(member, item, (*path, name), found)
    elif kind == "list":
        meta = shape.metadata
        if "max" in meta and len(value) > meta["max"]:
            text = messages.length_at_most(meta["max"])
            found.append(messages.constraint_violation(render_value(value), aws_path(path), text))
        if "min" in meta and len(value) < meta["min"]:
            text = messages.length_at_least(meta["min"])
            found.append(messages.constraint_violation(render_value(value), aws_path(path), text))
        for index, item in enumerate(value):
            if item is not None:
                _walk(shape.member, item, (*path, index), found)
    elif kind == "map":
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Mismatch
            if item is not None:
                _walk(shape.value, item, (*path, key), found)
    else:
        _scalar(shape, value, path, found)


def check(service: str, operation: str, request: Mapping[str, Any]) -> None:
    """Raise the service's own error if ``request`` breaks its model; return if it is valid."""
    shape = _model(service).operation_model(operation).input_shape
    found: list[str] = []
    try:
        _walk(shape, dict(request), (), found)
    except (_Mismatch, TypeError, ValueError, OverflowError):
        raise ApiError("SerializationException", messages.CLOUDWATCH_SERIALIZATION) from None
    if found:
        raise ApiError(VALIDATION_CODES[service], messages.validation_summary(found))


__all__ = ["VALIDATION_CODES", "check"]
