"""The store's upkeep off the answer path: the log copied in the background, and the deck files'
cards rewritten only where they changed (what the queue reads: `test_queue_reads`)."""

from __future__ import annotations

import shutil
import sqlite3
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.store import checkpoint
from trainer.store.errors import StoreError
from trainer.store.store import Store


def deck_text(cards: int, new_per_day: int = 20) -> str:
    body = "\n".join(f"Q: Question number {n}?\nA: Answer {n}\n" for n in range(cards))
    return f'+++\nname = "Numbers"\n[schedule]\nnew_per_day = {new_per_day}\n+++\n{body}'


def synced(store: Store, folder: Path, now: datetime):
    return store.sync(find_deck_files([folder]), roots=[folder.resolve()], now=now)


def reviews_in_main_file(path: Path, scratch: Path) -> int:
    """Reviews already copied from the log into the database file itself."""
    copy = scratch / "main-only.db"
    shutil.copyfile(path, copy)  # the file alone, without its -wal beside it
    conn = sqlite3.connect(copy)
    try:
        return conn.execute("SELECT count(*) FROM reviews").fetchone()[0]
    finally:
        conn.close()


def answering(tmp_path: Path, now: datetime, cards: int, answers: int) -> Store:
    """A store of a deck of `cards` new cards, its log emptied, then `answers` of them answered
    one after another."""
    (tmp_path / "decks").mkdir()
    (tmp_path / "decks" / "numbers.md").write_text(deck_text(cards, new_per_day=cards))
    store = Store.open(tmp_path / "progress.db")
    synced(store, tmp_path / "decks", now)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for number, card in enumerate(store.study_queue(now)[:answers]):
        store.record_review(card, Rating.GOOD, now + timedelta(seconds=number))
    return store


def test_answers_are_copied_into_the_database_in_the_background(tmp_path, now, monkeypatch) -> None:
    monkeypatch.setattr(checkpoint, "EVERY_PAGES", 500)  # 60 answers are past it
    path = tmp_path / "progress.db"
    store = answering(tmp_path, now, cards=80, answers=60)
    try:
        # The answering connection itself checkpoints only far later (and SQLite's default
        # would wait for 1,000 pages): the 60 answers reach the file through the worker.
        assert store.conn.execute("PRAGMA wal_autocheckpoint").fetchone()[0] > 1_000
        deadline = time.monotonic() + 5
        while reviews_in_main_file(path, tmp_path) < 50 and time.monotonic() < deadline:
            time.sleep(0.05)
        assert reviews_in_main_file(path, tmp_path) >= 50
    finally:
        store.close()
    # Closing stops the worker and the last connection empties the log into the file.
    assert reviews_in_main_file(path, tmp_path) == 60


def test_the_log_starts_over_while_answers_keep_coming(tmp_path, now, monkeypatch) -> None:
    """Answers faster than a checkpoint still let the log be copied whole and begun again,
    so each answer writes and flushes blocks the log file already has instead of growing it."""
    monkeypatch.setattr(checkpoint, "EVERY_PAGES", 500)  # rounds of about 40 answers
    path = tmp_path / "progress.db"
    store = answering(tmp_path, now, cards=400, answers=400)
    try:
        # 400 answers write about 5,000 pages of log; begun again every round, the file stays
        # a small part of that.
        log_pages = Path(f"{path}-wal").stat().st_size // 4096
        assert log_pages < 2_000
    finally:
        store.close()
    assert reviews_in_main_file(path, tmp_path) == 400


def test_editing_one_answer_of_a_large_deck_rewrites_that_card_only(tmp_path, now) -> None:
    folder = tmp_path / "decks"
    folder.mkdir()
    deck = folder / "numbers.md"
    deck.write_text(deck_text(300))
    store = Store.open(tmp_path / "progress.db")
    try:
        synced(store, folder, now)
        deck.write_text(deck_text(300).replace("A: Answer 7\n", "A: Answer seven\n"))
        # Count the card rows the sync writes (the text index's own rows are not cards).
        store.conn.executescript(
            """
            CREATE TEMP TABLE written (n INTEGER);
            CREATE TEMP TRIGGER count_updates AFTER UPDATE ON cards
            BEGIN INSERT INTO written VALUES (1); END;
            CREATE TEMP TRIGGER count_inserts AFTER INSERT ON cards
            BEGIN INSERT INTO written VALUES (1); END;
            """
        )
        report = synced(store, folder, now)
        (written,) = store.conn.execute("SELECT count(*) FROM written").fetchone()
        answers = dict(store.conn.execute("SELECT prompt, answer FROM cards"))
    finally:
        store.close()
    assert report.updated == ["Numbers"]
    assert answers["Question number 7?"] == "Answer seven"
    assert answers["Question number 8?"] == "Answer 8"
    # The one card: not the 300 cards of the file.
    assert written == 1


