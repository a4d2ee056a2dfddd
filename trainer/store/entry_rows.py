"""The schema of migration `m019`: the cards' line shifts and the stored entries in rows; and of
m021's part that packs those rows.

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
    """Store each layout read by `layouts_in_one_row` in rows, each column by itself, as
    `ENTRIES_IN_ROWS` holds them (packed by m021, `PACKED_ROWS`)."""
    from trainer.store.deck_entries import head_of, layout_from_columns, numbers_of, plain_rows

    for deck_id, content_hash, *columns, card_ids in layouts:
        layout = layout_from_columns(*columns)
        conn.execute(
            "INSERT INTO deck_entries (deck_id, content_hash, head) VALUES (?, ?, ?)",
            [deck_id, content_hash, head_of(layout)],
        )
        conn.executemany(
            "INSERT INTO deck_entry_chunks (deck_id, seq, digests, sizes, lines, counts, bases, "
            "chunks, card_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            plain_rows(deck_id, layout, numbers_of("q", card_ids)),
        )


PACKED_ROWS = """
CREATE TABLE deck_entry_rows (
    deck_id INTEGER NOT NULL REFERENCES decks(id), seq INTEGER NOT NULL,
    digests BLOB NOT NULL, chunks BLOB NOT NULL, numbers BLOB NOT NULL, keys TEXT NOT NULL,
    PRIMARY KEY (deck_id, seq)
);
"""
"""Migration m021: the rows of `ENTRIES_IN_ROWS` with their numbers, ids and cloze keys in one
column, in few bytes (`store.entry_packing`); renamed `deck_entry_chunks` by `pack_rows`."""


def pack_rows(conn: sqlite3.Connection) -> None:
    """Move every stored row to `PACKED_ROWS`' table, each row's values kept."""
    from trainer.store.entry_packing import packed_chunk_row

    conn.execute(PACKED_ROWS)
    rows = conn.execute(
        "SELECT deck_id, seq, digests, sizes, lines, counts, bases, chunks, card_ids "
        "FROM deck_entry_chunks ORDER BY deck_id, seq"
    )
    conn.executemany(
        "INSERT INTO deck_entry_rows (deck_id, seq, digests, chunks, numbers, keys) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        map(packed_chunk_row, rows),
    )
    conn.execute("DROP TABLE deck_entry_chunks")
    conn.execute("ALTER TABLE deck_entry_rows RENAME TO deck_entry_chunks")
