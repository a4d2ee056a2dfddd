"""What the study queue reads: what is waiting today, never the whole collection.

The queue's queries read cards through the indexes named for them, and the work of building a
plan stays the same however many new cards wait behind the daily limit or however many studied
cards are not due yet (counted in SQLite's own steps, not timed).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta
from pathlib import Path

from trainer.core.library import find_deck_files
from trainer.core.progress import to_millis
from trainer.store.store import Store

CARD_READS = {"cards_buried", "cards_by_deck", "cards_new", "INTEGER PRIMARY KEY"}
"""How the queue may read cards: buried cards to unbury, each deck's due range (and its first
due card), its new cards in deck order, and single cards by id."""


def sync(store: Store, tmp_path: Path, now: datetime) -> None:
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)


def deck_of(count: int, new_per_day: int = 5, cited: bool = False) -> str:
    """A deck of `count` question cards (every third one reversed, so with a sibling)."""
    entries = []
    for n in range(1, count + 1):
        lines = [f"Q: Question {n}?", f"A: Answer {n}"]
        if n % 3 == 0:
            lines.append("Reverse: yes")
        if cited:
            lines.append(f"Source: notes.txt:{n}-{n + 1}")
        entries.append("\n".join(lines) + "\n")
    front = f'+++\nsources = ["notes.txt"]\n\n[schedule]\nnew_per_day = {new_per_day}\n+++\n'
    return front + "\n".join(entries)


def statements(store: Store, now: datetime) -> list[str]:
    """The statements a study plan and the next due time run."""
    ran: list[str] = []
    store.conn.set_trace_callback(ran.append)
    try:
        store.study_plan(now)
        store.next_due()
    finally:
        store.conn.set_trace_callback(None)
    return ran


def steps(store: Store, action: Callable[[], object]) -> int:
    """SQLite's virtual-machine steps of `action` (building a plan, finding the next due time)."""
    count = 0

    def step() -> int:
        nonlocal count
        count += 1
        return 0

    store.conn.set_progress_handler(step, 1)
    try:
        action()
    finally:
        store.conn.set_progress_handler(None, 0)
    return count


def study_cards_long_ago(store: Store, count: int, now: datetime) -> None:
    """Make the first `count` new cards review cards due in a month."""
    store.conn.execute(
        "UPDATE cards SET state = 2, stability = 40.0, difficulty = 5.0, reps = 3, due = ?, "
        "last_review = ? WHERE id IN (SELECT id FROM cards WHERE state = 0 ORDER BY id LIMIT ?)",
        [to_millis(now + timedelta(days=30)), to_millis(now - timedelta(days=10)), count],
    )
    store.conn.commit()


def test_the_queue_reads_cards_only_through_its_indexes(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", deck_of(40, cited=True))
    sync(store, tmp_path, now)
    study_cards_long_ago(store, 10, now - timedelta(days=40))  # due now
    selects = [s for s in statements(store, now) if s.lstrip().upper().startswith("SELECT")]
    card_reads = set()
    for statement in selects:
        for step in (row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + statement)):
            assert not re.match(r"SCAN (cards|c|reviews|r)\b", step), (statement, step)
            found = re.match(
                r"SEARCH (?:cards|c) USING (?:COVERING )?(?:INDEX (\w+)|(INTEGER PRIMARY KEY))",
                step,
            )
            if found:
                card_reads.add(found.group(1) or found.group(2))
            if re.match(r"SEARCH (reviews|r) ", step):
                # Today's reviews: a range of the log's ids, which are its times.
                assert "USING INTEGER PRIMARY KEY (rowid>?)" in step, (statement, step)
    assert card_reads <= CARD_READS
    assert {"cards_by_deck", "cards_new"} <= card_reads


