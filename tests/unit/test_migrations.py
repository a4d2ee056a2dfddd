"""Every older database a learner may have is upgraded on open, with its data intact."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

import pytest
from sqlite_utils import Database

from trainer.core.grading import Rating
from trainer.core.progress import State, to_millis
from trainer.schedule import DEFAULT_PARAMETERS
from trainer.store import log_layout
from trainer.store.card_codes import TAGS
from trainer.store.card_ties import ENTRY
from trainer.store.migrations import migrations
from trainer.store.review_log import MODE_KINDS, TIME_SHIFT
from trainer.store.store import Store

NAMES = [migration.name for migration in migrations.pending(Database(memory=True))]


def representative_rows(now: datetime) -> dict[str, list[dict]]:
    """Rows for every table the schema has ever had; columns a schema lacks are left out."""
    ms = to_millis(now)
    return {
        "parameters": [
            {
                "id": 1,
                "weights": json.dumps(list(DEFAULT_PARAMETERS)),
                "source": "optimizer",
                "created": ms,
            }
        ],
        "decks": [
            {
                "id": 1,
                "path": "/decks/norad.md",
                "name": "NORAD",
                "description": "The command.",
                "tags": '["norad"]',
                "settings": json.dumps({"new_per_day": 5, "strict": False}),
                "content_hash": "abc",
                "missing": 0,
            }
        ],
        "cards": [
            {
                "id": 1,
                "key": "8621efa1f809",
                "deck_id": 1,
                "position": 0,
                "line": 3,
                "kind": "basic",
                "prompt": "In what year was NORAD formed?",
                "answer": "1958",
                "detail": json.dumps({"note": "In May.", "source": ["doc.txt", 7, 7]}),
                "tags": '["norad"]',
                "state": 2,
                "step": None,
                "stability": 8.5,
                "difficulty": 4.2,
                "due": ms - 3_600_000,
                "last_review": ms - 9 * 86_400_000,
                "reps": 3,
                "lapses": 1,
                "created": ms - 30 * 86_400_000,
            }
        ],
        "reviews": [
            {
                "id": 1,
                "card_id": 1,
                "rating": 3,
                "reviewed_at": ms - 9 * 86_400_000,
                "duration_ms": 5000,
                "mode": "review",
                "state_before": 1,
                "step_before": 1,
                "stability_before": 2.3,
                "difficulty_before": 4.0,
                "due_before": ms - 9 * 86_400_000,
                "last_review_before": ms - 10 * 86_400_000,
                "parameters_id": 1,
            }
        ],
        "journal": [{"review_id": 1, "uid": "laptop-1", "device": "laptop", "moves": 1}],
    }


def keyed_by_time(table: str, rows: list[dict], at: int, shift: int = TIME_SHIFT) -> list[dict]:
    """`rows` as a log keyed by time holds them (m015): the review's id is its time, shifted
    `shift` bits (14 until m021)."""
    if table == "reviews":
        return [{**row, "id": row["reviewed_at"] << shift, "kind": MODE_KINDS[row["mode"]]}
                for row in rows]  # fmt: skip
    if table == "journal":
        return [{**row, "review_id": at << shift} for row in rows]
    return rows


def test_there_are_migrations_to_test() -> None:
    assert NAMES[0] == "m001_initial"
    assert len(NAMES) == len(set(NAMES)) >= 3


def as_read(table: str, row: dict) -> dict:
    """A row as its values read: a card's details as the JSON they are (m020 drops spaces)."""
    return {**row, "detail": json.loads(row["detail"])} if table == "cards" else row