def log_room(page_size: int = 4096) -> int:
    """The length `checkpoint.make_room` gives the log file."""
    return 32 + (checkpoint.EVERY_PAGES * 5 // 4) * (24 + page_size)


def test_the_log_file_is_given_its_room_early_in_a_session(tmp_path, now, monkeypatch) -> None:
    # Answers then overwrite the log file's blocks instead of growing it; SQLite reads the log
    # only as far as its commits, so every answer is there after a crash and after closing.
    monkeypatch.setattr(checkpoint, "EVERY_PAGES", 200)
    path = tmp_path / "progress.db"
    answering(tmp_path, now, cards=40, answers=0).close()
    store = Store.open(path)  # a new session: its first write is an answer
    try:
        queue = store.study_queue(now)
        for number, card in enumerate(queue[: checkpoint.ROOM_AFTER]):
            assert Path(f"{path}-wal").stat().st_size < log_room()
            store.record_review(card, Rating.GOOD, now + timedelta(seconds=number))
        assert Path(f"{path}-wal").stat().st_size == log_room()
        for number, card in enumerate(queue[checkpoint.ROOM_AFTER : 31]):
            store.record_review(card, Rating.GOOD, now + timedelta(minutes=1, seconds=number))
        crashed = tmp_path / "crashed"
        crashed.mkdir()
        for suffix in ("", "-wal", "-shm"):  # the files as a killed process leaves them
            shutil.copyfile(f"{path}{suffix}", crashed / f"progress.db{suffix}")
    finally:
        store.close()
    for copy in (path, crashed / "progress.db"):
        conn = sqlite3.connect(copy)
        try:
            assert conn.execute("PRAGMA integrity_check").fetchone() == ("ok",)
            assert conn.execute("SELECT count(*) FROM reviews").fetchone() == (31,)
        finally:
            conn.close()


def test_a_log_busy_with_another_writer_is_left_to_grow(tmp_path, now) -> None:
    path = tmp_path / "progress.db"
    Store.open(path).close()
    writer = sqlite3.connect(path, isolation_level=None)
    try:
        writer.execute("BEGIN IMMEDIATE")
        before = Path(f"{path}-wal").stat().st_size
        reader = sqlite3.connect(path)
        worker = checkpoint.Checkpointer(str(path))
        started = time.monotonic()
        for _ in range(checkpoint.ROOM_AFTER):
            worker.wrote(reader, 10)  # does not wait for the lock
        assert time.monotonic() - started < 1
        assert Path(f"{path}-wal").stat().st_size == before
        worker.close()
        reader.close()
        writer.execute("ROLLBACK")
    finally:
        writer.close()


def test_a_sync_of_many_cards_writes_them_with_a_wider_page_cache(tmp_path, now, monkeypatch):
    """Cards are stored by their keys, hashes: a sync of many puts each at a random place of
    the keys' index, which SQLite's own cache cannot hold. A sync writes with a cache as wide
    as its deck files' share (`sync.CACHE_SHARE`) when the connection's own is narrower, and
    gives the connection its own back, also when it fails."""
    from trainer.store import sync

    caches: list[int] = []
    whole = sync._sync_whole

    def watched(db, *args):
        caches.append(db.conn.execute("PRAGMA cache_size").fetchone()[0])
        return whole(db, *args)

    monkeypatch.setattr(sync, "_sync_whole", watched)
    monkeypatch.setattr(sync, "CACHE_SHARE", 1)  # a KiB of cache a KiB of decks
    decks = tmp_path / "decks"
    decks.mkdir()
    (decks / "small.md").write_text(deck_text(20))
    store = Store.open(tmp_path / "progress.db")
    store.conn.execute("PRAGMA cache_size = -4")  # its own: 4 KiB, wider than 20 cards need
    synced(store, decks, now)
    large = deck_text(200).replace("Numbers", "Large")
    (decks / "large.md").write_text(large)
    synced(store, decks, now)
    assert caches == [-4, -(len(large.encode()) // 1024)]
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -4
    assert store.conn.execute("SELECT count(*) FROM cards").fetchone()[0] == 220

    def failing(db, *args):
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(sync, "_sync_whole", failing)
    (decks / "more.md").write_text(deck_text(300).replace("Numbers", "More"))
    with pytest.raises(StoreError, match="disk I/O error"):
        synced(store, decks, now)
    assert store.conn.execute("PRAGMA cache_size").fetchone()[0] == -4
    store.close()
