"""Re-syncing one edited deck by the entries that changed, not the whole file.

The stored layout (`store.deck_entries`) says which bytes each entry of the deck had when it
was last synced. `plan_resync` compares the file with it and parses only the new entries;
`apply_resync` writes their cards as a whole sync would, moves the kept cards whose line or
position shifted, and retires the cards of the entries that went. Whenever the result could
depend on more than the new entries (the front matter or a cloze key shared between entries
changed, a new card repeats a kept one, an entry has a problem), the plan is None, or the
apply returns None having written nothing: the deck is then synced whole, as before.
"""

from __future__ import annotations

import json
from array import array
from bisect import bisect_left, bisect_right
from collections.abc import Container, Iterator
from dataclasses import dataclass
from datetime import datetime
from sys import maxsize
from typing import TYPE_CHECKING

from trainer.core.cards import Card, Deck
from trainer.core.deck_blocks import (
    NO_CLOZE,
    Comparison,
    Fresh,
    Kept,
    Layout,
    compare,
    digest,
)
from trainer.core.deckfile import parse_entry_texts, stray_text_fine
from trainer.core.library import DeckFile
from trainer.core.progress import to_millis
from trainer.store.card_places import MOST_SHIFTS, added, load_shifts, places, save_shifts, value_at
from trainer.store.card_rows import WRITTEN, card_row, row_key, write_rows
from trainer.store.deck_entries import (
    CardsBefore,
    KeptRuns,
    StoredEntries,
    load_entries,
    save_entries,
)
from trainer.store.deck_keys import key_in_deck

if TYPE_CHECKING:
    import sqlite3

_BASE = len(NO_CLOZE) + 1
"""Characters of one entry's cloze key in `Layout.bases`, with its `|`."""
_LOOK_UP = f"SELECT id, key, deck_id, retired, {', '.join(WRITTEN)} FROM cards WHERE "
_UNDER_KEY = "key = ? OR (key > ? AND key < ?)"
"""A card stored under a key or under it with a deck's suffix (`key@vocab`)."""


@dataclass
class Resync:
    """What a re-sync of one deck will write: the comparison and the new entries' cards."""

    deck_file: DeckFile
    deck_id: int
    stored_hash: str
    """The content hash the deck had when the plan was made."""
    deck: Deck
    layout: Layout
    card_ids: array
    seqs: list[int]
    """Where the stored layout's chunks are (`store.deck_entries`)."""
    old_cards: CardsBefore
    """The cards before each stored entry."""
    comparison: Comparison
    fresh: list[tuple[str | None, list[Card]]]
    """Each fresh entry's cloze key and cards, in the order of `comparison.pieces`."""


