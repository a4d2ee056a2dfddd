"""How a card's row holds its kind and its tags in few bytes (migration m020,
`store.lean_cards`).

- `kind_code` is a small number (`KIND_CODES`); `kind`, the kind's name, is a column computed
  from it (`KIND_NAME`), so readers select `c.kind` as before. Writers write `kind_code`, and a
  query that tests the kind tests `kind_code`, which `cards_by_deck` holds.
- `tag_set` numbers the card's tags in `tag_sets`, which holds each distinct set once, as the
  JSON text `json.dumps` writes (`'[]'`, no tags, is set 0). Readers select `TAGS`. A set's
  number is found from its text (`first_number`, then the next free one), so `tag_sets` needs
  no index of its texts; numbers stay below 2**23, three bytes in SQLite.
"""

from __future__ import annotations

import hashlib
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
_NUMBERS = 1 << 23
"""Tag set numbers start below this (SQLite stores those in three bytes)."""


def tag_texts(conn: sqlite3.Connection, numbers: Iterable[int]) -> dict[int, str]:
    """The text of each of these tag sets (by their numbers)."""
    listed = sorted(set(numbers))
    texts: dict[int, str] = {}
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        marks = ",".join("?" * len(chunk))
        texts.update(conn.execute(f"SELECT id, tags FROM tag_sets WHERE id IN ({marks})", chunk))
    return texts


def first_number(tags: str) -> int:
    """Where the number of a tag set (its JSON text) is looked for first: 1 to 2**23 - 1."""
    digest = hashlib.blake2b(tags.encode(), digest_size=4).digest()
    return int.from_bytes(digest, "big") % (_NUMBERS - 1) + 1


def tag_set_ids(conn: sqlite3.Connection, texts: Iterable[str]) -> dict[str, int]:
    """The number of each tag set (JSON text) in `texts`; sets not stored yet are added.

    A set is at its `first_number` (these are read 500 at a time) unless another set was there
    first: then at the next number on that holds it or, for a set not stored yet, is free."""
    ids = {NO_TAGS: 0}
    listed = sorted(set(texts) - {NO_TAGS})
    for start in range(0, len(listed), 500):
        chunk = listed[start : start + 500]
        firsts = {first_number(tags) for tags in chunk}
        held: dict[int, str | None] = dict.fromkeys(firsts)
        marks = ",".join("?" * len(firsts))
        held.update(conn.execute(f"SELECT id, tags FROM tag_sets WHERE id IN ({marks})", [*firsts]))
        for tags in chunk:
            ids[tags] = _number_of(conn, tags, held)
    return ids


def _number_of(conn: sqlite3.Connection, tags: str, held: dict[int, str | None]) -> int:
    """The number of `tags`, added at the first free one if it has none; `held` caches what
    each number holds (None: free)."""
    number = first_number(tags)
    while True:
        if number not in held:
            row = conn.execute("SELECT tags FROM tag_sets WHERE id = ?", [number]).fetchone()
            held[number] = row[0] if row else None
        if held[number] is None:
            conn.execute("INSERT INTO tag_sets (id, tags) VALUES (?, ?)", [number, tags])
            held[number] = tags
        if held[number] == tags:
            return number
        number += 1
