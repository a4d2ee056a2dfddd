"""The rules of study order that keep one card from giving another away, and how decks mix.

Pure: the store gathers cards with these rules, and a session follows them as it goes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import TypeVar

T = TypeVar("T")

LEARN_AHEAD = timedelta(minutes=20)
"""How far ahead a waiting learning card may be shown when nothing else is due (Anki's default)."""


@dataclass(frozen=True)
class CardTies:
    """What links a card to others of a session."""

    siblings: str | None = None
    """The card's entry, shared with its siblings; None when its deck does not bury them."""
    source: tuple[str, int, int] | None = None
    """The document and lines the card cites."""

    def same_source(self, other: CardTies) -> bool:
        """Whether both cards cite overlapping lines of one document."""
        if self.source is None or other.source is None:
            return False
        document, first, last = self.source
        other_document, other_first, other_last = other.source
        return document == other_document and first <= other_last and other_first <= last


NO_TIES = CardTies()


def interleave(main: Sequence[T], extra: Sequence[T]) -> list[T]:
    """`extra` spread evenly through `main`, both in their own order (Anki's "mix with reviews").

    With no `main`, just `extra`; with 10 of `main` and 1 of `extra`, it comes after the fifth.
    """
    out: list[T] = []
    taken = 0
    for index, item in enumerate(extra, start=1):
        upto = len(main) * index // (len(extra) + 1)
        out.extend(main[taken:upto])
        taken = upto
        out.append(item)
    out.extend(main[taken:])
    return out


def in_turn(lists: Sequence[Sequence[T]]) -> list[T]:
    """One item from each list in turn (the first of each, then the second...), until all are used."""
    out: list[T] = []
    for round_ in range(max((len(items) for items in lists), default=0)):
        out.extend(items[round_] for items in lists if round_ < len(items))
    return out
