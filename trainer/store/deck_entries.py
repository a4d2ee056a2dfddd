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
    conn: sqlite3.Connection,
    deck_id: int,
    content_hash: str,
    layout: Layout,
    card_ids: array,
    before: tuple[str, Layout, array] | None = None,
) -> None:
    """Store the deck's layout and card ids, for the file whose hash is `content_hash`.

    `before` is the stored row as loaded (hash, layout, card ids): when every column keeps its
    size (an edit within entries, the usual case), only the blocks that differ are written in
    place, so that editing a card of a deck of 20,000 rewrites a few pages, not the deck's row.
    """
    columns = _columns(content_hash, layout, card_ids)
    if before is not None and _patched(conn, deck_id, columns, _columns(*before)):
        return
    conn.execute(
        f"INSERT OR REPLACE INTO deck_entries (deck_id, {', '.join(_COLUMNS)}) "
        f"VALUES (?, {', '.join('?' * len(_COLUMNS))})",
        [deck_id, content_hash, *columns[1:]],
    )


_COLUMNS = ("content_hash", "head", "digests", "sizes", "lines", "counts", "bases", "chunks",
            "card_ids")  # fmt: skip
_BLOCK = 4096
"""Bytes compared and written at a time when a row is patched (about a database page)."""


def _columns(content_hash: str, layout: Layout, card_ids: array) -> list:
    numbers = array("I", [layout.head_size, layout.head_lines, layout.front_size])
    head = layout.head_digest + layout.front_digest + _bytes(numbers)
    return [content_hash, head, layout.digests, _bytes(layout.sizes), _bytes(layout.lines),
            _bytes(layout.counts), layout.bases, layout.chunks, _bytes(card_ids)]  # fmt: skip


def _patched(conn: sqlite3.Connection, deck_id: int, new: list, old: list) -> bool:
    """Write the blocks of `new` that differ from `old` into the stored row, if it is still
    `old` (by its hash) and no column changes size; whether it was so written."""
    stored = conn.execute("SELECT content_hash FROM deck_entries WHERE deck_id = ?", [deck_id])
    if stored.fetchone() != (old[0],):
        return False
    new = [value.encode() if isinstance(value, str) else value for value in new]
    old = [value.encode() if isinstance(value, str) else value for value in old]
    if any(len(a) != len(b) for a, b in zip(new, old)):
        return False
    for column, value, was in zip(_COLUMNS, new, old):
        if value == was:
            continue
        with conn.blobopen("deck_entries", column, deck_id) as blob:
            for start in range(0, len(value), _BLOCK):
                block = value[start : start + _BLOCK]
                if block != was[start : start + _BLOCK]:
                    blob.seek(start)
                    blob.write(block)
    return True


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
