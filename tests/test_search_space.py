"""SearchSpace: scaling types, bounds, rendering, embedding."""

from __future__ import annotations

import math
import random
from collections import Counter

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sagemaker_lite.families.tuning.search import CategoricalParam, SearchSpace


def _space(**ranges: object) -> SearchSpace:
    return SearchSpace.from_ranges(ranges)


def _samples(space: SearchSpace, name: str, n: int = 6000) -> list[str]:
    rng = random.Random(7)
    return [space.sample(rng)[name] for _ in range(n)]


def test_logarithmic_continuous_spreads_samples_evenly_per_decade() -> None:
    space = _space(
        ContinuousParameterRanges=[
            {"Name": "lr", "MinValue": "1e-6", "MaxValue": "1", "ScalingType": "Logarithmic"}
        ]
    )
    decades = Counter(min(math.floor(-math.log10(float(v))), 5) for v in _samples(space, "lr"))
    assert sorted(decades) == [0, 1, 2, 3, 4, 5]
    assert all(800 < count < 1200 for count in decades.values()), decades


def test_linear_continuous_concentrates_in_the_top_decade() -> None:
    space = _space(
        ContinuousParameterRanges=[
            {"Name": "lr", "MinValue": "1e-6", "MaxValue": "1", "ScalingType": "Linear"}
        ]
    )
    top = sum(float(v) >= 0.1 for v in _samples(space, "lr"))
    assert top > 0.85 * 6000


def test_auto_scaling_searches_linearly() -> None:
    auto = _space(
        ContinuousParameterRanges=[
            {"Name": "a", "MinValue": "0.001", "MaxValue": "10", "ScalingType": "Auto"}
        ]
    )
    linear = _space(
        ContinuousParameterRanges=[
            {"Name": "a", "MinValue": "0.001", "MaxValue": "10", "ScalingType": "Linear"}
        ]
    )
    assert _samples(auto, "a", 50) == _samples(linear, "a", 50)


def test_reverse_logarithmic_crowds_values_towards_one() -> None:
    space = _space(
        ContinuousParameterRanges=[
            {
                "Name": "beta",
                "MinValue": "0",
                "MaxValue": "0.999",
                "ScalingType": "ReverseLogarithmic",
            }
        ]
    )
    values = [float(v) for v in _samples(space, "beta")]
    assert all(0.0 <= v <= 0.999 for v in values)
    # 1 - beta is log-uniform over [0.001, 1]: a third of the draws per decade.
    decades = Counter(min(math.floor(-math.log10(1.0 - v)), 2) for v in values)
    assert all(1800 < decades[d] < 2200 for d in (0, 1, 2)), decades


def test_integer_bounds_are_inclusive_and_uniform() -> None:
    space = _space(
        IntegerParameterRanges=[
            {"Name": "depth", "MinValue": "3", "MaxValue": "5", "ScalingType": "Linear"}
        ]
    )
    counts = Counter(_samples(space, "depth", 3000))
    assert set(counts) == {"3", "4", "5"}
    assert all(900 < c < 1100 for c in counts.values()), counts


def test_logarithmic_integer_spreads_per_decade_and_reaches_both_ends() -> None:
    space = _space(
        IntegerParameterRanges=[
            {"Name": "trees", "MinValue": "1", "MaxValue": "999", "ScalingType": "Logarithmic"}
        ]
    )
    values = [int(v) for v in _samples(space, "trees")]
    decades = Counter(len(str(v)) for v in values)
    assert all(1800 < decades[d] < 2200 for d in (1, 2, 3)), decades
    assert min(values) == 1
    assert max(values) >= 900


def test_categorical_values_keep_request_order_and_drop_duplicates() -> None:
    space = _space(CategoricalParameterRanges=[{"Name": "opt", "Values": ["sgd", "adam", "sgd"]}])
    assert space.params == (CategoricalParam(name="opt", values=("sgd", "adam")),)
    assert set(_samples(space, "opt", 200)) == {"sgd", "adam"}


