"""Anki's interval fuzz: a review interval spread over a range of days, drawn the same way on
every device for the same card and answer, so learned-together cards part ways but a synced or
undone answer gives the interval it gave before."""

from __future__ import annotations

import math

MAXIMUM_INTERVAL = 36500
"""The longest interval in days, as in Anki."""

_MASK = 2**64 - 1
_FUZZ_RANGES = ((2.5, 7.0, 0.15), (7.0, 20.0, 0.1), (20.0, math.inf, 0.05))
"""Anki's fuzz: an interval is spread by a day plus these shares of its days in each range."""
_FIRST, _SECOND, _THIRD = (start for start, _end, _share in _FUZZ_RANGES)
"""Where each range starts (each ends where the next starts)."""
_FIRST_SHARE, _SECOND_SHARE, _THIRD_SHARE = (share for _start, _end, share in _FUZZ_RANGES)
_FIRST_RANGE = _FIRST_SHARE * (_SECOND - _FIRST)
"""The first range's share of an interval past it."""
_TWO_RANGES = _FIRST_RANGE + _SECOND_SHARE * (_THIRD - _SECOND)
"""The first two ranges' shares of an interval past them."""


def round_half_up(value: float) -> int:
    """Round half up, as Rust's `f32::round` does for the positive values met here."""
    return math.floor(value + 0.5)


def fuzz_factor(card_id: int, reps: int) -> float:
    """Where in its fuzz range this answer's interval falls, from 0 to 1.

    Seeded by the card (`card_seed` of its key, the same on every device) and its review
    count, as Anki seeds it by card id and reps: the interval shown on a button
    is the one the answer gives, and an undone answer answered again gives it again. The seed
    is mixed by SplitMix64, which spreads neighbouring seeds evenly and costs far less than
    seeding a random generator on every answer.
    """
    z = (card_id + reps + 0x9E3779B97F4A7C15) & _MASK
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & _MASK
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & _MASK
    return (z ^ (z >> 31)) / 2**64


def fuzzed_days(interval: float, minimum: int, factor: float | None) -> int:
    """An interval in days at least `minimum`, spread by fuzz when `factor` is given (Anki's).

    Written out range by range for speed (this runs twice a card when every state is
    recomputed), rounding as `round_half_up` does and clamping without calls, with the same
    floating-point steps as summing each range's share in the order of `_FUZZ_RANGES`;
    `tests/unit/test_fuzz.py` checks it against that sum."""
    if minimum > MAXIMUM_INTERVAL:
        minimum = MAXIMUM_INTERVAL
    if factor is None:
        days = math.floor(interval + 0.5)
        return minimum if days < minimum else MAXIMUM_INTERVAL if days > MAXIMUM_INTERVAL else days
    if interval < minimum:
        interval = minimum
    elif interval > MAXIMUM_INTERVAL:
        interval = MAXIMUM_INTERVAL
    if interval < _FIRST:
        delta = 0.0
    elif interval < _SECOND:
        delta = 1.0 + _FIRST_SHARE * (interval - _FIRST)
    elif interval < _THIRD:
        delta = 1.0 + (_FIRST_RANGE + _SECOND_SHARE * (interval - _SECOND))
    else:
        delta = 1.0 + (_TWO_RANGES + _THIRD_SHARE * (interval - _THIRD))
    lower = math.floor(interval - delta + 0.5)
    lower = minimum if lower < minimum else MAXIMUM_INTERVAL if lower > MAXIMUM_INTERVAL else lower
    upper = math.floor(interval + delta + 0.5)
    upper = minimum if upper < minimum else MAXIMUM_INTERVAL if upper > MAXIMUM_INTERVAL else upper
    if upper == lower and 2 < upper < MAXIMUM_INTERVAL:
        upper = lower + 1
    return math.floor(lower + factor * (1 + upper - lower))
