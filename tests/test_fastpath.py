"""The generated fast path: a valid request is checked and privately copied in one walk."""

from __future__ import annotations

from typing import Any

import pytest
from factories import training_request
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite.contract.fastpath import valid_copy
from sagemaker_lite.contract.operations import SPEC_OPERATIONS
from sagemaker_lite.contract.validation import check_params, check_request
from sagemaker_lite.testing.schema_strategies import request_strategy


def containers(value: Any) -> list[int]:
    """The ids of every dict and list inside ``value``."""
    if isinstance(value, dict):
        return [id(value), *(i for item in value.values() for i in containers(item))]
    if isinstance(value, (list, tuple)):
        return [id(value), *(i for item in value for i in containers(item))]
    return []


@pytest.mark.parametrize("op", SPEC_OPERATIONS)
@given(data=st.data())
@settings(max_examples=25)
def test_a_valid_request_comes_back_as_an_equal_copy_sharing_nothing(
    op: str, data: st.DataObject
) -> None:
    request = data.draw(request_strategy(op))
    check_params(op, request)
    check_request(op, request)
    copy = valid_copy(op, request)
    assert copy == request
    assert not set(containers(copy)) & set(containers(request))


def test_tuples_become_lists_as_botocore_sends_them() -> None:
    request = training_request(InputDataConfig=tuple(training_request()["InputDataConfig"]))
    copy = valid_copy("CreateTrainingJob", request)
    assert copy is not None
    assert copy["InputDataConfig"] == list(request["InputDataConfig"])


@pytest.mark.parametrize(
    "change",
    [
        {"Unknown": "x"},  # botocore refuses unknown members
        {"VpcConfig": None},  # a None member: botocore's report names it
        {"TrainingJobName": "bad name"},  # fails the pattern
        {"TrainingJobName": "x" * 64},  # too long
        {"OutputDataConfig": {"KmsKeyId": "key"}},  # S3OutputPath is required
        {"HyperParameters": {"k": 1}},  # a map value of the wrong type
        {"EnableManagedSpotTraining": 1},  # an int is not a boolean
    ],
)
def test_anything_a_check_could_object_to_looks_closer(change: dict[str, Any]) -> None:
    assert valid_copy("CreateTrainingJob", training_request(**change)) is None


def test_a_value_refused_once_is_refused_again() -> None:
    # Pattern results are remembered, but only matches: a refusal is never cached as a pass.
    for _ in range(2):
        assert valid_copy("CreateTrainingJob", training_request("bad name")) is None
        assert valid_copy("CreateTrainingJob", training_request("good-name")) is not None


def test_operations_without_input_accept_only_no_parameters() -> None:
    assert valid_copy("ListTrainingJobs", {}) == {}
    assert valid_copy("ListTrainingJobs", {"MaxResults": 0}) is None


def test_a_shape_inside_itself_calls_its_own_function() -> None:
    # The shipped model has no recursive shape; a refreshed one may.
    from sagemaker_lite.contract import fastpath

    shapes = {
        "Node": {"type": "structure", "members": [["Name", "Name"], ["Children", "Nodes"]]},
        "Nodes": {"type": "list", "member": "Node", "max": 3},
        "Name": {"type": "string", "min": 1, "pattern": "^[a-z]+$"},
    }
    namespace = dict(fastpath._NAMESPACE)
    writer = fastpath._Writer(shapes, namespace)
    check = writer.function("Node")
    writer.flush()
    tree: dict[str, Any] = {"Name": "a", "Children": [{"Name": "b", "Children": [{"Name": "c"}]}]}
    copy = namespace[check](tree)
    assert copy == tree and copy["Children"][0] is not tree["Children"][0]
    tree["Children"][0]["Children"][0]["Name"] = "C"  # breaks the pattern two levels down
    assert namespace[check](tree) is None


def test_nesting_deeper_than_python_allows_inline_calls_a_function() -> None:
    from sagemaker_lite.contract import fastpath

    depth = 30  # more nested loops than Python compiles in one function
    shapes: dict[str, Any] = {"Leaf": {"type": "integer", "min": 0}}
    for level in range(depth):
        inner = f"L{level + 1}" if level + 1 < depth else "Leaf"
        shapes[f"L{level}"] = {"type": "list", "member": inner}
    namespace = dict(fastpath._NAMESPACE)
    writer = fastpath._Writer(shapes, namespace)
    check = writer.function("L0")
    writer.flush()
    value: Any = [1]
    for _ in range(depth - 1):
        value = [value]
    assert namespace[check](value) == value
