"""Writing `Id:` lines into a deck, so rewording a question later keeps its progress."""

from __future__ import annotations

from trainer.core.cards import Deck
from trainer.core.deck_syntax import CARD_START, ID_LINE


def _entry_end(lines: list[str], start: int) -> int:
    """Index just past the last non-blank line of the entry starting at `start`."""
    end = start + 1
    while end < len(lines):
        line = lines[end]
        if CARD_START.match(line) or line.strip() == "---" or line.startswith("#"):
            break
        end += 1
    while end > start + 1 and not lines[end - 1].strip():
        end -= 1
    return end


def stamp_ids(text: str, deck: Deck) -> tuple[str, int]:
    """Return `text` with an `Id:` line added to every card entry without one, and how many.

    The id written is the key the card already has, so the learner's progress is untouched.
    """
    lines = text.splitlines()
    base_by_line = {card.line: card.key.split(":")[0] for card in deck.cards}
    inserts: list[tuple[int, str]] = []
    for line_number, base in base_by_line.items():
        start = line_number - 1
        end = _entry_end(lines, start)
        if any(ID_LINE.match(line) for line in lines[start:end]):
            continue
        inserts.append((end, f"Id: {base}"))
    for index, line in sorted(inserts, reverse=True):
        lines.insert(index, line)
    newline = "\n" if text.endswith("\n") or not text else ""
    return "\n".join(lines) + newline, len(inserts)
