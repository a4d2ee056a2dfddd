"""FSRS over the whole review log at once: the optimizer's items, the fit and the scores.

A companion of `schedule` (which answers one card at a time), and like it the only other
module that talks to fsrs-rs. Each card's answers come in as fsrs-rs reviews
(`recompute.answer_reviews`), built once and shared by the items and the recomputed states;
the training items can also be made from all cards' answers in time order (`timeline_items`),
in the copy of the process that fits them, and so can the held-out ones (`timeline_held_out`).
"""

from __future__ import annotations

import os
import struct
from array import array
from bisect import bisect_left
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import compress, count
from operator import gt
from typing import BinaryIO

import fsrs_rs_python as fsrs_rs

from trainer.aside import Aside
from trainer.schedule import DEFAULT_PARAMETERS

Item = fsrs_rs.FSRSItem
"""One answer for the optimizer to predict, with the card's answers before it."""


ItemCards = Iterable[tuple[Sequence[int], Sequence[int], Sequence[fsrs_rs.FSRSReview]]]
"""Every card's `(times, study days, answer reviews)`."""


def split_items(cards: ItemCards, split: int) -> tuple[list[Item], list[Item]]:
    """The optimizer's items from every card's `(times, study days, answer reviews)`: the
    training items (answers before `split`, `training_items`) and the held-out ones."""
    cards = list(cards)
    return training_items(cards, split), held_out_items(cards, split)


def training_items(cards: ItemCards, split: int) -> list[Item]:
    """One item per answer before `split` given a study day or more after the card's one
    before it, with all the card's answers before it (same-day ones included, as Anki gives
    them); oldest first, as fsrs-rs expects: it weighs recent answers more (answers at one
    moment keep the cards' order)."""
    return _items(cards, split, True)


def held_out_items(cards: ItemCards, split: int) -> list[Item]:
    """The items of `training_items` for the answers from `split` on."""
    return _items(cards, split, False)


def training_count(cards: ItemCards, split: int) -> int:
    """How many items `training_items` gives."""
    return sum(len(_indexes(times, days, split, True)) for times, days, _ in cards)


def _items(cards: ItemCards, split: int, training: bool) -> list[Item]:
    keys: list[int] = []
    items: list[Item] = []
    for times, days, reviews in cards:
        indexes = _indexes(times, days, split, training)
        keys.extend(map(times.__getitem__, indexes))
        items.extend([Item(reviews[: index + 1]) for index in indexes])
    return _oldest_first(keys, items)


def _indexes(times: Sequence[int], days: Sequence[int], split: int, training: bool) -> list[int]:
    """Where a card's items end: its answers a study day or more after the one before, those
    before `split` (`training`) or those from it on."""
    later = list(compress(count(1), map(gt, days[1:], days)))
    cut = bisect_left(later, bisect_left(times, split))
    return later[:cut] if training else later[cut:]


class _Reviews(dict[int, list[fsrs_rs.FSRSReview]]):
    """fsrs-rs reviews of one rating (the key) by study days since the answer before, from 0
    to `days` (which `reach` raises), each made once."""

    def __init__(self, days: int) -> None:
        super().__init__()
        self.days = days

    def __missing__(self, rating: int) -> list[fsrs_rs.FSRSReview]:
        made = self[rating] = [fsrs_rs.FSRSReview(rating, days) for days in range(self.days + 1)]
        return made

    def reach(self, days: int) -> None:
        """Make the reviews up to `days` days too."""
        if days > self.days:
            for rating, made in self.items():
                made.extend(fsrs_rs.FSRSReview(rating, more) for more in range(len(made), days + 1))
            self.days = days


def timeline_items(cards: Sequence[int], ratings: Sequence[int], days: Sequence[int]) -> list[Item]:
    """The items of `training_items` from every card's answers before the split, all cards'
    together in time order (answers of one moment in the cards' order, a card's own in the
    log's): each card's answers become fsrs-rs reviews as they come (as
    `recompute.answer_reviews` makes them), and an answer a study day or more after the card's
    one before becomes an item of the card's reviews so far, so the items come oldest first
    with no sort."""
    items: list[Item] = []
    _Timeline().walk(cards, ratings, days, items)
    return items


