"""The happy path: generated code that checks a request and copies it in one walk.

Valid requests are the common case, and checking one was most of what a
create cost.  For each operation this module writes one straight-line Python
function (nested values inline, members found by membership tests, scalar
checks inlined, no call per value) that returns a private copy of the
request when neither botocore's checks nor the service's constraints can
object, and None otherwise.  On None the client runs
:func:`validation.check_params` and :func:`validation.check_request`, which
find and word the error.  The generated check is stricter than both (a None
member, NaN, an unknown key, a str subclass: all "look closer"), so None
never hides an error and a copy never admits one.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Mapping
from typing import Any

from sagemaker_lite.contract import patterns
from sagemaker_lite.contract.schema import JAVA_RANGES
from sagemaker_lite.contract.spec import load_model, operation
from sagemaker_lite.contract.timestamps import is_timestamp

Copier = Callable[[Any], Any]

# Strings that passed a leaf check with a pattern before.  Requests repeat most
# strings (roles, images, S3 URIs...), and a set lookup is far cheaper than the
# length tests plus the regex.
_MEMO_LIMIT = 4096


def _remembering(pattern: str) -> tuple[set[str], Callable[[str], bool]]:
    """(the set of remembered strings, the pattern test that fills it).

    The test is the last of its leaf check, so only strings that passed every
    test of the leaf are remembered.
    """
    test: Callable[[str], bool] | None = None
    known: set[str] = set()

    def matches(value: str) -> bool:
        nonlocal test
        if test is None:  # compiled on first use: most fields of a shape are never sent
            test = patterns.matcher(pattern)
        if not test(value):
            return False
        if len(known) < _MEMO_LIMIT:
            known.add(value)
        return True

    return known, matches


def _blob(value: Any) -> bool:
    return isinstance(value, (bytes, bytearray, str)) or hasattr(value, "read")


# Exact classes where botocore takes subclasses too (and bool is an int): stricter,
# and cheaper; a subclass instance just takes the slow path.  Numbers must also fit
# the service's Java type (and an int a float, where botocore converts): a number
# out of range takes the slow path, which words the error.  A Decimal takes it too,
# to be stored as the float botocore sends.
_TYPE_TESTS = {
    "string": "{0}.__class__ is str",
    "boolean": "({0} is True or {0} is False)",
    "integer": "{{0}}.__class__ is int and {} <= {{0}} <= {}".format(*JAVA_RANGES["integer"]),
    "long": "{{0}}.__class__ is int and {} <= {{0}} <= {}".format(*JAVA_RANGES["long"]),
    "float": "({0}.__class__ is float or ({0}.__class__ is int and -_FMAX <= {0} <= _FMAX))",
    "double": "({0}.__class__ is float or ({0}.__class__ is int and -_FMAX <= {0} <= _FMAX))",
    "timestamp": "_is_timestamp({0})",
    "blob": "_blob({0})",
}
_CONTAINERS = ("structure", "list", "map")
# Deeper containers call their shape's function (Python allows 20 nested blocks).
_MAX_INLINE_DEPTH = 8


def _bounds(shape: Mapping[str, Any], measured: str) -> list[str]:
    """The test of ``measured`` (a value, or a length) against the shape's min and max."""
    lo, hi = shape.get("min"), shape.get("max")
    if measured.startswith("len(") and lo == 0:
        lo = None  # every length passes
    low = f"{lo!r} <= " if lo is not None else ""
    high = f" <= {hi!r}" if hi is not None else ""
    return [f"{low}{measured}{high}"] if low or high else []


