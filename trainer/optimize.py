"""Fitting the scheduler to the learner: FSRS parameters from their own review log.

The fit and the scores are fsrs-rs's (through `trainer.fitting`), on the answers that moved
the schedule, with the time between answers in study days, as Anki counts it. Whether the
fitted parameters are better is judged on reviews they were not fitted to: the latest 20% of
the answers, by time, are held out. Each held-out answer given a day or more after the one
before it is predicted from all the card's answers before it, once with the parameters in use
and once with the fitted ones; fsrs-rs's `evaluate` scores the predictions as the FSRS
benchmark does, weighing later answers more (from a quarter for the oldest to one for the
latest; lower is better):

- log loss: the mean of -log(p) over recalled reviews and -log(1 - p) over forgotten ones;
- RMSE (bins): reviews are grouped by interval, review number and lapses (the benchmark's
  bins); the root of the mean, weighted by group size, of (mean p - recall rate)^2.

The fitted parameters are adopted only when both scores are lower, with the cards' states
recomputed from their answers with them (fsrs-rs's batch memory states, `recompute.state_rows`),
in one transaction (`trainer.adopting`). The review log itself never changes.

The log is millions of answers, and the fit takes most of the time: it starts first. The log's
answers are read once, in time order (`store.answer_timeline`, a few spans of time of the log's
table); a forked copy of the process, made before they are read, is sent each span's answers
before the split as it is read, makes the training items from them as they come and fits them
(`fitting.SentFit`). Meanwhile the held-out items come from the
same lists, and, to adopt, each card's answers are found in them (`answer_timeline.card_places`)
and what its recomputed state takes from them alone is prepared (`recompute.Plan`). The cards'
answers give the same training items: where
the copy cannot be made, fails or ever gives other items, the log is read again card by card
(`load_logs`) and its items are fitted here.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate, chain, compress, repeat
from operator import eq, rshift, sub
from typing import TYPE_CHECKING

from trainer import fitting, recompute, schedule
from trainer.adopting import Score, adopted_if_better, is_better
from trainer.core.progress import from_millis
from trainer.store.answer_timeline import (
    StudiedCard,
    Timeline,
    TimelineParts,
    card_places,
    joined,
    studied_cards,
)
from trainer.store.history import AnswerColumns
from trainer.store.state_writes import StoredStates
from trainer.store.sync import collector_paused

if TYPE_CHECKING:
    from fsrs_rs_python import FSRSReview

    from trainer.store.store import Store

HOLDOUT = 0.2


class NotEnoughReviews(Exception):
    """The log is too short to fit parameters or to judge them."""


CardLog = AnswerColumns
"""A card's answers that moved its schedule, oldest first (ratings, times, study days), and its
deck's schedule."""


@dataclass(frozen=True)
class Outcome:
    """What `optimize` found and did."""

    current: tuple[float, ...]
    fitted: tuple[float, ...]
    current_score: Score
    fitted_score: Score
    split: datetime
    """Reviews from this moment on were held out."""
    training_reviews: int
    adopted: bool
    recomputed_cards: int

    @property
    def better(self) -> bool:
        """Whether the fitted parameters beat the current ones on both scores."""
        return is_better(self.fitted_score, self.current_score)


def load_logs(store: Store) -> list[CardLog]:
    """Every card's answers that moved its schedule (undone answers and quiz answers that left
    the schedule alone are left out), with their study days."""
    return store.answer_columns()


def split_time(logs: Sequence[CardLog], holdout: float = HOLDOUT) -> int:
    """The moment from which the latest `holdout` share of all answers lies."""
    times = list(chain.from_iterable(log.times for log in logs))
    _some_answers(times)
    return nth_smallest(times, _split_place(len(times), holdout))


def _rising_split_time(times: Sequence[int], holdout: float) -> int:
    """`split_time` of all answers' `times`, rising (as the timeline holds them)."""
    _some_answers(times)
    return times[_split_place(len(times), holdout)]


def _some_answers(times: Sequence[int]) -> None:
    if not times:
        raise NotEnoughReviews("there are no reviews to learn from yet")


def _split_place(answers: int, holdout: float) -> int:
    """Where the split lies among `answers` answers in time order."""
    return min(answers - 1, int(answers * (1 - holdout)))


def nth_smallest(values: list[int], n: int) -> int:
    """`sorted(values)[n]`, without sorting a million values: they are counted by coarse
    bucket (about 4,000 of them), and only the bucket holding the answer is sorted."""
    shift = max(0, (max(values) - min(values)).bit_length() - 12)
    buckets = Counter(map(rshift, values, repeat(shift)))
    below = 0
    for bucket in sorted(buckets):
        if below + buckets[bucket] > n:
            inside = compress(values, map(eq, map(rshift, values, repeat(shift)), repeat(bucket)))
            return sorted(inside)[n - below]
        below += buckets[bucket]
    raise IndexError(n)