def test_the_queue_reads_todays_new_cards_not_every_new_card(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("a.md", deck_of(40, new_per_day=10))
    sync(store, tmp_path, now)
    few = steps(store, lambda: store.study_plan(now))
    write_deck("a.md", deck_of(4_000, new_per_day=10))
    sync(store, tmp_path, now)
    assert len(store.study_queue(now)) == 10
    # A hundred times the new cards, the same work: what is read is today's ten.
    assert steps(store, lambda: store.study_plan(now)) <= few * 1.1


def test_studied_cards_not_due_yet_are_not_read(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", deck_of(3_000))
    sync(store, tmp_path, now)
    study_cards_long_ago(store, 20, now)
    few = steps(store, lambda: store.study_plan(now))
    first_due = steps(store, store.next_due)
    study_cards_long_ago(store, 2_000, now)
    assert len(store.study_queue(now)) == 5
    assert steps(store, lambda: store.study_plan(now)) <= few * 1.1
    assert steps(store, store.next_due) == first_due


def test_a_plan_ties_its_cards_as_card_ties_does(store, write_deck, tmp_path, now) -> None:
    write_deck("cited.md", deck_of(12, new_per_day=30, cited=True))
    write_deck(
        "plain.md", deck_of(6, new_per_day=30).replace("+++\n", "+++\nbury_siblings = false\n", 1)
    )
    sync(store, tmp_path, now)
    study_cards_long_ago(store, 4, now - timedelta(days=40))
    plan = store.study_plan(now)
    cards = [*plan.learning, *plan.queue]
    assert plan.ties == store.card_ties(cards)
    assert any(tie.source for tie in plan.ties.values())
    assert any(tie.siblings for tie in plan.ties.values())


def test_next_due_is_the_earliest_studied_card_of_the_decks(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("a.md", deck_of(6))
    write_deck("b.md", deck_of(6))
    sync(store, tmp_path, now)
    a, b = (row[0] for row in store.conn.execute("SELECT id FROM decks ORDER BY path"))
    assert store.next_due() is None
    dues = {}
    for card, deck, state, hours, suspended in [
        (1, a, 2, 30, 0),
        (2, a, 1, 5, 1),  # suspended: not studied now
        (3, a, 3, 12, 0),
        (4, b, 2, 3, 0),
        (5, b, 1, 40, 0),
    ]:
        card_id = store.conn.execute(
            "SELECT id FROM cards WHERE deck_id = ? ORDER BY position LIMIT 1 OFFSET ?",
            [deck, card],
        ).fetchone()[0]
        due = now + timedelta(hours=hours)
        store.conn.execute(
            "UPDATE cards SET state = ?, due = ?, stability = 3.0, last_review = ?, "
            "suspended = ? WHERE id = ?",
            [state, to_millis(due), to_millis(now), suspended, card_id],
        )
        dues[card] = due
    store.conn.commit()
    assert store.next_due() == dues[4]
    assert store.next_due([a]) == dues[3]
    assert store.next_due([b]) == dues[4]


def test_a_plan_of_one_deck_reads_that_deck_alone(store, write_deck, tmp_path, now) -> None:
    for name in ("a", "b", "c", "d"):
        write_deck(f"{name}.md", deck_of(30, new_per_day=10).replace("Question", name))
    sync(store, tmp_path, now)
    ids = {Path(path).stem: deck for path, deck in store.conn.execute("SELECT path, id FROM decks")}
    whole = store.study_plan(now)
    alone = store.study_plan(now, [ids["b"]])
    # The same cards as that deck's share of the plan of every deck...
    in_b = {card_id for (card_id,) in store.conn.execute(
        "SELECT id FROM cards WHERE deck_id = ?", [ids["b"]])}  # fmt: skip
    assert sorted(alone.queue) == sorted(card for card in whole.queue if card in in_b)
    assert len(alone.queue) == 10
    # ...for the work of one deck: more decks beside it do not add to it.
    one_of_four = steps(store, lambda: store.study_plan(now, [ids["b"]]))
    for name in ("e", "f", "g", "h", "i", "j", "k", "l"):
        write_deck(f"{name}.md", deck_of(30, new_per_day=10).replace("Question", name))
    sync(store, tmp_path, now)
    assert steps(store, lambda: store.study_plan(now, [ids["b"]])) <= one_of_four * 1.1
