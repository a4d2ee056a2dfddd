"""Bringing the store in line with the deck files on disk.

A file whose size and modification time are as recorded is not read at all; any other file is
read and skipped if its content hash is unchanged. Cards are matched by key, never deleted: a card
gone from its deck is retired, and comes back with its history when it returns. A card that moved
to another file follows its key there. Nothing is written unless every changed file parses.
"""

from __future__ import annotations

import gc
import json
import os
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer.core.cards import Deck
from trainer.core.deckfile import DeckError, DeckMarks, Problem
from trainer.core.library import DeckFile, file_stamp, read_deck_file, shown_path
from trainer.core.progress import to_millis
from trainer.store.card_places import GAP, drop_shifts
from trainer.store.card_rows import WRITTEN, card_row, row_key, write_rows
from trainer.store.connection import wide_cache
from trainer.store.deck_entries import index_deck
from trainer.store.deck_keys import key_in_deck
from trainer.store.flushing import not_flushed
from trainer.store.resync import KnownEntries, apply_resync, plan_resync
from trainer.store.rows import settings_of

if TYPE_CHECKING:
    import sqlite3

    from sqlite_utils import Database


_UNKNOWN = (None, None, None)
"""A deck file's (id, content hash, stamp) when the store has no deck of it."""
CACHE_SHARE = 5
"""A sync of deck files of N bytes writes with a page cache of N / 5 (`wide_cache`): about
twice the keys' index of the cards in them (a card: about 170 bytes of a deck, 30 of that
index). Below about 10 MB of decks, SQLite's own cache is as wide."""


@dataclass
class SyncReport:
    """What a sync did, for the learner and for tests."""

    unchanged: int = 0
    updated: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)
    added_cards: int = 0
    retired_cards: int = 0


