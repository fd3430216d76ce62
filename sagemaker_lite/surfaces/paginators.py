"""Paginators for the direct client: a small interpreter of botocore's paginator data.

It behaves like ``botocore.paginate``: ``paginate(**kwargs)`` with
``PaginationConfig={"MaxItems", "PageSize", "StartingToken"}`` yields the
service's pages; ``MaxItems`` may cut a page short, and the resume token it
then gives is botocore's own format (base64 JSON with ``boto_truncate_amount``),
so a token from one kind of client resumes on the other.
"""

from __future__ import annotations

import base64
import binascii
import json
import re
from collections.abc import Iterator
from typing import Any, Protocol

from sagemaker_lite.contract.operations import OPERATIONS
from sagemaker_lite.contract.spec.extras import load_paginators


class Caller(Protocol):
    """What a paginator needs of a client: serving a call by the operation's AWS name."""

    def call(self, operation_name: str, params: dict[str, Any]) -> dict[str, Any]: ...


#: Paginator configuration by boto3 (snake_case) operation name.
PAGINATORS: dict[str, dict[str, Any]] = {
    OPERATIONS[name].python_name: {"operation": name, **config}
    for name, config in load_paginators().items()
}

try:  # botocore's own classes when it is installed, so callers catch the same thing
    from botocore.exceptions import OperationNotPageableError, PaginationError
except ImportError:  # pragma: no cover

    class PaginationError(Exception):  # type: ignore[no-redef]
        """Look-alike of ``botocore.exceptions.PaginationError``."""

        def __init__(self, *, message: str) -> None:
            super().__init__(f"Error during pagination: {message}")

    class OperationNotPageableError(Exception):  # type: ignore[no-redef]
        """Look-alike of ``botocore.exceptions.OperationNotPageableError``."""

        def __init__(self, *, operation_name: str) -> None:
            super().__init__(f"Operation cannot be paginated: {operation_name}")


# --- a JMESPath subset: dotted fields with [] / [*] projections --------------------

_SEGMENT = re.compile(r"([A-Za-z_][A-Za-z0-9_]*)?((?:\[\*?\])*)")


def search(expression: str, data: Any) -> Any:
    """Evaluate a simple JMESPath expression (``A.B``, ``A[].B``, ``A[*].B``) on ``data``.

    Other expressions are handed to the ``jmespath`` package when it is installed.
    """
    steps: list[str] = []
    for segment in expression.split("."):
        match = _SEGMENT.fullmatch(segment)
        if match is None or not segment:
            return _jmespath(expression, data)
        if match.group(1):
            steps.append(match.group(1))
        steps.extend("[]" if b == "[]" else "[*]" for b in re.findall(r"\[\*?\]", match.group(2)))
    return _walk(steps, data)


def _walk(steps: list[str], value: Any) -> Any:
    for index, step in enumerate(steps):
        if value is None:
            return None
        if step in ("[]", "[*]"):
            if not isinstance(value, list):
                return None
            if step == "[]":  # flatten one level, then project the rest
                value = [y for x in value for y in (x if isinstance(x, list) else [x])]
            rest = steps[index + 1 :]
            projected = (_walk(rest, item) for item in value)
            return [item for item in projected if item is not None]
        value = value.get(step) if isinstance(value, dict) else None
    return value


def _jmespath(expression: str, data: Any) -> Any:
    try:
        import jmespath
    except ImportError as exc:  # pragma: no cover
        raise ValueError(f"expression needs the jmespath package: {expression}") from exc
    return jmespath.search(expression, data)


# --- tokens ------------------------------------------------------------------------------


def encode_token(token: dict[str, Any]) -> str:
    """botocore's ``TokenEncoder``: base64 of the JSON of the token dict."""
    return base64.b64encode(json.dumps(token).encode("utf-8")).decode("utf-8")


def decode_token(token: str) -> dict[str, Any]:
    """botocore's ``TokenDecoder``; raises ValueError on a token it could not read."""
    try:
        decoded = json.loads(base64.b64decode(token.encode("utf-8")).decode("utf-8"))
    except (binascii.Error, UnicodeDecodeError, ValueError) as exc:
        raise ValueError(f"Bad starting token: {token}") from exc
    if not isinstance(decoded, dict):
        raise ValueError(f"Bad starting token: {token}")
    return decoded


def _as_list(value: str | list[str]) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


