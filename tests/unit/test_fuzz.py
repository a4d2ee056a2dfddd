"""The written-out interval fuzz against Anki's rule summed range by range."""

from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from trainer.fuzz import _FUZZ_RANGES, MAXIMUM_INTERVAL, fuzzed_days, round_half_up


def summed_fuzz(interval: float, minimum: int, factor: float | None) -> int:
    """Anki's fuzz as its rule reads: each range's share of the interval, summed in order."""
    minimum = min(minimum, MAXIMUM_INTERVAL)
    if factor is None:
        return min(max(round_half_up(interval), minimum), MAXIMUM_INTERVAL)
    interval = min(max(interval, minimum), MAXIMUM_INTERVAL)
    delta = 0.0
    if interval >= 2.5:
        delta = 1.0 + sum(
            (share * max(0.0, min(interval, end) - start) for start, end, share in _FUZZ_RANGES),
            0.0,
        )
    lower = min(max(round_half_up(interval - delta), minimum), MAXIMUM_INTERVAL)
    upper = min(max(round_half_up(interval + delta), minimum), MAXIMUM_INTERVAL)
    if upper == lower and 2 < upper < MAXIMUM_INTERVAL:
        upper = lower + 1
    return math.floor(lower + factor * (1 + upper - lower))


EDGES = [
    0.0,
    0.4,
    0.5,
    1.0,
    2.49,
    2.5,
    2.51,
    6.99,
    7.0,
    7.01,
    19.99,
    20.0,
    20.01,
    36499.6,
    36500.0,
    4e4,
]


def test_the_ranges_edges_give_the_summed_days() -> None:
    for interval in EDGES:
        for minimum in (1, 2, 3, 8, 21, 36500, 40000):
            for factor in (None, 0.0, 0.5, 0.999999):
                assert fuzzed_days(interval, minimum, factor) == summed_fuzz(
                    interval, minimum, factor
                ), (interval, minimum, factor)


@given(
    st.floats(min_value=0.0, max_value=50_000.0, allow_nan=False),
    st.integers(min_value=1, max_value=40_000),
    st.none() | st.floats(min_value=0.0, max_value=1.0, exclude_max=True),
)
def test_any_interval_gives_the_summed_days(interval: float, minimum: int, factor) -> None:
    assert fuzzed_days(interval, minimum, factor) == summed_fuzz(interval, minimum, factor)
