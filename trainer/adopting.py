"""Adopting fitted parameters: scored on the held-out answers, and adopted with the states
they give the cards only if they score better than the parameters in use (`is_better`), in one
transaction (`adopted_if_better`)."""

from __future__ import annotations

import pickle
from contextlib import suppress
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

from trainer import fitting, recompute
from trainer.aside import work_aside

if TYPE_CHECKING:
    from trainer.store.state_writes import StoredStates
    from trainer.store.store import Store


@dataclass(frozen=True)
class Score:
    """How well a set of parameters predicted the held-out reviews (lower is better)."""

    log_loss: float
    rmse_bins: float
    reviews: int


def is_better(fitted: Score, current: Score) -> bool:
    """The adoption rule: lower log loss and lower RMSE (bins)."""
    return fitted.log_loss < current.log_loss and fitted.rmse_bins < current.rmse_bins


_HERE = 0.6
"""The share of the cards whose recomputed states are worked out here on adopting; a copy of
the process works out the others' and then scores the fitted parameters, which takes about as
long as this process takes to work out and write its share and write the copy's."""


class _NotBetter(Exception):
    """The fitted parameters did not score better: the states written for them go."""


def adopted_if_better(
    store: Store,
    fitted: tuple[float, ...],
    held_out: list[fitting.Item],
    current: Score,
    cards: tuple[list[int], recompute.Plan, StoredStates | None],
    now: datetime | None = None,
) -> Score:
    """The fitted parameters' score on the held-out items; if it is better than the `current`
    parameters', they are adopted with the states they give the `cards` (their ids, their
    plan, their states read ahead), in one transaction.

    The states are written while the parameters are scored: a forked copy of the process
    works out the last cards' states, then scores the parameters, while this one works out
    and writes the first cards' states, then the copy's; the transaction is rolled back if
    the score is not better."""
    card_ids, plan, stored = cards
    at = int(len(card_ids) * _HERE)
    here, there = plan.split(at)
    with work_aside(
        lambda: pickle.dumps(recompute.state_rows(there, fitted)),
        lambda: fitting.evaluate(held_out, fitted),
        2,
    ) as (theirs, evaluated):
        rows = recompute.state_rows(here, fitted)
        with suppress(_NotBetter), store.states_written(stored) as written:
            written.write(card_ids[:at], rows)
            written.write(card_ids[at:], pickle.loads(theirs()))
            log_loss, rmse_bins = evaluated()
            score = Score(log_loss, rmse_bins, len(held_out))
            if not is_better(score, current):
                raise _NotBetter
            store.adopt_parameters(fitted, "optimizer", now or datetime.now(UTC))
    return score
