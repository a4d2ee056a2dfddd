"""Two devices, one progress: reviews exchanged through a shared folder's journals.

A sync gives every review of this device its id across devices (`<device>-<review id>`),
appends the ones not yet in this device's journal, adds the other devices' reviews it has not
seen, and then recomputes each touched card by replaying its whole history in time order. The
same reviews give the same states on every device, whatever order the devices synced in.

Reviews of cards this device has not got (a deck only the other device has) wait in
`journal_waiting` and are applied by the first sync after the card appears. Cards of an
imported review log have no deck file and are made from their reviews.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING

from trainer import schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, from_millis, to_millis
from trainer.journal import (
    SUFFIX,
    JournalEntry,
    append_entries,
    journal_files,
    last_entry,
    read_journal,
)
from trainer.store import log_codec, review_log
from trainer.store.review_import import add_imported_card, is_imported_key

if TYPE_CHECKING:
    import sqlite3

    from trainer.store.store import Store


@dataclass
class DeviceSyncReport:
    """What one sync did."""

    sent: int = 0
    """This device's reviews appended to its journal."""
    received: int = 0
    """Other devices' reviews added to this database."""
    waiting: int = 0
    """Reviews kept for cards this device has not got yet."""
    cards: int = 0
    """Cards whose state was recomputed."""
    devices: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    """`file:line: message` for each journal line that could not be read (the rest was synced)."""


@dataclass(frozen=True)
class DeviceStatus:
    """One device seen in the folder, for `trainer sync --status`."""

    device: str
    this_device: bool
    reviews: int
    last_review: datetime | None
    last_sync: datetime | None
    """When this device last read (or, for itself, wrote) that journal."""


@dataclass(frozen=True)
class _Event:
    """One review of a card in the merged history."""

    uid: str
    rating: int | None
    at: int
    mode: str
    moves: bool
    undoes: str | None
    entry: JournalEntry | None = None
    """Set for a review received now, not yet in the database."""


def sync_with_folder(store: Store, folder: Path, device: str, now: datetime) -> DeviceSyncReport:
    """Exchange reviews with the other devices' journals in `folder` (see the module docstring).

    Raises `JournalError` for a folder or journal that cannot be read or written, having
    changed nothing in the database.
    """
    report = DeviceSyncReport()
    journals = journal_files(folder)
    own = folder / f"{device}{SUFFIX}"
    received: list[tuple[str, JournalEntry]] = []
    for other, path in journals.items():
        if other == device:
            continue
        entries, problems = read_journal(path)
        report.problems.extend(problems)
        report.devices.append(other)
        received.extend((other, entry) for entry in entries)
    with store.transaction():
        conn = store.conn
        # Take the write lock first: another trainer answering meanwhile waits, not fails.
        conn.execute("UPDATE sync_devices SET device = device WHERE 0")
        _register_local_reviews(conn, device)
        sent = _unsent(conn, device, last_entry(own))
        touched = {entry.card for entry in sent}
        new = _unseen(conn, received)
        by_card, waiting = _place(store, new)
        report.waiting = waiting
        touched.update(by_card)
        card_ids = _card_ids(conn, sorted(touched))
        parameters_id, weights = store.parameters()
        for key in sorted(touched):
            if key in card_ids:
                _replay_card(
                    store, card_ids[key], key, by_card.get(key, []), weights, parameters_id
                )
        report.received = sum(len(entries) for entries in by_card.values())
        report.cards = len(card_ids)
        _note_devices(conn, device, journals, received, now)
        # Written last, inside the transaction: if the database cannot commit, the journal may
        # hold reviews the database does not yet count as sent; their ids are fixed, so the next
        # sync neither loses nor repeats them.
        report.sent = append_entries(own, sent)
    return report


def device_statuses(store: Store, folder: Path, device: str) -> list[DeviceStatus]:
    """Every device with a journal in `folder` (this one first), with what this device knows."""
    journals = journal_files(folder)
    with store.reading() as conn:
        known = {
            row[0]: row[1:]
            for row in conn.execute(
                "SELECT device, reviews, last_review, last_sync FROM sync_devices"
            )
        }
    statuses = []
    for name in sorted({*journals, device}, key=lambda d: (d != device, d)):
        reviews, last_review, last_sync = known.get(name, (0, None, None))
        statuses.append(
            DeviceStatus(
                name, name == device, reviews, from_millis(last_review), from_millis(last_sync)
            )
        )
    return statuses


