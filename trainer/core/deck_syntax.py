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
_WORD_KEY = re.compile(r"^([A-Za-z]{1,12}):(?:\s|$)")
_KEYS = ("Q", "A", "T", "C", "True", "False", "Tags", "Source", "Note", "Id", "Reverse")
_FIELD_KEYS = ("Tags", "Source", "Note", "Reverse")
"""Keys long and distinct enough that a word one letter off is surely a typo of them."""


def deck_lines(text: str) -> list[str]:
    """The lines of a deck, split on newlines only (a trailing carriage return dropped).

    `str.splitlines` also splits on form feeds, U+2028 and other separators that editors and
    `trainer check` do not count as line ends: every line number after one would be off.
    """
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()  # the newline that ends the last line starts no new one
    if "\r" not in text:
        return lines
    return [line[:-1] if line.endswith("\r") else line for line in lines]


def _one_edit(written: str, key: str) -> bool:
    """Whether `written` is `key` with one letter changed, added, dropped or two swapped."""
    if abs(len(written) - len(key)) > 1 or written == key:
        return False
    if len(written) == len(key):
        differ = [i for i, (a, b) in enumerate(zip(written, key)) if a != b]
        return len(differ) == 1 or (
            len(differ) == 2
            and differ[1] == differ[0] + 1
            and written[differ[0]] == key[differ[1]]
            and written[differ[1]] == key[differ[0]]
        )
    short, long = sorted((written, key), key=len)
    return any(long[:i] + long[i + 1 :] == short for i in range(len(long)))


def misspelt_key(line: str) -> tuple[str, str] | None:
    """`(written, meant)` when `line` starts with a near miss of a key, such as `Tag:` or `a:`.

    Such a line is a typo far more often than text: folded into the answer, the tags or the
    source it meant to set would be silently lost.
    """
    match = _WORD_KEY.match(line)
    if match is None or KEY.match(line):
        return None
    written = match.group(1)
    folded = written.casefold()
    for key in _KEYS:
        if folded == key.casefold():
            return written, key
    for key in _FIELD_KEYS:
        if _one_edit(folded, key.casefold()):
            return written, key
    return None


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
