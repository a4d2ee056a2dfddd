"""Keeping `cards_text`, the full-text index of questions and answers, up to date.

Cards added since the index last caught up (their ids are above `cards_text_upto`) are added in
one statement: SQLite's full-text index takes 100,000 cards in about half a second that way,
where a trigger adding them one by one during a first sync doubled its time. Edits of cards
already indexed go through the triggers of migration m009.
"""

from __future__ import annotations

import sqlite3

_UPTO = "SELECT id FROM cards_text_upto"
_NEWEST = "SELECT coalesce(max(id), 0) FROM cards"


def catch_up(conn: sqlite3.Connection) -> None:
    """Index the cards added since the last call (commits; a no-op costs two index probes)."""
    if conn.execute(_NEWEST).fetchone()[0] <= conn.execute(_UPTO).fetchone()[0]:
        return
    # Read again holding the write lock: another trainer process may be catching up too, and
    # a card indexed twice would keep a stale copy of its words after its next edit.
    conn.execute("BEGIN IMMEDIATE")
    try:
        upto = conn.execute(_UPTO).fetchone()[0]
        newest = conn.execute(_NEWEST).fetchone()[0]
        conn.execute(
            "INSERT INTO cards_text (rowid, prompt, answer) "
            "SELECT id, prompt, answer FROM cards WHERE id > ?",
            [upto],
        )
        conn.execute("UPDATE cards_text_upto SET id = max(id, ?)", [newest])
        conn.commit()
    except BaseException:
        conn.rollback()
        raise