class _Writer:
    """Writes generated functions into a shared namespace: one per operation's input
    shape, and one per shape that contains itself or sits too deep to inline."""

    def __init__(self, shapes: Mapping[str, Any], namespace: dict[str, Any]) -> None:
        self.shapes = shapes
        self.namespace = namespace
        self.queue: list[str] = []
        self.source: list[str] = []

    def function(self, name: str) -> str:
        """The generated function's name for container shape ``name`` (queued if new)."""
        ident = f"c_{name}"
        if ident not in self.namespace:
            self.namespace[ident] = None  # claimed: written once, recursive shapes included
            self.queue.append(name)
        return ident

    def constant(self, value: Any) -> str:
        ident = f"k{len(self.namespace)}"
        self.namespace[ident] = value
        return ident

    def leaf(self, shape: Mapping[str, Any], var: str) -> str:
        """A boolean expression: ``var`` is a valid value of scalar ``shape``."""
        kind = shape["type"]
        tests = [_TYPE_TESTS[kind].format(var)]
        tests += _bounds(shape, f"len({var})" if kind == "string" else var)
        if "enum" in shape:
            tests.append(f"{var} in {self.constant(frozenset(shape['enum']))}")
        if "pattern" not in shape:
            return " and ".join(tests)
        known, matches = _remembering(shape["pattern"])
        tests.append(f"{self.constant(matches)}({var})")
        first, rest = tests[0], " and ".join(tests[1:])
        return f"{first} and ({var} in {self.constant(known)} or ({rest}))"

    def check(self, ref: str, var: str, indent: str, stack: tuple[str, ...]) -> list[str]:
        """Lines that check ``var`` against shape ``ref``, leaving its copy in ``var``.

        Containers are written inline (a call per nested value cost as much as
        its checks), except a shape inside itself, or nested too deep: those
        call the shape's own function.
        """
        shape = self.shapes[ref]
        if shape["type"] not in _CONTAINERS:
            return [f"{indent}if not ({self.leaf(shape, var)}): return None"]
        if ref in stack or len(stack) > _MAX_INLINE_DEPTH:
            return [
                f"{indent}{var} = {self.function(ref)}({var})",
                f"{indent}if {var} is None: return None",
            ]
        return self.container(ref, var, indent, (*stack, ref))

    def container(self, ref: str, var: str, indent: str, stack: tuple[str, ...]) -> list[str]:
        """Lines that check container ``var`` of shape ``ref`` and leave its copy in ``var``."""
        shape = self.shapes[ref]
        kind = shape["type"]
        # Names of this nesting level: a nested value's code never clobbers its parent's.
        out, item, key = f"o{len(stack)}", f"x{len(stack)}", f"key{len(stack)}"
        inner = indent + "    "
        if kind == "structure":
            test = f"isinstance({var}, dict)"
            if shape.get("union"):
                test += f" and len({var}) == 1"
            lines = [f"{indent}if not ({test}): return None", f"{indent}{out} = {{}}"]
            required = set(shape.get("required", ()))
            for member, member_ref in shape["members"]:
                # A None member fails its check (it is no valid value): look closer.
                lines += [f"{indent}if {member!r} in {var}:", f"{inner}{item} = {var}[{member!r}]"]
                lines += self.check(member_ref, item, inner, stack)
                lines.append(f"{inner}{out}[{member!r}] = {item}")
                if member in required:
                    lines.append(f"{indent}else: return None")
            # An unknown key was not copied: look closer.
            lines.append(f"{indent}if len({out}) != len({var}): return None")
        else:
            container = "(list, tuple)" if kind == "list" else "dict"
            tests = [f"isinstance({var}, {container})", *_bounds(shape, f"len({var})")]
            lines = [f"{indent}if not ({' and '.join(tests)}): return None"]
            if kind == "list":
                lines += [f"{indent}{out} = []", f"{indent}for {item} in {var}:"]
                lines += self.check(shape["member"], item, inner, stack)
                lines.append(f"{inner}{out}.append({item})")
            else:
                lines += [f"{indent}{out} = {{}}", f"{indent}for {key}, {item} in {var}.items():"]
                lines += self.check(shape["key"], key, inner, stack)
                lines += self.check(shape["value"], item, inner, stack)
                lines.append(f"{inner}{out}[{key}] = {item}")
        return [*lines, f"{indent}{var} = {out}"]

    def write(self, name: str) -> None:
        lines = [f"def {self.function(name)}(v):", *self.container(name, "v", "    ", (name,))]
        self.source.append("\n".join([*lines, "    return v"]))

    def flush(self) -> None:
        """Write every queued shape, then define them all at once."""
        while self.queue:
            self.write(self.queue.pop())
        exec("\n\n".join(self.source), self.namespace)  # our own source, from the model
        self.source.clear()


_NAMESPACE: dict[str, Any] = {
    "_FMAX": int(sys.float_info.max),
    "_is_timestamp": is_timestamp,
    "_blob": _blob,
}
_ROOTS: dict[str, Copier] = {}
_WRITING = threading.Lock()


def valid_copy(operation_name: str, params: Mapping[str, Any]) -> dict[str, Any] | None:
    """A private copy of ``params`` if no check can object to it, else None.

    The copy shares no dict or list with ``params`` (tuples become lists), so
    what the service stores can never alias the caller's data.
    """
    copier = _ROOTS.get(operation_name)
    if copier is None:
        copier = _root(operation_name)
    copy: dict[str, Any] | None = copier(params)
    return copy


def _root(operation_name: str) -> Copier:
    input_shape = operation(operation_name).get("input")
    if input_shape is None:
        return lambda params: {} if not params else None
    with _WRITING:
        if operation_name not in _ROOTS:
            writer = _Writer(load_model()["shapes"], _NAMESPACE)
            root = writer.function(input_shape)
            writer.flush()
            _ROOTS[operation_name] = _NAMESPACE[root]
        return _ROOTS[operation_name]


def passes(shape_name: str, value: Any) -> bool:
    """Whether ``value`` certainly satisfies shape ``shape_name`` (False: look closer).

    The slow path's validator asks this of each member and list item before
    descending into it, so it only walks the parts of a request that may be wrong.
    """
    container = load_model()["shapes"][shape_name]["type"] in _CONTAINERS
    ident = f"{'c' if container else 's'}_{shape_name}"
    test = _NAMESPACE.get(ident)
    if test is None:
        test = _shape_test(shape_name, ident)
    return test(value) is not None


def _shape_test(shape_name: str, ident: str) -> Copier:
    with _WRITING:
        if _NAMESPACE.get(ident) is None:
            writer = _Writer(load_model()["shapes"], _NAMESPACE)
            if ident.startswith("c_"):
                writer.function(shape_name)
            else:
                leaf = writer.leaf(writer.shapes[shape_name], "v")
                writer.source.append(f"def {ident}(v):\n    return v if {leaf} else None")
            writer.flush()
        test: Copier = _NAMESPACE[ident]
        return test