def _card_ids(conn: sqlite3.Connection, keys: Sequence[str]) -> dict[str, int]:
    """The ids of the cards with these keys that this database has."""
    found: dict[str, int] = {}
    for start in range(0, len(keys), 500):
        chunk = list(keys[start : start + 500])
        found.update(
            conn.execute(
                f"SELECT key, id FROM cards WHERE key IN ({','.join('?' * len(chunk))})", chunk
            ).fetchall()
        )
    return found


_RECORDED_LAST_REVIEW = log_codec.last_review_sql(f"(n.id >> {review_log.TIME_SHIFT})", "n.")
"""A review's recorded last review, read from `reviews_by_card` (which holds what it needs)."""


def _register_local_reviews(conn: sqlite3.Connection, device: str) -> None:
    """Give every review made here that has none yet its id across devices.

    Whether a quiz answer moved the schedule is read now, before any recomputing: it did exactly
    when the card's next review (or, for its last, the card itself) records it as the last one.
    """
    rows = conn.execute(
        f"""
        SELECT r.id, r.card_id, r.reviewed_at, r.mode, r.rating,
               (SELECT {_RECORDED_LAST_REVIEW} FROM reviews n
                WHERE n.card_id = r.card_id AND n.id > r.id ORDER BY n.id LIMIT 1),
               c.last_review
        FROM reviews r JOIN cards c ON c.id = r.card_id
        WHERE r.id NOT IN (SELECT review_id FROM journal)
        ORDER BY r.id
        """
    ).fetchall()
    conn.executemany(
        "INSERT INTO journal (review_id, uid, device, moves) VALUES (?, ?, ?, ?)",
        [
            (review_id, f"{device}-{review_id}", device, _moved(mode, rating, at, follower, last))
            for review_id, _, at, mode, rating, follower, last in rows
        ],
    )


def _moved(mode: str, rating: int | None, at: int, follower: int | None, last: int | None) -> bool:
    if rating is None:
        return False
    if mode != "quiz":
        return True
    return (follower if follower is not None else last) == at


def _unsent(conn: sqlite3.Connection, device: str, last: JournalEntry | None) -> list[JournalEntry]:
    """This device's reviews after the last one its journal holds, oldest first."""
    # In the order they were registered (`journal.seq`), not by review id: an id is a time,
    # and a review registered after the last one sent may be older (an imported history).
    after = 0
    if last is not None and last.id.startswith(f"{device}-"):
        row = conn.execute("SELECT seq FROM journal WHERE uid = ?", [last.id]).fetchone()
        after = row[0] if row else 0
    rows = conn.execute(
        """
        SELECT j.uid, c.key, r.rating, r.reviewed_at, r.duration_ms, r.mode, j.moves, u.uid
        FROM journal j JOIN reviews r ON r.id = j.review_id JOIN cards c ON c.id = r.card_id
        LEFT JOIN journal u ON u.review_id = r.undoes
        WHERE j.device = ? AND j.seq > ?
        ORDER BY j.seq
        """,
        [device, after],
    ).fetchall()
    return [
        JournalEntry(uid, key, rating, at, duration, mode, bool(moves), undoes)
        for uid, key, rating, at, duration, mode, moves, undoes in rows
    ]


def _unseen(
    conn: sqlite3.Connection, received: Sequence[tuple[str, JournalEntry]]
) -> list[tuple[str, JournalEntry]]:
    """The received reviews not yet in the database, plus those that were waiting for a card."""
    known = {uid for (uid,) in conn.execute("SELECT uid FROM journal")}
    waiting = {
        uid: (device, JournalEntry(**json.loads(entry)))
        for uid, device, entry in conn.execute("SELECT uid, device, entry FROM journal_waiting")
    }
    new = dict(waiting)
    for device, entry in received:
        if entry.id not in known:
            new[entry.id] = (device, entry)
    return list(new.values())


