"""The deck format's vocabulary: the keys that start and fill a card, and how problems are told.

Shared by the parser (`deckfile`, `deck_entries`) and by `stamp`, which writes `Id:` lines into
card entries and must find where each entry starts exactly as the parser does.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import NamedTuple

CARD_STARTS = ("Q", "C", "True", "False")
"""The keys that begin a new card entry."""
KEY = re.compile(r"^(Q|A|T|C|True|False|Tags|Source|Note|Id|Reverse):(?:\s|$)")
"""Every key a card line may begin with."""
CARD_START = re.compile(rf"^({'|'.join(CARD_STARTS)}):(?:\s|$)")
"""A line that begins a new card entry."""
ID_LINE = re.compile(r"^Id:(?:\s|$)")
"""A card's `Id:` line."""
UNKNOWN_KEY = re.compile(r"^([A-Z]{1,3}):(?:\s|$)")
"""Something that looks like a key but is none: reported, not read as text."""


class Problem(NamedTuple):
    """One thing wrong with a deck file, with where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # A problem with the whole file (unreadable, missing) has no line to point at.
        if self.line == 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class DeckError(Exception):
    """A deck file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


Report = Callable[[int, str], None]
"""How parsing steps report a problem: the line (1-based) and the message."""
