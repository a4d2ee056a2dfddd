"""Each deck file's entries as last synced (`core.deck_blocks.Layout`) and its cards' ids.

Kept in `deck_entries`, one row per deck, for the content hash it was made from: a row whose hash
is not the deck's is never used. Columns of fixed-size numbers (little-endian), so that a re-sync
reads and rewrites them with a few slices, not one step per entry.
"""

from __future__ import annotations

import sys
from array import array
from typing import TYPE_CHECKING

from trainer.core.deck_blocks import Layout, layout_of
from trainer.core.deckfile import DeckMarks

if TYPE_CHECKING:
    import sqlite3


def load_entries(conn: sqlite3.Connection, deck_id: int, content_hash: str):
    """The deck's stored layout and card ids (in position order), or None if none is current."""
    row = conn.execute(
        "SELECT head, digests, sizes, lines, counts, bases, chunks, card_ids FROM deck_entries "
        "WHERE deck_id = ? AND content_hash = ?",
        [deck_id, content_hash],
    ).fetchone()
    if row is None:
        return None
    head, digests, sizes, lines, counts, bases, chunks, card_ids = row
    size, lines_before, front = _numbers("I", head[16:])
    layout = Layout(size, lines_before, head[:8], front, head[8:16], digests)
    layout.sizes, layout.lines, layout.counts = (_numbers("I", b) for b in (sizes, lines, counts))
    layout.bases, layout.chunks = bases, chunks
    return layout, _numbers("q", card_ids)


def save_entries(
    conn: sqlite3.Connection, deck_id: int, content_hash: str, layout: Layout, card_ids: array
) -> None:
    """Store the deck's layout and card ids, for the file whose hash is `content_hash`."""
    numbers = array("I", [layout.head_size, layout.head_lines, layout.front_size])
    head = layout.head_digest + layout.front_digest + _bytes(numbers)
    conn.execute(
        "INSERT OR REPLACE INTO deck_entries (deck_id, content_hash, head, digests, sizes, lines, "
        "counts, bases, chunks, card_ids) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [deck_id, content_hash, head, layout.digests, _bytes(layout.sizes), _bytes(layout.lines),
         _bytes(layout.counts), layout.bases, layout.chunks, _bytes(card_ids)],
    )  # fmt: skip


def index_deck(
    conn: sqlite3.Connection, deck_id: int, content_hash: str, raw: bytes, marks: DeckMarks | None
) -> None:
    """Store the entries of a deck just synced whole (`marks` from `parse_deck_entries`).

    A deck the layout cannot describe (an exact copy of a card left out, entries alike byte
    for byte) loses its row: its next re-sync parses it whole again.
    """
    layout = layout_of(raw, marks) if marks else None
    rows = conn.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND retired = 0 ORDER BY position", [deck_id]
    )
    ids = array("q", (card_id for (card_id,) in rows))
    if layout is None or len(ids) != sum(layout.counts):
        conn.execute("DELETE FROM deck_entries WHERE deck_id = ?", [deck_id])
        return
    save_entries(conn, deck_id, content_hash, layout, ids)


def _bytes(numbers: array) -> bytes:
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def _numbers(typecode: str, data: bytes) -> array:
    numbers = array(typecode, data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