def sync_decks(
    conn: sqlite3.Connection,
    database: Callable[[], Database],
    files: Sequence[Path],
    roots: Sequence[Path] = (),
    now: datetime | None = None,
    remembered: KnownEntries | None = None,
) -> SyncReport:
    """Sync `files` into the store; decks once under `roots` whose file is gone are marked missing.

    `conn` is read first; `database` gives the sqlite-utils view of it, asked for only when
    something changed. `remembered`: the entries the store's last re-sync wrote.

    Raises `DeckError` with the problems of every bad file, having changed nothing.
    """
    now = now or datetime.now(UTC)
    report = SyncReport()
    known = {path: (deck_id, digest, stamp) for deck_id, path, digest, stamp in conn.execute(
        "SELECT id, path, content_hash, file_stamp FROM decks WHERE missing = 0")}  # fmt: skip
    changed: list[DeckFile] = []
    restamped: list[DeckFile] = []
    problems = []
    for path in files:
        _, digest, stamp = known.get(str(path), _UNKNOWN)
        try:
            # (A file never stamped is read without a stat: no stamp matches "".)
            if stamp and file_stamp(str(path)) == stamp:
                report.unchanged += 1
                continue
            deck_file = read_deck_file(path)
        except OSError as error:  # gone or unreadable between listing and stat
            problems.append(
                Problem(shown_path(path), 0, f"cannot read deck file: {error.strerror}")
            )
            continue
        except DeckError as error:
            problems.extend(error.problems)
            continue
        if digest == deck_file.content_hash:
            report.unchanged += 1  # touched (a checkout, say) but not changed
            if deck_file.stamp:
                restamped.append(deck_file)
        else:
            changed.append(deck_file)
    # One deck edited (the usual case): parse only its entries that changed, when it can be so.
    plan = None
    if len(changed) == 1 and str(changed[0].path) in known:
        deck_id, digest, _ = known[str(changed[0].path)]
        plan = plan_resync(conn, changed[0], deck_id, digest, remembered)
    decks: list[tuple[DeckFile, Deck, DeckMarks | None]] = []
    for deck_file in changed if plan is None else ():
        try:
            decks.append((deck_file, *deck_file.parse_entries()))
        except DeckError as error:
            problems.extend(error.problems)
    if problems:
        raise DeckError(problems)
    present = {str(path) for path in files}
    # As `Path.is_relative_to`, on the strings: known paths are resolved, and this runs for every
    # deck a sync does not list.
    unlisted = known.keys() - present
    folders = tuple(
        str(root).rstrip(os.sep) + os.sep for root in map(Path, roots if unlisted else ())
    )
    gone = [
        path
        for path in unlisted
        if (path.startswith(folders) or path + os.sep in folders) and not Path(path).exists()
    ]
    if not decks and plan is None and not gone and not restamped:
        return report
    db = database()  # only now: a sync that finds nothing changed never loads sqlite-utils
    with not_flushed(db.conn), db.atomic():
        db.conn.executemany(
            "UPDATE decks SET file_stamp = ? WHERE path = ?",
            [(deck_file.stamp, str(deck_file.path)) for deck_file in restamped],
        )
        # Take the write lock before reading: in WAL mode a transaction that reads first and then
        # writes gets "database is locked" at once, without waiting, while another process writes.
        db.execute("UPDATE decks SET id = id WHERE 0")
        # A deck whose file is gone (renamed or moved) must not keep its keys from its new file.
        on_disk = _OnDisk(known, present)
        if plan is not None:
            counts = apply_resync(db, plan, on_disk.other_than(plan.deck_id), now, remembered)
            if counts is None:  # nothing written: the deck is synced whole after all
                decks.append((plan.deck_file, *plan.deck_file.parse_entries()))
            else:
                report.added_cards, report.retired_cards = counts
                report.updated.append(plan.deck.name)
        if decks:
            if remembered is not None:
                remembered.forget()
            # Many cards at once (a first sync, a large deck added): a page cache that holds
            # their keys' index (1,000,000 cards: 5% less time).
            size = sum(len(deck_file.raw) for deck_file, _, _ in decks)
            with wide_cache(db.conn, size // CACHE_SHARE // 1024):
                _sync_whole(db, decks, on_disk.decks(), report, now)
        for path in gone:
            deck_id = known[path][0]
            db.execute("UPDATE decks SET missing = 1 WHERE id = ?", [deck_id])
            cursor = db.execute(
                "UPDATE cards SET retired = 1 WHERE deck_id = ? AND retired = 0", [deck_id]
            )
            report.retired_cards += cursor.rowcount
            report.missing.append(path)
    return report


class _OnDisk:
    """The known decks whose file is still on disk, each file looked for only when asked about."""

    def __init__(self, known: dict[str, tuple], listed: set[str]) -> None:
        self._paths = {ids[0]: path for path, ids in known.items()}
        self._known, self._listed = known, listed
        self._found: dict[int, bool] = {}

    def __contains__(self, deck_id: object) -> bool:
        if not isinstance(deck_id, int) or deck_id not in self._paths:
            return False
        if deck_id not in self._found:
            path = self._paths[deck_id]
            self._found[deck_id] = path in self._listed or Path(path).exists()
        return self._found[deck_id]

    def other_than(self, deck_id: int) -> _OnDisk:
        """The same, without the deck `deck_id` (the one being synced)."""
        other = _OnDisk({}, self._listed)
        other._paths = {key: path for key, path in self._paths.items() if key != deck_id}
        other._found = self._found
        return other

    def decks(self) -> dict[str, tuple]:
        """Every such deck: path to (id, content hash, stamp)."""
        return {path: ids for path, ids in self._known.items() if ids[0] in self}


def _sync_whole(db, decks, on_disk, report: SyncReport, now: datetime) -> None:
    """Write each parsed deck whole: its row, its cards by key, its stored entries."""
    deck_ids = {
        str(deck_file.path): _save_deck(db, deck_file, deck) for deck_file, deck, _ in decks
    }
    parsed = [(deck_file, deck) for deck_file, deck, _ in decks]
    # Saving decks leaves the cards alone: this is still how they stood before the sync.
    keys = _asked_keys(parsed)
    owners = _owners(db, keys, deck_ids)
    claimed = _claimed_keys(db, keys, deck_ids, on_disk)
    unchanged = {ids[0] for ids in on_disk.values()} - set(deck_ids.values())
    # Per deck, the questions it stores under a longer key (`key@vocab`): they stay its own.
    suffixed: dict[int, set[str]] = {}
    for key, (_, owner) in owners.items():
        if "@" in key:
            suffixed.setdefault(owner, set()).add(key.partition("@")[0])
    for deck_file, deck, marks in decks:
        deck_id = deck_ids[str(deck_file.path)]
        added, retired = _save_cards(
            db, deck_id, deck, owners, claimed, unchanged, suffixed.get(deck_id, set()), now
        )
        index_deck(db.conn, deck_id, deck_file.content_hash, deck_file.raw, marks)
        report.added_cards += added
        report.retired_cards += retired
        report.updated.append(deck.name)


def _save_deck(db, deck_file: DeckFile, deck: Deck) -> int:

    row = {
        "path": str(deck_file.path),
        "name": deck.name,
        "description": deck.description,
        "tags": json.dumps(list(deck.tags)),
        "settings": json.dumps(settings_of(deck)),
        "content_hash": deck_file.content_hash,
        "file_stamp": deck_file.stamp,
    }
    db.execute(
        """
        INSERT INTO decks (path, name, description, tags, settings, content_hash, file_stamp,
            missing)
        VALUES (:path, :name, :description, :tags, :settings, :content_hash, :file_stamp, 0)
        ON CONFLICT(path) DO UPDATE SET name = excluded.name, description = excluded.description,
            tags = excluded.tags, settings = excluded.settings,
            content_hash = excluded.content_hash, file_stamp = excluded.file_stamp, missing = 0
        """,
        row,
    )
    return db.execute("SELECT id FROM decks WHERE path = ?", [row["path"]]).fetchone()[0]


def _asked_keys(decks) -> set[str]:
    """Every key the changed decks' cards may be stored under: bare, and with the `@file`
    suffix a clash gives."""
    keys: set[str] = set()
    for _, deck in decks:
        suffix = f"@{deck.path.stem}"
        for card in deck.cards:
            keys.add(card.key)
            keys.add(card.key + suffix)
    return keys


def _owners(db, keys: set[str], deck_ids: dict[str, int]) -> dict[str, tuple[int, int]]:
    """Card id and deck of every key `_save_cards` asks about (`keys`, from `_asked_keys`).

    That is each card the changed decks hold (to retire those they lost) and each of their keys
    (to count the new ones). Editing one deck of a large collection looks up a few thousand keys
    instead of reading every card (10x faster at 100,000 cards); a sync that changes much of the
    collection reads the whole table.
    """
    if not _few(db, keys):
        return {key: (card_id, deck_id) for card_id, key, deck_id in db.execute(
            "SELECT id, key, deck_id FROM cards")}  # fmt: skip
    owners = {
        key: (card_id, deck_id)
        for card_id, key, deck_id in _in_chunks(
            db, "SELECT id, key, deck_id FROM cards WHERE key IN ({})", list(keys)
        )
    }
    changed_ids = sorted(set(deck_ids.values()))
    for card_id, key, deck_id in _in_chunks(
        db, "SELECT id, key, deck_id FROM cards WHERE deck_id IN ({})", changed_ids
    ):
        owners[key] = (card_id, deck_id)
    return owners


def _few(db, keys: set[str]) -> bool:
    """Whether looking `keys` up one by one beats reading every card (it does below about half)."""
    return len(keys) < db.execute("SELECT COUNT(*) FROM cards").fetchone()[0] // 2


def _in_chunks(db, sql: str, values: list) -> Iterator[tuple]:
    """The rows of `sql`, whose `IN ({})` is filled with `values` a few hundred at a time."""
    for start in range(0, len(values), 500):
        chunk = values[start : start + 500]
        yield from db.execute(sql.format(",".join("?" * len(chunk))), chunk)


@contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cycle collector for a sync.

    Parsing 100,000 cards allocates millions of objects, none of them garbage cycles; the
    collector would otherwise walk the growing heap again and again (a third of a first sync).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


def _claimed_keys(db, keys: set[str], deck_ids: dict[str, int], known) -> dict[str, int]:
    """Keys held by decks that did not change in this sync: a changed deck cannot take them."""
    changed_ids = set(deck_ids.values())
    claimed: dict[str, int] = {}
    unchanged_ids = [deck_id for deck_id, *_ in known.values() if deck_id not in changed_ids]
    if _few(db, keys):
        # Only the changed decks' own keys are ever looked up: fetch just those.
        # (`retired` is tested here, not in SQL, so that the key index is the one used.)
        unchanged = set(unchanged_ids)
        for key, deck_id, retired in _in_chunks(
            db, "SELECT key, deck_id, retired FROM cards WHERE key IN ({})", list(keys)
        ):
            if deck_id in unchanged and not retired:
                claimed[key] = deck_id
        return claimed
    for deck_id in unchanged_ids:
        for (key,) in db.execute(
            "SELECT key FROM cards WHERE deck_id = ? AND retired = 0", [deck_id]
        ):
            claimed[key] = deck_id
    return claimed


def _save_cards(
    db,
    deck_id: int,
    deck: Deck,
    owners,
    claimed: dict[str, int],
    unchanged: set[int],
    suffixed: set[str],
    now,
) -> tuple[int, int]:
    """Upsert the deck's cards by key and retire the ones it no longer has."""
    rows = []
    # Keys no card had before the sync and no deck took during it: a plain insert, which costs
    # SQLite 40% less than the upsert (0.6 s of a first sync at 100,000 cards). Every key written
    # in this sync is in `claimed`, and `owners` holds every key that could be asked about.
    fresh: list[bool] = []
    created = to_millis(now)
    for position, card in enumerate(deck.cards):
        key = key_in_deck(db, card, deck, deck_id, owners, claimed, unchanged, suffixed)
        fresh.append(key not in owners and key not in claimed)
        claimed[key] = deck_id
        rows.append(card_row(card, key, deck_id, position * GAP, created))
    existing = {key for key, (_, owner) in owners.items() if owner == deck_id}
    added = sum(1 for row in rows if row_key(row) not in owners)
    # A card whose stored row already says what the file says is not written again: editing a
    # few cards of a large deck writes those cards, not the deck (the parse still reads it all).
    stored = {
        key: tuple(values)
        for key, *values in db.execute(
            f"SELECT key, {', '.join(WRITTEN)} FROM cards WHERE deck_id = ? AND retired = 0",
            [deck_id],
        )
    } if existing else {}  # fmt: skip
    write_rows(db, rows, fresh, stored)
    drop_shifts(db.conn, deck_id)  # every line as written is the card's line now
    gone = existing - {row_key(row) for row in rows}
    db.conn.executemany(
        "UPDATE cards SET retired = 1 WHERE key = ? AND deck_id = ? AND retired = 0",
        [(key, deck_id) for key in gone],
    )
    return added, len(gone)
