"""Differential test: our client-side report equals botocore's ParamValidator's, byte for byte."""

from __future__ import annotations

import copy
import datetime as dt
import decimal
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract.errors import ParamValidationError
from sagemaker_lite.contract.fastpath import valid_copy
from sagemaker_lite.contract.spec import load_model
from sagemaker_lite.contract.validation import check_params, param_report
from sagemaker_lite.testing.schema_strategies import present_members, request_strategy

botocore_session = pytest.importorskip("botocore.session")
botocore_validate = pytest.importorskip("botocore.validate")

_MODEL = botocore_session.get_session().get_service_model("sagemaker")
_OPS = [
    "CreateTrainingJob",
    "CreateHyperParameterTuningJob",
    "CreateCompilationJob",
    "ListTrainingJobs",
    "AddTags",
    "DeleteTags",
]

#: Values of every Python type a user might pass by mistake (a fixed object so str() is stable).
_OBJECT = object()
_WRONG = st.sampled_from(
    [
        None,
        0,
        -1,
        1.5,
        True,
        "",
        "x",
        "2024-01-01",
        "not a date",
        [],
        ["a"],
        (),
        {},
        {"a": 1},
        b"bytes",
        decimal.Decimal("2.5"),
        dt.datetime(2024, 1, 1),
        _OBJECT,
    ]
)


def _botocore_report(op: str, params: Any) -> str:
    shape = _MODEL.operation_model(op).input_shape
    report: str = botocore_validate.ParamValidator().validate(params, shape).generate_report()
    return report


def _mutate(data: st.DataObject, op: str, request: dict[str, Any]) -> dict[str, Any]:
    broken = copy.deepcopy(request)
    shapes = load_model()["shapes"]
    root = load_model()["operations"][op]["input"]
    for _ in range(data.draw(st.integers(1, 3))):
        members = present_members(root, broken)
        path, name, value = data.draw(st.sampled_from(members))
        shape = shapes[name]
        is_struct = shape["type"] == "structure" and isinstance(value, dict)
        kinds = ["wrong", "unknown"] if is_struct else ["wrong"]
        if is_struct and shape.get("required"):
            kinds.append("drop")
        if shape["type"] in ("string", "list") and isinstance(value, (str, list)) and value:
            kinds.append("short")
        numeric = isinstance(value, (int, float)) and not isinstance(value, bool)
        if shape["type"] in ("integer", "long", "float", "double") and "min" in shape and numeric:
            kinds.append("low")
        kind = data.draw(st.sampled_from(kinds))
        if kind == "unknown":
            value[data.draw(st.sampled_from(["Bogus", "trainingJobName", "Extra"]))] = 1
            continue
        if kind == "drop":
            value.pop(data.draw(st.sampled_from(shape["required"])), None)
            continue
        replacement: Any
        if kind == "wrong":
            replacement = data.draw(_WRONG)
        elif kind == "short":
            replacement = value[: data.draw(st.integers(0, max(0, len(value) - 1)))]
        else:
            replacement = shape["min"] - data.draw(st.integers(0, 3))
        if not path:
            return broken if not isinstance(replacement, dict) else replacement
        target = broken
        for seg in path[:-1]:
            target = target[seg]
        target[path[-1]] = replacement
    return broken


PROPERTY = settings(
    max_examples=25, deadline=None, database=None, suppress_health_check=list(HealthCheck)
)


@pytest.mark.parametrize("op", _OPS)
@given(data=st.data())
@PROPERTY
def test_report_matches_botocore_on_mutated_requests(op: str, data: st.DataObject) -> None:
    request = data.draw(request_strategy(op))
    assert param_report(op, request) == _botocore_report(op, request) == ""
    broken = _mutate(data, op, request)
    expected = _botocore_report(op, broken)
    assert param_report(op, broken) == expected
    if expected:
        with pytest.raises(ParamValidationError) as raised:
            check_params(op, broken)
        assert str(raised.value) == f"Parameter validation failed:\n{expected}"
        # the generated fast path never lets through what botocore would refuse
        assert valid_copy(op, broken) is None
    else:
        check_params(op, broken)


@pytest.mark.parametrize("params", [None, [], "x", {"Tags": None}, {"ResourceArn": 1, "Tags": [1]}])
def test_report_matches_botocore_on_odd_top_level_values(params: Any) -> None:
    assert param_report("AddTags", params) == _botocore_report("AddTags", params)
