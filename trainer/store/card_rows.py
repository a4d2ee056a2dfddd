"""A card's row as a sync writes it, and writing a deck's rows: inserted, updated or left."""

from __future__ import annotations

import functools
import json

from trainer.core.cards import Card
from trainer.core.identity import sibling_group


def write_rows(db, rows: list[dict], fresh: list[bool | None]) -> None:
    """Insert the rows marked True (keys no card has), upsert those marked False by key, and
    leave those marked None (the stored row says the same)."""
    db.conn.executemany(
        """
        INSERT INTO cards (key, deck_id, position, line, kind, prompt, answer, detail, tags, created,
            entry_key)
        VALUES (:key, :deck_id, :position, :line, :kind, :prompt, :answer, :detail, :tags, :created,
            :entry_key)
        """,
        [row for row, is_fresh in zip(rows, fresh) if is_fresh],
    )
    # The others exist already, so this never inserts: card ids keep their position order.
    db.conn.executemany(
        """
        INSERT INTO cards (key, deck_id, position, line, kind, prompt, answer, detail, tags, created,
            entry_key)
        VALUES (:key, :deck_id, :position, :line, :kind, :prompt, :answer, :detail, :tags, :created,
            :entry_key)
        ON CONFLICT(key) DO UPDATE SET deck_id = excluded.deck_id, position = excluded.position,
            line = excluded.line, kind = excluded.kind, prompt = excluded.prompt,
            answer = excluded.answer, detail = excluded.detail, tags = excluded.tags, retired = 0,
            entry_key = excluded.entry_key
        """,
        [row for row, is_fresh in zip(rows, fresh) if is_fresh is False],
    )


WRITTEN = ("position", "line", "kind", "prompt", "answer", "detail", "tags", "entry_key")
"""What the upsert of `write_rows` sets from the file besides the deck and `retired`: a stored
card equal on all of these (in the same deck, not retired) is left as it is. Keep the two lists
alike."""


def card_row(card: Card, key: str, deck_id: int, position: int, created: int) -> dict:
    detail: dict = {}
    if card.accepted:
        detail["accepted"] = list(card.accepted)
    if card.choices:
        detail["choices"] = [[choice.text, choice.correct] for choice in card.choices]
    for name in ("hint", "note", "text"):
        if getattr(card, name):
            detail[name] = getattr(card, name)
    if card.source:
        detail["source"] = [card.source.document, card.source.first_line, card.source.last_line]
    return {
        "key": key,
        "deck_id": deck_id,
        "position": position,
        "line": card.line,
        "kind": str(card.kind),
        "prompt": card.prompt,
        "answer": card.answer,
        "detail": json.dumps(detail) if detail else "{}",
        "tags": _tags_json(card.tags),
        "created": created,
        "entry_key": card.entry_key or sibling_group(key),
    }


@functools.lru_cache(maxsize=1024)
def _tags_json(tags: tuple[str, ...]) -> str:
    # Most cards carry just their deck's tags: encode each set once, not once per card.
    return json.dumps(list(tags))
