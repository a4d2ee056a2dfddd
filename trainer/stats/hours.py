"""The hours of the statistics' year: local hour bounds and how reviews find their hour.

Part of `trainer.stats`: the bounds of every local hour of the last 365 study days, built once a
day, and the whole-hour slots that let SQLite group by hour where the clock only ever moves by
whole hours.
"""

from __future__ import annotations

import bisect
import functools
import time
from collections.abc import Sequence
from datetime import date, timedelta

from trainer.core.progress import ROLLOVER_HOUR

DAY_MS = 86_400_000
HOUR_MS = 3_600_000


def local_ms(day: date, hour: int) -> int:
    """Epoch ms of `hour` o'clock local time on `day`; mktime applies that day's DST offset."""
    return int(time.mktime((day.year, day.month, day.day, hour, 0, 0, 0, 0, -1))) * 1000


@functools.lru_cache(maxsize=4)
def _cached_bounds(
    first_day: date, day_starts: tuple[int, ...]
) -> tuple[tuple[int, ...], tuple[tuple[int, int], ...]]:
    # 8,760 hours built in Python: the same all day long, so built once per day and place.
    bounds: list[int] = []
    labels: list[tuple[int, int]] = []
    for index, (start, end) in enumerate(zip(day_starts, day_starts[1:])):
        if end - start == DAY_MS:
            bounds.extend(start + hour * HOUR_MS for hour in range(24))
        else:
            # A day with a clock change: let mktime place each local hour.
            day = first_day + timedelta(days=index)
            bounds.extend(local_ms(day, ROLLOVER_HOUR + hour) for hour in range(24))
        labels.extend((index, (ROLLOVER_HOUR + hour) % 24) for hour in range(24))
    bounds.append(day_starts[-1])
    return tuple(bounds), tuple(labels)


@functools.lru_cache(maxsize=4)
def slot_step(bounds: tuple[int, ...]) -> int:
    """How finely reviews are grouped: by the hour counted from the first bound, which finds
    each review's bucket exactly when every bound is a whole number of hours after it (any
    zone whose clock changes by whole hours), else by the millisecond (exact anywhere)."""
    first = bounds[0]
    return HOUR_MS if all((bound - first) % HOUR_MS == 0 for bound in bounds) else 1


@functools.lru_cache(maxsize=4)
def hour_buckets(bounds: tuple[int, ...]) -> tuple[int, ...]:
    """The bucket of each whole hour after the first bound (a day of 25 hours has two hours in
    one bucket, a day of 23 an empty bucket)."""
    first = bounds[0]
    hours = (bounds[-1] - first) // HOUR_MS
    return tuple(bisect.bisect_right(bounds, first + n * HOUR_MS) - 1 for n in range(hours))


class _Found(Sequence[tuple[int, int]]):
    """(day index, hour of day) of each millisecond after the first bound, found by bisection:
    for zones whose bounds are not whole hours apart."""

    def __init__(self, bounds: tuple[int, ...], labels: tuple[tuple[int, int], ...]) -> None:
        self.bounds, self.labels = bounds, labels

    def __getitem__(self, offset):
        return self.labels[bisect.bisect_right(self.bounds, self.bounds[0] + offset) - 1]

    def __len__(self) -> int:
        return self.bounds[-1] - self.bounds[0]


@functools.lru_cache(maxsize=4)
def slot_places(
    first_day: date, day_starts: tuple[int, ...]
) -> tuple[tuple[int, ...], int, Sequence[tuple[int, int]]]:
    """The hour bounds of the study days, the width of a slot (`slot_step`), and the (day
    index, hour of day) of each slot counted from the first bound: a review `n` slots in is
    placed with one look-up."""
    bounds, labels = _cached_bounds(first_day, day_starts)
    step = slot_step(bounds)
    if step != HOUR_MS:
        return bounds, step, _Found(bounds, labels)
    return bounds, step, tuple(labels[bucket] for bucket in hour_buckets(bounds))
