"""Hostile request strategies: what careless or malicious callers send.

Requests follow the operation's input shape loosely (so validation is
exercised deep inside structures, lists and maps) while any value may be
replaced by something hostile: None, wrong types, NaN and infinities, huge
and negative numbers beyond every wire type (up to ints Python cannot even
print), huge strings, odd unicode (lone surrogates, NUL, right-to-left
marks, combining characters), bytes, deep nesting, unknown keys, map keys
that look like snapshot tags (``$tuple``...), regexes that backtrack
catastrophically, forged NextTokens, and str/int/float/dict/list subclasses
whose methods lie or raise.

:func:`botocore_refusal` is the oracle for what is not an API error: the
exception botocore itself raises, before sending, for the same parameters.
"""

from __future__ import annotations

import base64
import copy
import datetime as dt
import decimal
import functools
import json
from collections.abc import Callable
from typing import Any

from botocore.exceptions import ParamValidationError
from hypothesis import strategies as st

from sagemaker_lite.contract.spec import load_model

HUGE_STRING = "a" * 100_000
#: Integers at and beyond the service's Java int/long and a double's range, both signs,
#: and one too long for Python to print (botocore's json.dumps raises ValueError).
HUGE_INTS = (
    2**31 - 1,
    2**31,
    -(2**31) - 1,
    2**63 - 1,
    2**63,
    -(2**63) - 1,
    2**1100,
    -(2**1100),
    10**5000,
)
#: MetricDefinitions regexes that make a backtracking engine run for minutes.
CATASTROPHIC_REGEXES = (
    "((a+))+$",
    "((a)+)+$",
    "a*a*a*a*a*b",
    r"\s*\s*\s*\s*x",
    "(a|aa)+$",
    r"(\w*)*x([0-9.]+)",
)
#: Log lines the fuzz's scripted training jobs print: food for those regexes.
HOSTILE_LOG = ["a" * 40 + "!", " " * 40 + "!", "x" * 500 + "1.5", "loss=0.25"]
#: Map keys a snapshot could mistake for its own type tags.
TAG_LIKE_KEYS = ("$tuple", "$datetime", "$bytes", "$decimal", "$$tuple", "$", "$x")
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
    "0.8\udc80",
    *CATASTROPHIC_REGEXES,
    *TAG_LIKE_KEYS,
)
MAX_NESTING = 300  # deeper than any real request, well within what repr() can print


def _nest(depth: int, as_list: bool) -> Any:
    value: Any = "x"
    for _ in range(depth):
        value = [value] if as_list else {"k": value}
    return value


def _forged(payload: Any) -> str:
    return base64.urlsafe_b64encode(json.dumps(payload).encode()).decode()


#: NextTokens no listing issued: huge, negative and mistyped offsets, JSON that is
#: no object, and text that is not base64 at all.
FORGED_TOKENS = (
    _forged({"offset": 2**63}),
    _forged({"offset": -1}),
    _forged({"offset": 10**30}),
    _forged({"offset": "1"}),
    _forged([1, 2]),
    _forged("x"),
    "not base64!",
    "\udc80",
    "",
)


class LyingStr(str):
    """A str whose methods raise and whose text representations lie."""

    def lower(self) -> str:
        raise AssertionError("a caller's str.lower ran inside the emulator")

    def encode(self, *args: Any, **kwargs: Any) -> bytes:
        raise AssertionError("a caller's str.encode ran inside the emulator")

    def startswith(self, *args: Any, **kwargs: Any) -> bool:
        raise AssertionError("a caller's str.startswith ran inside the emulator")

    def __str__(self) -> str:
        return "LIE"

    def __format__(self, spec: str) -> str:
        return "LIE"


class LyingInt(int):
    """An int whose conversions lie."""

    def __int__(self) -> int:
        return -7

    def __index__(self) -> int:
        return -7

    def __float__(self) -> float:
        return -7.0

    def __str__(self) -> str:
        return "LIE"


class LyingFloat(float):
    """A float whose conversions lie."""

    def __float__(self) -> float:
        return -7.0

    def __str__(self) -> str:
        return "LIE"


