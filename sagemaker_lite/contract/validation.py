"""Request validation: botocore's client-side checks, then the service's constraint checks.

Both are small interpreters of the shipped constraint model (:mod:`sagemaker_lite.contract.spec`),
compiled once per shape into closures.  A closure returns an empty tuple when
its value is valid, so the happy path allocates nothing and builds no paths;
only when something fails are paths and messages assembled.

* :func:`check_params` mirrors ``botocore.validate.ParamValidator`` exactly
  (same checks, same report order and text) and raises botocore's
  ``ParamValidationError``.
* :func:`check_request` is what the service checks (every ``min``, ``max``,
  ``pattern``, ``enum`` and ``required``) and raises ``ValidationException``
  worded as AWS words it.
* :func:`check_response` checks a handler's response against the generated
  output JSON Schema (a test aid).
"""

from __future__ import annotations

import datetime as _dt
import decimal
import functools
import threading
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from sagemaker_lite.contract import messages, patterns
from sagemaker_lite.contract.errors import ApiError, ParamValidationError, validation_error
from sagemaker_lite.contract.spec import load_model, operation
from sagemaker_lite.contract.timestamps import is_timestamp

# ---------------------------------------------------------------------------
# Shared: per-scalar constraint predicates, in AWS's listing order.

#: A predicate that says whether a value *breaks* a constraint, and that constraint's text.
Constraint = tuple[Callable[[Any], bool], str]


def _pattern_breaks(pattern: str) -> Callable[[Any], bool]:
    # Compile on first use: expanding \p{..} classes costs a fraction of a second.
    test: list[Callable[[str], bool]] = []

    def breaks(value: Any) -> bool:
        if not test:
            test.append(patterns.matcher(pattern))  # linear in the value
        return not test[0](value)

    return breaks


def _longer(limit: int) -> Callable[[Any], bool]:
    return lambda value: len(value) > limit


def _shorter(limit: int) -> Callable[[Any], bool]:
    return lambda value: len(value) < limit


def _above(limit: float) -> Callable[[Any], bool]:
    return lambda value: value > limit


def _below(limit: float) -> Callable[[Any], bool]:
    return lambda value: value < limit


def _outside(allowed: frozenset[str]) -> Callable[[Any], bool]:
    return lambda value: value not in allowed


def constraints_of(shape: Mapping[str, Any]) -> list[Constraint]:
    """The checkable constraints of a scalar, list or map shape, in AWS's order."""
    kind = shape["type"]
    out: list[Constraint] = []
    lo, hi = shape.get("min"), shape.get("max")
    if kind in ("string", "list", "map"):
        if hi is not None:
            out.append((_longer(hi), messages.length_at_most(hi)))
        if lo is not None:
            out.append((_shorter(lo), messages.length_at_least(lo)))
    elif kind in _NUMBER_TYPES:
        if hi is not None:
            out.append((_above(hi), messages.value_at_most(hi)))
        if lo is not None:
            out.append((_below(lo), messages.value_at_least(lo)))
    if "pattern" in shape:
        out.append(
            (_pattern_breaks(shape["pattern"]), messages.pattern_constraint(shape["pattern"]))
        )
    if "enum" in shape:
        out.append(
            (_outside(frozenset(shape["enum"])), messages.enum_constraint(list(shape["enum"])))
        )
    return out


_NUMBER_TYPES = ("integer", "long", "float", "double")
_NO_ERRORS: tuple[()] = ()


def _shapes() -> Mapping[str, Any]:
    shapes: Mapping[str, Any] = load_model()["shapes"]
    return shapes


# ---------------------------------------------------------------------------
# Service side: ValidationException.
#
# A service error is (path, value, constraint); a path holds member names
# (str), list indices (int) and map keys (_MapKey).


class _MapKey(str):
    """A map key in an error path (rendered as is, not lower-camelled)."""