def timeline_held_out(
    cards: Sequence[int], ratings: Sequence[int], days: Sequence[int], cut: int
) -> tuple[list[Item], int]:
    """The items of `held_out_items` from every card's answers in time order (as
    `timeline_items` takes them), those from place `cut` on held out; and how many items the
    answers before it give (`training_count`)."""
    timeline = _Timeline()
    training = timeline.walk(cards[:cut], ratings[:cut], days[:cut], None)
    items: list[Item] = []
    timeline.walk(cards[cut:], ratings[cut:], days[cut:], items)
    return items, training


class _Timeline:
    """Every card's fsrs-rs reviews so far, and the study day of its latest item, as the
    answers in time order come (`walk`, any number of times)."""

    def __init__(self) -> None:
        self.reviews_of: list[list[fsrs_rs.FSRSReview] | None] = []
        self.day_of: list[int] = []
        self.made = _Reviews(0)
        self.first_day: int | None = None

    def walk(
        self,
        cards: Sequence[int],
        ratings: Sequence[int],
        days: Sequence[int],
        items: list[Item] | None,
    ) -> int:
        """Take in these answers; each that ends an item adds it to `items` (if given);
        returns how many did."""
        if not cards:
            return 0
        if (more := max(cards) + 1 - len(self.reviews_of)) > 0:
            self.reviews_of.extend([None] * more)
            self.day_of.extend([0] * more)
        low = min(days)
        first = self.first_day = low if self.first_day is None else min(self.first_day, low)
        self.made.reach(max(days) - first)
        reviews_of, day_of, made = self.reviews_of, self.day_of, self.made
        ended = 0
        for card, rating, day in zip(cards, ratings, days):
            reviews = reviews_of[card]
            if reviews is None:
                reviews_of[card] = [made[rating][0]]
                day_of[card] = day
                continue
            elapsed = day - day_of[card]
            if elapsed > 0:
                reviews.append(made[rating][elapsed])
                ended += 1
                if items is not None:
                    items.append(Item(reviews))
                day_of[card] = day
            elif elapsed == 0:
                reviews.append(made[rating][0])
            else:  # the study day went back (a change of time zone): refused, as by
                # `training_items`
                reviews.append(fsrs_rs.FSRSReview(rating, elapsed))
        return ended


def _oldest_first(times: list[int], items: list[Item]) -> list[Item]:
    """`items` in the order of their `times`; equal times keep their order."""
    # As floats, which hold epoch milliseconds exactly (below 2**53) and which Python's sort
    # compares faster than integers of more than 30 bits.
    keys = list(map(float, times))
    order = sorted(range(len(keys)), key=keys.__getitem__)
    return [items[index] for index in order]


def fit_parameters(items: Sequence[Item]) -> tuple[float, ...]:
    """FSRS parameters fitted by fsrs-rs to the items (oldest first)."""
    return tuple(fsrs_rs.FSRS(list(DEFAULT_PARAMETERS)).compute_parameters(list(items)))


Noted = tuple[tuple[float, ...], tuple[float, ...]]
"""Fitted parameters, and the split and the number of items they were fitted to."""

_PART = struct.Struct("<q")
"""A part's size (its number of answers, or -1 for the end) as sent to the fit's copy."""
_END = struct.Struct("<d")
_PIPE_BYTES = 1 << 20
"""How much a pipe to the fit's copy holds (Linux's most for a process without privileges):
a part of the answers each time, so that the next one is sent while the copy walks it."""


