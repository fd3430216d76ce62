"""JSON Schema (Draft 2020-12) of each operation's input and output, generated from the model.

Each shape becomes one entry of ``$defs``; members reference them with
``$ref``.  Patterns are translated to Python regexes anchored for a
whole-value match (:mod:`sagemaker_lite.contract.patterns`), because jsonschema applies
``pattern`` with ``re.search``.  Timestamps carry a ``format``
(``aws-timestamp`` in requests: anything boto3 accepts; ``aws-datetime`` in
responses: a ``datetime``) checked by :data:`FORMAT_CHECKER`.

The service's flavour of an input schema (:func:`service_schema`, run by
``validation.ServiceValidator``) is the same generation read as the service
reads a request: ``pattern`` holds the model's own (Java) pattern, which
the validator runs with :func:`sagemaker_lite.contract.patterns.full_match`
(whole value, linear time); numbers carry ``javaType`` (the Java type that
must hold them); each definition is titled with its shape's name; unknown
members are allowed (botocore's serializer never sends them, so the service
never sees them).

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


def def_schema(
    shape: Mapping[str, Any], timestamp_format: str = "aws-timestamp", *, service: bool = False
) -> dict[str, Any]:
    """The ``$defs`` entry of one shape (``service``: the service's flavour, see above)."""
    kind = shape["type"]
    lo, hi = shape.get("min"), shape.get("max")
    if kind == "structure":
        out: dict[str, Any] = {
            "type": "object",
            "properties": {name: {"$ref": f"#/$defs/{ref}"} for name, ref in shape["members"]},
        }
        if not service:
            out["additionalProperties"] = False
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
            model = shape["pattern"]
            out["pattern"] = model if service else patterns.to_python(model)
        if "enum" in shape:
            out["enum"] = list(shape["enum"])
    elif kind in _JSON_TYPES:
        out = {"type": _JSON_TYPES[kind]}
        bounds = ("minimum", "maximum")
        if service and kind != "boolean":
            out["javaType"] = kind
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


def shape_schema(
    root: str, timestamp_format: str = "aws-timestamp", *, service: bool = False
) -> dict[str, Any]:
    """A self-contained schema validating values of shape ``root``."""
    shapes = load_model()["shapes"]
    return {
        "$schema": DIALECT,
        "$ref": f"#/$defs/{root}",
        "$defs": {
            name: (
                {"title": name, **def_schema(shapes[name], timestamp_format, service=True)}
                if service
                else def_schema(shapes[name], timestamp_format)
            )
            for name in _reachable(root, shapes)
        },
    }


_EMPTY_OBJECT: dict[str, Any] = {"type": "object", "additionalProperties": False}


def input_schema(op: str) -> dict[str, Any]:
    """The JSON Schema of operation ``op``'s request parameters."""
    name = operation(op).get("input")
    return shape_schema(name) if name else {"$schema": DIALECT, **_EMPTY_OBJECT}


def service_schema(op: str) -> dict[str, Any]:
    """The input schema of ``op`` as the service reads it (for :data:`ServiceValidator`)."""
    name = operation(op).get("input")
    return shape_schema(name, service=True) if name else {"$schema": DIALECT, "type": "object"}


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


# What the service's Java types hold: integer is a 32-bit int, long a 64-bit long.
JAVA_RANGES: dict[str, tuple[int, int]] = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}


def fits_java(kind: str, value: Any) -> bool:
    """Whether a number fits the Java type of model type ``kind`` (an int must fit a double)."""
    bounds = JAVA_RANGES.get(kind)
    if bounds is not None:
        return bool(bounds[0] <= value <= bounds[1])
    if isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return False
    return True


def bound(document: dict[str, Any]) -> dict[str, Any]:
    """The same schema with each ``$ref`` replaced by the definition it names.

    The definitions become one graph of shared dicts (a recursive shape a cycle),
    so validating follows references without resolving them: resolving was
    half the cost of checking a request.
    """
    defs: dict[str, Any] = document.get("$defs", {})

    def target(ref: Any) -> Any:
        return defs[ref["$ref"].rsplit("/", 1)[1]]

    for definition in defs.values():
        for key in ("items", "propertyNames", "additionalProperties"):
            if isinstance(definition.get(key), dict):
                definition[key] = target(definition[key])
        if "properties" in definition:
            definition["properties"] = {
                name: target(ref) for name, ref in definition["properties"].items()
            }
    if "$ref" not in document:
        return document
    return {"$schema": DIALECT, **target(document)}


@functools.cache
def input_validator(op: str) -> Any:
    """A compiled (cached) jsonschema validator of ``op``'s requests."""
    return Validator(input_schema(op), format_checker=FORMAT_CHECKER)


@functools.cache
def output_validator(op: str) -> Any:
    """A compiled (cached) jsonschema validator of ``op``'s responses."""
    return Validator(output_schema(op), format_checker=FORMAT_CHECKER)


__all__ = [
    "DIALECT",
    "FORMAT_CHECKER",
    "JAVA_RANGES",
    "TYPE_CHECKER",
    "Validator",
    "bound",
    "def_schema",
    "fits_java",
    "input_schema",
    "input_validator",
    "output_schema",
    "output_validator",
    "service_schema",
    "shape_schema",
]
