"""The review log keyed by time (migration m015): an old log is carried over whole, and new
answers keep their moment and order, several in one millisecond included."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlite_utils import Database

from trainer.core.grading import Rating
from trainer.core.progress import to_millis
from trainer.store.migrations import migrations
from trainer.store.review_log import TIME_SHIFT
from trainer.store.store import Store

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
MS = to_millis(NOW)
# An old log as a learner may have it: ids in the order written, which is not always the order
# of the times (an imported history came last); two answers in one millisecond; an undo; a quiz.
OLD_LOG = [
    # id, card, rating, reviewed_at, mode, undoes, state_before, due_before, last_review_before
    (1, 1, 3, MS - 3_000, "review", None, 0, None, None),
    (2, 2, 1, MS - 3_000, "review", None, 0, None, None),
    (3, 1, 2, MS - 2_000, "quiz", None, 1, MS - 2_500, MS - 3_000),
    (4, 2, None, MS - 1_000, "undo", 2, 1, MS, MS - 3_000),
    (5, 1, 4, MS - 90 * 86_400_000, "import", None, 0, None, None),
]


def one_deck_of_two_cards(old: Database, created: int) -> None:
    """Deck 1 holding cards 1 and 2 (keys k1, k2), made at `created`, in an old database."""
    old["decks"].insert({"id": 1, "path": "/d.md", "name": "D", "settings": "{}"})
    for card_id in (1, 2):
        old["cards"].insert(
            {"id": card_id, "key": f"k{card_id}", "deck_id": 1, "position": card_id, "line": 1,
             "kind": "basic", "prompt": f"Q{card_id}", "answer": "A", "created": created}
        )  # fmt: skip


def old_database(path: Path) -> None:
    """A database at the schema before m015, holding `OLD_LOG` and a device journal."""
    old = Database(path)
    migrations.apply(old, stop_before="m015_reviews_keyed_by_time")
    one_deck_of_two_cards(old, MS - 10**9)
    columns = ("id, card_id, rating, reviewed_at, mode, undoes, state_before, due_before, "
               "last_review_before")  # fmt: skip
    old.conn.executemany(f"INSERT INTO reviews ({columns}) VALUES (?,?,?,?,?,?,?,?,?)", OLD_LOG)
    old.conn.executemany(
        "INSERT INTO journal (review_id, uid, device, moves) VALUES (?, ?, ?, 1)",
        [(5, "laptop-5", "laptop"), (1, "laptop-1", "laptop"), (3, "desktop-9", "desktop")],
    )
    old.conn.commit()
    old.close()


def test_every_review_undo_and_journal_row_is_carried_over(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    old_database(path)
    store = Store.open(path)
    try:
        conn = store.conn
        rows = conn.execute(
            "SELECT id, card_id, rating, reviewed_at, mode, undoes, state_before, due_before, "
            "last_review_before FROM reviews ORDER BY id"
        ).fetchall()
        # Every review, in time order now; the ids are the times.
        assert len(rows) == len(OLD_LOG)
        assert [row[3] for row in rows] == sorted(row[3] for row in OLD_LOG)
        assert all(row[0] >> TIME_SHIFT == row[3] for row in rows)
        new_id = {}
        for old in OLD_LOG:
            (match,) = [row for row in rows if row[1:5] == old[1:5]]
            new_id[old[0]] = match[0]
            assert match[6:] == old[6:]
        # The two answers of one millisecond keep their order, one id apart.
        assert new_id[2] == new_id[1] + 1
        # The undo still names the answer it undid, and that answer still counts as undone.
        undo = [row for row in rows if row[4] == "undo"][0]
        assert undo[5] == new_id[2]
        journal = conn.execute("SELECT seq, review_id, uid FROM journal ORDER BY seq").fetchall()
        assert journal == [(1, new_id[1], "laptop-1"), (3, new_id[3], "desktop-9"),
                           (5, new_id[5], "laptop-5")]  # fmt: skip
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
        indexes = {row[1] for row in conn.execute("PRAGMA index_list(reviews)")}
        assert "reviews_stats" not in indexes and "reviews_by_card" in indexes
    finally:
        store.close()


def test_the_rebuilt_log_is_still_append_only(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    old_database(path)
    Store.open(path).close()
    conn = sqlite3.connect(path, isolation_level=None)
    for statement in ("UPDATE reviews SET rating = 4", "DELETE FROM reviews"):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement)
    (first,) = conn.execute("SELECT min(id) FROM reviews").fetchone()
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(
            "REPLACE INTO reviews (id, card_id, rating, kind, state_before) VALUES (?, 1, 4, 0, 0)",
            [first],
        )
    assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (len(OLD_LOG),)
    conn.close()


def test_answers_in_one_millisecond_keep_their_moment_and_order(store: Store, tmp_path) -> None:
    deck = tmp_path / "d.md"
    deck.write_text("Q: One?\nA: 1\n\nQ: Two?\nA: 2\n", encoding="utf-8")
    store.sync([deck], roots=[tmp_path], now=NOW)
    one, two = (row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id"))
    store.record_review(two, Rating.GOOD, NOW)
    store.record_review(one, Rating.AGAIN, NOW)
    store.record_review(one, Rating.GOOD, NOW - timedelta(hours=1))  # a clock set back
    rows = store.conn.execute("SELECT card_id, rating, reviewed_at FROM reviews ORDER BY id")
    assert rows.fetchall() == [
        (one, 3, MS - 3_600_000),
        (two, 3, MS),
        (one, 1, MS),
    ]
    # The undo takes back the latest answer in time, the second of that millisecond.
    assert store.undo_last(NOW + timedelta(seconds=1)) == one
    (undone,) = store.conn.execute("SELECT undoes FROM reviews WHERE mode = 'undo'").fetchone()
    assert undone == (MS << TIME_SHIFT) + 1
