"""The database under stress: two writers at once, attempts to rewrite the log, damaged files."""

from __future__ import annotations

import multiprocessing
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from trainer.cli import cli
from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.store import migrations
from trainer.store.errors import StoreError
from trainer.store.store import Store

DECK = "Q: One?\nA: 1\n\nQ: Two?\nA: 2\n\nQ: Three?\nA: 3\n"
ANSWERS_PER_WRITER = 60
START = datetime(2025, 3, 14, 3, 0, tzinfo=UTC)


def synced(tmp_path: Path) -> Path:
    folder = tmp_path / "decks"
    folder.mkdir(exist_ok=True)
    (folder / "numbers.md").write_text(DECK, encoding="utf-8")
    db = tmp_path / "progress.db"
    store = Store.open(db)
    store.sync(find_deck_files([folder]), roots=[folder], now=START)
    store.close()
    return db


def answer_many(db: str, writer: int, start: multiprocessing.synchronize.Barrier) -> None:
    """One writer process: answer every card again and again, as fast as it can."""
    store = Store.open(db)
    card_ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    start.wait()
    for n in range(ANSWERS_PER_WRITER):
        moment = START + timedelta(minutes=n, milliseconds=writer)
        store.record_review(card_ids[n % len(card_ids)], Rating(1 + (n + writer) % 4), moment)
    store.close()


def test_two_writers_answering_the_same_cards_lose_no_answer(tmp_path: Path) -> None:
    db = synced(tmp_path)
    context = multiprocessing.get_context("spawn")
    barrier = context.Barrier(2)
    writers = [
        context.Process(target=answer_many, args=(str(db), writer, barrier)) for writer in (0, 1)
    ]
    for process in writers:
        process.start()
    for process in writers:
        process.join(60)
        assert process.exitcode == 0
    conn = sqlite3.connect(db)
    reviews = conn.execute(
        "SELECT card_id, reviewed_at, last_review_before FROM reviews ORDER BY id"
    ).fetchall()
    assert len(reviews) == 2 * ANSWERS_PER_WRITER
    # The log is in time order, and the two writers' clocks interleave: follow each card's
    # chain instead. Each answer was computed from the state the card's previous answer left,
    # so every answer follows exactly one other (the first follows none) and none is skipped.
    following: dict[int, dict[int | None, int]] = {}
    for card_id, reviewed_at, last_review_before in reviews:
        chain = following.setdefault(card_id, {})
        assert last_review_before not in chain, "an answer was computed from a stale state"
        chain[last_review_before] = reviewed_at
    previous: dict[int, int | None] = {}
    for card_id, chain in following.items():
        at: int | None = None
        for _ in chain:
            at = chain[at]
        previous[card_id] = at
    for card_id, reps, last_review in conn.execute("SELECT id, reps, last_review FROM cards"):
        count = sum(1 for review in reviews if review[0] == card_id)
        assert (reps, last_review) == (count, previous[card_id])
    conn.close()


def test_the_review_log_cannot_be_replaced_even_from_a_bare_connection(tmp_path: Path) -> None:
    db = synced(tmp_path)
    store = Store.open(db)
    card = store.conn.execute("SELECT id FROM cards LIMIT 1").fetchone()[0]
    store.record_review(card, Rating.GOOD, START)
    store.close()
    before = sqlite3.connect(db).execute("SELECT * FROM reviews").fetchall()
    (review,) = sqlite3.connect(db).execute("SELECT id FROM reviews").fetchone()
    # As the sqlite3 shell would: a plain connection, no pragmas.
    conn = sqlite3.connect(db, isolation_level=None)
    for statement in (
        "REPLACE INTO reviews (id, card_id, rating, kind, state_before) VALUES (?2, ?1, 4, 0, 0)",
        "INSERT OR REPLACE INTO reviews (id, card_id, rating, kind, state_before) "
        "VALUES (?2, ?1, 4, 0, 0)",
        "INSERT INTO reviews (id, card_id, rating, kind, state_before) "
        "VALUES (?2, ?1, 4, 0, 0) ON CONFLICT(id) DO UPDATE SET rating = 4",
        "UPDATE reviews SET rating = 4 WHERE card_id = ?1 AND id = ?2",
        "DELETE FROM reviews WHERE card_id = ?1 AND id = ?2",
    ):
        with pytest.raises(sqlite3.DatabaseError, match="append-only"):
            conn.execute(statement, [card, review])
    conn.execute("PRAGMA recursive_triggers = ON")
    stored = (
        "id, card_id, rating, duration_ms, kind, undoes, state_before, step_before, "
        "stability_code, difficulty_code, late_ms, interval_code, parameters_id"
    )
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        conn.execute(f"REPLACE INTO reviews SELECT {stored} FROM reviews")
    assert conn.execute("SELECT * FROM reviews").fetchall() == before
    # Appending still works; the time is the id's, not a column of its own.
    conn.execute(
        "INSERT INTO reviews (id, card_id, rating, kind, state_before) VALUES (?, ?, 3, 0, 0)",
        [review + 1, card],
    )
    with pytest.raises(sqlite3.DatabaseError, match="generated column"):
        conn.execute(
            "INSERT INTO reviews (card_id, rating, reviewed_at, mode, state_before) "
            "VALUES (?, 3, 1, 'review', 0)",
            [card],
        )
    assert len(conn.execute("SELECT * FROM reviews").fetchall()) == 2
    conn.close()


