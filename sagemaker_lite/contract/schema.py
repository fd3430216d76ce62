"""JSON Schema (Draft 2020-12) of each operation's input and output, generated from the model.

Each shape becomes one entry of ``$defs``; members reference them with
``$ref``.  Patterns are translated to Python regexes anchored for a
whole-value match (:mod:`sagemaker_lite.contract.patterns`), because jsonschema applies
``pattern`` with ``re.search``.  Timestamps carry a ``format``
(``aws-timestamp`` in requests: anything boto3 accepts; ``aws-datetime`` in
responses: a ``datetime``) checked by :data:`FORMAT_CHECKER`.

JSON types are mapped to the Python values boto3 serializes to them: an
``array`` may be a tuple, a ``number`` a ``Decimal``; ``bool`` is never a number.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
from collections.abc import Mapping
from typing import Any

import jsonschema

from sagemaker_lite.contract import patterns
from sagemaker_lite.contract.spec import load_model, operation
from sagemaker_lite.contract.timestamps import is_timestamp

DIALECT = "https://json-schema.org/draft/2020-12/schema"
_JSON_TYPES = {
    "string": "string",
    "boolean": "boolean",
    "integer": "integer",
    "long": "integer",
    "float": "number",
    "double": "number",
}


def _shape_schema(shape: Mapping[str, Any], timestamp_format: str) -> dict[str, Any]:
    kind = shape["type"]
    lo, hi = shape.get("min"), shape.get("max")
    if kind == "structure":
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: {"$ref": f"#/$defs/{ref}"} for name, ref in shape["members"]},
            "additionalProperties": False,
        }
        if shape.get("required"):
            out["required"] = list(shape["required"])
        return out
    if kind == "list":
        out = {"type": "array", "items": {"$ref": f"#/$defs/{shape['member']}"}}
        bounds = ("minItems", "maxItems")
    elif kind == "map":
        out = {
            "type": "object",
            "propertyNames": {"$ref": f"#/$defs/{shape['key']}"},
            "additionalProperties": {"$ref": f"#/$defs/{shape['value']}"},
        }
        bounds = ("minProperties", "maxProperties")
    elif kind == "timestamp":
        return {"format": timestamp_format}
    elif kind == "string":
        out = {"type": "string"}
        bounds = ("minLength", "maxLength")
        if "pattern" in shape:
            out["pattern"] = patterns.to_python(shape["pattern"])
        if "enum" in shape:
            out["enum"] = list(shape["enum"])
    elif kind in _JSON_TYPES:
        out = {"type": _JSON_TYPES[kind]}
        bounds = ("minimum", "maximum")
    else:
        raise ValueError(f"unsupported shape type {kind!r}")
    if lo is not None:
        out[bounds[0]] = lo
    if hi is not None:
        out[bounds[1]] = hi
    return out


def _reachable(root: str, shapes: Mapping[str, Any]) -> list[str]:
    seen: dict[str, None] = {}
    pending = [root]
    while pending:
        name = pending.pop()
        if name in seen:
            continue
        seen[name] = None
        shape = shapes[name]
        pending.extend(ref for _, ref in shape.get("members", ()))
        pending.extend(shape[k] for k in ("member", "key", "value") if k in shape)
    return sorted(seen)


def shape_schema(root: str, timestamp_format: str = "aws-timestamp") -> dict[str, Any]:
    """A self-contained schema validating values of shape ``root``."""
    shapes = load_model()["shapes"]
    return {
        "$schema": DIALECT,
        "$ref": f"#/$defs/{root}",
        "$defs": {
            name: _shape_schema(shapes[name], timestamp_format) for name in _reachable(root, shapes)
        },
    }


_EMPTY_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": False}


def input_schema(op: str) -> dict[str, Any]:
    """The JSON Schema of operation ``op``'s request parameters."""
    name = operation(op).get("input")
    return shape_schema(name) if name else {"$schema": DIALECT, **_EMPTY_OBJECT}


def output_schema(op: str) -> dict[str, Any]:
    """The JSON Schema of operation ``op``'s response (without ResponseMetadata)."""
    name = operation(op).get("output")
    return shape_schema(name, "aws-datetime") if name else {"$schema": DIALECT, **_EMPTY_OBJECT}


def _is_number(_: Any, value: Any) -> bool:
    return isinstance(value, (int, float, decimal.Decimal)) and not isinstance(value, bool)


def _is_integer(_: Any, value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_array(_: Any, value: Any) -> bool:
    return isinstance(value, (list, tuple))


TYPE_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"number": _is_number, "integer": _is_integer, "array": _is_array}
)

FORMAT_CHECKER = jsonschema.FormatChecker(formats=())
FORMAT_CHECKER.checks("aws-timestamp")(is_timestamp)
FORMAT_CHECKER.checks("aws-datetime")(lambda value: isinstance(value, _dt.datetime))

Validator = jsonschema.validators.extend(jsonschema.Draft202012Validator, type_checker=TYPE_CHECKER)


@functools.cache
def input_validator(op: str) -> Any:
    """A compiled (cached) jsonschema validator of ``op``'s requests."""
    return Validator(input_schema(op), format_checker=FORMAT_CHECKER)


@functools.cache
def output_validator(op: str) -> Any:
    """A compiled (cached) jsonschema validator of ``op``'s responses."""
    return Validator(output_schema(op), format_checker=FORMAT_CHECKER)


__all__ = [
    "FORMAT_CHECKER",
    "TYPE_CHECKER",
    "Validator",
    "input_schema",
    "input_validator",
    "output_schema",
    "output_validator",
    "shape_schema",
]
