"""Names a package imports on first use (PEP 562): the pytest plugin loads
``sagemaker_lite`` and ``sagemaker_lite.testing`` in every pytest run, so neither
may import the emulator, boto3 or Hypothesis until a test asks for them."""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


def lazy_attributes(package: str, where: dict[str, str]) -> Callable[[str], Any]:
    """A module ``__getattr__`` that imports ``name`` from the module ``where[name]``
    names (absolute, or relative to ``package`` when it starts with a dot) and keeps it."""
    namespace = importlib.import_module(package).__dict__

    def __getattr__(name: str) -> Any:
        module = where.get(name)
        if module is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, package), name)
        namespace[name] = value
        return value

    return __getattr__
