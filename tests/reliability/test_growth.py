"""The linearity check itself: it passes linear work and catches quadratic work."""

from __future__ import annotations

import pytest

from .growth import assert_linear


def _pairs(size: int) -> int:
    return sum(1 for i in range(size) for _ in range(i))


def test_linear_work_passes() -> None:
    assert_linear(lambda size: sum(range(size)), 20_000, 200_000)


def test_quadratic_work_fails_every_attempt() -> None:
    with pytest.raises(AssertionError, match="linear: about 10x"):
        assert_linear(_pairs, 100, 1_000)
