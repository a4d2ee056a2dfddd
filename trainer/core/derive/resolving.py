"""Naming what "the two countries" are, for `trainer derive`.

A document about two countries calls them "the two countries" or "both nations" once it has
named them. A card shows one sentence alone, so such a phrase would leave the learner asking
which two: when the document names one pair far more often than any other ("Canada and the
United States"), the phrase is replaced by that pair.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from trainer.core.derive.facts import Document

_NAME = r"(?:the\s+)?[A-Z][\w.\u2019'-]*(?:\s+[A-Z][\w.\u2019'-]*){0,3}"
_PAIR = re.compile(rf"(?<![\w.])({_NAME})\s+and\s+({_NAME})(?![\w])")
_UNNAMED = re.compile(
    r"\b(?P<both>[Bb]oth\s+|[Tt]he\s+two\s+)(?:countries|nations|governments|allies|partners)\b"
)
MIN_PAIRS = 3
"""A pair named this often, and more often than any other, is what the document is about."""


@dataclass(frozen=True)
class Rewrite:
    """A text with an unnamed pair named, and how offsets in the old text move."""

    text: str
    start: int
    end: int
    """Where the replaced phrase was in the old text."""
    shift: int

    def moved(self, offset: int) -> int | None:
        """Where `offset` of the old text is in the new one; None inside the replaced phrase."""
        if offset <= self.start:
            return offset
        if offset >= self.end:
            return offset + self.shift
        return None


def document_pair(document: Document) -> str | None:
    """The pair of names the document is about, as it first writes it, or None."""
    counts: Counter[frozenset[str]] = Counter()
    first: dict[frozenset[str], str] = {}
    for sentence in document.sentences:
        for match in _PAIR.finditer(sentence.text):
            one, other = (_bare(name) for name in match.groups())
            if one == other or not one or not other:
                continue
            key = frozenset((one, other))
            counts[key] += 1
            first.setdefault(key, match.group())
    ranked = counts.most_common(2)
    if not ranked or ranked[0][1] < MIN_PAIRS:
        return None
    if len(ranked) > 1 and ranked[1][1] * 2 > ranked[0][1]:
        return None  # no pair stands out
    written = first[ranked[0][0]]
    return written[0].upper() + written[1:]


def _bare(name: str) -> str:
    """A name without its article, "U.S." and "US" read as "United States"."""
    bare = re.sub(r"^the\s+", "", name)
    return "United States" if bare in ("U.S.", "US", "USA", "U.S.A.") else bare


def name_pair(text: str, pair: str | None) -> Rewrite | None:
    """`text` with its first "the two countries" or "both nations" naming `pair`, or None."""
    if pair is None:
        return None
    match = _UNNAMED.search(text)
    if match is None:
        return None
    both = match.group("both").lower().startswith("both")
    named = f"both {pair}" if both else pair
    if match.start() == 0:
        named = named[0].upper() + named[1:]
    else:
        named = named.replace("The ", "the ", 1) if pair.startswith("The ") else named
    new = text[: match.start()] + named + text[match.end() :]
    return Rewrite(new, match.start(), match.end(), len(named) - (match.end() - match.start()))