Path = tuple[Any, ...]
ServiceError = tuple[Path, Any, str]
ServiceCheck = Callable[[Any], Sequence[ServiceError]]


class _Mismatch(Exception):
    """A value of the wrong JSON type: the service's deserializer rejects the request."""

    def __init__(self, value: Any, expected: str) -> None:
        super().__init__(expected)
        self.value = value
        self.expected = expected


class _OutOfRange(_Mismatch):
    """A number of the right JSON type that the member's Java type cannot hold."""


# What the service's Java types hold: integer is a 32-bit int, long a 64-bit long.
JAVA_RANGES: dict[str, tuple[int, int]] = {
    "integer": (-(2**31), 2**31 - 1),
    "long": (-(2**63), 2**63 - 1),
}


def _fits(kind: str, value: Any) -> bool:
    """Whether a number of the right JSON type fits the Java type of ``kind``."""
    bounds = JAVA_RANGES.get(kind)
    if bounds is not None:
        return bool(bounds[0] <= value <= bounds[1])
    if kind in ("float", "double") and isinstance(value, int):
        try:
            float(value)
        except OverflowError:
            return False
    return True


_PY_TYPES: dict[str, Callable[[Any], bool]] = {
    "string": lambda v: isinstance(v, str),
    "boolean": lambda v: isinstance(v, bool),
    "integer": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "long": lambda v: isinstance(v, int) and not isinstance(v, bool),
    "float": lambda v: isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool),
    "double": lambda v: isinstance(v, (int, float, decimal.Decimal)) and not isinstance(v, bool),
    "timestamp": is_timestamp,
    "structure": lambda v: isinstance(v, dict),
    "map": lambda v: isinstance(v, dict),
    "list": lambda v: isinstance(v, (list, tuple)),
    "blob": lambda v: isinstance(v, (bytes, bytearray, str)),
}


def _service_scalar(shape: Mapping[str, Any]) -> ServiceCheck:
    is_type = _PY_TYPES[shape["type"]]
    expected = shape["type"]
    rules = constraints_of(shape)

    numeric = expected in _NUMBER_TYPES

    def check(value: Any) -> Sequence[ServiceError]:
        if not is_type(value):
            raise _Mismatch(value, expected)
        if numeric and not _fits(expected, value):
            raise _OutOfRange(value, expected)
        for breaks, _ in rules:
            if breaks(value):
                return [((), value, text) for fails, text in rules if fails(value)]
        return _NO_ERRORS

    return check


def _service_structure(
    shape: Mapping[str, Any], sub: Callable[[str], ServiceCheck]
) -> ServiceCheck:
    members = {name: sub(ref) for name, ref in shape["members"]}
    order = {name: i for i, (name, _) in enumerate(shape["members"])}
    required = tuple(shape.get("required", ()))

    def check(value: Any) -> Sequence[ServiceError]:
        if not isinstance(value, dict):
            raise _Mismatch(value, "structure")
        errors: list[ServiceError] | None = None
        for name in required:
            if value.get(name) is None:
                errors = errors or []
                errors.append(((name,), None, messages.MEMBER_NOT_NULL))
        for name, item in value.items():
            member = members.get(name)
            if member is None or item is None:
                continue  # unknown members are botocore's concern; null means absent
            found = member(item)
            if found:
                errors = errors or []
                errors.extend(((name, *path), v, text) for path, v, text in found)
        if not errors:
            return _NO_ERRORS
        errors.sort(key=lambda err: order.get(err[0][0], len(order)))  # model order, stable
        return errors

    return check


def _service_list(shape: Mapping[str, Any], sub: Callable[[str], ServiceCheck]) -> ServiceCheck:
    rules = constraints_of(shape)
    item_check = sub(shape["member"])

    def check(value: Any) -> Sequence[ServiceError]:
        if not isinstance(value, (list, tuple)):
            raise _Mismatch(value, "list")
        errors: list[ServiceError] | None = None
        for breaks, text in rules:
            if breaks(value):
                errors = errors or []
                errors.append(((), value, text))
        for i, item in enumerate(value):
            found = item_check(item)
            if found:
                errors = errors or []
                errors.extend(((i, *path), v, text) for path, v, text in found)
        return errors or _NO_ERRORS

    return check


