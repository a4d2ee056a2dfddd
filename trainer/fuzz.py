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
    """An interval in days at least `minimum`, spread by fuzz when `factor` is given (Anki's)."""
    minimum = min(minimum, MAXIMUM_INTERVAL)
    if factor is None:
        return min(max(round_half_up(interval), minimum), MAXIMUM_INTERVAL)
    interval = min(max(interval, minimum), MAXIMUM_INTERVAL)
    delta = 0.0
    if interval >= 2.5:
        # Each range's share, added in the order of the ranges (written out: this runs for
        # every card when states are recomputed).
        (start1, end1, share1), (start2, end2, share2), (start3, _, share3) = _FUZZ_RANGES
        delta = 1.0 + (
            share1 * max(0.0, min(interval, end1) - start1)
            + share2 * max(0.0, min(interval, end2) - start2)
            + share3 * max(0.0, interval - start3)
        )
    lower = min(max(round_half_up(interval - delta), minimum), MAXIMUM_INTERVAL)
    upper = min(max(round_half_up(interval + delta), minimum), MAXIMUM_INTERVAL)
    if upper == lower and 2 < upper < MAXIMUM_INTERVAL:
        upper = lower + 1
    return math.floor(lower + factor * (1 + upper - lower))