def answer_reviews(logs: Sequence[CardLog]) -> list[list[FSRSReview]]:
    """Each card's answers as fsrs-rs reviews (`recompute.answer_reviews`), made once for the
    items and the recomputed states alike."""
    return [recompute.answer_reviews(log.ratings, log.days) for log in logs]


def items(
    logs: Sequence[CardLog], split: int, reviews: Sequence[Sequence[FSRSReview]] | None = None
) -> tuple[list[fitting.Item], list[fitting.Item]]:
    """The training items (answers before `split`) and the held-out ones; see
    `fitting.split_items`."""
    return fitting.split_items(_item_cards(logs, reviews), split)


def _item_cards(
    logs: Sequence[CardLog], reviews: Sequence[Sequence[FSRSReview]] | None = None
) -> list[tuple[list[int], list[int], Sequence[FSRSReview]]]:
    reviews = answer_reviews(logs) if reviews is None else reviews
    return [(log.times, log.days, made) for log, made in zip(logs, reviews)]


def score(logs: Sequence[CardLog], weights: Sequence[float], since: int) -> Score:
    """Log loss and RMSE (bins) of `weights` on the answers given from `since` on."""
    return _score(items(logs, since)[1], weights)


def _score(held_out: Sequence[fitting.Item], weights: Sequence[float]) -> Score:
    if not held_out:
        raise NotEnoughReviews("no held-out review came a day or more after the one before it")
    log_loss, rmse_bins = fitting.evaluate(held_out, weights)
    return Score(log_loss, rmse_bins, len(held_out))


def recompute_states(
    store: Store,
    logs: Sequence[CardLog],
    weights: Sequence[float],
    reviews: Sequence[Sequence[FSRSReview]] | None = None,
) -> int:
    """Store the state each card's answers lead to with `weights` (see `recompute.state_rows`),
    all cards in one transaction; returns how many cards were recomputed."""
    return _write_states(store, logs, _plan(logs, reviews), weights)


def _plan(
    logs: Sequence[CardLog], reviews: Sequence[Sequence[FSRSReview]] | None = None
) -> recompute.Plan:
    """What the cards' recomputed states take from their answers alone (`recompute.Plan`)."""
    reviews = answer_reviews(logs) if reviews is None else reviews
    return recompute.Plan(
        [
            (schedule.card_seed(log.key), log.schedule, log.ratings, log.times, log.days, made)
            for log, made in zip(logs, reviews)
        ]
    )


def _timeline_plan(
    timeline: Timeline, studied: list[StudiedCard]
) -> tuple[list[int], recompute.Plan]:
    """The cards of the timeline's answers, in card order, and their `_plan`, made straight from
    where each card's answers are in the timeline (`answer_timeline.card_places`): all cards'
    answers are gathered in card order at once, and each card's are slices of them (the plan
    reads a card's last time and its last two study days alone)."""
    found = list(card_places(timeline, studied))
    places = list(chain.from_iterable(at for _, at in found))
    ratings, days = (
        list(map(column.__getitem__, places)) for column in (timeline.ratings, timeline.days)
    )
    ends = list(accumulate(len(at) for _, at in found))
    starts = [0, *ends[:-1]]
    before = [0, *days[:-1]]  # the study day of the answer before, a card's first its own
    for start in starts:
        before[start] = days[start]
    reviews = recompute.gap_reviews(ratings, map(sub, days, before))
    times = timeline.times
    cards: list[recompute.CardAnswers] = [
        (schedule.card_seed(key), deck_schedule, ratings[start:end], (times[at[-1]],),
         days[max(start, end - 2):end], reviews[start:end])
        for ((_, key, deck_schedule), at), start, end in zip(found, starts, ends)
    ]  # fmt: skip
    return [card_id for (card_id, _, _), _ in found], recompute.Plan(cards)


def _write_states(
    store: Store, logs: Sequence[CardLog], plan: recompute.Plan, weights: Sequence[float]
) -> int:
    store.write_states([log.card_id for log in logs], recompute.state_rows(plan, weights))
    return len(logs)