def _service_map(shape: Mapping[str, Any], sub: Callable[[str], ServiceCheck]) -> ServiceCheck:
    rules = constraints_of(shape)
    shapes = _shapes()
    key_rules = constraints_of(shapes[shape["key"]])
    value_shape = shapes[shape["value"]]
    scalar_values = value_shape["type"] not in ("structure", "list", "map")
    value_rules = constraints_of(value_shape)
    value_check = sub(shape["value"])
    key_text = messages.map_keys_constraint([text for _, text in key_rules])
    value_text = messages.map_values_constraint([text for _, text in value_rules])

    def check(value: Any) -> Sequence[ServiceError]:
        if not isinstance(value, dict):
            raise _Mismatch(value, "map")
        errors: list[ServiceError] = [((), value, text) for breaks, text in rules if breaks(value)]
        bad_key = bad_value = False
        for key, item in value.items():
            if not isinstance(key, str):
                raise _Mismatch(key, "string")
            if not bad_key and any(breaks(key) for breaks, _ in key_rules):
                bad_key = True
            found = value_check(item)
            if found and scalar_values:
                bad_value = True
            elif found:
                errors.extend(((_MapKey(key), *path), v, text) for path, v, text in found)
        # AWS reports a map's keys (or values) once, listing every constraint of the shape.
        if bad_key:
            errors.append(((), value, key_text))
        if bad_value:
            errors.append(((), value, value_text))
        return errors or _NO_ERRORS

    return check


# Compiling is serialised: another thread must never see a checker half built.
_COMPILING = threading.RLock()


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


def _make_service(name: str, sub: Callable[[str], ServiceCheck]) -> ServiceCheck:
    shape = _shapes()[name]
    kind = shape["type"]
    if kind == "structure":
        return _service_structure(shape, sub)
    if kind == "list":
        return _service_list(shape, sub)
    if kind == "map":
        return _service_map(shape, sub)
    return _service_scalar(shape)


_SERVICE_CACHE: dict[str, ServiceCheck] = {}


def service_checker(shape_name: str) -> ServiceCheck:
    """The compiled service-side check of one shape (cached)."""
    check: ServiceCheck = _compile(shape_name, _SERVICE_CACHE, _make_service)
    return check


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
    """Every constraint violation of a request, each as AWS words it (empty if valid)."""
    input_shape = operation(operation_name).get("input")
    if input_shape is None:
        return []
    found = service_checker(input_shape)(dict(params))
    return [
        messages.constraint_violation(
            None if value is None else render_value(value), aws_path(path), text
        )
        for path, value, text in found
    ]


def check_request(operation_name: str, params: Mapping[str, Any]) -> None:
    """Raise the service's ``ValidationException`` if the request breaks the model's constraints.

    A value of the wrong JSON type is answered with ``SerializationException``
    (the service's deserializer fails before validation runs).
    """
    try:
        violations = request_violations(operation_name, params)
    except _OutOfRange as bad:
        raise ApiError(
            "SerializationException", messages.number_out_of_range(bad.expected)
        ) from None
    except _Mismatch as bad:
        raise ApiError(
            "SerializationException",
            messages.serialization_error(_json_kind(bad.value), bad.expected),
        ) from None
    if violations:
        raise validation_error(messages.validation_summary(violations))


# ---------------------------------------------------------------------------
# Client side: botocore's ParamValidator, mirrored.
#
# An error is (name parts, formatter); the full name is assembled, and the
# line formatted, only when a report is produced.

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
    "aws_path",
    "check_params",
    "check_request",
    "check_response",
    "constraints_of",
    "param_checker",
    "param_report",
    "render_value",
    "request_violations",
    "service_checker",
]