@pytest.mark.parametrize("stop_before", NAMES)
def test_upgrade_from_before_each_migration(
    tmp_path: Path, now: datetime, stop_before: str
) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before=stop_before)
    inserted: dict[str, list[dict]] = {}
    keyed = "kind" in old["reviews"].columns_dict
    # Ids of the log's shift (narrowed by m021), as a database upgraded from this point has them.
    narrowed = NAMES.index(stop_before) > NAMES.index("m021_smaller_store")
    shift = TIME_SHIFT if narrowed else log_layout.TIME_SHIFT
    representative = representative_rows(now)
    reviewed_at = representative["reviews"][0]["reviewed_at"]
    for table, rows in representative.items():
        if not old[table].exists():
            continue
        columns = old[table].columns_dict
        if keyed:  # as m015 keyed it
            rows = keyed_by_time(table, rows, reviewed_at, shift)
        kept = [{k: v for k, v in row.items() if k in columns} for row in rows]
        old[table].insert_all(kept)
        # What the upgraded database holds: every row, the log's ids now its times.
        computed = {"reviewed_at", "mode", "kind"} if table == "reviews" else set()
        inserted[table] = [
            {k: v for k, v in row.items() if k in columns or k in computed}
            for row in keyed_by_time(table, rows, reviewed_at)
        ]
    assert [m.name for m in migrations.applied(old)] == NAMES[: NAMES.index(stop_before)]
    old.close()

    store = Store.open(path)
    try:
        assert [m.name for m in migrations.applied(store.db)] == NAMES
        assert migrations.pending(store.db) == []
        for table, rows in inserted.items():
            # The cards as read: their tags from their set (migration m020).
            read = f"SELECT *, {TAGS} AS tags FROM cards c" if table == "cards" else None
            stored = list(store.db.query(read) if read else store.db[table].rows)
            assert [as_read(table, {k: row[k] for k in rows[0]}) for row in stored] == [
                as_read(table, row) for row in rows
            ], table
        assert "parameters_id" in store.db["reviews"].columns_dict
        if "cards" in inserted:
            # The old card is usable: it is due, and answering it appends to the log.
            study = store.study_card(1)
            assert (study.card.answer, study.card.note) == ("1958", "In May.")
            assert study.progress.state is State.REVIEW
            assert store.study_queue(now) == [1]
            store.record_review(1, Rating.GOOD, now)
            assert store.db["reviews"].count == len(inserted["reviews"]) + 1
    finally:
        store.close()


def test_opening_an_up_to_date_database_changes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "progress.db"
    Store.open(path).close()
    first = Database(path)
    applied = [(m.name, m.applied_at) for m in migrations.applied(first)]
    first.close()
    Store.open(path).close()
    again = Database(path)
    assert [(m.name, m.applied_at) for m in migrations.applied(again)] == applied
    again.close()


def test_states_are_recomputed_in_study_days(tmp_path: Path) -> None:
    from fsrs_rs_python import FSRS, FSRSItem, FSRSReview

    from trainer.core.progress import from_millis

    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m008_study_day_states")
    # Answered at 23:00, then at 05:00 the next morning (one study day apart), then 3 days on.
    times = [
        datetime(2025, 3, 10, 23, 0).astimezone(),
        datetime(2025, 3, 11, 5, 0).astimezone(),
        datetime(2025, 3, 14, 5, 0).astimezone(),
    ]
    ratings = [3, 3, 2]
    old["decks"].insert({"id": 1, "path": "/d.md", "name": "D", "settings": "{}"})
    card = representative_rows(times[0])["cards"][0]
    # The state as computed when whole 24-hour periods were counted: stale.
    card.update(stability=2.3, difficulty=5.0, reps=3, lapses=0, last_review=to_millis(times[-1]))
    old["cards"].insert(card)
    old["reviews"].insert_all(
        {"card_id": 1, "rating": rating, "reviewed_at": to_millis(at), "mode": "review",
         "state_before": 0}
        for rating, at in zip(ratings, times)
    )  # fmt: skip
    old.close()

    store = Store.open(path)
    try:
        progress = store.study_card(1).progress
        expected = FSRS(list(DEFAULT_PARAMETERS)).memory_state(
            FSRSItem([FSRSReview(3, 0), FSRSReview(3, 1), FSRSReview(2, 3)])
        )
        assert progress.stability == pytest.approx(expected.stability)
        assert progress.difficulty == pytest.approx(expected.difficulty)
        assert progress.last_review == from_millis(to_millis(times[-1]))
        assert progress.reps == 3
        assert progress.due is not None and progress.due > progress.last_review
        assert store.db["reviews"].count == 3  # the log is left as it was
    finally:
        store.close()


def test_cards_stored_before_entries_were_kept_get_their_entry_from_their_key(
    tmp_path: Path, now: datetime
) -> None:
    path = tmp_path / "old.db"
    old = Database(path)
    migrations.apply(old, stop_before="m009_card_entries")
    old["decks"].insert({"id": 1, "path": "d.md", "name": "D"})
    created = int(now.timestamp() * 1000)
    for card_id, key in enumerate(["abc", "abc:reverse", "def:c1@d", "def:c2@d"], start=1):
        old["cards"].insert(
            {"id": card_id, "key": key, "deck_id": 1, "position": card_id, "line": 1,
             "kind": "basic", "prompt": key, "answer": "x", "created": created}
        )  # fmt: skip
    old.close()
    store = Store.open(path)
    try:
        rows = store.db.execute(f"SELECT key, {ENTRY} FROM cards c ORDER BY id").fetchall()
        assert rows == [("abc", "abc"), ("abc:reverse", "abc"), ("def:c1@d", "def"),
                        ("def:c2@d", "def")]  # fmt: skip
    finally:
        store.close()
