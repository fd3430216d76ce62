"""The definition's expression language: ``Get``, ``Std:Join``, ``Std:JsonGet`` and
conditions, interpreted over an execution's values.

A value is resolved against a :class:`Scope`: the execution's typed parameters,
its execution variables, and a lookup of a step's properties (the step's job
as its Describe answers it, a Condition's ``Outcome``, a callback's
``OutputParameters``) and of a step's property files.  Anything that cannot
be resolved raises :class:`Unresolvable`, which fails the step that needed it.
"""

from __future__ import annotations

import json
import operator
import re
from collections.abc import Callable, Mapping
from typing import Any

import attrs

#: One step of a property path: ``.Name``, ``['key']`` or ``[0]``.
_PATH_PART = re.compile(r"\.?([A-Za-z0-9_\-]+)|\[(\d+)\]|\['([^']*)'\]|\[\"([^\"]*)\"\]")


class Unresolvable(Exception):
    """A value the execution cannot compute (the step needing it fails with this text)."""


@attrs.frozen
class Scope:
    """What expressions of one execution read."""

    parameters: Mapping[str, Any]
    variables: Mapping[str, Any]
    #: (step name, property path parts) -> value
    step_property: Callable[[str, list[str | int]], Any]
    #: (step name, property file name) -> the file's parsed JSON
    property_file: Callable[[str, str], Any]


def path_parts(path: str) -> list[str | int]:
    """``A.B['k'][0]`` as ``["A", "B", "k", 0]``."""
    parts: list[str | int] = []
    position = 0
    while position < len(path):
        match = _PATH_PART.match(path, position)
        if match is None or match.end() == position:
            raise Unresolvable(f"Invalid property path '{path}'")
        name, index, quoted, double = match.groups()
        if index is not None:
            parts.append(int(index))
        else:
            parts.append(name if name is not None else (quoted if quoted is not None else double))
        position = match.end()
    return parts


def walk(value: Any, parts: list[str | int], where: str) -> Any:
    """Follow ``parts`` into ``value``: dict keys, list indexes, and ``['key']`` on a
    list picking the item one of whose ``...Name`` members is ``key``
    (``Outputs['train']``, ``FinalMetricDataList['loss']``)."""
    for part in parts:
        indexable = isinstance(part, int) and isinstance(value, list) and part < len(value)
        if indexable or (isinstance(part, str) and isinstance(value, dict) and part in value):
            value = value[part]
        elif isinstance(part, str) and isinstance(value, list):
            value = next(
                (
                    item
                    for item in value
                    if isinstance(item, dict)
                    and any(k.endswith("Name") and v == part for k, v in item.items())
                ),
                None,
            )
            if value is None:
                raise Unresolvable(f"No item '{part}' in {where}")
        else:
            raise Unresolvable(f"Property {where} has no '{part}'")
    return value


def render(value: Any) -> str:
    """A value as Std:Join writes it (booleans lower case, as AWS prints them)."""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _get(path: str, scope: Scope) -> Any:
    head, _, rest = path.partition(".")
    if head == "Parameters":
        if rest not in scope.parameters:
            raise Unresolvable(f"Parameter '{rest}' has no value")
        return scope.parameters[rest]
    if head == "Execution":
        if rest not in scope.variables:
            raise Unresolvable(f"Unknown execution variable '{rest}'")
        return scope.variables[rest]
    if head == "Steps":
        parts = path_parts(rest)
        if not parts or not isinstance(parts[0], str):
            raise Unresolvable(f"Invalid property reference '{path}'")
        return scope.step_property(parts[0], parts[1:])
    raise Unresolvable(f"Invalid property reference '{path}'")


def _json_get(spec: Mapping[str, Any], scope: Scope) -> Any:
    reference = spec.get("PropertyFile")
    if isinstance(reference, dict):
        reference = reference.get("Get")
    if not isinstance(reference, str):
        raise Unresolvable("Std:JsonGet needs a PropertyFile reference")
    parts = path_parts(reference.removeprefix("Steps."))
    if len(parts) != 3 or parts[1] != "PropertyFiles":
        raise Unresolvable(f"Invalid property file reference '{reference}'")
    document = scope.property_file(str(parts[0]), str(parts[2]))
    path = str(resolve(spec.get("Path", ""), scope))
    return walk(document, path_parts(path.removeprefix("$.")), f"{parts[2]} at {path}")


def resolve(value: Any, scope: Scope) -> Any:
    """``value`` with every expression in it replaced by what it evaluates to."""
    if isinstance(value, dict):
        if len(value) == 1:
            ((key, body),) = value.items()
            if key == "Get" and isinstance(body, str):
                return _get(body, scope)
            if key == "Std:Join" and isinstance(body, dict):
                values = resolve(body.get("Values") or [], scope)
                return str(body.get("On", "")).join(render(v) for v in values)
            if key == "Std:JsonGet" and isinstance(body, dict):
                return _json_get(body, scope)
        return {k: resolve(v, scope) for k, v in value.items()}
    if isinstance(value, list):
        return [resolve(item, scope) for item in value]
    return value


_COMPARISONS: dict[str, Callable[[Any, Any], bool]] = {
    "Equals": operator.eq,
    "GreaterThan": operator.gt,
    "GreaterThanOrEqualTo": operator.ge,
    "LessThan": operator.lt,
    "LessThanOrEqualTo": operator.le,
}


def _number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if isinstance(value, str):
        try:
            return float(value)
        except ValueError:
            return None
    return None


def _compare(op: str, left: Any, right: Any) -> bool:
    """Numbers (or numeric strings facing a number) compare as numbers, the rest as is."""
    a, b = _number(left), _number(right)
    if a is not None and b is not None and not (isinstance(left, str) and isinstance(right, str)):
        return _COMPARISONS[op](a, b)
    try:
        return _COMPARISONS[op](left, right)
    except TypeError:
        raise Unresolvable(f"Cannot compare {left!r} with {right!r}") from None


def holds(condition: Mapping[str, Any], scope: Scope) -> bool:
    """Whether one condition of a Condition step holds."""
    kind = condition.get("Type")
    if kind in _COMPARISONS:
        left = resolve(condition.get("LeftValue"), scope)
        return _compare(str(kind), left, resolve(condition.get("RightValue"), scope))
    if kind == "In":
        value = resolve(condition.get("QueryValue"), scope)
        return any(_compare("Equals", value, v) for v in resolve(condition["Values"], scope))
    if kind == "Not":
        return not holds(condition.get("Condition") or condition.get("Expression") or {}, scope)
    if kind == "Or":
        return any(holds(c, scope) for c in condition.get("Conditions") or ())
    raise Unresolvable(f"Unknown condition type '{kind}'")


def parse_json(content: bytes, where: str) -> Any:
    """A property file's JSON, or Unresolvable."""
    try:
        return json.loads(content)
    except ValueError:
        raise Unresolvable(f"Property file {where} is not JSON") from None
