"""Fitting the scheduler to the learner: FSRS parameters from their own review log.

The fit is fsrs-rs-python's (an optional extra: `pip install 'trainer[optimize]'`). Whether the
fitted parameters are better is judged on reviews they were not fitted to: the latest 20% of the
reviews, by time, are held out. Each card's reviews are replayed through `trainer.schedule`, the
scheduler the app really uses, once with the parameters in use and once with the fitted ones;
before each held-out review the card's predicted recall is its retrievability then. Two scores,
as the FSRS benchmark computes them (lower is better):

- log loss: the mean of -log(p) over recalled reviews and -log(1 - p) over forgotten ones;
- RMSE (bins): reviews are grouped by interval, review number and lapses (the benchmark's
  bins); the root of the mean, weighted by group size, of (mean p - recall rate)^2.

Like the benchmark, only reviews a day or more after the card's previous one are scored.
The fitted parameters are adopted only when both scores are lower; the cards' states are then
recomputed by replaying their reviews with them. The review log itself never changes.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trainer import schedule
from trainer.core.cards import Schedule
from trainer.core.grading import Rating
from trainer.core.progress import from_millis, study_date

if TYPE_CHECKING:
    from trainer.store.store import Store

INSTALL_HINT = "pip install 'trainer[optimize]'"
HOLDOUT = 0.2


class OptimizerMissing(Exception):
    """fsrs-rs-python, which fits the parameters, is not installed."""

    def __str__(self) -> str:
        return f"trainer optimize needs fsrs-rs-python; install it with: {INSTALL_HINT}"


class NotEnoughReviews(Exception):
    """The log is too short to fit parameters or to judge them."""


@dataclass(frozen=True)
class Review:
    """One answer that moved a card's schedule."""

    rating: Rating
    at: int
    """Epoch milliseconds."""
    day: int
    """The study day (4 a.m. local rollover), as a day number."""


@dataclass(frozen=True)
class CardLog:
    """A card's scheduling answers, oldest first, and its deck's schedule."""

    card_id: int
    schedule: Schedule
    reviews: tuple[Review, ...]


@dataclass(frozen=True)
class Score:
    """How well a set of parameters predicted the held-out reviews (lower is better)."""

    log_loss: float
    rmse_bins: float
    reviews: int


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


def is_better(fitted: Score, current: Score) -> bool:
    """The adoption rule: lower log loss and lower RMSE (bins)."""
    return fitted.log_loss < current.log_loss and fitted.rmse_bins < current.rmse_bins


def load_logs(store: Store) -> list[CardLog]:
    """Every card's scheduling answers, from one pass over the review log.

    Undo rows and undone answers are left out, and so are quiz answers that left the schedule
    alone: an answer moved it exactly when the card's next standing answer (or, for the last,
    the card itself) records it as the last review.
    """
    rows = store.answer_history()
    logs: list[CardLog] = []
    start = 0
    while start < len(rows):
        end = start
        while end < len(rows) and rows[end][0] == rows[start][0]:
            end += 1
        group = rows[start:end]
        kept = []
        for index, (_, rating, at, mode, _, last_review, _) in enumerate(group):
            follower = group[index + 1][4] if index + 1 < len(group) else last_review
            if mode != "quiz" or follower == at:
                kept.append(Review(Rating(rating), at, study_date(from_millis(at)).toordinal()))
        if kept:
            logs.append(CardLog(group[0][0], group[0][6], tuple(kept)))
        start = end
    return logs


def split_time(logs: Sequence[CardLog], holdout: float = HOLDOUT) -> int:
    """The moment from which the latest `holdout` share of all answers lies."""
    times = sorted(review.at for log in logs for review in log.reviews)
    if not times:
        raise NotEnoughReviews("there are no reviews to learn from yet")
    return times[min(len(times) - 1, int(len(times) * (1 - holdout)))]


def require_optimizer() -> None:
    """Raise `OptimizerMissing` unless fsrs-rs-python can be imported."""
    try:
        import fsrs_rs_python  # noqa: F401
    except ImportError:
        raise OptimizerMissing from None


def fit_parameters(logs: Sequence[CardLog], before: int) -> tuple[float, ...]:
    """FSRS parameters fitted by fsrs-rs-python to the answers given before `before`."""
    require_optimizer()
    from fsrs_rs_python import DEFAULT_PARAMETERS, FSRS, FSRSItem, FSRSReview

    items = []
    for log in logs:
        reviews: list = []
        previous = log.reviews[0].day
        for review in log.reviews:
            if review.at >= before:
                break
            delta = review.day - previous
            reviews.append(FSRSReview(int(review.rating), delta))
            previous = review.day
            # One training item per answer given a day or more after the one before it.
            if delta > 0:
                items.append(FSRSItem(list(reviews)))
    if not items:
        raise NotEnoughReviews(
            "no card was reviewed on two different days before the held-out part"
        )
    return tuple(FSRS(DEFAULT_PARAMETERS).compute_parameters(items))


