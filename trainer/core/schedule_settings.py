"""How a deck wants its cards scheduled: apart from the cards (`core.cards`), so that the
learner's settings (`trainer.config`), which every start reads, load no card classes."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta


@dataclass(frozen=True)
class Schedule:
    """How a deck wants its cards scheduled."""

    desired_retention: float = 0.9
    new_per_day: int = 20
    learning_steps: tuple[timedelta, ...] = (timedelta(minutes=1), timedelta(minutes=10))
    relearning_steps: tuple[timedelta, ...] = (timedelta(minutes=10),)
    fuzz: bool = True
    """Spread review intervals a little, as Anki does, so cards learned together part ways."""
    reviews_per_day: int = 200
    """Review cards shown a day at most (Anki's default); learning cards are not counted."""
    leech_lapses: int = 8
    """Lapses that make a card a leech: tagged and suspended, as in Anki."""
    overrides: tuple[str, ...] = ()
    """The keys the deck's front matter sets; the others follow the learner's settings."""
