"""`trainer check`: every problem in a set of deck files, and optionally their citations."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from trainer.core.cards import Deck
from trainer.core.deckfile import DeckError, Problem
from trainer.core.library import find_deck_files, read_deck_file, shown_path
from trainer.core.stamp import stamp_ids


@dataclass
class CheckResult:
    """The problems found (all of them) and, per good deck, one summary line."""

    problems: list[Problem] = field(default_factory=list)
    summaries: list[str] = field(default_factory=list)


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
                path.write_text(stamped, encoding="utf-8")
                result.summaries.append(
                    f"{shown_path(path)}: wrote {count} id{'s' if count != 1 else ''}"
                )
        result.summaries.append(summary_line(deck))
    return result