def test_reverse_logarithmic_integer_range_is_rejected() -> None:
    with pytest.raises(ValueError):
        _space(
            IntegerParameterRanges=[
                {"Name": "n", "MinValue": "0", "MaxValue": "1", "ScalingType": "ReverseLogarithmic"}
            ]
        )


_scalings = st.sampled_from(["Auto", "Linear", "Logarithmic"])


@settings(max_examples=60, deadline=None)
@given(
    low=st.integers(1, 10_000),
    span=st.integers(0, 10_000),
    clow=st.floats(1e-8, 1e3),
    cfactor=st.floats(1.0, 1e6),
    iscale=_scalings,
    cscale=_scalings,
    seed=st.integers(0, 2**32),
)
def test_samples_are_within_bounds_and_rendered_as_valid_strings(
    low: int, span: int, clow: float, cfactor: float, iscale: str, cscale: str, seed: int
) -> None:
    chigh = clow * cfactor
    space = _space(
        IntegerParameterRanges=[
            {"Name": "i", "MinValue": str(low), "MaxValue": str(low + span), "ScalingType": iscale}
        ],
        ContinuousParameterRanges=[
            {"Name": "c", "MinValue": repr(clow), "MaxValue": repr(chigh), "ScalingType": cscale}
        ],
    )
    rng = random.Random(seed)
    for _ in range(20):
        hp = space.sample(rng)
        assert low <= int(hp["i"]) <= low + span
        assert hp["i"] == str(int(hp["i"]))
        assert clow <= float(hp["c"]) <= chigh
        assert float(hp["c"]) == float(repr(float(hp["c"])))
        # Round trip: rendering the unit coordinates of a rendered point gives it back.
        again = space.render(space.to_unit(hp))
        assert again["i"] == hp["i"]
        # through log space and back a float may move in its last bit, no more
        assert float(again["c"]) == pytest.approx(float(hp["c"]), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(unit=st.lists(st.floats(0.0, 1.0), min_size=4, max_size=4), scaling=_scalings)
def test_rendering_and_embedding_a_unit_point_at_once_agrees_with_each_alone(
    unit: list[float], scaling: str
) -> None:
    space = _space(
        IntegerParameterRanges=[
            {"Name": "i", "MinValue": "1", "MaxValue": "300", "ScalingType": scaling}
        ],
        ContinuousParameterRanges=[
            {"Name": "c", "MinValue": "1e-5", "MaxValue": "7.5", "ScalingType": scaling},
            {
                "Name": "r",
                "MinValue": "0.5",
                "MaxValue": "0.999",
                "ScalingType": "ReverseLogarithmic",
            },
        ],
        CategoricalParameterRanges=[{"Name": "opt", "Values": ["sgd", "adam", "rmsprop"]}],
    )
    rendered = space.render(unit)
    assert space.render_embedded(unit) == (rendered, space.embed(rendered))


def test_embedding_puts_numeric_params_in_the_unit_cube_and_one_hots_categories() -> None:
    space = _space(
        ContinuousParameterRanges=[
            {"Name": "lr", "MinValue": "1e-4", "MaxValue": "1", "ScalingType": "Logarithmic"}
        ],
        CategoricalParameterRanges=[{"Name": "opt", "Values": ["sgd", "adam", "rmsprop"]}],
    )
    features = space.embed({"lr": "0.01", "opt": "adam"})
    assert features[0] == pytest.approx(0.5)
    assert features[1:] == [0.0, pytest.approx(math.sqrt(0.5)), 0.0]


@pytest.mark.parametrize("scaling", ["Linear", "Logarithmic", "ReverseLogarithmic"])
def test_a_range_one_ulp_wide_still_maps_into_the_unit_interval(scaling: str) -> None:
    # Found by Hypothesis: bounds one ulp apart can have equal logarithms.
    from sagemaker_lite.families.tuning.search.space import ContinuousParam

    param = ContinuousParam("c", 0.125, math.nextafter(0.125, 1.0), scaling)
    assert 0.0 <= param.to_unit(param.high) <= 1.0
    assert param.low <= param.from_unit(param.to_unit(param.high)) <= param.high
