"""The progress store: syncing deck files by identity, recording answers, building the queue."""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.deckfile import DeckError
from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.progress import Progress, State, to_millis
from trainer.schedule import retrievability
from trainer.store import connection as connection_module
from trainer.store.errors import StoreError
from trainer.store.store import Store

NORAD = """
+++
name = "NORAD"
+++
Q: In what year was NORAD formed?
A: 1958

Q: Where is NORAD headquartered?
A: Colorado Springs

Q: Who commands NORAD?
A: A U.S. general
"""

FOUNDED = "In what year was NORAD formed?"


def dump(path: Path) -> list[str]:
    """Everything in the database, read through a separate connection."""
    conn = sqlite3.connect(path)
    try:
        return list(conn.iterdump())
    finally:
        conn.close()


def decks_dir(tmp_path: Path) -> Path:
    return (tmp_path / "decks").resolve()


def sync(store: Store, tmp_path: Path, now: datetime):
    folder = decks_dir(tmp_path)
    return store.sync(find_deck_files([folder]), roots=[folder], now=now)


def card_id(store: Store, prompt: str) -> int:
    row = store.db.execute("SELECT id FROM cards WHERE prompt = ?", [prompt]).fetchone()
    assert row is not None, prompt
    return row[0]


def card_row(store: Store, prompt: str) -> dict:
    return next(store.db.query("SELECT * FROM cards WHERE prompt = ?", [prompt]))


def review_count(store: Store) -> int:
    return store.db.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]


# -- sync --------------------------------------------------------------------------------------


def test_sync_adds_cards_then_skips_unchanged_files(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    first = sync(store, tmp_path, now)
    assert (first.added_cards, first.updated, first.unchanged) == (3, ["NORAD"], 0)
    before = dump(Path(store.path))
    second = sync(store, tmp_path, now + timedelta(hours=1))
    assert (second.added_cards, second.updated, second.unchanged) == (0, [], 1)
    assert dump(Path(store.path)) == before


def test_editing_an_answer_keeps_the_card_and_its_progress(
    store, write_deck, tmp_path, now
) -> None:
    path = write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    progress = store.record_review(cid, Rating.GOOD, now)
    path.write_text(path.read_text().replace("A: 1958", "A: In 1958\nTags: history"))
    report = sync(store, tmp_path, now)
    assert (report.added_cards, report.retired_cards) == (0, 0)
    assert card_id(store, FOUNDED) == cid
    study = store.study_card(cid)
    assert study.card.answer == "In 1958"
    assert study.card.tags == ("history",)
    assert study.progress == progress


def test_moving_a_card_to_another_file_keeps_it(store, write_deck, tmp_path, now) -> None:
    path = write_deck("norad.md", NORAD)
    write_deck("history.md", "Q: When did the Cold War end?\nA: 1991\n")
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    progress = store.record_review(cid, Rating.GOOD, now)
    text = path.read_text()
    path.write_text(text.replace("Q: In what year was NORAD formed?\nA: 1958\n", ""))
    history = path.parent / "history.md"
    history.write_text(history.read_text() + "\nQ: In what year was NORAD formed?\nA: 1958\n")
    report = sync(store, tmp_path, now)
    assert report.added_cards == 0
    study = store.study_card(cid)
    assert study.deck_name == "History"
    assert study.progress == progress
    assert card_row(store, FOUNDED)["retired"] == 0


@pytest.mark.parametrize("new_name", ["air-defence.md", "sub/folder/norad.md"])
def test_renaming_or_moving_a_file_keeps_progress(
    store, write_deck, tmp_path, now, new_name: str
) -> None:
    path = write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    progress = store.record_review(cid, Rating.GOOD, now)
    target = path.parent / new_name
    target.parent.mkdir(parents=True, exist_ok=True)
    path.rename(target)
    report = sync(store, tmp_path, now)
    assert report.added_cards == 0
    assert report.missing == [str(path)]
    assert card_id(store, FOUNDED) == cid
    assert store.study_card(cid).progress == progress
    assert store.db.execute("SELECT COUNT(*) FROM cards WHERE retired = 0").fetchone()[0] == 3
    summaries = store.deck_summaries(now)
    assert [(s.name, s.path, s.total) for s in summaries] == [("NORAD", str(target), 3)]


def test_removed_card_is_retired_and_comes_back_with_its_history(
    store, write_deck, tmp_path, now
) -> None:
    path = write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    progress = store.record_review(cid, Rating.GOOD, now)
    path.write_text(NORAD.replace("Q: In what year was NORAD formed?\nA: 1958\n", ""))
    assert sync(store, tmp_path, now).retired_cards == 1
    assert card_row(store, FOUNDED)["retired"] == 1
    assert cid not in store.study_queue(now + timedelta(days=30))
    assert store.deck_summaries(now)[0].total == 2
    path.write_text(NORAD)
    report = sync(store, tmp_path, now)
    assert report.added_cards == 0
    assert card_row(store, FOUNDED)["retired"] == 0
    assert store.study_card(cid).progress == progress
    assert review_count(store) == 1


def test_deleted_deck_file_is_missing_and_its_cards_retired(
    store, write_deck, tmp_path, now
) -> None:
    path = write_deck("norad.md", NORAD)
    write_deck("other.md", "Q: x\nA: y\n")
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FOUNDED), Rating.GOOD, now)
    path.unlink()
    report = sync(store, tmp_path, now)
    assert report.missing == [str(path)]
    assert report.retired_cards == 3
    missing = store.db.execute("SELECT missing FROM decks WHERE path = ?", [str(path)]).fetchone()
    assert missing == (1,)
    assert [s.name for s in store.deck_summaries(now)] == ["Other"]
    assert card_row(store, FOUNDED)["retired"] == 1
    assert review_count(store) == 1