def plan_resync(
    conn: sqlite3.Connection,
    deck_file: DeckFile,
    deck_id: int,
    stored_hash: str,
    known: KnownEntries | None = None,
) -> Resync | None:
    """The re-sync of a deck by its changed entries, or None if it must be synced whole;
    `known`: the entries this store wrote last, if they are still the stored ones."""
    stored = known.entries(conn, deck_id, stored_hash) if known else None
    if stored is None:
        stored = load_entries(conn, deck_id, stored_hash)
    if stored is None:
        return None
    layout, card_ids, seqs, old_cards = stored
    comparison = compare(deck_file.raw, layout)
    if comparison is None:
        return None
    raw = deck_file.raw
    stray = comparison.stray
    if stray is not None:
        try:
            fine = stray_text_fine(raw[stray.start : stray.end].decode("utf-8"), stray.line)
        except UnicodeDecodeError:
            return None
        if not fine:
            return None
    texts = []
    for piece in comparison.pieces:
        if isinstance(piece, Fresh):
            try:
                texts.append((piece.line, raw[piece.start : piece.end].decode("utf-8")))
            except UnicodeDecodeError:
                return None
    name, tags = conn.execute("SELECT name, tags FROM decks WHERE id = ?", [deck_id]).fetchone()
    gone_bases = "".join(layout.bases[_BASE * a : _BASE * b] for a, b in comparison.gone)

    def shared(bases: list[str | None]) -> set[str] | None:
        # A cloze key is shared when two entries derive it; if that changes for any key the new
        # or gone entries have, kept entries' cards change too.
        named = [base for base in bases if base]
        gone = {gone_bases[i : i + _BASE - 1] for i in range(0, len(gone_bases), _BASE)}
        together = set()
        for base in (set(named) | gone) - {NO_CLOZE}:
            before = layout.bases.count(f"{base}|")
            after = before - gone_bases.count(f"{base}|") + named.count(base)
            if (before > 1) != (after > 1):
                return None
            if after > 1:
                together.add(base)
        return together

    # The path is for problems, which the parse reports only by giving up: no need to show it.
    fresh = parse_entry_texts(texts, tuple(json.loads(tags)), shared, str(deck_file.path))
    if fresh is None:
        return None
    cards = tuple(card for _, made in fresh for card in made)
    deck = Deck(path=deck_file.path, name=name, cards=cards)
    return Resync(
        deck_file, deck_id, stored_hash, deck, layout, card_ids, seqs, old_cards, comparison, fresh
    )


def apply_resync(
    db, plan: Resync, unchanged: Container[int], now: datetime, known: KnownEntries | None = None
) -> tuple[int, int] | None:
    """Write the plan; the counts of cards added and retired, or None (nothing written) when
    the deck must be synced whole: a new card repeats the question of a kept one, or new cards
    find no free position between their kept neighbours (`store.card_places`). The entries
    written are offered to `known` (kept once the sync has committed)."""
    deck_id, ids = plan.deck_id, plan.card_ids
    # Planned before the write lock was taken: another process may have synced the deck since.
    (stored_hash,) = db.execute("SELECT content_hash FROM decks WHERE id = ?", [deck_id]).fetchone()
    if stored_hash != plan.stored_hash:
        return None
    old_cards = plan.old_cards
    gone_ids = {i for a, b in plan.comparison.gone for i in ids[old_cards[a] : old_cards[b]]}
    owners: dict[str, tuple[int, int]] = {}
    claimed: dict[str, int] = {}
    stored: dict[str, tuple] = {}
    """The `WRITTEN` values of the deck's own cards among those looked up (its gone ones)."""
    for card_id, key, owner, retired, *values in _looked_up(db, plan.deck.cards):
        if owner == deck_id and not retired:
            if card_id not in gone_ids:
                return None  # a kept entry asks the same question: whole-deck rules apply
            stored[key] = tuple(values)
        owners[key] = (card_id, owner)
        if owner in unchanged and not retired:
            claimed[key] = owner
    suffixed = {key.partition("@")[0] for key, (_, owner) in owners.items()
                if owner == deck_id and "@" in key}  # fmt: skip
    fresh_flags: list[bool] = []
    # The new cards in runs between kept cards (by id; None: none on that side), and where the
    # kept cards' lines moved by how much (from which kept card on).
    runs: list[tuple[int | None, list[tuple[Card, str]], int | None]] = []
    moves: list[tuple[int, int]] = []
    run: list[tuple[Card, str]] = []
    before: int | None = None
    fresh = iter(plan.fresh)
    for piece in plan.comparison.pieces:
        if isinstance(piece, Kept):
            first, end = old_cards[piece.first], old_cards[piece.end]
            if first == end:
                continue
            if run:
                runs.append((before, run, ids[first]))
                run = []
            if piece.lines != (moves[-1][1] if moves else 0):
                moves.append((ids[first], piece.lines))
            before = ids[end - 1]
            continue
        for card in next(fresh)[1]:
            key = key_in_deck(db, card, plan.deck, deck_id, owners, claimed, unchanged, suffixed)
            fresh_flags.append(key not in owners and key not in claimed)
            claimed[key] = deck_id
            run.append((card, key))
    if run:
        runs.append((before, run, None))
    rows = _placed(db.conn, plan, runs, moves, stored, to_millis(now))
    if rows is None:
        return None  # no room between two kept cards, or too many shifts: the deck is renumbered
    keys = [row_key(row) for row in rows]
    write_rows(db, rows, fresh_flags, stored)
    # A gone entry's card whose key a new card took is that card now; the others are retired.
    taken = {owners[key][0] for key in keys if key in owners}
    lost = db.conn.executemany(
        "UPDATE cards SET retired = 1 WHERE id = ? AND retired = 0",
        [(card_id,) for card_id in sorted(gone_ids - taken)],
    ).rowcount
    inserted = [key for key, is_fresh in zip(keys, fresh_flags) if is_fresh]
    new_ids = dict(_in_keys(db, "SELECT key, id FROM cards WHERE key IN ({})", inserted))
    new_ids.update((key, owners[key][0]) for key in keys if key in owners)
    saved = _save_layout(db.conn, plan, [new_ids[key] for key in keys], old_cards)
    db.conn.execute(
        "UPDATE decks SET content_hash = ?, file_stamp = ? WHERE id = ?",
        [plan.deck_file.content_hash, plan.deck_file.stamp, deck_id],
    )
    if known is not None:
        known.written(db.conn, deck_id, plan.deck_file.content_hash, saved)
    return sum(1 for key in keys if key not in owners), max(lost, 0)


