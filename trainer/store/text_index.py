"""Keeping `cards_text`, the full-text index of questions and answers, up to date.

The index is brought up to date when it is read: every search catches it up first
(`catch_up`), and so does a sync that added cards. Two things wait for it:

- Cards added since the index last caught up (their ids are above `cards_text_upto`): added in
  one statement. SQLite's full-text index takes 100,000 cards in about half a second that way,
  where a trigger adding them one by one during a first sync doubled its time.
- Cards indexed, then edited or deleted: the triggers of migration m023 keep the words the
  index holds for each (`cards_text_stale`, the first ones only: an edit of an edited card
  changes nothing there). A catch-up takes those words out and the card's words now in. An
  edit of a deck so writes a row of its own, not a segment of the index (a tenth of a
  re-sync's time); the next search pays for that segment, once for all the edits since.
"""

from __future__ import annotations

import sqlite3

from trainer.store.flushing import not_flushed

_UPTO = "SELECT id FROM cards_text_upto"
_NEWEST = "SELECT coalesce(max(id), 0) FROM cards"
_STALE = "SELECT EXISTS (SELECT 1 FROM cards_text_stale)"
_RE_INDEXED = """
INSERT INTO cards_text (cards_text, rowid, prompt, answer)
SELECT command, id, prompt, answer FROM (
    SELECT 'delete' AS command, id, prompt, answer, 0 AS step FROM cards_text_stale
    UNION ALL
    SELECT NULL, c.id, c.prompt, c.answer, 1
    FROM cards_text_stale s CROSS JOIN cards c ON c.id = s.id WHERE s.id <= ?
) ORDER BY id, step
"""
"""The words indexed for each card edited or deleted out, an edited card's words now in, by
card: the index then writes one segment for them all (it writes one whenever a card comes
before the one it took last). `CROSS JOIN`: the few cards queued are read first, else SQLite
reads every card up to `upto` (10 ms at 100,000 cards)."""

EDITS_QUEUED = """
CREATE TABLE cards_text_stale (id INTEGER PRIMARY KEY, prompt TEXT, answer TEXT);
DROP TRIGGER cards_text_update;
CREATE TRIGGER cards_text_update AFTER UPDATE OF prompt, answer ON cards
WHEN (old.prompt IS NOT new.prompt OR old.answer IS NOT new.answer)
    AND old.id <= (SELECT id FROM cards_text_upto) BEGIN
    INSERT OR IGNORE INTO cards_text_stale (id, prompt, answer)
    VALUES (old.id, old.prompt, old.answer);
END;
DROP TRIGGER cards_text_delete;
CREATE TRIGGER cards_text_delete AFTER DELETE ON cards
WHEN old.id <= (SELECT id FROM cards_text_upto) BEGIN
    INSERT OR IGNORE INTO cards_text_stale (id, prompt, answer)
    VALUES (old.id, old.prompt, old.answer);
    -- A new card may take the newest card's id again: it must be caught up.
    UPDATE cards_text_upto SET id = old.id - 1 WHERE id = old.id;
END;
"""
"""Migration m023: edits and deletions of indexed cards wait for the next catch-up."""


def catch_up(conn: sqlite3.Connection) -> None:
    """Index the cards added, edited or deleted since the last call (commits; a no-op costs
    three index probes)."""
    if (
        conn.execute(_NEWEST).fetchone()[0] <= conn.execute(_UPTO).fetchone()[0]
        and not conn.execute(_STALE).fetchone()[0]
    ):
        return
    # A commit of its own, not flushed (`flushing`): the index is made from the cards. The
    # write lock is taken before reading: another trainer process may be catching up too, and
    # a card indexed twice would keep a stale copy of its words after its next edit.
    with not_flushed(conn):
        conn.execute("BEGIN IMMEDIATE")
        try:
            _index_changes(conn)
            conn.commit()
        except BaseException:
            conn.rollback()
            raise


def _index_changes(conn: sqlite3.Connection) -> None:
    upto = conn.execute(_UPTO).fetchone()[0]
    newest = conn.execute(_NEWEST).fetchone()[0]
    conn.execute(_RE_INDEXED, [upto])
    conn.execute("DELETE FROM cards_text_stale")
    # The cards added (a deleted card's id may be a new card's now, past `upto`).
    conn.execute(
        "INSERT INTO cards_text (rowid, prompt, answer) "
        "SELECT id, prompt, answer FROM cards WHERE id > ?",
        [upto],
    )
    conn.execute("UPDATE cards_text_upto SET id = max(id, ?)", [newest])
