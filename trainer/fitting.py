"""FSRS over the whole review log at once: the optimizer's items, the fit and the scores.

A companion of `schedule` (which answers one card at a time), and like it the only other
module that talks to fsrs-rs. Each card's answers come in as fsrs-rs reviews
(`recompute.answer_reviews`), built once and shared by the items and the recomputed states;
the training items can also be made from all cards' answers in time order (`timeline_items`),
in the copy of the process that fits them, and so can the held-out ones (`timeline_held_out`).
"""

from __future__ import annotations

import os
import signal
import struct
from bisect import bisect_left
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager, suppress
from itertools import compress, count
from operator import gt

import fsrs_rs_python as fsrs_rs

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
    to `days`, each made once."""

    def __init__(self, days: int) -> None:
        super().__init__()
        self.days = days

    def __missing__(self, rating: int) -> list[fsrs_rs.FSRSReview]:
        made = self[rating] = [fsrs_rs.FSRSReview(rating, days) for days in range(self.days + 1)]
        return made


def timeline_items(cards: Sequence[int], ratings: Sequence[int], days: Sequence[int]) -> list[Item]:
    """The items of `training_items` from every card's answers before the split, all cards'
    together in time order (answers of one moment in the cards' order, a card's own in the
    log's): each card's answers become fsrs-rs reviews as they come (as
    `recompute.answer_reviews` makes them), and an answer a study day or more after the card's
    one before becomes an item of the card's reviews so far, so the items come oldest first
    with no sort."""
    items: list[Item] = []
    _Timeline(cards, days).walk(cards, ratings, days, items)
    return items


def timeline_held_out(
    cards: Sequence[int], ratings: Sequence[int], days: Sequence[int], cut: int
) -> tuple[list[Item], int]:
    """The items of `held_out_items` from every card's answers in time order (as
    `timeline_items` takes them), those from place `cut` on held out; and how many items the
    answers before it give (`training_count`)."""
    timeline = _Timeline(cards, days)
    training = timeline.walk(cards[:cut], ratings[:cut], days[:cut], None)
    items: list[Item] = []
    timeline.walk(cards[cut:], ratings[cut:], days[cut:], items)
    return items, training


class _Timeline:
    """Every card's fsrs-rs reviews so far, and the study day of its latest item, as the
    answers in time order come (`walk`)."""

    def __init__(self, cards: Sequence[int], days: Sequence[int]) -> None:
        size = max(cards, default=-1) + 1
        self.reviews_of: list[list[fsrs_rs.FSRSReview] | None] = [None] * size
        self.day_of = [0] * size
        self.made = _Reviews(max(days, default=0) - min(days, default=0))

    def walk(
        self,
        cards: Sequence[int],
        ratings: Sequence[int],
        days: Sequence[int],
        items: list[Item] | None,
    ) -> int:
        """Take in these answers; each that ends an item adds it to `items` (if given);
        returns how many did."""
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
"""Fitted parameters, and the numbers noted with the items they were fitted to."""


@contextmanager
def fitting_aside(
    made: Callable[[], tuple[Sequence[Item], Sequence[float]]], noted: int
) -> Iterator[Callable[[], Noted]]:
    """fsrs-rs's fit (`fit_parameters`) of the items `made()` makes, started, and a function
    that waits for the parameters and the `noted` numbers `made()` gives with them.

    fsrs-rs holds the interpreter's lock while it fits, so no thread can work beside it: the
    items are made and fitted in a forked copy of this process (`_aside`), while the caller
    prepares what does not depend on the parameters.
    """

    kept: list[Sequence[Item]] = []

    def fitted() -> list[float]:
        items, numbers = made()
        kept.append(items)  # freeing them would hold back the parameters: they go with the copy
        return [*fit_parameters(items), *numbers]

    size = len(DEFAULT_PARAMETERS)
    with _aside(fitted, size + noted) as numbers:

        def parameters() -> Noted:
            found = numbers()
            return found[:size], found[size:]

        try:
            yield parameters
        finally:
            kept.clear()


@contextmanager
def evaluating_aside(
    items: Sequence[Item], parameters: Sequence[float]
) -> Iterator[Callable[[], tuple[float, ...]]]:
    """`evaluate(items, parameters)` started in a forked copy of this process (`_aside`), and
    a function that waits for its log loss and RMSE (bins)."""
    with _aside(lambda: evaluate(items, parameters), 2) as evaluated:
        yield evaluated


@contextmanager
def _aside(
    compute: Callable[[], Sequence[float]], size: int
) -> Iterator[Callable[[], tuple[float, ...]]]:
    """`compute()` (`size` numbers) started in a forked copy of this process, which shares
    all that this one holds and sends back only the numbers, and a function that waits for
    them. Without `os.fork` (or where no process may be started), `compute` runs here when
    waited for; a copy that fails is waited for, and `compute` is run here again (to raise its
    error). Leaving the block ends a copy still computing."""
    try:
        aside = _Aside(compute, f"<{size}d") if hasattr(os, "fork") else None
    except OSError:
        aside = None
    if aside is None:
        yield lambda: tuple(compute())
        return
    try:
        yield aside.result
    finally:
        aside.close()


class _Aside:
    """`compute()` in a forked copy of the process, its numbers read from a pipe as doubles
    (which hold fsrs-rs's 32-bit floats exactly)."""

    def __init__(self, compute: Callable[[], Sequence[float]], packed: str) -> None:
        self.compute, self.packed = compute, packed
        reading, writing = os.pipe()
        try:
            self.pid = os.fork()
        except OSError:
            os.close(reading)
            os.close(writing)
            raise
        if self.pid == 0:  # the copy: compute, send, and leave without running any clean-up
            try:
                os.close(reading)
                data = struct.pack(packed, *compute())
                while data:
                    data = data[os.write(writing, data) :]
                # Sent: the pipe is closed now, as ending a large process takes a while (its
                # memory is released before its files are closed).
                os.close(writing)
            finally:
                os._exit(0)
        os.close(writing)
        self.pipe: int | None = reading
        self.numbers: tuple[float, ...] | None = None

    def result(self) -> tuple[float, ...]:
        if self.numbers is None:
            chunks = []
            while self.pipe is not None and (chunk := os.read(self.pipe, 4096)):
                chunks.append(chunk)
            self._close_pipe()  # the copy, done, is reaped on leaving the block (`close`)
            data = b"".join(chunks)
            if len(data) == struct.calcsize(self.packed):
                self.numbers = struct.unpack(self.packed, data)
            else:  # the copy failed or was ended: compute here
                self.numbers = tuple(self.compute())
        return self.numbers

    def close(self) -> None:
        if self.pid:
            with suppress(ProcessLookupError):
                os.kill(self.pid, signal.SIGKILL)  # it has sent all it will send, or is unwanted
            os.waitpid(self.pid, 0)
            self._close_pipe()
            self.pid = 0

    def _close_pipe(self) -> None:
        if self.pipe is not None:
            os.close(self.pipe)
            self.pipe = None


def evaluate(items: Sequence[Item], parameters: Sequence[float]) -> tuple[float, float]:
    """Log loss and RMSE (bins) of `parameters` predicting each item's last answer, weighing
    later items more (fsrs-rs's `evaluate`; items oldest first)."""
    evaluation = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return evaluation.log_loss, evaluation.rmse_bins