class SentFit:
    """fsrs-rs's fit (`fit_parameters`) of the training items of answers sent to it in time
    order, a part at a time (`send`, then `end`): `timeline_items` of all the parts, made as
    they come. fsrs-rs holds the interpreter's lock while it fits, so no thread can work
    beside it: the items are made and fitted in a forked copy of this process, made before
    the answers are read (so it holds little), which is sent each part through a pipe as
    packed arrays, while this one reads the next. Where no copy can be made, the items are
    made here as sent and fitted when `parameters` asks."""

    def __init__(self) -> None:
        self.timeline = _Timeline()
        self.items: list[Item] = []
        self.split = -1.0
        self.ended = False
        self.pipe: int | None = None
        self.aside: Aside | None = None
        if not hasattr(os, "fork"):
            return
        reading, writing = os.pipe()
        _widen(writing)
        packed = f"<{len(DEFAULT_PARAMETERS) + 2}d"
        try:
            self.aside = Aside(lambda: _fit_received(reading, writing), packed, _unfitted)
        except OSError:
            os.close(writing)
            return
        finally:
            os.close(reading)
        self.pipe = writing

    def send(self, cards: Sequence[int], ratings: Sequence[int], days: Sequence[int]) -> None:
        """Answers after those sent before (study days as `timeline_items` takes them)."""
        if self.aside is None:
            self.timeline.walk(cards, ratings, days, self.items)
            return
        packed = [array("q", cards), array("b", ratings), array("i", days)]
        self._write([_PART.pack(len(cards)), *packed])

    def end(self, split: int) -> None:
        """All answers before `split` (epoch milliseconds) are sent: the fit starts."""
        self.split, self.ended = float(split), True
        self._write([_PART.pack(-1), _END.pack(self.split)])
        self._close()

    def parameters(self) -> Noted:
        """The fitted parameters, and the split and the number of items they were fitted to
        (an empty fit and (-1, -1) if the copy failed)."""
        if self.aside is None:
            numbers = [*fit_parameters(self.items), self.split, len(self.items)]
        else:
            numbers = [*self.aside.result()]
        size = len(DEFAULT_PARAMETERS)
        return tuple(numbers[:size]), tuple(numbers[size:])

    def _write(self, parts: list[bytes | array]) -> None:
        if self.pipe is None:
            return
        try:
            for part in parts:
                data = memoryview(part).cast("B")
                while data:
                    data = data[os.write(self.pipe, data) :]
        except OSError:  # the copy ended: `parameters` finds it failed
            self._close()

    def _close(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None

    def close(self) -> None:
        """End the copy, if it still fits (or failed)."""
        self._close()
        if self.aside is not None:
            self.aside.close()


@contextmanager
def fitting_sent() -> Iterator[SentFit]:
    """A `SentFit`, ended (with its copy) on leaving the block."""
    fit = SentFit()
    try:
        yield fit
    finally:
        fit.close()


_received: list[list[Item]] = []
"""The items the copy fitted: freeing them would hold back the parameters (the copy ends
without freeing anything)."""


def _fit_received(reading: int, writing: int) -> list[float]:
    """In the fit's copy: the parts sent (`SentFit.send`) read from the pipe and walked as
    they come, then the items fitted; the parameters, the split and the number of items."""
    os.close(writing)  # this copy's own end: the pipe ends when this process's does
    timeline = _Timeline()
    items: list[Item] = []
    _received.append(items)
    with open(reading, "rb", closefd=False) as pipe:
        while (size := _PART.unpack(_read(pipe, _PART.size))[0]) >= 0:
            columns = array("q"), array("b"), array("i")
            for column in columns:
                column.frombytes(_read(pipe, size * column.itemsize))
            received_walk(timeline, *columns, items)
        (split,) = _END.unpack(_read(pipe, _END.size))
    return [*fit_parameters(items), split, len(items)]


def received_walk(
    timeline: _Timeline, cards: array, ratings: array, days: array, items: list[Item]
) -> None:
    """The copy's walk of a part it received (a function of its own, for tests to change)."""
    timeline.walk(cards, ratings, days, items)


def _widen(pipe: int) -> None:
    """Let the pipe hold `_PIPE_BYTES`, where Linux lets it (a smaller one only makes the
    sender wait more)."""
    with suppress(ImportError, AttributeError, OSError):
        import fcntl

        fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, _PIPE_BYTES)


def _read(pipe: BinaryIO, size: int) -> bytes:
    data = pipe.read(size)
    if len(data) != size:
        raise EOFError("the answers stopped coming")
    return data


def _unfitted() -> list[float]:
    """What a failed fit's copy leaves: no parameters, and a split and a count no fit has."""
    return [*DEFAULT_PARAMETERS, -1.0, -1.0]


def evaluate(items: Sequence[Item], parameters: Sequence[float]) -> tuple[float, float]:
    """Log loss and RMSE (bins) of `parameters` predicting each item's last answer, weighing
    later items more (fsrs-rs's `evaluate`; items oldest first)."""
    evaluation = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return evaluation.log_loss, evaluation.rmse_bins
