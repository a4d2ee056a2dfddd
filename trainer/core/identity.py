"""Card identity: the key a card's progress is stored under.

A key is derived from the question alone (never the answer, the file or the position), so edits
that do not reword the question keep the learner's progress. An `Id:` line replaces the derived
part with the author's id; `trainer check --stamp` writes the derived value as the id, so stamping
never changes a key.
"""

from __future__ import annotations

import hashlib

from trainer.core.cloze import cloze_skeleton

__all__ = ["card_key", "cloze_skeleton", "question_key", "sibling_group"]


def question_key(kind: str, question: str) -> str:
    """A short stable hash of the question's words (case and spacing ignored)."""
    folded = " ".join(question.casefold().split())
    digest = hashlib.blake2b(f"{kind}\0{folded}".encode(), digest_size=6)
    return digest.hexdigest()


def card_key(base: str, side: str | None = None) -> str:
    """The stored key of one card of an entry: the entry's id, plus which side or deletion."""
    return base if side is None else f"{base}:{side}"


def sibling_group(key: str) -> str:
    """The entry a card key names: the two sides of a reversed card and the deletions of one
    cloze share it.

    A key is `base`, `base:side` or either with `@deck` appended when two decks ask the same
    question; neither an `Id:` (letters, digits, `-`, `_`) nor a derived hash holds `:` or `@`.
    Siblings are cards of one deck with the same group. The deletions of a cloze whose text
    outside the brackets another entry of its deck shares are keyed each by its own question:
    such a card carries its entry in `Card.entry_key`, which the store keeps instead.
    """
    return key.split("@", 1)[0].split(":", 1)[0]
