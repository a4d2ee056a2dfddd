"""How a card's row holds its kind and its tags in few bytes (migration m020,
`store.lean_cards`).

- `kind_code` is a small number (`KIND_CODES`); `kind`, the kind's name, is a column computed
  from it (`KIND_NAME`), so readers select `c.kind` as before. Writers write `kind_code`, and a
  query that tests the kind tests `kind_code`, which `cards_by_deck` holds.
- `tag_set` numbers the card's tags in `tag_sets`, which holds each distinct set once, as the
  JSON text `json.dumps` writes (`'[]'`, no tags, is set 0). Readers select `TAGS`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from trainer.core.cards import Kind

KIND_CODES = {kind.value: code for code, kind in enumerate(Kind)}
"""Each kind's name and the number `cards.kind_code` stores for it (never renumber one)."""
KIND_NAME = (
    "CASE kind_code "
    + " ".join(f"WHEN {c} THEN '{name}'" for name, c in KIND_CODES.items())
    + " END"
)
"""The SQL of the computed column `cards.kind`."""
TAGS = "(SELECT s.tags FROM tag_sets s WHERE s.id = c.tag_set)"
"""The tags (JSON text) of card `c`."""
NO_TAGS = "[]"
"""The text of set 0."""


def tag_set_ids(conn: sqlite3.Connection, texts: Iterable[str]) -> dict[str, int]:
    """The number of each tag set (JSON text) in `texts`; sets not stored yet are added."""
    wanted = set(texts) - {NO_TAGS}
    ids = {NO_TAGS: 0}
    listed = sorted(wanted)
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        ids.update(
            (tags, set_id)
            for set_id, tags in conn.execute(
                f"SELECT id, tags FROM tag_sets WHERE tags IN ({','.join('?' * len(chunk))})",
                chunk,
            )
        )
    for tags in listed:
        if tags not in ids:
            cursor = conn.execute("INSERT INTO tag_sets (tags) VALUES (?)", [tags])
            assert cursor.lastrowid is not None  # an INSERT always sets it
            ids[tags] = cursor.lastrowid
    return ids
