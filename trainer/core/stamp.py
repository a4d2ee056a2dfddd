"""Writing `Id:` lines into a deck, so rewording a question later keeps its progress."""

from __future__ import annotations

from trainer.core.cards import Deck
from trainer.core.deck_syntax import CARD_START, ID_LINE, deck_lines


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
    lines = deck_lines(text)
    bases_by_line: dict[int, set[str]] = {}
    for card in deck.cards:
        bases_by_line.setdefault(card.line, set()).add(card.key.split(":")[0])
    inserts: list[tuple[int, str]] = []
    for line_number, bases in bases_by_line.items():
        if len(bases) != 1:
            # A cloze told apart card by card (its text outside the brackets is another's):
            # one id would change its cards' keys, so it is left as it is.
            continue
        (base,) = bases
        start = line_number - 1
        end = _entry_end(lines, start)
        if any(ID_LINE.match(line) for line in lines[start:end]):
            continue
        inserts.append((end, f"Id: {base}"))
    for index, line in sorted(inserts, reverse=True):
        lines.insert(index, line)
    newline = "\n" if text.endswith("\n") or not text else ""
    return "\n".join(lines) + newline, len(inserts)
