"""The statements of migration m020 (`schema_changes.m020_lean_cards`): the cards' rows without
what is stored twice or follows from other columns.

- Tags: the JSON text of each card's tags, in its row and again in `cards_by_deck`, becomes
  the number of its set in `tag_sets` (`store.card_codes`); each distinct text is kept as it
  was, its tags in their order.
- Kind: the kind's name becomes a small number, `kind_code`; `kind` is computed from it.
- Entry: `entry_key` is empty where the key names the entry (`core.identity.sibling_group`, as
  `store.card_ties.ENTRY` reads it), as for nearly every card; a card stored with none (an
  imported one, its own entry) is given its key.
- Details: `detail` is JSON without spaces, and a cloze's text is left out where its question
  and answer give it back exactly (`core.cloze.filled`; `store.rows` fills it in).

`cards_by_deck` is made again with `kind_code` and `tag_set` in place of the names. Every other
column, every review and every card's progress is left as it was.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from trainer.core.cloze import filled
from trainer.store.card_codes import KIND_CODES, KIND_NAME, tag_set_ids

if TYPE_CHECKING:
    import sqlite3

COMPACT = (",", ":")
"""`json.dumps`'s separators for `detail` (`store.card_rows`)."""
_GROUP = "substr(key, 1, min(instr(key || ':', ':'), instr(key || '@', '@')) - 1)"
"""`sibling_group(key)` in SQL: the key up to its first `:` or `@`."""
_KIND_CODE = (
    "CASE kind " + " ".join(f"WHEN '{name}' THEN {code}" for name, code in KIND_CODES.items())
    + " END"
)  # fmt: skip
"""A kind's number from its name (NULL for a name no kind has, which `kind_code` refuses)."""

TAG_SETS = """
CREATE TABLE tag_sets (
    id INTEGER PRIMARY KEY,
    tags TEXT NOT NULL
);
INSERT INTO tag_sets (id, tags) VALUES (0, '[]');
CREATE TEMP TABLE tag_numbers (tags TEXT PRIMARY KEY, id INTEGER NOT NULL) WITHOUT ROWID;
"""
"""Run first; then `number_tag_sets`, then `LEAN_CARDS`."""

LEAN_CARDS = f"""
DROP INDEX cards_by_deck;
ALTER TABLE cards ADD COLUMN tag_set INTEGER NOT NULL DEFAULT 0;
ALTER TABLE cards ADD COLUMN kind_code INTEGER NOT NULL DEFAULT 0;
UPDATE cards SET
    tag_set = (SELECT n.id FROM temp.tag_numbers n WHERE n.tags = cards.tags),
    kind_code = {_KIND_CODE},
    entry_key = CASE
        WHEN entry_key = '' AND {_GROUP} <> key THEN key
        WHEN entry_key = {_GROUP} THEN ''
        ELSE entry_key END;
ALTER TABLE cards DROP COLUMN tags;
ALTER TABLE cards DROP COLUMN kind;
ALTER TABLE cards ADD COLUMN kind TEXT GENERATED ALWAYS AS ({KIND_NAME}) VIRTUAL;
CREATE INDEX cards_by_deck ON cards(
    deck_id, retired, suspended, state, due, last_review, stability, difficulty, reps, lapses,
    flag, leech, kind_code, created, tag_set);
DROP TABLE temp.tag_numbers;
"""
"""Run in the migration's transaction (`schema_changes._run`), then `lean_details`."""


def number_tag_sets(conn: sqlite3.Connection) -> None:
    """Store each distinct tag set of the cards in `tag_sets`, and its number in
    `temp.tag_numbers` for `LEAN_CARDS`."""
    texts = [tags for (tags,) in conn.execute("SELECT DISTINCT tags FROM cards")]
    numbers = tag_set_ids(conn, texts)
    conn.executemany("INSERT INTO temp.tag_numbers (tags, id) VALUES (?, ?)", numbers.items())


def lean_details(conn: sqlite3.Connection) -> None:
    """Write each card's `detail` without spaces (`COMPACT`), and each cloze's without its
    text where `filled` gives it back exactly; only where the stored text is what `json.dumps`
    writes, so the change is undone exactly (any other is left as it is)."""
    cloze = KIND_CODES["cloze"]
    rows = conn.execute(
        "SELECT id, kind_code, prompt, answer, detail FROM cards WHERE detail <> '{}'"
    ).fetchall()
    lean = []
    for card_id, kind_code, prompt, answer, detail in rows:
        try:
            extra = json.loads(detail)
        except ValueError:  # damaged outside trainer
            continue
        if not isinstance(extra, dict) or json.dumps(extra) != detail:
            continue
        if kind_code == cloze and "text" in extra and extra["text"] == filled(prompt, answer):
            del extra["text"]
        lean.append((json.dumps(extra, separators=COMPACT), card_id))
    conn.executemany("UPDATE cards SET detail = ? WHERE id = ?", lean)