def optimize(
    store: Store,
    *,
    now: datetime | None = None,
    holdout: float = HOLDOUT,
    adopt: bool = True,
    fit: Callable[[Sequence[fitting.Item]], Sequence[float]] = fitting.fit_parameters,
) -> Outcome:
    """Fit parameters to the review log, compare them with the current ones on the held-out
    latest reviews, and adopt them (recomputing every card's state) only if they do better."""
    # Millions of objects are made and none is a garbage cycle: the cycle collector would
    # walk the growing heap again and again. They are dropped as soon as they are done with,
    # while it is still paused: its first pass once it runs again would walk them all.
    with collector_paused(), ExitStack() as fitting_beside:
        # The fit starts first, on the log's answers in time order; all that does not depend
        # on its parameters is prepared meanwhile. Both read one state of the log.
        with store.transaction():
            fitted_parameters, timeline = fitting_beside.enter_context(
                _fit_beside(store, holdout, fit)
            )
            studied = studied_cards(store.conn)
        split = _rising_split_time(timeline.times, holdout)
        training_reviews = bisect_left(timeline.times, split)
        held_out, training = fitting.timeline_held_out(
            timeline.cards, timeline.ratings, timeline.days, training_reviews
        )
        if not training:
            raise NotEnoughReviews(
                "no card was reviewed on two different days before the held-out part"
            )
        _, current = store.parameters()
        current_score = _score(held_out, current)
        card_ids: list[int] = []
        plan = stored = None
        if adopt:  # the cards' states are prepared
            card_ids, plan = _timeline_plan(timeline, studied)
            del timeline, studied
            with store.reading():  # read while the fit runs, checked when they are written
                stored = StoredStates(store.conn)
        else:
            del timeline, studied
        # The fit's items, should they differ, are read again.
        fitted = fitted_parameters(lambda: _item_cards(_logs_again(store)), split, training)
        if plan is None:
            fitted_score = _score(held_out, fitted)
        else:  # adopted if better, with the states they give
            cards = (card_ids, plan, stored)
            fitted_score = adopted_if_better(store, fitted, held_out, current_score, cards, now)
        del held_out, plan, stored
        better = is_better(fitted_score, current_score)
        recomputed = len(card_ids) if better and adopt else 0
    return Outcome(
        current=tuple(current),
        fitted=fitted,
        current_score=current_score,
        fitted_score=fitted_score,
        split=from_millis(split),
        training_reviews=training_reviews,
        adopted=better and adopt,
        recomputed_cards=recomputed,
    )


def _logs_again(store: Store) -> list[CardLog]:
    """The cards' answers (`load_logs`), read again in a transaction of their own."""
    with store.transaction():
        return load_logs(store)


FitBeside = Callable[[Callable[[], fitting.ItemCards], int, int], tuple[float, ...]]
"""Waits for the fitted parameters, given what reads every card's `(times, study days,
answer reviews)`, the split and the number of training items (`fitting.training_count`)."""


@contextmanager
def _fit_beside(
    store: Store,
    holdout: float,
    fit: Callable[[Sequence[fitting.Item]], Sequence[float]],
) -> Iterator[tuple[FitBeside, Timeline]]:
    """fsrs-rs's fit of the training items of the log's answers in time order started in a
    forked copy of this process (`fitting.SentFit`), which is sent the answers before the
    split a part at a time as they are read (`answer_timeline.TimelineParts`); a function that
    waits for its parameters, and the whole timeline read. The cards' answers give the same
    items (`fitting.training_items`): should the two ever differ (in the split or the number of
    items), or should the copy fail, the cards' are fitted here. Another `fit` runs here on the
    cards' items."""
    read = TimelineParts(store.conn)
    if fit is not fitting.fit_parameters:
        yield (
            lambda cards, split, _: tuple(fit(fitting.training_items(cards(), split))),
            joined(read.parts()),
        )
        return
    with fitting.fitting_sent() as sent:

        def parameters(
            cards: Callable[[], fitting.ItemCards], split: int, count: int
        ) -> tuple[float, ...]:
            found, noted = sent.parameters()
            if noted == (split, count):
                return found
            return fitting.fit_parameters(fitting.training_items(cards(), split))

        # Not kept in this frame, which lasts as long as the fit: the caller frees the timeline
        # while the fit runs, not after it.
        yield parameters, joined(_sent_parts(read, holdout, sent))


def _sent_parts(read: TimelineParts, holdout: float, sent: fitting.SentFit) -> Iterator[Timeline]:
    """The timeline's parts, each as it is read; the answers before the split
    (`_rising_split_time` of the whole) are sent to the fit as they come."""
    ahead = _split_place(read.size, holdout)  # answers before the split's place, -1 if none
    for part in read.parts():
        if ahead >= len(part.times):
            sent.send(part.cards, part.ratings, part.days)
        elif ahead >= 0:
            split = part.times[ahead]
            cut = bisect_left(part.times, split)
            sent.send(part.cards[:cut], part.ratings[:cut], part.days[:cut])
            sent.end(split)
        ahead -= len(part.times)
        yield part
    if not sent.ended:  # no answers: nothing is fitted
        sent.end(-1)
