"""Each deck file's entries as last synced (`core.deck_blocks.Layout`) and its cards' ids.

Kept in `deck_entries` (one row per deck: the content hash it was made from and the head) and
`deck_entry_chunks`, one row per run of chunks (`row_ends`: about the square root of their
number, a few dozen rows for a deck of 20,000 entries), in `seq` order: a row whose hash is not
the deck's is never used. A row holds its entries' and its chunks' hashes as they are, and the
rest in one column (`store.entry_packing`, migration m021: the entries' sizes, lines and card
counts, their cards' ids, their cloze keys, each number in as few bytes as it needs), so a
re-sync reads the layout with a few joins, and one that changes a few entries writes the rows
they are in, not the deck's whole layout.
"""

from __future__ import annotations

import math
import sys
from array import array
from bisect import bisect_left, bisect_right
from itertools import accumulate
from typing import TYPE_CHECKING, NamedTuple

from trainer.core.deck_blocks import (
    NO_CLOZE,
    Layout,
    chunk_digests,
    chunk_ends,
    chunk_size,
    layout_of,
)
from trainer.core.deckfile import DeckMarks
from trainer.store.card_places import GAP, spread
from trainer.store.entry_packing import packed_chunk_row, unpacked_rows

if TYPE_CHECKING:
    import sqlite3


class CardsBefore:
    """How many cards the stored entries before each entry hold: what `accumulate` of the
    entries' counts gives, counted from the start of the entry's row (a list of every entry's
    would cost more than the rest of the comparison in a deck of 20,000)."""

    def __init__(self, counts: array, known: list[tuple[int, int]]) -> None:
        """`known`: (entry, cards before it) where each row begins, in order, from (0, 0)."""
        self._counts = counts
        self._entries = [entry for entry, _ in known]
        self._cards = [cards for _, cards in known]

    def __getitem__(self, entry: int) -> int:
        at = bisect_right(self._entries, entry) - 1
        return self._cards[at] + sum(self._counts[self._entries[at] : entry])

    def known(self) -> list[tuple[int, int]]:
        """The (entry, cards before it) it counts from, in order, from (0, 0)."""
        return list(zip(self._entries, self._cards))


class StoredEntries(NamedTuple):
    """A deck's stored layout, its cards' ids (in position order), its chunks' `seq`s and the
    cards before each entry (counted from the rows': `CardsBefore`)."""

    layout: Layout
    card_ids: array
    seqs: list[int]
    cards_before: CardsBefore


KeptRuns = list[tuple[int, int, int, int]]
"""Runs of stored entries a new layout keeps: (first, end, how many places further on, how many
cards further on)."""
_BASE = len(NO_CLOZE) + 1
"""Characters per entry in the cloze keys' column (`Layout.bases`)."""
_INSERT = (
    "INSERT INTO deck_entry_chunks (deck_id, seq, digests, chunks, numbers, keys) "
    "VALUES (?, ?, ?, ?, ?, ?)"
)


