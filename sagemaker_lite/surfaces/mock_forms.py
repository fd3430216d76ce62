"""The forms ``mock_sagemaker`` is used in, besides ``with``: decorators and start/stop.

As moto's ``mock_aws``: ``@mock_sagemaker`` (bare) or ``@mock_sagemaker(...)`` on

* a function: each call runs inside a mock of its own (a fresh emulator, unless
  one was given), from its first line;
* an ``async def``: the same, around the awaited body (not just the creation of
  the coroutine);
* a ``unittest.TestCase`` subclass: each test runs inside its own mock from
  before ``setUp`` to after ``tearDown`` and its cleanups (its ``run`` is wrapped);
* any other class (a pytest test class): each method whose name starts with
  ``test`` (its own or inherited) is decorated as a function is; the class stays a
  class, so pytest still collects it.

``mock.start()`` enters the mock and returns its emulator, ``mock.stop()`` leaves it.
"""

from __future__ import annotations

import functools
import inspect
import unittest
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeVar

_T = TypeVar("_T")


class Recreates(Protocol):
    """A mock that makes the context manager each decorated call runs in."""

    def _recreate_cm(self) -> AbstractContextManager[Any]: ...


def decorate(mock: Recreates, target: _T) -> _T:
    """``target`` (a function, coroutine function or class) running inside ``mock``."""
    if isinstance(target, type):
        return _decorate_class(mock, target)  # type: ignore[return-value]
    if not callable(target):
        raise TypeError(
            f"mock_sagemaker decorates functions and classes, not {type(target).__name__}"
        )
    return _decorate_function(mock, target)  # type: ignore[return-value]


def _decorate_function(mock: Recreates, function: Callable[..., Any]) -> Callable[..., Any]:
    if inspect.iscoroutinefunction(function):

        @functools.wraps(function)
        async def run_async(*args: Any, **kwargs: Any) -> Any:
            with mock._recreate_cm():
                return await function(*args, **kwargs)

        return run_async

    @functools.wraps(function)
    def run(*args: Any, **kwargs: Any) -> Any:
        with mock._recreate_cm():
            return function(*args, **kwargs)

    return run


def _decorate_class(mock: Recreates, cls: type) -> type:
    if issubclass(cls, unittest.TestCase):
        # setUp, the test, tearDown and cleanups all run inside TestCase.run.
        cls.run = _decorate_function(mock, cls.run)  # type: ignore[method-assign]
        return cls
    for name in dir(cls):
        if name.startswith("test") and inspect.isfunction(inspect.getattr_static(cls, name)):
            setattr(cls, name, _decorate_function(mock, getattr(cls, name)))
    return cls


__all__ = ["Recreates", "decorate"]