def run(*args: str) -> Result:
    return CliRunner().invoke(cli, list(args), prog_name="trainer")


def assert_one_line(result: Result, *fragments: str) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    (line,) = result.stderr.splitlines()
    for fragment in fragments:
        assert fragment in line
    return line


def damage_a_page(db: Path, table: str = "cards") -> None:
    """Overwrite the pages of `table` and its indexes with noise, as a failing disk might."""
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    page_size = conn.execute("PRAGMA page_size").fetchone()[0]
    roots = [
        row[0]
        # Triggers on the table have no pages of their own (rootpage 0).
        for row in conn.execute(
            "SELECT rootpage FROM sqlite_master WHERE tbl_name = ? AND rootpage > 0", [table]
        )
    ]
    conn.close()
    with db.open("r+b") as file:
        for root in roots:
            file.seek((root - 1) * page_size)
            file.write(b"\xff" * page_size)


def damage_the_decks(db: Path) -> None:
    """The decks table damaged: the first thing a sync reads."""
    damage_a_page(db, "decks")


def rename_column(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("ALTER TABLE decks RENAME COLUMN name TO title")
    conn.commit()
    conn.close()


def bad_settings(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute("UPDATE decks SET settings = '{not json'")
    conn.commit()
    conn.close()


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (damage_a_page, "malformed"),
        (damage_the_decks, "malformed"),
        (rename_column, "no such column"),
        (bad_settings, "not JSON"),
    ],
)
@pytest.mark.parametrize("command", ["decks", "stats", "due"])
def test_a_damaged_database_is_one_line_for_every_command(
    tmp_path: Path, damage, message: str, command: str
) -> None:
    db = synced(tmp_path)
    damage(db)
    # No deck folder to sync: what is read is the database as it stands.
    empty = tmp_path / "none"
    empty.mkdir()
    result = run("--db", str(db), "--decks", str(empty), command)
    assert_one_line(result, str(db), message)


def newer(db: Path) -> None:
    conn = sqlite3.connect(db)
    conn.execute(
        "INSERT INTO _sqlite_migrations (migration_set, name, applied_at) "
        "VALUES ('trainer', 'm099_from_the_future', '2030-01-01')"
    )
    conn.commit()
    conn.close()


def test_a_database_from_a_newer_trainer_is_refused_and_left_alone(tmp_path: Path) -> None:
    db = synced(tmp_path)
    newer(db)
    conn = sqlite3.connect(db)
    conn.execute("PRAGMA journal_mode = DELETE")
    conn.close()
    before = db.read_bytes()
    known = len(migrations.SCHEMA)
    for command in ("decks", "stats", "due", "import-log"):
        args = ["--db", str(db), "--decks", str(tmp_path / "decks"), command]
        if command == "import-log":
            args.append(str(tmp_path / "log.csv"))
        line = assert_one_line(run(*args), "written by a newer trainer")
        assert f"database schema {known + 1}" in line and f"reads schema {known} and older" in line
    assert db.read_bytes() == before
    assert not Path(f"{db}-wal").exists()
    with pytest.raises(StoreError, match="newer trainer"):
        Store.open(db)
