"""Request validation: botocore's client-side checks, then the service's constraint checks.

Both run only when the fast path (:mod:`sagemaker_lite.contract.fastpath`)
says "look closer"; only then are paths and messages assembled.

* :func:`check_params` mirrors ``botocore.validate.ParamValidator`` exactly
  (same checks, same report order and text) and raises botocore's
  ``ParamValidationError``: a small interpreter of the shipped constraint model
  (:mod:`sagemaker_lite.contract.spec`), compiled once per shape into closures.
* :func:`check_request` is what the service checks (every ``min``, ``max``,
  ``pattern``, ``enum`` and ``required``): the generated JSON Schema validator
  (:func:`sagemaker_lite.contract.schema.service_validator`) finds the
  violations, and this module words and orders them as AWS does and raises
  ``ValidationException`` (or the deserializer's ``SerializationException``).
* :func:`check_response` checks a handler's response against the generated
  output JSON Schema (a test aid).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import jsonschema
from jsonschema.exceptions import ValidationError

from sagemaker_lite.contract import fastpath, messages, patterns, schema
from sagemaker_lite.contract.errors import ApiError, ParamValidationError, validation_error
from sagemaker_lite.contract.spec import load_model, operation
from sagemaker_lite.contract.timestamps import is_timestamp

# ---------------------------------------------------------------------------
# Service side: the generated JSON Schema validators, read back as AWS words and orders.
#
# jsonschema finds every violation (:func:`schema.service_validator`); what it
# cannot say is kept here as code: AWS's texts, AWS's order (model order of
# members, a list's or map's own constraints before its items, a scalar's upper
# bound before its lower one, then pattern, then enum; jsonschema yields errors
# in schema-keyword order, a map's values in set order), one summary per map
# for its keys and one for its scalar values, lower-camel paths with 1-based
# ``N.member`` indices, and which failure is the deserializer's
# (SerializationException: the first in the request's order) rather than
# validation's.

# The service's reading of the generated schema: four keywords plugged into jsonschema.


def _model_pattern(validator: Any, pattern: str, instance: Any, _: Any) -> Iterator[Any]:
    # The model's own pattern, matched as Java matches it (whole value), in linear time.
    if validator.is_type(instance, "string") and not patterns.full_match(pattern, instance):
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


def _present_properties(
    validator: Any, properties: Mapping[str, Any], instance: Any, _: Any
) -> Iterator[Any]:
    # A null member is an absent one to the service's deserializer; a member the
    # fast path passes has nothing to report, so only the others are walked.
    if not validator.is_type(instance, "object"):
        return
    for name, value in instance.items():
        sub = properties.get(name)
        if sub is not None and value is not None and not fastpath.passes(sub["title"], value):
            yield from validator.descend(value, sub, path=name, schema_path=name)


def _doubtful_items(
    validator: Any, items: Mapping[str, Any], instance: Any, _: Any
) -> Iterator[Any]:
    # As for members: only the items the fast path does not pass are walked.
    if not validator.is_type(instance, "array"):
        return
    for index, item in enumerate(instance):
        if not fastpath.passes(items["title"], item):
            yield from validator.descend(item, items, path=index)


def _required_non_null(validator: Any, required: list[str], instance: Any, _: Any) -> Iterator[Any]:
    # The error's path names the missing member: AWS reports it there ("Value null at ...").
    if not validator.is_type(instance, "object"):
        return
    for name in required:
        if instance.get(name) is None:
            yield ValidationError(f"{name!r} is a required property", path=(name,))


def _java_type(validator: Any, kind: str, instance: Any, _: Any) -> Iterator[Any]:
    if validator.is_type(instance, "number") and not schema.fits_java(kind, instance):
        yield ValidationError(f"{instance!r} is out of range of the Java type of {kind}")


#: The validator class of :func:`schema.service_schema` schemas.
ServiceValidator = jsonschema.validators.extend(
    schema.Validator,
    validators={
        "pattern": _model_pattern,
        "properties": _present_properties,
        "items": _doubtful_items,
        "required": _required_non_null,
        "javaType": _java_type,
    },
)


#: A predicate that says whether a value *breaks* a constraint, and that constraint's text.
Constraint = tuple[Callable[[Any], bool], str]

#: AWS's text of each constraint keyword, in the order AWS lists one member's violations.
_AWS_TEXTS: dict[str, Callable[[Any], str]] = {
    "maxLength": messages.length_at_most,
    "maxItems": messages.length_at_most,
    "maxProperties": messages.length_at_most,
    "maximum": messages.value_at_most,
    "minLength": messages.length_at_least,
    "minItems": messages.length_at_least,
    "minProperties": messages.length_at_least,
    "minimum": messages.value_at_least,
    "pattern": messages.pattern_constraint,
    "enum": lambda values: messages.enum_constraint(list(values)),
}
_RANK = {keyword: rank for rank, keyword in enumerate(_AWS_TEXTS)}
#: Keywords whose failure the service's JSON deserializer reports, before validation runs.
_DESERIALIZER = frozenset({"type", "format", "javaType"})
_CONTAINERS = ("structure", "list", "map")


def _breaks(
    keyword: Callable[..., Any], validator: Any, value: Any, sub: Any
) -> Callable[[Any], bool]:
    return lambda instance: (
        next(iter(keyword(validator, value, instance, sub) or ()), None) is not None
    )


def constraints_of(shape: Mapping[str, Any]) -> list[Constraint]:
    """The constraints of a scalar, list or map shape in AWS's order: each one's JSON
    Schema keyword check (the service validator's own) and AWS's text."""
    sub = schema.def_schema(shape, service=True)
    validator = ServiceValidator(sub)
    return [
        (
            _breaks(ServiceValidator.VALIDATORS[keyword], validator, sub[keyword], sub),
            text(sub[keyword]),
        )
        for keyword, text in _AWS_TEXTS.items()
        if keyword in sub
    ]


@functools.cache
def _constraint_texts(shape_name: str) -> list[str]:
    return [text for _, text in constraints_of(_shapes()[shape_name])]


@functools.cache
def _members(shape_name: str) -> dict[str, tuple[int, str]]:
    """Each member of a structure: (its place in the model's order, its shape)."""
    return {name: (i, ref) for i, (name, ref) in enumerate(_shapes()[shape_name]["members"])}


def _shapes() -> Mapping[str, Any]:
    shapes: Mapping[str, Any] = load_model()["shapes"]
    return shapes


class _MapKey(str):
    """A map key in an error path (rendered as is, not lower-camelled)."""


Path = tuple[Any, ...]
#: (AWS path, value, constraint text, AWS's sort key) of one violation.
ServiceError = tuple[Path, Any, str, tuple[tuple[int, int], ...]]

# Compiling is serialised: another thread must never see a validator half built.
_COMPILING = threading.RLock()
_SERVICE_CACHE: dict[str, Any] = {}


def service_validator(operation_name: str) -> Any:
    """The (cached) jsonschema validator of an operation's requests as the service checks them."""
    validator = _SERVICE_CACHE.get(operation_name)
    if validator is None:
        with _COMPILING:
            validator = _SERVICE_CACHE.get(operation_name)
            if validator is None:
                document = schema.bound(schema.service_schema(operation_name))
                validator = ServiceValidator(document, format_checker=schema.FORMAT_CHECKER)
                _SERVICE_CACHE[operation_name] = validator
    return validator


class _Positions:
    """Where each key sits in the request's dicts (indexed once per dict: linear overall)."""

    def __init__(self) -> None:
        self._of: dict[int, dict[Any, int]] = {}

    def __call__(self, container: Mapping[Any, Any], key: Any) -> int:
        index = self._of.get(id(container))
        if index is None:
            index = self._of[id(container)] = {k: i for i, k in enumerate(container)}
        return index.get(key, -1)  # -1: a required member that is absent


def _read(error: Any, root: str, request: Any, at: _Positions) -> tuple[Any, ...]:
    """Follow a jsonschema error's path through the model: (AWS path, model-order key,
    request-order key, shape names along the path, values along the path)."""
    shapes = _shapes()
    path: list[Any] = []
    order: list[tuple[int, int]] = []
    seen: list[tuple[int, int]] = []
    names, values = [root], [request]
    for seg in error.absolute_path:
        shape, value = shapes[names[-1]], values[-1]
        kind = shape["type"]
        if kind == "structure":
            place, ref = _members(names[-1])[seg]
            path.append(seg)
            order.append((1, place))
            seen.append((at(value, seg), 0))
            names.append(ref)
            values.append(value.get(seg))
        elif kind == "list":
            path.append(seg)
            order.append((1, seg))
            seen.append((seg, 0))
            names.append(shape["member"])
            values.append(value[seg])
        else:
            position = at(value, seg)
            path.append(_MapKey(seg))
            order.append((1, position))
            seen.append((position, 1))
            names.append(shape["value"])
            values.append(value[seg])
    return tuple(path), order, seen, names, values


def _serialization(error: Any, names: list[str], values: list[Any], is_key: bool) -> ApiError:
    expected = "string" if is_key else _shapes()[names[-1]]["type"]
    if error.validator == "javaType":
        text = messages.number_out_of_range(expected)
    else:
        text = messages.serialization_error(_json_kind(error.instance), expected)
    return ApiError("SerializationException", text)


def _service_errors(operation_name: str, request: dict[str, Any]) -> list[ServiceError]:
    """Every violation of ``request`` in AWS's order; raises the SerializationException
    the service's deserializer would answer first."""
    root = operation(operation_name).get("input")
    if root is None:
        return []
    errors = list(service_validator(operation_name).iter_errors(request))
    if not errors:
        return []
    shapes = _shapes()
    at = _Positions()
    found: dict[tuple[Path, str], ServiceError] = {}
    first_bad: tuple[list[tuple[int, int]], ApiError] | None = None
    for error in errors:
        path, order, seen, names, values = _read(error, root, request, at)
        kind = shapes[names[-1]]["type"]
        # A key's check runs on the key itself, at the map's path.
        is_key = kind == "map" and error.instance is not values[-1]
        keyword = error.validator
        if keyword in _DESERIALIZER:
            if is_key:
                seen = [*seen, (at(values[-1], error.instance), 0)]
            if first_bad is None or seen < first_bad[0]:
                first_bad = (seen, _serialization(error, names, values, is_key))
            continue
        if first_bad is not None:
            continue  # the deserializer's answer wins; the rest need not be worded
        if keyword == "required":
            violation: ServiceError = (path, None, messages.MEMBER_NOT_NULL, (*order, (0, -1)))
        elif is_key:
            key_texts = _constraint_texts(shapes[names[-1]]["key"])
            text = messages.map_keys_constraint(key_texts)
            violation = (path, values[-1], text, (*order, (2, 0)))
        elif len(names) > 1 and shapes[names[-2]]["type"] == "map" and kind not in _CONTAINERS:
            # AWS reports a map's scalar values once, listing every constraint of the shape.
            text = messages.map_values_constraint(_constraint_texts(names[-1]))
            violation = (path[:-1], values[-2], text, (*order[:-1], (2, 1)))
        else:
            text = _AWS_TEXTS[keyword](error.validator_value)
            violation = (path, error.instance, text, (*order, (0, _RANK[keyword])))
        found.setdefault((violation[0], violation[2]), violation)
    if first_bad is not None:
        raise first_bad[1]
    return sorted(found.values(), key=lambda violation: violation[3])


# --- rendering as AWS does ---------------------------------------------------


def aws_path(path: Path) -> str:
    """A member path as AWS prints it: ``resourceConfig.instanceType``, ``tags.1.member.value``."""
    parts: list[str] = []
    for seg in path:
        if isinstance(seg, int):
            parts.append(f"{seg + 1}.member")
        elif isinstance(seg, _MapKey):
            parts.append(str(seg))
        else:
            parts.append(seg[:1].lower() + seg[1:])
    return ".".join(parts)


def _java_double(value: float) -> str:
    # Java's Double.toString: plain between 1e-3 and 1e7, else d.dddE±n.
    if value != value or value in (float("inf"), float("-inf")):
        return {"nan": "NaN", "inf": "Infinity", "-inf": "-Infinity"}[repr(value)]
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        text = repr(float(value))
        return text if "e" not in text else format(value, "f")
    sign, digits, exponent = decimal.Decimal(repr(float(value))).as_tuple()
    assert isinstance(exponent, int)
    mantissa = "".join(map(str, digits))
    exp10 = exponent + len(mantissa) - 1
    body = mantissa[0] + "." + (mantissa[1:].rstrip("0") or "0")
    return f"{'-' if sign else ''}{body}E{exp10}"


def render_value(value: Any) -> str:
    """A value as AWS echoes it in a message (Java ``toString`` of the deserialized value)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return value
    if isinstance(value, int):
        return str(value)
    if isinstance(value, (float, decimal.Decimal)):
        return _java_double(float(value))
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(render_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return (
            "{" + ", ".join(f"{render_value(k)}={render_value(v)}" for k, v in value.items()) + "}"
        )
    if isinstance(value, _dt.datetime):
        return value.isoformat()
    return str(value)


def _json_kind(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float, decimal.Decimal)):
        return "number"
    if isinstance(value, dict):
        return "object"
    if isinstance(value, (list, tuple)):
        return "array"
    return "string"


def request_violations(operation_name: str, params: Mapping[str, Any]) -> list[str]:
    """Every constraint violation of a request, each as AWS words it (empty if valid).

    A value of the wrong JSON type raises ``SerializationException`` (the
    service's deserializer fails before validation runs).
    """
    return [
        messages.constraint_violation(
            None if value is None else render_value(value), aws_path(path), text
        )
        for path, value, text, _ in _service_errors(operation_name, dict(params))
    ]


def check_request(operation_name: str, params: Mapping[str, Any]) -> None:
    """Raise the service's ``ValidationException`` if the request breaks the model's constraints.

    A value of the wrong JSON type is answered with ``SerializationException``
    (the service's deserializer fails before validation runs).
    """
    violations = request_violations(operation_name, params)
    if violations:
        raise validation_error(messages.validation_summary(violations))


# ---------------------------------------------------------------------------
# Client side: botocore's ParamValidator, mirrored.
#
# A small interpreter of the shipped constraint model, compiled once per shape
# into closures.  A closure returns an empty tuple when its value is valid, so
# the happy path allocates nothing and builds no paths.  An error is (name
# parts, formatter); the full name is assembled, and the line formatted, only
# when a report is produced.

_NO_ERRORS: tuple[()] = ()


def _compile(
    name: str, cache: dict[str, Any], make: Callable[[str, Callable[[str], Any]], Any]
) -> Any:
    built = cache.get(name)
    if built is not None:
        return built
    with _COMPILING:
        if name not in cache:
            cache[name] = None  # marks "being built": a recursive reference binds late
            cache[name] = make(name, lambda ref: _compile(ref, cache, make) or _late(ref, cache))
        return cache[name]


def _late(name: str, cache: dict[str, Any]) -> Callable[..., Any]:
    return lambda *args: cache[name](*args)


ParamError = tuple[tuple[str, ...], Callable[[str], str]]
ParamCheck = Callable[[Any], Sequence[ParamError]]

_BOTO_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,),
    "integer": (int,),
    "long": (int,),
    "float": (float, decimal.Decimal, int),
    "double": (float, decimal.Decimal, int),
    "boolean": (bool,),
    "structure": (dict,),
    "map": (dict,),
    "list": (list, tuple),
}
_TIMESTAMP_TYPES = [str(_dt.datetime), "timestamp-string"]
_BLOB_TYPES = [str(bytes), str(bytearray), "file-like object"]


def _is(value: Any, types: tuple[type, ...]) -> bool:
    return isinstance(value, types)


def _type_error(value: Any, valid: list[str]) -> tuple[ParamError]:
    return (((), lambda name: messages.param_type(name, value, valid)),)


def _prefixed(prefix: str, found: Sequence[ParamError]) -> list[ParamError]:
    return [((prefix, *parts), fmt) for parts, fmt in found]


def _make_param(name: str, sub: Callable[[str], ParamCheck]) -> ParamCheck:
    shape = _shapes()[name]
    kind = shape["type"]
    if shape.get("document"):
        raise NotImplementedError("document shapes are not in the SageMaker model")
    if kind == "timestamp":
        return lambda v: _NO_ERRORS if is_timestamp(v) else _type_error(v, _TIMESTAMP_TYPES)
    if kind == "blob":
        return lambda v: (
            _NO_ERRORS
            if isinstance(v, (bytes, bytearray, str)) or hasattr(v, "read")
            else _type_error(v, _BLOB_TYPES)
        )
    types = _BOTO_TYPES[kind]
    valid = [str(t) for t in types]
    minimum = shape.get("min")
    if kind == "structure":
        return _param_structure(shape, sub, valid)
    if kind == "list":
        item = sub(shape["member"])

        def check_list(value: Any) -> Sequence[ParamError]:
            if not _is(value, types):
                return _type_error(value, valid)
            errors: list[ParamError] = []
            if minimum is not None and len(value) < minimum:
                length = len(value)
                errors.append(((), lambda n: messages.param_length(n, length, minimum)))
            for i, element in enumerate(value):
                found = item(element)
                if found:
                    errors.extend(_prefixed(f"[{i}]", found))
            return errors or _NO_ERRORS

        return check_list
    if kind == "map":
        key_check, value_check = sub(shape["key"]), sub(shape["value"])

        def check_map(value: Any) -> Sequence[ParamError]:
            if not _is(value, types):
                return _type_error(value, valid)
            errors: list[ParamError] = []
            for key, element in value.items():
                found = key_check(key)
                if found:
                    errors.extend(_prefixed(f" (key: {key})", found))
                found = value_check(element)
                if found:
                    errors.extend(_prefixed(f".{key}", found))
            return errors or _NO_ERRORS

        return check_map

    def check_scalar(value: Any) -> Sequence[ParamError]:
        if not _is(value, types):
            return _type_error(value, valid)
        if minimum is None:
            return _NO_ERRORS
        if kind == "string":
            if len(value) < minimum:
                length = len(value)
                return (((), lambda n: messages.param_length(n, length, minimum)),)
        elif kind != "boolean" and value < minimum:
            return (((), lambda n: messages.param_range(n, value, minimum)),)
        return _NO_ERRORS

    return check_scalar


def _union_line(text: Callable[[str, list[str]], str], names: list[str], name: str) -> str:
    return text(name, names)


def _missing_line(required: str, name: str) -> str:
    return messages.param_missing(name, required)


def _unknown_line(key: str, names: list[str], name: str) -> str:
    return messages.param_unknown(name, key, names)


def _param_structure(
    shape: Mapping[str, Any], sub: Callable[[str], ParamCheck], valid: list[str]
) -> ParamCheck:
    members = {name: sub(ref) for name, ref in shape["members"]}
    names = [name for name, _ in shape["members"]]
    required = tuple(shape.get("required", ()))
    union = bool(shape.get("union"))

    def check(value: Any) -> Sequence[ParamError]:
        if not isinstance(value, dict):
            return _type_error(value, valid)
        errors: list[ParamError] = []
        if union and len(value) != 1:
            text = messages.param_union_empty if not value else messages.param_union_many
            errors.append(((), functools.partial(_union_line, text, names)))
        for req in required:
            if req not in value:
                errors.append(((), functools.partial(_missing_line, req)))
        for key in value:
            if key not in members:
                errors.append(((), functools.partial(_unknown_line, key, names)))
        for key, item in value.items():
            member = members.get(key)
            if member is not None:
                found = member(item)
                if found:
                    errors.extend(_prefixed(f".{key}", found))
        return errors or _NO_ERRORS

    return check


_PARAM_CACHE: dict[str, ParamCheck] = {}


def param_checker(shape_name: str) -> ParamCheck:
    """The compiled botocore-equivalent check of one shape (cached)."""
    check: ParamCheck = _compile(shape_name, _PARAM_CACHE, _make_param)
    return check


def _display_name(parts: tuple[str, ...]) -> str:
    name = "".join(parts)
    if not name:
        return "input"
    return name[1:] if name.startswith(".") else name


def param_report(operation_name: str, params: Any) -> str:
    """botocore's validation report for ``params`` ('' when botocore would send the request)."""
    input_shape = operation(operation_name).get("input")
    if input_shape is None:
        return ""
    found = param_checker(input_shape)(params)
    return "\n".join(fmt(_display_name(parts)) for parts, fmt in found)


def check_params(operation_name: str, params: Mapping[str, Any]) -> None:
    """Raise botocore's ``ParamValidationError`` where boto3 would, before any request is sent."""
    report = param_report(operation_name, params)
    if report:
        raise ParamValidationError(report=report)


# ---------------------------------------------------------------------------
# Responses (test aid).


class ResponseSchemaError(AssertionError):
    """A handler produced a response its operation's output schema rejects."""


def check_response(operation_name: str, response: Mapping[str, Any]) -> None:
    """Assert ``response`` (minus ``ResponseMetadata``) fits the operation's output schema."""
    from sagemaker_lite.contract.schema import output_validator

    body = {k: v for k, v in response.items() if k != "ResponseMetadata"}
    problems = [
        f"{'/'.join(map(str, err.absolute_path)) or '<root>'}: {err.message}"
        for err in output_validator(operation_name).iter_errors(body)
    ]
    if problems:
        raise ResponseSchemaError(f"{operation_name} response: " + "; ".join(problems))


__all__ = [
    "ResponseSchemaError",
    "ServiceValidator",
    "aws_path",
    "check_params",
    "check_request",
    "check_response",
    "constraints_of",
    "param_checker",
    "param_report",
    "render_value",
    "request_violations",
    "service_validator",
]