class Paginator:
    """``client.get_paginator(name)`` for the direct client."""

    def __init__(self, client: Caller, operation_name: str) -> None:
        config = PAGINATORS.get(operation_name)
        if config is None:
            raise OperationNotPageableError(operation_name=operation_name)
        self._client = client
        self._operation = config["operation"]
        self._input_token = _as_list(config["input_token"])
        self._output_token = _as_list(config["output_token"])
        self._result_keys = _as_list(config["result_key"])
        self._limit_key: str | None = config.get("limit_key")
        self._more_results: str | None = config.get("more_results")
        self._non_aggregate_keys: list[str] = list(config.get("non_aggregate_keys", ()))

    @property
    def result_keys(self) -> list[str]:
        """The expressions of the result lists pages carry."""
        return list(self._result_keys)

    def paginate(self, **kwargs: Any) -> PageIterator:
        """Iterate over the pages of the operation; ``PaginationConfig`` as on boto3."""
        paging = kwargs.pop("PaginationConfig", None) or {}
        max_items = paging.get("MaxItems")
        page_size = paging.get("PageSize")
        if page_size is not None and self._limit_key is None:
            raise PaginationError(
                message="PageSize parameter is not supported for the "
                "pagination interface for this operation."
            )
        return PageIterator(
            self,
            kwargs,
            max_items=None if max_items is None else int(max_items),
            page_size=None if page_size is None else int(page_size),
            starting_token=paging.get("StartingToken"),
        )


class PageIterator:
    """An iterable of pages, as botocore's ``PageIterator`` (re-iterable, lazy)."""

    def __init__(
        self,
        paginator: Paginator,
        kwargs: dict[str, Any],
        *,
        max_items: int | None,
        page_size: int | None,
        starting_token: str | None,
    ) -> None:
        self._p = paginator
        self._kwargs = kwargs
        self._max_items = max_items
        self._page_size = page_size
        self._starting_token = starting_token
        self._resume_token: str | None = None
        self.non_aggregate_part: dict[str, Any] = {}

    @property
    def result_keys(self) -> list[str]:
        """The expressions of the result lists pages carry."""
        return self._p.result_keys

    @property
    def resume_token(self) -> str | None:
        """The token that resumes where MaxItems stopped (None when all was read)."""
        return self._resume_token

    def _start(self) -> tuple[dict[str, Any], int]:
        if self._starting_token is None:
            return {key: None for key in self._p._input_token}, 0
        token = decode_token(self._starting_token)
        truncation = int(token.pop("boto_truncate_amount", 0))
        return token, truncation

    def __iter__(self) -> Iterator[dict[str, Any]]:
        p = self._p
        kwargs = dict(self._kwargs)
        next_token, starting_truncation = self._start()
        _inject(kwargs, next_token)
        if self._page_size is not None and p._limit_key is not None:
            kwargs[p._limit_key] = self._page_size
        primary = p._result_keys[0]
        total = 0
        previous: dict[str, Any] | None = None
        first = True
        while True:
            page = p._client.call(p._operation, dict(kwargs))
            if first:
                first = False
                if starting_truncation:
                    _truncate_start(page, p._result_keys, starting_truncation)
                self.non_aggregate_part = {key: search(key, page) for key in p._non_aggregate_keys}
            else:
                starting_truncation = 0
            items = search(primary, page) or []
            over = 0 if self._max_items is None else total + len(items) - self._max_items
            if over > 0:
                keep = len(items) - over
                page[primary] = items[:keep]
                self._resume_token = encode_token(
                    {**next_token, "boto_truncate_amount": keep + starting_truncation}
                )
                yield page
                return
            yield page
            total += len(items)
            next_token = self._next_token(page)
            if all(value is None for value in next_token.values()):
                return
            if self._max_items is not None and total == self._max_items:
                self._resume_token = encode_token(next_token)
                return
            if previous is not None and previous == next_token:
                raise PaginationError(
                    message=f"The same next token was received twice: {next_token}"
                )
            _inject(kwargs, next_token)
            previous = next_token

    def _next_token(self, page: dict[str, Any]) -> dict[str, Any]:
        p = self._p
        if p._more_results is not None and not search(p._more_results, page):
            return {}
        return {
            key: search(out, page) or None
            for out, key in zip(p._output_token, p._input_token, strict=True)
        }

    def build_full_result(self) -> dict[str, Any]:
        """Every page merged: the result lists joined, plus ``NextToken`` when MaxItems cut."""
        result: dict[str, Any] = {}
        for page in self:
            for key in self.result_keys:
                value = search(key, page)
                if value is None:
                    continue
                existing = result.get(key)
                if existing is None:
                    result[key] = value
                elif isinstance(value, list):
                    existing.extend(value)
                elif isinstance(value, (int, float, str)):
                    result[key] = existing + value
        result.update(self.non_aggregate_part)
        if self._resume_token is not None:
            result["NextToken"] = self._resume_token
        return result

    def search(self, expression: str) -> Iterator[Any]:
        """Apply ``expression`` to each page, flattening list results (as botocore)."""
        for page in self:
            found = search(expression, page)
            if isinstance(found, list):
                yield from found
            else:
                yield found


def _inject(kwargs: dict[str, Any], token: dict[str, Any]) -> None:
    for name, value in token.items():
        if value is not None and value != "None":
            kwargs[name] = value
        else:
            kwargs.pop(name, None)


def _truncate_start(page: dict[str, Any], result_keys: list[str], amount: int) -> None:
    """Resuming inside a page: drop what the previous run already returned."""
    primary, *others = result_keys
    items = page.get(primary)
    page[primary] = items[amount:] if isinstance(items, list) else None
    for key in others:
        if isinstance(page.get(key), list):
            page[key] = []