def _placed(conn, plan: Resync, runs, moves, stored: dict[str, tuple], created: int):
    """The new cards' rows, each at a free place between its kept neighbours and with its line
    less the deck's line shift there (saved, moved by `moves`); None if it cannot be so."""
    wanted = {card_id for before, _, after in runs for card_id in (before, after)}
    wanted.update(card_id for card_id, _ in moves)
    wanted.discard(None)
    found = dict(conn.execute(
        "SELECT id, position FROM cards WHERE id IN (SELECT value FROM json_each(?))",
        [json.dumps(sorted(wanted))]))  # fmt: skip
    old = load_shifts(conn, plan.deck_id)
    shifts = added(old, [(found[card_id], lines) for card_id, lines in moves])
    if len(shifts) > MOST_SHIFTS:
        return None
    rows = []
    for before, run, after in runs:
        olds = [stored[key][0] if key in stored else None for _, key in run]
        low, high = (None if card_id is None else found[card_id] for card_id in (before, after))
        positions = places(olds, low, high)
        if positions is None:
            return None
        for (card, key), position in zip(run, positions):
            line = card.line - value_at(shifts, position)
            rows.append(card_row(card, key, plan.deck_id, position, created, line))
    save_shifts(conn, plan.deck_id, old, shifts)
    return rows


def _looked_up(db, cards: tuple[Card, ...]) -> Iterator[tuple]:
    """The cards stored under the keys of `cards`, with or without a suffix: a few hundred keys
    to a query (one for a usual edit)."""
    for start in range(0, len(cards), 300):
        chunk = cards[start : start + 300]
        keys = [value for card in chunk for value in (card.key, f"{card.key}@", f"{card.key}A")]
        yield from db.conn.execute(_LOOK_UP + " OR ".join([_UNDER_KEY] * len(chunk)), keys)


def _in_keys(db, sql: str, keys: list[str]):
    if not keys:
        return []
    return db.conn.execute(sql.format(",".join("?" * len(keys))), keys).fetchall()


