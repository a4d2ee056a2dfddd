"""`trainer check`: every problem in a set of deck files, and optionally their citations."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from trainer.core.atomic import write_atomically
from trainer.core.cards import Deck, Kind
from trainer.core.deckfile import DeckError, Problem
from trainer.core.library import find_deck_files, read_deck_file, shown_path
from trainer.core.stamp import stamp_ids


@dataclass
class CheckResult:
    """The problems found (all of them) and, per good deck, its warnings and one summary line."""

    problems: list[Problem] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)
    """What a clean run prints: per good deck, its `deck_warnings` first, then its summary line."""


def summary_line(deck: Deck) -> str:
    """`decks/norad.md: NORAD, 42 cards (20 typed, 12 cloze, ...)`."""
    kinds = Counter(str(card.kind) for card in deck.cards)
    detail = ", ".join(f"{count} {kind}" for kind, count in kinds.most_common())
    plural = "s" if len(deck.cards) != 1 else ""
    return f"{shown_path(deck.path)}: {deck.name}, {len(deck.cards)} card{plural}" + (
        f" ({detail})" if detail else ""
    )


def check_decks(
    places: list[Path], *, sources: Path | None = None, stamp: bool = False
) -> CheckResult:
    """Parse every deck file under `places`; with `sources`, check citations; with `stamp`, write ids.

    Stamping only touches files that parse cleanly.
    """
    result = CheckResult()
    if sources is not None and not sources.is_dir():
        result.problems.append(Problem(str(sources), 0, "no such sources folder"))
        return result
    for path in find_deck_files(places):
        try:
            deck_file = read_deck_file(path)
            deck = deck_file.parse()
        except DeckError as error:
            result.problems.extend(error.problems)
            continue
        if sources is not None:
            from trainer.core.citations import check_citations

            cited = check_citations(deck, sources)
            if cited:
                result.problems.extend(cited)
                continue
        if stamp:
            text = deck_file.raw.decode("utf-8")
            stamped, count = stamp_ids(text, deck)
            if count:
                try:
                    write_atomically(path, stamped)
                except OSError as error:
                    # The deck is as it was: the ids go to a new file that replaces it whole.
                    reason = error.strerror or str(error)
                    result.problems.append(
                        Problem(shown_path(path), 0, f"cannot write the ids: {reason}")
                    )
                    continue
                result.summaries.append(
                    f"{shown_path(path)}: wrote {count} id{'s' if count != 1 else ''}"
                )
        result.summaries.extend(deck_warnings(deck))
        result.summaries.append(summary_line(deck))
    return result


MIN_CHOICES = 3
"""Fewer options than this make a multiple-choice card a coin toss."""
TRUE_SHARE = (0.3, 0.7)
"""Outside this share of true statements, always answering the same way pays."""
MIN_STATEMENTS = 10
"""Below this many true-or-false statements in a deck, their share says little."""
_ABOUT_THE_PAGE = re.compile(
    r"^\W*according to (?:the|this|that) (?:documents?|pages?|texts?|articles?)\b", re.IGNORECASE
)


def deck_warnings(deck: Deck, *, display_path: str | None = None) -> list[str]:
    """Lines `path:line: warning: message` for what a deck does legally but teaches badly.

    Three things are caught: a multiple-choice card with fewer than `MIN_CHOICES` options; a
    deck of at least `MIN_STATEMENTS` true-or-false statements whose true share is outside
    `TRUE_SHARE` (pointing at its first statement); a question that begins "According to the
    document" (or page, text, article). Warnings never make a deck unusable.
    """
    shown = display_path or shown_path(deck.path)
    found: list[Problem] = []
    statements = [card for card in deck.cards if card.kind is Kind.TRUE_FALSE]
    if len(statements) >= MIN_STATEMENTS:
        true = sum(card.answer == "true" for card in statements)
        share = true / len(statements)
        if not TRUE_SHARE[0] <= share <= TRUE_SHARE[1]:
            low, high = (round(bound * 100) for bound in TRUE_SHARE)
            found.append(
                Problem(
                    shown,
                    statements[0].line,
                    f"{true} of {len(statements)} true-or-false statements are true ({share:.0%}); "
                    f"keep it between {low}% and {high}% so that one answer every time does not pay",
                )
            )
    for card in deck.cards:
        if card.kind is Kind.CHOICE and len(card.choices) < MIN_CHOICES:
            found.append(
                Problem(
                    shown,
                    card.line,
                    f"multiple-choice card has {len(card.choices)} options; "
                    f"give at least {MIN_CHOICES}, all of one kind",
                )
            )
        question = card.text if card.kind is Kind.CLOZE else card.prompt
        if _ABOUT_THE_PAGE.match(question):
            found.append(
                Problem(
                    shown,
                    card.line,
                    'question begins "According to the document"; ask about the subject itself',
                )
            )
    # A cloze card with several deletions is several cards on one line: warn about it once.
    ordered = sorted(dict.fromkeys(found), key=lambda problem: problem.line)
    return [f"{problem.path}:{problem.line}: warning: {problem.message}" for problem in ordered]