def _place(
    store: Store, new: Iterable[tuple[str, JournalEntry]]
) -> tuple[dict[str, list[JournalEntry]], int]:
    """Group new reviews by card; keep those of cards not here (yet) waiting. How many wait."""
    conn = store.conn
    new = list(new)
    keys = sorted({entry.card for _, entry in new})
    present = set(_card_ids(conn, keys))
    by_card: dict[str, list[JournalEntry]] = {}
    waiting = []
    for device, entry in new:
        if entry.card not in present and is_imported_key(entry.card):
            add_imported_card(store.db, entry.card, entry.at)
            present.add(entry.card)
        if entry.card in present:
            by_card.setdefault(entry.card, []).append(entry)
        else:
            waiting.append((entry.id, entry.card, device, json.dumps(asdict(entry))))
    conn.execute("DELETE FROM journal_waiting")
    conn.executemany(
        "INSERT INTO journal_waiting (uid, card_key, device, entry) VALUES (?, ?, ?, ?)", waiting
    )
    return by_card, len(waiting)


def _replay_card(
    store: Store,
    card_id: int,
    key: str,
    arriving: list[JournalEntry],
    weights: Sequence[float],
    parameters_id: int | None,
) -> None:
    """Log the arriving reviews with the state before each, and store the card's final state."""
    conn = store.conn
    local_uid: dict[int, str] = {}
    events: list[_Event] = []
    for review_id, rating, at, mode, undoes, uid, moves in conn.execute(
        """
        SELECT r.id, r.rating, r.reviewed_at, r.mode, r.undoes, j.uid, j.moves
        FROM reviews r JOIN journal j ON j.review_id = r.id WHERE r.card_id = ? ORDER BY r.id
        """,
        [card_id],
    ):
        local_uid[review_id] = uid
        target = local_uid.get(undoes) if undoes is not None else None
        events.append(_Event(uid, rating, at, mode, bool(moves), target))
    events.extend(
        _Event(e.id, e.rating, e.at, e.mode, e.moves, e.undoes, entry=e) for e in arriving
    )
    events.sort(key=lambda event: (event.at, event.rating is None, event.uid))
    undone = {event.undoes for event in events if event.undoes is not None}
    # Time order; at the same millisecond an answer comes before the undo that takes it back.
    standing = [e for e in events if e.rating is not None and e.moves and e.uid not in undone]
    study = store.study_card(card_id)
    answers = [(Rating(e.rating or 1), from_millis(e.at)) for e in standing]
    after_each = {
        e.uid: after
        for e, (_, after) in zip(
            standing, schedule.replay(schedule.card_seed(key), answers, study.schedule, weights)
        )
    }
    progress = Progress()
    ids = {uid: review_id for review_id, uid in local_uid.items()}
    for event in events:
        if event.entry is not None:
            entry = event.entry
            ids[entry.id] = review_log.append_review(
                conn,
                card_id,
                entry.rating,
                from_millis(entry.at),
                entry.duration_ms,
                entry.mode,
                progress,
                parameters_id,
                undoes=ids.get(entry.undoes) if entry.undoes else None,
            )
            conn.execute(
                "INSERT INTO journal (review_id, uid, device, moves) VALUES (?, ?, ?, ?)",
                [ids[entry.id], entry.id, entry.id.rsplit("-", 1)[0], int(entry.moves)],
            )
        progress = after_each.get(event.uid, progress)
    review_log.write_progress(conn, card_id, progress)


def _note_devices(
    conn: sqlite3.Connection,
    device: str,
    journals: dict[str, Path],
    received: Sequence[tuple[str, JournalEntry]],
    now: datetime,
) -> None:
    counts: dict[str, list[int]] = {}
    for other, entry in received:
        figures = counts.setdefault(other, [0, 0])
        figures[0] += 1
        figures[1] = max(figures[1], entry.at)
    (own_reviews, own_last) = conn.execute(
        "SELECT count(*), max(r.reviewed_at) FROM journal j JOIN reviews r ON r.id = j.review_id "
        "WHERE j.device = ?",
        [device],
    ).fetchone()
    counts[device] = [own_reviews, own_last or 0]
    conn.executemany(
        """
        INSERT INTO sync_devices (device, reviews, last_review, last_sync) VALUES (?, ?, ?, ?)
        ON CONFLICT (device) DO UPDATE SET reviews = excluded.reviews,
            last_review = excluded.last_review, last_sync = excluded.last_sync
        """,
        [
            (name, reviews, last or None, to_millis(now))
            for name, (reviews, last) in counts.items()
            if name in journals or name == device
        ],
    )