class LyingDict(dict):  # type: ignore[type-arg]
    """A dict whose convenience methods raise (botocore only iterates and indexes it)."""

    def get(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a caller's dict.get ran inside the emulator")

    def copy(self) -> Any:
        raise AssertionError("a caller's dict.copy ran inside the emulator")

    def pop(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a caller's dict.pop ran inside the emulator")

    def setdefault(self, *args: Any, **kwargs: Any) -> Any:
        raise AssertionError("a caller's dict.setdefault ran inside the emulator")


class LyingList(list):  # type: ignore[type-arg]
    """A list whose convenience methods raise (botocore only iterates it)."""

    def copy(self) -> Any:
        raise AssertionError("a caller's list.copy ran inside the emulator")

    def index(self, *args: Any, **kwargs: Any) -> int:
        raise AssertionError("a caller's list.index ran inside the emulator")

    def count(self, *args: Any) -> int:
        raise AssertionError("a caller's list.count ran inside the emulator")


def disguise(value: Any) -> Any:
    """``value`` as an instance of a lying subclass of its type (others unchanged)."""
    if isinstance(value, bool) or value is None:
        return value
    lying: dict[type, Callable[[Any], Any]] = {
        str: LyingStr,
        int: LyingInt,
        float: LyingFloat,
        dict: LyingDict,
        list: LyingList,
    }
    for base, make in lying.items():
        if isinstance(value, base):
            return make(value)
    return value


def botocore_refusal(operation: str, params: dict[str, Any]) -> tuple[str, BaseException] | None:
    """What botocore raises, before sending, for ``params``, and where: ``("validator",
    error)`` (its ``ParamValidationError``, or a crash inside its validator) or
    ``("serializer", error)``; None when botocore sends them."""
    from botocore.serialize import create_serializer
    from botocore.validate import validate_parameters

    if operation not in service_model().operation_names:
        # Only the emulator serves it (the early API's DescribeTuningJob): botocore's
        # validator would still fail formatting an int too long to print.
        return _unprintable(params)
    model = service_model().operation_model(operation)
    if isinstance(params, dict):
        # boto3 fills missing idempotency tokens before it validates (before-parameter-build)
        from botocore.handlers import generate_idempotent_uuid

        params = dict(params)
        generate_idempotent_uuid(params, model)
    try:
        validate_parameters(params, model.input_shape)
    except Exception as error:  # whatever botocore raises is the answer
        return "validator", error
    try:
        create_serializer("json").serialize_to_request(params, model)
    except Exception as error:
        return "serializer", error
    return None


def botocore_agrees(operation: str, params: dict[str, Any], error: BaseException) -> bool:
    """Whether botocore fails ``params`` as the direct client failed with ``error``
    (not an API error): the same exception, word for word; or, where botocore's own
    validator crashes (timestamps it cannot convert: docs/fidelity.md), our
    ParamValidationError or the ValueError of formatting its report."""
    refusal = botocore_refusal(operation, params)
    if refusal is None:
        return False
    stage, refused = refusal
    if (type(error), str(error)) == (type(refused), str(refused)):
        return True
    unprintable = _unprintable(params)
    return stage == "validator" and (
        isinstance(error, ParamValidationError)
        or (unprintable is not None and str(error) == str(unprintable[1]))
    )


def _unprintable(value: Any) -> tuple[str, BaseException] | None:
    if isinstance(value, dict):
        value = list(value.values())
    if isinstance(value, (list, tuple)):
        for item in value:
            found = _unprintable(item)
            if found is not None:
                return found
    elif isinstance(value, int):
        try:
            int.__repr__(value)
        except ValueError as error:
            return "validator", error
    return None


@functools.cache
def service_model() -> Any:
    """botocore's SageMaker service model."""
    import botocore.session

    return botocore.session.get_session().get_service_model("sagemaker")


def hostile_values() -> st.SearchStrategy[Any]:
    """Any one hostile value."""
    return st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.sampled_from(HUGE_INTS),
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
    """Values loosely of shape ``name``, any part of which may be hostile or disguised."""
    shaped = _shaped(name, depth)
    return st.one_of(shaped, shaped.map(disguise), hostile_values())


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
        keys = st.one_of(
            st.sampled_from(("k", "", "a" * 300, *TAG_LIKE_KEYS)),
            st.sampled_from(TAG_LIKE_KEYS).map(LyingStr),
            st.text(max_size=5),
        )
        return st.dictionaries(keys, value, max_size=3)
    return _plausible_scalar(shape)


def hostile_requests(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Keyword arguments for ``operation``: its members, loosely typed, often hostile."""
    name = load_model()["operations"][operation].get("input")
    if name is None:
        return st.dictionaries(st.text(max_size=5), hostile_values(), max_size=2)
    top: st.SearchStrategy[dict[str, Any]] = _shaped(name, 0)
    return top


# --- valid requests, twisted --------------------------------------------------
#
# Hostile values rarely reach a request valid enough to store a job.  These start
# from a valid request and twist a few of its values the way botocore still sends:
# a subclass in place of a plain value, a lone surrogate appended to a string, a
# catastrophic regex as a MetricDefinitions regex, a huge or negative integer, a
# Decimal (NaN, signaling NaN) for a float, a map key that looks like a snapshot tag.


def _leaves(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    """Every path inside ``value`` (dict keys and list indices), outermost first."""
    paths = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _leaves(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _leaves(item, (*path, index))
    return paths


def _twist(value: Any, key: Any, rnd: Any) -> Any:
    if key == "Regex" and isinstance(value, str) and rnd.random() < 0.7:
        return rnd.choice(CATASTROPHIC_REGEXES)
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return rnd.choice((disguise(value), value + "\udc80", "0.8\udc80"))
    if isinstance(value, int):
        return rnd.choice((disguise(value), rnd.choice(HUGE_INTS), -value))
    if isinstance(value, float):
        decimals = (decimal.Decimal(value), decimal.Decimal("NaN"), decimal.Decimal("sNaN"))
        return rnd.choice((disguise(value), 10**400, *decimals))
    if isinstance(value, dict) and value:
        some = next(iter(value.values()))
        tagged = {**value, rnd.choice(TAG_LIKE_KEYS): some}
        return rnd.choice((disguise(value), tagged, LyingDict(tagged)))
    if isinstance(value, list):
        return disguise(value)
    return value


def twisted(request: dict[str, Any], rnd: Any, twists: int) -> dict[str, Any]:
    """A copy of ``request`` with ``twists`` of its values twisted (see above)."""
    request = copy.deepcopy(request)
    for _ in range(twists):
        paths = _leaves(request)[1:]
        if not paths:
            break
        path = rnd.choice(paths)
        parent = request
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = _twist(parent[path[-1]], path[-1], rnd)
    return request


def twisted_requests(operation: str) -> st.SearchStrategy[dict[str, Any]]:
    """Valid requests of ``operation`` with one to three values twisted."""
    from sagemaker_lite.testing import strategies as sms

    return st.builds(
        twisted,
        sms.valid_requests(operation),
        st.randoms(use_true_random=False),
        st.integers(1, 3),
    )


#: Prefixes that lead a value deep into a URI or ARN pattern before the attack starts.
_PATTERN_PREFIXES = ("", "s3://", "https://", "arn:aws:sagemaker:us-east-1:123456789012:job/")
#: Repeated units: one character (a backtracking engine's food), and pairs that keep
#: an automaton alternating between states (no run to skip).
_PATTERN_UNITS = ("a", "-", "/", " ", "\n", "a-", "a/", "0.", "a ", "\ud800")
#: Endings that fail the match only at the very end (forcing a backtracking retry).
_PATTERN_TAILS = ("", "/\n", "!", "-", "\n")


def pattern_attacks(length: int) -> list[str]:
    """Values of about ``length`` characters built to make pattern matching slow."""
    values = []
    for prefix in _PATTERN_PREFIXES:
        for unit in _PATTERN_UNITS:
            for tail in _PATTERN_TAILS:
                values.append(prefix + unit * (length // len(unit)) + tail)
    return values


def model_patterns(full: bool) -> list[str]:
    """The distinct patterns of the shipped model, or (``full``) of botocore's whole
    SageMaker model: the families still to come use the same constraint texts."""
    if not full:
        return sorted({s["pattern"] for s in load_model()["shapes"].values() if "pattern" in s})
    shapes = service_model()._shape_resolver._shape_map
    return sorted({s["pattern"] for s in shapes.values() if "pattern" in s})
