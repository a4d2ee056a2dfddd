"""FSRS over the whole review log at once: the optimizer's items, the fit and the scores.

A companion of `schedule` (which answers one card at a time), and like it the only other
module that talks to fsrs-rs. Each card's answers come in as fsrs-rs reviews
(`recompute.answer_reviews`), built once and shared by the items and the recomputed states.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable, Sequence
from itertools import compress, count
from operator import gt

import fsrs_rs_python as fsrs_rs

from trainer.schedule import DEFAULT_PARAMETERS

Item = fsrs_rs.FSRSItem
"""One answer for the optimizer to predict, with the card's answers before it."""


def split_items(
    cards: Iterable[tuple[Sequence[int], Sequence[int], Sequence[fsrs_rs.FSRSReview]]],
    split: int,
) -> tuple[list[Item], list[Item]]:
    """The optimizer's items from every card's `(times, study days, answer reviews)`, in one
    pass.

    One item per answer given a study day or more after the card's one before it, with all
    the card's answers before it (same-day ones included, as Anki gives them): training items
    for answers before `split`, held-out ones from it on. Each list is oldest first, as fsrs-rs
    expects: it weighs recent answers more (answers at one moment keep the cards' order).
    """
    training: tuple[list[int], list[Item]] = ([], [])
    held_out: tuple[list[int], list[Item]] = ([], [])
    for times, days, reviews in cards:
        later = list(compress(count(1), map(gt, days[1:], days)))
        cut = bisect_left(later, bisect_left(times, split))
        for (keys, items), indexes in ((training, later[:cut]), (held_out, later[cut:])):
            keys.extend(map(times.__getitem__, indexes))
            items.extend([Item(reviews[: index + 1]) for index in indexes])
    return _oldest_first(*training), _oldest_first(*held_out)


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


def evaluate(items: Sequence[Item], parameters: Sequence[float]) -> tuple[float, float]:
    """Log loss and RMSE (bins) of `parameters` predicting each item's last answer, weighing
    later items more (fsrs-rs's `evaluate`; items oldest first)."""
    evaluation = fsrs_rs.FSRS(list(parameters)).evaluate(list(items))
    return evaluation.log_loss, evaluation.rmse_bins
