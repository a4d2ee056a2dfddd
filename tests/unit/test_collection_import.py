"""The store's side of an import: reviews logged with the state before each, the same whether
the replay runs in this process or is shared among worker processes, re-imports adding nothing,
and a review older than the card's history here left out."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.progress import to_millis
from trainer.store import collection_import
from trainer.store.collection_import import ForeignReview, import_history
from trainer.store.store import Store

DECK = "Q: one\nA: 1\nId: one\n\nQ: two\nA: 2\nId: two\n\nQ: three\nA: 3\nId: three\n"
START = datetime(2025, 1, 1, tzinfo=UTC)


def reviews() -> list[ForeignReview]:
    found = []
    for key, ratings in (("one", (3, 3, 1, 3)), ("two", (4, 2)), ("three", (1, 1, 3, 3, 4))):
        for day, rating in enumerate(ratings):
            at = to_millis(START + timedelta(days=3**day, minutes=len(key)))
            found.append(ForeignReview(key, at, rating, 1000 * day))
    return found


def logged(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT c.key, r.rating, r.reviewed_at, r.duration_ms, r.state_before, r.step_before, "
        "r.stability_before, r.difficulty_before, r.due_before, r.last_review_before "
        "FROM reviews r JOIN cards c ON c.id = r.card_id ORDER BY c.key, r.reviewed_at"
    ).fetchall()


def states(store: Store) -> list[tuple]:
    return store.conn.execute(
        "SELECT key, state, stability, difficulty, due, reps, lapses, suspended FROM cards "
        "ORDER BY key"
    ).fetchall()


@pytest.fixture
def deck_store(tmp_path: Path) -> Store:
    deck = tmp_path / "deck.md"
    deck.write_text(DECK)
    store = Store.open(tmp_path / "p.db")
    store.sync([deck], roots=[tmp_path])
    return store


def test_worker_processes_give_the_same_history(
    deck_store: Store, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    report = import_history(deck_store, reviews(), suspended=["two"])
    assert (report.reviews, report.suspended) == (11, 1)
    serial = (logged(deck_store), states(deck_store))
    other = tmp_path / "other"
    other.mkdir()
    (other / "deck.md").write_text(DECK)
    parallel_store = Store.open(other / "p.db")
    parallel_store.sync([other / "deck.md"], roots=[other])
    monkeypatch.setattr(collection_import, "PARALLEL_AFTER", 1)
    done: list[int] = []
    import_history(parallel_store, reviews(), suspended=["two"], progress=done.append)
    assert (logged(parallel_store), states(parallel_store)) == serial
    assert sum(done) == 3  # every card counted once
    assert {row[0]: row[-1] for row in serial[1]} == {"one": 0, "three": 0, "two": 1}


def test_importing_again_adds_nothing_and_older_reviews_are_left_out(deck_store: Store) -> None:
    import_history(deck_store, reviews())
    before = logged(deck_store)
    again = import_history(deck_store, reviews())
    assert (again.reviews, again.already) == (0, 11)
    older = ForeignReview("one", to_millis(START), 3, 0)  # before every review of "one"
    newer = ForeignReview("one", to_millis(START + timedelta(days=400)), 3, 0)
    report = import_history(deck_store, [older, newer])
    assert (report.reviews, report.older) == (1, 1)
    after = logged(deck_store)
    assert len(after) == 12 and set(before) < set(after)
    assert older.at_ms not in {row[2] for row in after}


def test_reviews_of_unknown_cards_are_reported_not_written(deck_store: Store) -> None:
    report = import_history(deck_store, [ForeignReview("nope", to_millis(START), 3, 0)])
    assert report.missing_cards == {"nope"} and report.reviews == 0
    assert logged(deck_store) == []