def _save_layout(
    conn, plan: Resync, fresh_ids: list[int], old_cards: CardsBefore
) -> tuple[Layout, array, CardsBefore]:
    """Store the new layout, spliced from the kept entries' columns and the fresh entries';
    the layout, its cards' ids and the cards before its entries."""
    old, raw = plan.layout, plan.deck_file.raw
    size, lines = plan.comparison.head
    head = digest(raw[:size]) if plan.comparison.stray else old.head_digest
    new = Layout(size, lines, head, old.front_size, old.front_digest)
    digests, bases, ids = [], [], array("q")
    kept: KeptRuns = []
    # Where the cards before the new entries are counted from: each piece's start, and the
    # old points inside a kept run, moved with it (so a count sums a row's entries at most).
    points, old_points = [], old_cards.known()
    fresh, next_id = iter(plan.fresh), iter(fresh_ids)
    for piece in plan.comparison.pieces:
        points.append((len(new.sizes), len(ids)))
        if isinstance(piece, Kept):
            a, b = piece.first, piece.end
            kept.append((a, b, len(new.sizes) - a, len(ids) - old_cards[a]))
            moved, cards_moved = kept[-1][2:]
            inside = old_points[
                bisect_right(old_points, (a, maxsize)) : bisect_left(old_points, (b,))
            ]
            points.extend((entry + moved, cards + cards_moved) for entry, cards in inside)
            digests.append(old.digests[8 * a : 8 * b])
            bases.append(old.bases[_BASE * a : _BASE * b])
            for column in ("sizes", "lines", "counts"):
                getattr(new, column).extend(getattr(old, column)[a:b])
            ids.extend(plan.card_ids[old_cards[a] : old_cards[b]])
            continue
        base, cards = next(fresh)
        digests.append(digest(raw[piece.start : piece.end]))
        bases.append(f"{base or NO_CLOZE}|")
        new.sizes.append(piece.end - piece.start)
        new.lines.append(raw.count(b"\n", piece.start, piece.end))
        new.counts.append(len(cards))
        ids.extend(next(next_id) for _ in cards)
    new.digests, new.bases = b"".join(digests), "".join(bases)
    stored = StoredEntries(old, plan.card_ids, plan.seqs, old_cards)
    before = (plan.stored_hash, stored, kept)
    save_entries(conn, plan.deck_id, plan.deck_file.content_hash, new, ids, before, raw)
    return new, ids, CardsBefore(new.counts, points or [(0, 0)])


class KnownEntries:
    """The stored entries of the deck a store re-synced last, as it wrote them: the next
    re-sync of that deck (another edit made from the app, say) takes them from here, not from
    the database, while they are the stored ones.

    They are while the deck's stored hash is the one they were written for (a sync that did
    not commit left the one before) and no other connection has committed since
    (`PRAGMA data_version`, read while the write lock was held). This connection writes stored
    entries only in a sync: one that syncs a deck whole forgets them (`forget`).
    """

    def __init__(self) -> None:
        self._kept: tuple[int, str, int, StoredEntries] | None = None

    def entries(
        self, conn: sqlite3.Connection, deck_id: int, content_hash: str
    ) -> StoredEntries | None:
        """The deck's stored entries for the file hashed `content_hash`, if known and current."""
        kept = self._kept
        if kept is None or kept[:2] != (deck_id, content_hash):
            return None
        if kept[2] != _data_version(conn):
            self._kept = None
            return None
        return kept[3]

    def written(self, conn, deck_id: int, content_hash: str, saved: tuple) -> None:
        """Note the entries just written, inside the write transaction that wrote them."""
        layout, card_ids, cards_before = saved
        seqs = [seq for (seq,) in conn.execute(_SEQS, [deck_id])]
        stored = StoredEntries(layout, card_ids, seqs, cards_before)
        self._kept = (deck_id, content_hash, _data_version(conn), stored)

    def forget(self) -> None:
        """Know no entries (a deck is about to be synced whole)."""
        self._kept = None


_SEQS = "SELECT seq FROM deck_entry_chunks WHERE deck_id = ? ORDER BY seq"


def _data_version(conn: sqlite3.Connection) -> int:
    return conn.execute("PRAGMA data_version").fetchone()[0]