def test_same_question_in_two_decks_is_two_cards(store, write_deck, tmp_path, now) -> None:
    write_deck("a.md", "Q: Capital of Canada?\nA: Ottawa\n")
    write_deck("b.md", "Q: Capital of Canada?\nA: Ottawa\n")
    sync(store, tmp_path, now)
    assert store.db.execute("SELECT COUNT(DISTINCT deck_id) FROM cards").fetchone()[0] == 2


def test_malformed_deck_changes_nothing(store, write_deck, tmp_path, now) -> None:
    path = write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FOUNDED), Rating.GOOD, now)
    before = dump(Path(store.path))
    path.write_text(NORAD.replace("A: 1958", "A: 1958 (edited)"))
    write_deck("new.md", "Q: fine\nA: yes\n")
    write_deck("broken.md", "Q: good\nA: yes\n\nQ: no answer\n---\nM: what\n")
    with pytest.raises(DeckError) as caught:
        sync(store, tmp_path, now)
    assert [(p.line, p.path.endswith("broken.md")) for p in caught.value.problems] == [
        (4, True),
        (6, True),
    ]
    assert "new.md" not in str(caught.value)
    assert dump(Path(store.path)) == before


# -- answering ---------------------------------------------------------------------------------


def test_record_review_is_committed_with_the_new_state(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    after = store.record_review(cid, Rating.GOOD, now, duration_ms=4200)
    assert after.state is State.LEARNING
    other = sqlite3.connect(store.path)
    try:
        state, due, reps, last = other.execute(
            "SELECT state, due, reps, last_review FROM cards WHERE id = ?", [cid]
        ).fetchone()
        review = other.execute(
            "SELECT card_id, rating, reviewed_at, duration_ms, mode, state_before FROM reviews"
        ).fetchall()
    finally:
        other.close()
    assert (state, due, reps, last) == (1, to_millis(after.due), 1, to_millis(now))
    assert review == [(cid, 3, to_millis(now), 4200, "review", 0)]
    assert not store.db.conn.in_transaction


def test_answer_is_all_or_nothing(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    # Make the second half of the transaction (the card's new state) fail.
    store.db.execute(
        "CREATE TEMP TRIGGER fail_state BEFORE UPDATE OF state ON cards "
        "BEGIN SELECT RAISE(ABORT, 'disk trouble'); END"
    )
    # A failed write is a `StoreError` (one line for the learner), and nothing of it stays.
    with pytest.raises(StoreError, match="disk trouble"):
        store.record_review(cid, Rating.GOOD, now)
    assert review_count(store) == 0
    assert store.study_card(cid).progress == Progress()


def test_quiz_answer_is_logged_but_does_not_move_the_schedule(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    result = store.record_review(cid, Rating.AGAIN, now, mode="quiz", reschedule=False)
    assert result == Progress()
    assert store.study_card(cid).progress == Progress()
    assert store.db.execute("SELECT mode, rating FROM reviews").fetchall() == [("quiz", 1)]
    # A quiz answer does not use up today's new cards.
    assert store.deck_summaries(now)[0].new == 3


def test_undo_restores_the_previous_state_and_only_appends(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    first = store.record_review(cid, Rating.GOOD, now)
    later = now + timedelta(minutes=11)
    second = store.record_review(cid, Rating.AGAIN, later)
    assert second != first
    assert store.undo_last(later) == cid
    assert store.study_card(cid).progress == first
    assert store.undo_last(later) == cid
    assert store.study_card(cid).progress == Progress()
    assert store.undo_last(later) is None
    rows = store.db.execute("SELECT id, mode, undoes FROM reviews ORDER BY id").fetchall()
    number = {review_id: n for n, (review_id, _, _) in enumerate(rows, start=1)}
    assert [(number[i], mode, number.get(undoes)) for i, mode, undoes in rows] == [
        (1, "review", None), (2, "review", None), (3, "undo", 2), (4, "undo", 1)
    ]  # fmt: skip
    # The undone first answer no longer counts as introducing a new card today.
    assert store.deck_summaries(later)[0].new == 3


def test_undo_of_a_quiz_answer_leaves_the_schedule_alone(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    cid = card_id(store, FOUNDED)
    reviewed = store.record_review(cid, Rating.GOOD, now)
    store.record_review(
        cid, Rating.AGAIN, now + timedelta(minutes=1), reschedule=False, mode="quiz"
    )
    assert store.undo_last(now + timedelta(minutes=2)) == cid
    assert store.study_card(cid).progress == reviewed


def test_undo_only_looks_back_to_since(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FOUNDED), Rating.GOOD, now)
    assert store.undo_last(now + timedelta(hours=1), since=now + timedelta(minutes=5)) is None


@pytest.mark.parametrize(
    "statement", ["UPDATE reviews SET rating = 4", "DELETE FROM reviews"], ids=["update", "delete"]
)
def test_the_review_log_is_append_only(store, write_deck, tmp_path, now, statement) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FOUNDED), Rating.GOOD, now)
    with pytest.raises(sqlite3.DatabaseError, match="append-only"):
        store.db.execute(statement)
    assert store.db.execute("SELECT rating FROM reviews").fetchall() == [(3,)]


# -- the queue ---------------------------------------------------------------------------------


def deck_of(count: int, new_per_day: int) -> str:
    cards = "\n".join(f"Q: Question {n}?\nA: Answer {n}\n" for n in range(1, count + 1))
    return f"+++\n[schedule]\nnew_per_day = {new_per_day}\n+++\n{cards}"


def test_queue_orders_due_cards_least_remembered_first_with_todays_new_cards_mixed_in(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("deck.md", deck_of(8, new_per_day=3))
    sync(store, tmp_path, now)
    ids = [card_id(store, f"Question {n}?") for n in range(1, 9)]
    # Three cards learned weeks ago, at different times, so they are due with different recall.
    for days, cid in [(12, ids[5]), (40, ids[6]), (20, ids[7])]:
        store.record_review(cid, Rating.EASY, now - timedelta(days=days))
    # One new card introduced today already.
    store.record_review(ids[0], Rating.GOOD, now - timedelta(minutes=5))
    queue = store.study_queue(now)
    due = [ids[6], ids[7], ids[5]]
    cards = {cid: store.study_card(cid).progress for cid in due}
    recall = [retrievability(cards[cid], now) for cid in due]
    assert recall == sorted(recall)
    # As Anki's "mix new cards and reviews": the two new cards spread evenly through the three.
    assert queue == [due[0], ids[1], due[1], ids[2], due[2]]
    summary = store.deck_summaries(now)[0]
    assert (summary.due, summary.learning, summary.new, summary.total) == (3, 1, 2, 8)


def test_no_new_cards_once_todays_limit_is_reached(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", deck_of(4, new_per_day=2))
    sync(store, tmp_path, now)
    for cid in store.study_queue(now):
        store.record_review(cid, Rating.GOOD, now)
    assert store.study_queue(now + timedelta(minutes=1)) == []
    assert store.deck_summaries(now)[0].new == 0


def test_learning_cards_come_back(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", deck_of(1, new_per_day=5))
    sync(store, tmp_path, now)
    (cid,) = store.study_queue(now)
    store.record_review(cid, Rating.GOOD, now)
    assert store.study_queue(now + timedelta(minutes=1)) == []
    assert store.deck_summaries(now + timedelta(minutes=1))[0].learning == 1
    assert store.study_queue(now + timedelta(minutes=11)) == [cid]


def test_queue_can_be_limited_to_some_decks(store, write_deck, tmp_path, now) -> None:
    write_deck("a.md", "Q: a?\nA: a\n")
    write_deck("b.md", "Q: b?\nA: b\n")
    sync(store, tmp_path, now)
    deck_a = next(s.id for s in store.deck_summaries(now) if s.name == "A")
    queue = store.study_queue(now, [deck_a])
    assert [store.study_card(cid).card.prompt for cid in queue] == ["a?"]


# -- the database itself -----------------------------------------------------------------------


def test_connection_settings(store) -> None:
    assert store.db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert store.db.execute("PRAGMA busy_timeout").fetchone()[0] >= 1000
    assert store.db.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_the_next_due_time_seeks_each_deck_instead_of_reading_every_card(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("deck.md", deck_of(5, new_per_day=5))
    sync(store, tmp_path, now)
    assert store.next_due() is None  # nothing studied yet
    first = store.record_review(card_id(store, "Question 1?"), Rating.GOOD, now)
    later = store.record_review(card_id(store, "Question 2?"), Rating.EASY, now)
    assert later.due > first.due
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        assert store.next_due() == first.due
    finally:
        store.db.conn.set_trace_callback(None)
    (statement,) = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + statement)]
    assert not [step for step in plan if re.match(r"SCAN (cards|c)\b", step)], plan
    assert "cards_due" not in [index.name for index in store.db["cards"].indexes]


def test_queue_and_deck_list_queries_use_indexes(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", deck_of(5, new_per_day=5))
    sync(store, tmp_path, now)
    store.record_review(card_id(store, "Question 1?"), Rating.GOOD, now)
    statements: list[str] = []
    store.db.conn.set_trace_callback(statements.append)
    try:
        store.study_queue(now)
        store.deck_summaries(now)
    finally:
        store.db.conn.set_trace_callback(None)
    selects = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert any("FROM cards" in s for s in selects)
    for statement in selects:
        plan = [row[3] for row in store.db.execute("EXPLAIN QUERY PLAN " + statement)]
        full_scans = [step for step in plan if re.match(r"SCAN (cards|c|reviews|r)\b", step)]
        assert not full_scans, (statement, plan)


def hold_write_lock(path: str, seconds: float, started: threading.Event) -> None:
    """Another process writing: hold the database's write lock for a while."""
    other = sqlite3.connect(path, isolation_level=None)
    try:
        other.execute("BEGIN EXCLUSIVE")
        started.set()
        time.sleep(seconds)
        other.execute("COMMIT")
    finally:
        other.close()


def test_sync_waits_for_another_writer(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", NORAD)
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(store.path, 0.3, started))
    holder.start()
    try:
        started.wait(5)
        report = sync(store, tmp_path, now)
    finally:
        holder.join()
    assert report.added_cards == 3


def test_sync_gives_up_on_a_long_lock_with_a_store_error(
    write_deck, tmp_path, now, monkeypatch
) -> None:
    monkeypatch.setattr(connection_module, "BUSY_TIMEOUT_MS", 100)
    path = tmp_path / "progress.db"
    Store.open(path).close()
    before = dump(path)
    write_deck("norad.md", NORAD)
    opened = Store.open(path)
    started = threading.Event()
    holder = threading.Thread(target=hold_write_lock, args=(str(path), 1.0, started))
    holder.start()
    try:
        started.wait(5)
        with pytest.raises(StoreError, match="database is locked"):
            sync(opened, tmp_path, now)
    finally:
        holder.join()
        opened.close()
    assert dump(path) == before


def test_an_unchanged_deck_file_is_not_read_again(
    store: Store, tmp_path: Path, write_deck, now: datetime, monkeypatch
) -> None:
    import os

    from trainer.store import sync as sync_module

    path = write_deck("norad.md", NORAD)
    os.utime(path, ns=(0, 10**18))  # saved a while ago: its stamp can be trusted
    sync(store, tmp_path, now)
    reads: list[Path] = []
    real_read = sync_module.read_deck_file
    monkeypatch.setattr(
        sync_module, "read_deck_file", lambda path: reads.append(path) or real_read(path)
    )

    assert sync(store, tmp_path, now).unchanged == 1
    assert reads == []  # size and modification time as recorded: not even opened


def test_a_touched_but_unchanged_deck_is_read_once_then_trusted_again(
    store: Store, tmp_path: Path, write_deck, now: datetime, monkeypatch
) -> None:
    import os

    from trainer.store import sync as sync_module

    path = write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    os.utime(path, ns=(0, 10**18))  # a checkout or a save without changes moves the time only
    reads: list[Path] = []
    real_read = sync_module.read_deck_file
    monkeypatch.setattr(sync_module, "read_deck_file", lambda p: reads.append(p) or real_read(p))

    report = sync(store, tmp_path, now)
    assert (report.unchanged, report.updated) == (1, [])
    assert len(reads) == 1  # read and hashed: same content, so nothing is re-parsed
    sync(store, tmp_path, now)
    assert len(reads) == 1  # the new time was recorded


def test_an_edited_deck_is_synced_even_when_its_size_stays_the_same(
    store: Store, tmp_path: Path, write_deck, now: datetime
) -> None:
    write_deck("norad.md", NORAD)
    sync(store, tmp_path, now)
    # Rewritten at once: same size, and maybe the same modification time on a coarse clock.
    write_deck("norad.md", NORAD.replace("1958", "1959"))

    assert sync(store, tmp_path, now).updated == ["NORAD"]
    assert card_row(store, FOUNDED)["answer"] == "1959"
