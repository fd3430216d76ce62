"""Testing kit for pipelines: draw parameter sets, script what a step's job leaves.

* :func:`pipeline_parameters`: a Hypothesis strategy of overrides for a
  definition's ``Parameters`` (a dict the SDK's ``pipeline.start(parameters=...)``
  takes; ``as_request`` turns it into ``PipelineParameters``).
* :func:`script_step_output`: script the file a pipeline step's processing job
  leaves in one of its outputs (what a ``JsonGet`` over a ``PropertyFile`` reads).

Guide: docs/testing.md ("Pipelines").
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from typing import Any

from hypothesis import strategies as st

from sagemaker_lite.engine.emulator import Engine
from sagemaker_lite.families.pipelines.executor import step_fragment

__all__ = ["as_request", "pipeline_parameters", "script_step_output"]


def _value_strategy(parameter: Mapping[str, Any]) -> st.SearchStrategy[Any]:
    """Values of a parameter's Type near its default (EnumValues when it has them)."""
    kind, default = parameter.get("Type", "String"), parameter.get("DefaultValue")
    if parameter.get("EnumValues"):
        return st.sampled_from(list(parameter["EnumValues"]))
    if kind == "Boolean":
        return st.booleans()
    if kind == "Integer":
        return st.integers(min_value=0, max_value=max(10, 2 * abs(int(default or 0))))
    if kind == "Float":
        start = float(default or 0.0)
        ceiling = 1.0 if 0.0 <= start <= 1.0 else 2 * abs(start) + 1.0
        return st.floats(min_value=0.0, max_value=ceiling, allow_nan=False)
    alphabet = st.characters(whitelist_categories=("Ll", "Lu", "Nd"))
    text = st.text(alphabet, min_size=1, max_size=16)
    return text if default is None else st.one_of(st.just(str(default)), text)


def pipeline_parameters(
    definition: str | Mapping[str, Any],
    overrides: Mapping[str, st.SearchStrategy[Any]] | None = None,
) -> st.SearchStrategy[dict[str, Any]]:
    """Overrides for the ``Parameters`` of ``definition`` (its JSON text or document).

    Each parameter is left out (its default applies) or drawn as its Type says:
    Boolean, Integer and Float near the default, a String from its EnumValues or
    short text.  ``overrides`` gives a parameter a strategy of your own (an
    instance type from a list, a threshold in a range).  Parameters without a
    default are always drawn.
    """
    document = json.loads(definition) if isinstance(definition, str) else definition
    mine = dict(overrides or {})
    required: dict[str, st.SearchStrategy[Any]] = {}
    optional: dict[str, st.SearchStrategy[Any]] = {}
    for parameter in document.get("Parameters") or ():
        name = parameter["Name"]
        strategy = mine[name] if name in mine else _value_strategy(parameter)
        (optional if "DefaultValue" in parameter else required)[name] = strategy
    return st.fixed_dictionaries(required, optional=optional)


def as_request(parameters: Mapping[str, Any]) -> list[dict[str, str]]:
    """``PipelineParameters`` for StartPipelineExecution, written as the SDK writes them."""
    return [{"Name": name, "Value": str(value)} for name, value in parameters.items()]


def script_step_output(
    emulator: Engine,
    step_name: str,
    output_name: str,
    path: str,
    content: str | bytes | Callable[[Mapping[str, str]], str | bytes],
) -> None:
    """Script the file ``path`` that the processing jobs of pipeline step ``step_name``
    leave in their output ``output_name`` (a ``PropertyFile``'s ``FilePath``).

    The jobs a step starts are named ``pipelines-<execution id>-<step>-<random>``;
    the match is on that name, so every execution's run of the step leaves it.
    """
    pattern = re.compile(
        rf"pipelines-[a-z0-9]{{12}}-{re.escape(step_fragment(step_name))}-[0-9a-f]{{10}}"
    )

    def match(request: Mapping[str, Any]) -> bool:
        return pattern.fullmatch(str(request.get("ProcessingJobName", ""))) is not None

    emulator.script_processing(match, outputs={output_name: {path: content}})
