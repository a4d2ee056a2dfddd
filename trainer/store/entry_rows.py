"""The schema of migration `m019`: the cards' line shifts and the stored entries in rows.

Kept beside `schema_changes` (as `card_index` and `log_lean` are) so that it stays short. The
layouts stored one row per deck before are read first and stored again in rows of chunks.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

ENTRIES_IN_ROWS = """
CREATE TABLE line_shifts (
    deck_id INTEGER NOT NULL REFERENCES decks(id),
    from_position INTEGER NOT NULL,
    shift INTEGER NOT NULL,
    PRIMARY KEY (deck_id, from_position)
) WITHOUT ROWID;
DROP TABLE deck_entries;
CREATE TABLE deck_entries (
    deck_id INTEGER PRIMARY KEY REFERENCES decks(id),
    content_hash TEXT NOT NULL,
    head BLOB NOT NULL
);
CREATE TABLE deck_entry_chunks (
    deck_id INTEGER NOT NULL REFERENCES decks(id),
    seq INTEGER NOT NULL,
    digests BLOB NOT NULL,
    sizes BLOB NOT NULL,
    lines BLOB NOT NULL,
    counts BLOB NOT NULL,
    bases TEXT NOT NULL,
    chunks BLOB NOT NULL,
    card_ids BLOB NOT NULL,
    PRIMARY KEY (deck_id, seq)
);
"""


ENTRIES_IN_ONE_ROW = """
        CREATE TABLE deck_entries (
            deck_id INTEGER PRIMARY KEY REFERENCES decks(id),
            content_hash TEXT NOT NULL,
            head BLOB NOT NULL,
            digests BLOB NOT NULL,
            sizes BLOB NOT NULL,
            lines BLOB NOT NULL,
            counts BLOB NOT NULL,
            bases TEXT NOT NULL,
            chunks BLOB NOT NULL,
            card_ids BLOB NOT NULL
        );
        """
"""m014's layout: each deck's entries in one row (moved to rows of chunks by m019)."""


def layouts_in_one_row(conn: sqlite3.Connection) -> list[tuple]:
    """Every deck's layout as stored before `ENTRIES_IN_ROWS`, in one row (`m014`)."""
    return conn.execute(
        "SELECT deck_id, content_hash, head, digests, sizes, lines, counts, bases, chunks, "
        "card_ids FROM deck_entries"
    ).fetchall()


def store_in_rows(conn: sqlite3.Connection, layouts: list[tuple]) -> None:
    """Store each layout read by `layouts_in_one_row` in rows (`store.deck_entries`)."""
    from trainer.store.deck_entries import layout_from_columns, numbers_of, save_entries

    for deck_id, content_hash, *columns, card_ids in layouts:
        layout = layout_from_columns(*columns)
        save_entries(conn, deck_id, content_hash, layout, numbers_of("q", card_ids))
