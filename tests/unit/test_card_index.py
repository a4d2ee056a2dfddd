"""The cards' one covering index: an answer rewrites one entry of it, and the readers that
share it still read only what they ask for."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from test_queue_reads import steps

from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.progress import to_millis
from trainer.store.card_codes import TAGS
from trainer.store.migrations import migrations
from trainer.store.search import count_cards, find_card_ids
from trainer.store.store import Store

ANSWERED = {"step", "stability", "difficulty", "due", "last_review", "reps", "lapses"}
"""The columns every answer writes (and `state`, when it changes)."""


def deck(name: str, count: int) -> str:
    cards = "\n".join(f"Q: {name} question {n}?\nA: Answer {n}\n" for n in range(count))
    return f'+++\nname = "{name}"\n+++\n{cards}'


def synced(store: Store, tmp_path: Path, now: datetime) -> None:
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)


def indexes_holding(store: Store, columns: set[str]) -> list[str]:
    """The indexes of `cards` that hold any of `columns`."""
    names = [row[1] for row in store.conn.execute("PRAGMA index_list(cards)")]
    return sorted(
        name
        for name in names
        if columns & {row[2] for row in store.conn.execute(f"PRAGMA index_info({name})")}
    )


def entries(store: Store, index: str) -> int:
    """How many entries an index holds, counted on its pages."""
    query = "SELECT coalesce(sum(ncell), 0) FROM dbstat WHERE name = ? AND pagetype = 'leaf'"
    return int(store.conn.execute(query, [index]).fetchone()[0])


def test_an_answer_rewrites_one_index_of_the_cards(store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", deck("NORAD", 3))
    synced(store, tmp_path, now)
    # SQLite rewrites a card's entry in every index holding a column an UPDATE sets.
    assert indexes_holding(store, ANSWERED) == ["cards_by_deck"]
    # `state` too, when it changes; `cards_new` holds the new cards only, so only a new card's
    # first answer takes its entry out of it.
    assert indexes_holding(store, ANSWERED | {"state"}) == ["cards_by_deck"]
    assert entries(store, "cards_new") == 3
    (card_id,) = store.conn.execute("SELECT id FROM cards LIMIT 1").fetchone()
    after = store.record_review(card_id, Rating.GOOD, now)
    assert entries(store, "cards_new") == 2
    stored = store.conn.execute(
        "SELECT due FROM cards INDEXED BY cards_by_deck WHERE deck_id = "
        "(SELECT deck_id FROM cards WHERE id = ?) AND retired = 0 AND suspended = 0 "
        "AND state = ? AND due IS NOT NULL",
        [card_id, int(after.state)],
    ).fetchall()
    assert len(stored) == 1  # the index holds the answered card's new state


def test_a_search_of_one_deck_reads_only_that_deck(store, write_deck, tmp_path, now) -> None:
    write_deck("big.md", deck("Big", 300))
    write_deck("small.md", deck("Small", 3))
    synced(store, tmp_path, now)
    assert count_cards(store, "deck:Small", now) == 3
    assert len(find_card_ids(store, "deck:Small", now, limit=100, total=3)) == 3
    small = steps(store, lambda: count_cards(store, "deck:Small", now))
    big = steps(store, lambda: count_cards(store, "deck:Big", now))
    # Seeking the deck's cards in the index, not filtering every card's entry.
    assert small * 10 < big, (small, big)


def test_an_older_database_keeps_its_cards_and_its_searches(tmp_path: Path, now) -> None:
    path = tmp_path / "progress.db"
    old = Database(path)
    migrations.apply(old, stop_before="m018_one_card_index")
    old["decks"].insert({"id": 1, "path": "/d.md", "name": "D", "settings": "{}"})
    texts = ["Roswand clum, the first", "Clum before roswand", "Thark drivand"]
    for number, prompt in enumerate(texts, start=1):
        old["cards"].insert(
            {"id": number, "key": f"k{number}", "deck_id": 1, "position": number, "line": 1,
             "kind": "basic", "prompt": prompt, "answer": "A", "tags": '["old"]',
             "created": to_millis(now), "state": 2, "stability": 3.25, "difficulty": 5.5,
             "due": to_millis(now) - number, "last_review": to_millis(now) - 86_400_000,
             "reps": number, "lapses": 1}
        )  # fmt: skip
        if number == 2:  # the third card is added after the text index last caught up
            # (as the catch-up of that schema did it, without the queued edits of m023)
            old.conn.execute(
                "INSERT INTO cards_text (rowid, prompt, answer) SELECT id, prompt, answer "
                "FROM cards WHERE id > (SELECT id FROM cards_text_upto)"
            )
            old.conn.execute("UPDATE cards_text_upto SET id = (SELECT max(id) FROM cards)")
            old.conn.commit()
    old.conn.commit()
    before = list(old.query("SELECT * FROM cards ORDER BY id"))
    old.close()
    store = Store.open(path)
    try:
        # Every column as read (the tags from their set since migration m020).
        after = store.db.query(f"SELECT *, {TAGS} AS tags FROM cards c ORDER BY id")
        assert [{k: row[k] for k in before[0]} for row in after] == before
        assert indexes_holding(store, ANSWERED) == ["cards_by_deck"]
        tables = {row[0] for row in store.conn.execute("SELECT name FROM sqlite_master")}
        assert "cards_text_docsize" not in tables  # the column sizes no search reads
        assert find_card_ids(store, '"roswand clum"', now) == [1]  # a phrase, in its order
        assert find_card_ids(store, "clum", now) == [1, 2]
        assert find_card_ids(store, "drivand", now) == [3]  # caught up since
        assert find_card_ids(store, "tag:old prop:reps>=2", now) == [2, 3]
    finally:
        store.close()