def load_entries(conn: sqlite3.Connection, deck_id: int, content_hash: str) -> StoredEntries | None:
    """The deck's stored entries, or None if none are current."""
    row = conn.execute(
        "SELECT head FROM deck_entries WHERE deck_id = ? AND content_hash = ?",
        [deck_id, content_hash],
    ).fetchone()
    if row is None:
        return None
    rows = conn.execute(
        "SELECT seq, digests, chunks, numbers, keys FROM deck_entry_chunks WHERE deck_id = ? "
        "ORDER BY seq",
        [deck_id],
    ).fetchall()
    if not rows:
        return None
    entries = [len(row[1]) // 8 for row in rows]
    (sizes, lines, counts, card_ids), bases, cards = unpacked_rows(
        [(count, row[3], row[4]) for count, row in zip(entries, rows)]
    )
    digests, chunks = b"".join(row[1] for row in rows), b"".join(row[2] for row in rows)
    layout = layout_from_columns(row[0], digests, sizes, lines, counts, bases, chunks)
    # Where each row begins, in entries and in cards.
    starts = list(accumulate(entries, initial=0))
    cards_before = CardsBefore(layout.counts, list(zip(starts, accumulate(cards, initial=0))))
    return StoredEntries(layout, numbers_of("q", card_ids), [row[0] for row in rows], cards_before)


def layout_from_columns(
    head: bytes,
    digests: bytes,
    sizes: bytes,
    lines: bytes,
    counts: bytes,
    bases: str,
    chunks: bytes,
) -> Layout:
    """A layout from its columns as stored (each entry's numbers as little-endian `I`s)."""
    size, lines_before, front = numbers_of("I", head[16:])
    layout = Layout(size, lines_before, head[:8], front, head[8:16], digests)
    layout.sizes, layout.lines, layout.counts = (numbers_of("I", b) for b in (sizes, lines, counts))
    layout.bases, layout.chunks = bases, chunks
    return layout


def save_entries(
    conn: sqlite3.Connection,
    deck_id: int,
    content_hash: str,
    layout: Layout,
    card_ids: array,
    before: tuple[str, StoredEntries, KeptRuns] | None = None,
    raw: bytes | None = None,
) -> None:
    """Store the deck's layout and card ids, for the file whose hash is `content_hash`.

    `before` is the stored entries as loaded, with their hash and the runs of their entries
    the new layout keeps: the chunks of kept entries that are cut where they were keep their
    rows, and only the others are written (editing a card of a deck of 20,000 writes a row or
    two, not the deck's layout). A layout without its chunks' hashes gets them from `raw`, the
    file's bytes (those of the chunks kept from `before`, from there).
    """
    head = head_of(layout)
    new = _columns(layout, card_ids, keep=True)
    if before is not None:
        current = conn.execute(
            "UPDATE deck_entries SET content_hash = ?, head = ? WHERE deck_id = ? AND content_hash = ?",
            [content_hash, head, deck_id, before[0]],
        ).rowcount
        if current and _rows_patched(conn, deck_id, new, before[1], before[2], raw):
            return
    if raw is not None and not layout.chunks:
        layout.chunks = chunk_digests(raw, layout)
    conn.execute(
        "INSERT OR REPLACE INTO deck_entries (deck_id, content_hash, head) VALUES (?, ?, ?)",
        [deck_id, content_hash, head],
    )
    conn.execute("DELETE FROM deck_entry_chunks WHERE deck_id = ?", [deck_id])
    conn.executemany(_INSERT, map(packed_chunk_row, new.rows(deck_id, 0, len(new.ends), GAP, 0)))


def head_of(layout: Layout) -> bytes:
    """The layout's head as `deck_entries.head` holds it."""
    numbers = array("I", [layout.head_size, layout.head_lines, layout.front_size])
    return layout.head_digest + layout.front_digest + _bytes(numbers)


def plain_rows(deck_id: int, layout: Layout, card_ids: array) -> list[tuple]:
    """Every row of a layout, each column by itself: (deck_id, seq, digests, sizes, lines,
    counts, bases, chunks, card_ids), as migration m019 stored them."""
    columns = _Columns(layout, card_ids)
    return columns.rows(deck_id, 0, len(columns.ends), GAP, 0)


def row_ends(digests: bytes, chunks: list[int]) -> list[int]:
    """Where the stored rows of a layout end (exclusive entry indexes, the last included): at
    chunk ends (`chunk_ends`), about one in the square root of their number, picked by the hash
    of the entry there, so that an edit leaves every row but its own (and at most a neighbour)
    as it was."""
    group = 1 << max(0, round(math.log2(len(chunks)) / 2))
    ends = [end for end in chunks if digests[8 * end - 7] < 256 // group]
    if not ends or ends[-1] != chunks[-1]:
        ends.append(chunks[-1])
    return ends


class _Columns:
    """A layout's columns as stored, and where its chunks end."""

    def __init__(self, layout: Layout, card_ids: array) -> None:
        self.layout, self.card_ids = layout, card_ids
        chunks = chunk_ends(layout.digests)
        self.ends = row_ends(layout.digests, chunks)
        self.starts = [0, *self.ends[:-1]]
        chunk_of = {end: index + 1 for index, end in enumerate(chunks)}
        self.chunk_ends = [chunk_of[end] for end in self.ends]
        """Per row, the end of its chunks (exclusive chunk indexes)."""

    def chunk_start(self, index: int) -> int:
        """The first chunk of row `index`."""
        return self.chunk_ends[index - 1] if index else 0

    def rows(self, deck_id: int, first: int, end: int, seqs, cards: int) -> list[tuple]:
        """The rows of chunks `first` to `end` (exclusive), at `seqs` (a list, or a step);
        `cards`: how many cards the rows before `first` hold."""
        made: list[tuple] = []
        layout, counts = self.layout, self.layout.counts
        for index in range(first, end):
            a, b = self.starts[index], self.ends[index]
            seq = seqs[index - first] if isinstance(seqs, list) else seqs * index
            # Only the rows written are turned into bytes (not the deck's whole columns).
            numbers = (_bytes(column[a:b]) for column in (layout.sizes, layout.lines, counts))
            after = cards + sum(counts[a:b])
            ids = _bytes(self.card_ids[cards:after])
            cards = after
            chunk = layout.chunks[8 * self.chunk_start(index) : 8 * self.chunk_ends[index]]
            digests, bases = layout.digests[8 * a : 8 * b], layout.bases[_BASE * a : _BASE * b]
            made.append((deck_id, seq, digests, *numbers, bases, chunk, ids))
        return made


def _columns(layout: Layout, card_ids: array, keep: bool = False) -> _Columns:
    """`_Columns(layout, card_ids)`; with `keep`, remembered (the last two kept): the layout a
    re-sync writes is the stored one of the next (`resync.KnownEntries`), whose rows that one
    compares with its own."""
    for known, ids, size, columns in _kept_columns:
        if known is layout and ids is card_ids and size == (len(layout), len(card_ids)):
            return columns
    columns = _Columns(layout, card_ids)
    if keep:
        kept = (layout, card_ids, (len(layout), len(card_ids)), columns)
        _kept_columns[:] = [kept, *_kept_columns[:1]]
    return columns


_kept_columns: list[tuple[Layout, array, tuple[int, int], _Columns]] = []
"""The last two `_columns` kept: the layout and ids (the same objects, as long as they were)
and the answer."""


def _rows_patched(
    conn: sqlite3.Connection,
    deck_id: int,
    new: _Columns,
    old: StoredEntries,
    kept: KeptRuns,
    raw: bytes | None,
) -> bool:
    """Rewrite the rows not kept whole; whether it could be so (else the caller writes every
    row)."""
    if chunk_size(len(old.layout)) != chunk_size(len(new.layout)):
        return False  # every chunk cut anew: every row changes
    was = _columns(old.layout, old.card_ids)
    if len(was.ends) != len(old.seqs):
        return False
    pairs: list[tuple[int, int, int]] = []
    """Rows left as they were: (old index, new index, how many cards further on)."""
    for first, end, moved, cards_moved in kept:
        # The rows inside a run of kept entries are cut where they were (by the entries' own
        # hashes, `row_ends`), except at the run's ends: a row is kept if it is inside the run
        # both before and after, beginning and ending at the same entries.
        new_from = bisect_left(new.starts, first + moved)
        inside = {
            new.starts[index]: index
            for index in range(new_from, bisect_right(new.ends, end + moved))
        }
        for index in range(bisect_left(was.starts, first), bisect_right(was.ends, end)):
            same = inside.get(was.starts[index] + moved)
            if same is not None and new.ends[same] == was.ends[index] + moved:
                pairs.append((index, same, cards_moved))
    if raw is not None and not new.layout.chunks:
        # The chunks inside the kept entries keep their hashes: only those an edit touched are
        # hashed again.
        runs = [(first, end, moved) for first, end, moved, _ in kept]
        new.layout.chunks = chunk_digests(
            raw, new.layout, (old.layout, kept_chunks(old.layout, new.layout, runs))
        )
    # Between two kept rows, the new rows take the seqs of the old ones there, in order
    # (their seqs are in order between the two), then free seqs after them; rows left go.
    bounds = [(-1, -1, 0), *pairs, (len(was.ends), len(new.ends), 0)]
    rows, updates, gone = [], [], []
    for (old_low, new_low, cards_moved), (old_high, new_high, _) in zip(bounds, bounds[1:]):
        reused = old.seqs[old_low + 1 : old_high]
        count = new_high - new_low - 1
        gone.extend(reused[count:])
        seqs = reused[:count]
        if count > len(reused):
            low = reused[-1] if reused else old.seqs[old_low] if old_low >= 0 else None
            high = old.seqs[old_high] if old_high < len(old.seqs) else None
            more = spread(count - len(reused), low, high)
            if more is None:
                return False
            seqs += more
        if count:
            # The cards before the first row written: those up to the kept row before it.
            cards = old.cards_before[was.ends[old_low]] + cards_moved if old_low >= 0 else 0
            made = new.rows(deck_id, new_low + 1, new_high, seqs, cards)
            updates.extend(made[: len(reused)])
            rows.extend(made[len(reused) :])
    conn.executemany(
        "DELETE FROM deck_entry_chunks WHERE deck_id = ? AND seq = ?",
        [(deck_id, seq) for seq in gone],
    )
    conn.executemany(
        "UPDATE deck_entry_chunks SET digests = ?, chunks = ?, numbers = ?, keys = ? "
        "WHERE deck_id = ? AND seq = ?",
        [(*row[2:], row[0], row[1]) for row in map(packed_chunk_row, updates)],
    )
    conn.executemany(_INSERT, map(packed_chunk_row, rows))
    return True


def kept_chunks(
    old: Layout, new: Layout, runs: list[tuple[int, int, int]]
) -> dict[int, tuple[int, int]]:
    """The chunks of `new` that are chunks of `old`, moved: by the index of the first of each
    run of them, the run of `old`'s chunks (first, end) they are (what `chunk_digests` keeps).

    `runs`: the stored entries `new` keeps, (first, end, how many places further on). Inside
    such a run, chunks end where they ended (after an entry whose hash says so, `chunk_ends`);
    the run's first and last chunks are checked, since what lies beside the run changed.
    """
    old_ends, new_ends = chunk_ends(old.digests), chunk_ends(new.digests)
    found: dict[int, tuple[int, int]] = {}
    for first, end, moved in runs:
        # The old chunks that begin at or after `first`, and end at or before `end`.
        low, high = bisect_left(old_ends, first) + 1 if first else 0, bisect_right(old_ends, end)
        at = None
        while low < high:
            at = _beginning(new_ends, (old_ends[low - 1] if low else 0) + moved)
            if at is not None:
                break
            low += 1
        count = high - low
        while (
            at is not None
            and count
            and (
                at + count > len(new_ends)
                or new_ends[at + count - 1] != old_ends[low + count - 1] + moved
            )
        ):
            count -= 1
        if at is not None and count:
            found[at] = (low, low + count)
    return found


def _beginning(ends: list[int], entry: int) -> int | None:
    """The index of the chunk that begins at `entry`, if one does (`ends`: `chunk_ends`)."""
    if entry == 0:
        return 0
    index = bisect_left(ends, entry)
    return index + 1 if index + 1 < len(ends) and ends[index] == entry else None


def index_deck(
    conn: sqlite3.Connection, deck_id: int, content_hash: str, raw: bytes, marks: DeckMarks | None
) -> None:
    """Store the entries of a deck just synced whole (`marks` from `parse_deck_entries`).

    A deck the layout cannot describe (an exact copy of a card left out, entries alike byte
    for byte) loses its rows: its next re-sync parses it whole again.
    """
    layout = layout_of(raw, marks) if marks else None
    rows = conn.execute(
        "SELECT id FROM cards WHERE deck_id = ? AND retired = 0 ORDER BY position", [deck_id]
    )
    ids = array("q", (card_id for (card_id,) in rows))
    if layout is None or len(ids) != sum(layout.counts):
        conn.execute("DELETE FROM deck_entries WHERE deck_id = ?", [deck_id])
        conn.execute("DELETE FROM deck_entry_chunks WHERE deck_id = ?", [deck_id])
        return
    save_entries(conn, deck_id, content_hash, layout, ids)


def _bytes(numbers: array) -> bytes:
    if sys.byteorder == "big":
        numbers = array(numbers.typecode, numbers)
        numbers.byteswap()
    return numbers.tobytes()


def numbers_of(typecode: str, data: bytes) -> array:
    """The numbers of a stored column (little-endian)."""
    numbers = array(typecode, data)
    if sys.byteorder == "big":
        numbers.byteswap()
    return numbers
