"""What ties a card to others of a session, read from SQLite: its sibling group, in decks that
bury siblings, and the document lines it cites (`core.study_order.CardTies`).

The queue reads these columns with the cards it gathers (`CITED`, then `ties_of`); `card_ties`
reads them for a list of cards chosen some other way.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from typing import Any

from trainer.core.study_order import CardTies

ENTRY = (
    "CASE c.entry_key WHEN '' THEN "
    "substr(c.key, 1, min(instr(c.key || ':', ':'), instr(c.key || '@', '@')) - 1) "
    "ELSE c.entry_key END"
)
"""A card's entry, shared with its siblings: stored where its key does not name it, else the
key up to its first `:` or `@` (`core.identity.sibling_group`; migration m020)."""
CITED = (
    "json_extract(c.detail, '$.source[0]'), json_extract(c.detail, '$.source[1]'), "
    "json_extract(c.detail, '$.source[2]')"
)
"""The document and lines a card cites, read by SQLite itself: no JSON decoding in Python."""
UNCITED = "NULL, NULL, NULL"
"""In place of `CITED` where no citation is wanted (the deck list's counts)."""


def card_ties(
    conn: sqlite3.Connection, card_ids: list[int], bury_siblings: bool = True
) -> dict[int, CardTies]:
    """Each card's sibling group (in decks that bury siblings, when the learner's setting
    lets them) and the lines it cites."""
    buries = {
        deck_id: bury_siblings and bool(buried)
        for deck_id, buried in conn.execute(
            "SELECT id, coalesce(json_extract(settings, '$.bury_siblings'), 1) FROM decks"
        )
    }
    rows: list[tuple[Any, ...]] = []
    for start in range(0, len(card_ids), 500):
        chunk = card_ids[start : start + 500]
        rows += conn.execute(
            f"SELECT c.id, c.deck_id, {ENTRY}, {CITED} FROM cards c "
            f"WHERE c.id IN ({','.join('?' * len(chunk))})",
            chunk,
        )
    return ties_of(rows, buries)


def ties_of(rows: Iterable[tuple[Any, ...]], buries: dict[int, bool]) -> dict[int, CardTies]:
    """Each card's ties from its row (id, deck, entry, then `CITED`: document, first and last
    line), given which decks bury siblings; cards with none are left out."""
    ties = {}
    for card_id, deck_id, entry, document, first, last in rows:
        cited = (str(document), int(first), int(last)) if document is not None else None
        if buries[deck_id]:
            ties[card_id] = CardTies(f"{deck_id}:{entry}", cited)
        elif cited is not None:
            ties[card_id] = CardTies(None, cited)
    return ties