def score(logs: Sequence[CardLog], weights: Sequence[float], since: int) -> Score:
    """Log loss and RMSE (bins) of `weights` on the answers given from `since` on."""
    weights = tuple(weights)
    predictions: list[tuple[float, int, tuple[float, int, int]]] = []
    for log in logs:
        lapses = 0
        previous_day = None
        answers = [(review.rating, from_millis(review.at)) for review in log.reviews]
        states = schedule.replay(log.card_id, answers, log.schedule, weights)
        for number, (review, (before, _)) in enumerate(zip(log.reviews, states), start=1):
            elapsed: int | None = None if previous_day is None else review.day - previous_day
            recalled = int(review.rating > Rating.AGAIN)
            if elapsed and review.at >= since:
                p = schedule.retrievability(before, answers[number - 1][1], weights)
                predictions.append((p, recalled, _bin(elapsed, number, lapses)))
            if elapsed and not recalled:
                lapses += 1
            previous_day = review.day
    if not predictions:
        raise NotEnoughReviews("no held-out review came a day or more after the one before it")
    return Score(_log_loss(predictions), _rmse_bins(predictions), len(predictions))


def _bin(elapsed: int, number: int, lapses: int) -> tuple[float, int, int]:
    """The FSRS benchmark's bin of a review: by interval, review number and lapses."""

    def scale(value: float, base: float, step: float) -> float:
        return base * step ** math.floor(math.log(value) / math.log(step))

    return (
        round(scale(elapsed, 2.48, 3.62), 2),
        round(scale(number, 1.99, 1.89)),
        round(scale(lapses, 1.65, 1.73)) if lapses else 0,
    )


def _log_loss(predictions: list[tuple[float, int, tuple]]) -> float:
    total = 0.0
    for p, recalled, _ in predictions:
        p = min(max(p, 1e-4), 1 - 1e-4)
        total -= math.log(p) if recalled else math.log(1 - p)
    return total / len(predictions)


def _rmse_bins(predictions: list[tuple[float, int, tuple]]) -> float:
    bins: dict[tuple, list[float]] = {}
    for p, recalled, key in predictions:
        sums = bins.setdefault(key, [0.0, 0.0, 0])
        sums[0] += p
        sums[1] += recalled
        sums[2] += 1
    squared = sum(n * (p / n - y / n) ** 2 for p, y, n in bins.values())
    return math.sqrt(squared / len(predictions))


def recompute_states(store: Store, logs: Sequence[CardLog], weights: Sequence[float]) -> int:
    """Replay every card's answers with `weights` and store the states they lead to."""
    weights = tuple(weights)
    states = []
    for log in logs:
        answers = [(review.rating, from_millis(review.at)) for review in log.reviews]
        *_, (_, final) = schedule.replay(log.card_id, answers, log.schedule, weights)
        states.append((log.card_id, final))
    with store.transaction():
        for card_id, progress in states:
            store.write_progress(card_id, progress)
    return len(states)


def optimize(
    store: Store,
    *,
    now: datetime | None = None,
    holdout: float = HOLDOUT,
    adopt: bool = True,
    fit: Callable[[Sequence[CardLog], int], Sequence[float]] = fit_parameters,
) -> Outcome:
    """Fit parameters to the review log, compare them with the current ones on the held-out
    latest reviews, and adopt them (recomputing every card's state) only if they do better."""
    logs = load_logs(store)
    split = split_time(logs, holdout)
    fitted = tuple(fit(logs, split))
    _, current = store.parameters()
    current_score = score(logs, current, split)
    fitted_score = score(logs, fitted, split)
    better = is_better(fitted_score, current_score)
    recomputed = 0
    if better and adopt:
        store.adopt_parameters(fitted, "optimizer", now or datetime.now(UTC))
        recomputed = recompute_states(store, logs, fitted)
    training = sum(1 for log in logs for review in log.reviews if review.at < split)
    return Outcome(
        current=tuple(current),
        fitted=fitted,
        current_score=current_score,
        fitted_score=fitted_score,
        split=from_millis(split) or datetime.now(UTC),
        training_reviews=training,
        adopted=better and adopt,
        recomputed_cards=recomputed,
    )
