"""The text index is caught up when it is read: after edits, deletions and reused ids it finds
what an index made anew from the cards finds."""

from __future__ import annotations

import re
import sqlite3
from datetime import datetime
from pathlib import Path

import pytest

from trainer.core.library import find_deck_files
from trainer.store.search import find_card_ids
from trainer.store.store import Store
from trainer.store.text_index import catch_up

DECK = """
+++
name = "Rivers"
+++
Q: Which river runs through Paris?
A: The Seine

Q: Which river runs through Lyon?
A: The Rhone and the Saone

Q: Which river runs through Vienna?
A: The Danube
"""


def words_of(conn: sqlite3.Connection) -> set[str]:
    words: set[str] = set()
    for prompt, answer in conn.execute("SELECT prompt, answer FROM cards"):
        words.update(re.findall(r"[a-z]+", f"{prompt} {answer}".lower()))
    return words | {"paris", "seine", "danube", "edited", "gone"}


def assert_as_made_anew(conn: sqlite3.Connection) -> None:
    """Every word finds in the index the cards it finds in an index made now from the cards."""
    conn.execute(
        "CREATE VIRTUAL TABLE made_anew USING fts5(prompt, answer, content='cards', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0, "
        "detail=none)"
    )
    try:
        conn.execute("INSERT INTO made_anew (made_anew) VALUES ('rebuild')")
        for word in sorted(words_of(conn)):
            found = [
                {
                    row[0]
                    for row in conn.execute(
                        f"SELECT rowid FROM {table} WHERE {table} MATCH ?", [word]
                    )
                }  # fmt: skip
                for table in ("cards_text", "made_anew")
            ]
            assert found[0] == found[1], word
        # And no card is in it twice, or with words it lost: each term counts the same cards.
        counts = []
        for table in ("cards_text", "made_anew"):
            conn.execute(f"CREATE VIRTUAL TABLE temp.terms USING fts5vocab(main, {table}, 'row')")
            counts.append(conn.execute("SELECT term, doc, cnt FROM temp.terms").fetchall())
            conn.execute("DROP TABLE temp.terms")
        assert counts[0] == counts[1]
    finally:
        conn.execute("DROP TABLE made_anew")
        conn.commit()


def synced(store: Store, tmp_path: Path, now: datetime) -> None:
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)


@pytest.fixture
def rivers(store: Store, write_deck, tmp_path: Path, now: datetime) -> Store:
    write_deck("rivers.md", DECK)
    synced(store, tmp_path, now)
    return store


def index_rows(conn: sqlite3.Connection) -> list[tuple]:
    return conn.execute("SELECT id, block FROM cards_text_data ORDER BY id").fetchall()


def test_an_edit_waits_in_a_row_of_its_own_until_a_search(
    rivers: Store, write_deck, tmp_path: Path, now: datetime
) -> None:
    store = rivers
    assert store.conn.execute("SELECT count(*) FROM cards_text_stale").fetchone() == (0,)
    before = index_rows(store.conn)
    write_deck("rivers.md", DECK.replace("The Seine", "The Seine, edited"))
    synced(store, tmp_path, now)
    # The re-sync wrote no segment of the index: the words it holds for the card wait beside it.
    assert index_rows(store.conn) == before
    assert store.conn.execute("SELECT prompt, answer FROM cards_text_stale").fetchall() == [
        ("Which river runs through Paris?", "The Seine")
    ]
    assert find_card_ids(store, "edited", now) == [1]
    assert find_card_ids(store, "seine", now) == [1]
    assert store.conn.execute("SELECT count(*) FROM cards_text_stale").fetchone() == (0,)
    assert_as_made_anew(store.conn)
    write_deck("rivers.md", DECK.replace("The Seine", "The Marne"))
    synced(store, tmp_path, now)
    assert find_card_ids(store, "seine", now) == []
    assert find_card_ids(store, "marne", now) == [1]


def test_edits_deletions_and_reused_ids_are_caught_up(rivers: Store, now: datetime) -> None:
    conn = rivers.conn
    with conn:
        # Edited twice: the index holds the first words until it catches up.
        conn.execute("UPDATE cards SET answer = 'The Seine, edited' WHERE id = 1")
        conn.execute("UPDATE cards SET answer = 'The Oise' WHERE id = 1")
        # Edited, then gone; and the newest card gone, its id taken by a new card, edited too.
        conn.execute("UPDATE cards SET answer = 'The Rhone, gone' WHERE id = 2")
        conn.execute("DELETE FROM cards WHERE id = 2")
        conn.execute("DELETE FROM cards WHERE id = 3")
        conn.execute(
            "INSERT INTO cards (id, key, deck_id, position, line, kind_code, prompt, answer, "
            "created) VALUES (3, 'new', 1, 99, 1, 0, 'Which river runs through Cairo?', "
            "'The Nile', 0)"
        )
        conn.execute("UPDATE cards SET answer = 'The Nile, edited' WHERE id = 3")
    assert conn.execute("SELECT id, answer FROM cards_text_stale ORDER BY id").fetchall() == [
        (1, "The Seine"),
        (2, "The Rhone and the Saone"),
        (3, "The Danube"),
    ]
    catch_up(conn)
    assert conn.execute("SELECT count(*) FROM cards_text_stale").fetchone() == (0,)
    assert_as_made_anew(conn)
    assert find_card_ids(rivers, "nile edited", now) == [3]
    assert find_card_ids(rivers, "danube", now) == []
    assert find_card_ids(rivers, "oise", now) == [1]


def test_a_sync_that_adds_cards_indexes_them_at_once(rivers: Store) -> None:
    store = rivers
    newest = store.conn.execute("SELECT max(id) FROM cards").fetchone()[0]
    assert store.conn.execute("SELECT id FROM cards_text_upto").fetchone() == (newest,)
    assert store.conn.execute(
        "SELECT rowid FROM cards_text WHERE cards_text MATCH 'danube'"
    ).fetchall() == [(3,)]


def test_a_catch_up_reads_the_queued_cards_not_every_card(store: Store) -> None:
    from trainer.store.text_index import _RE_INDEXED

    plan = [row[3] for row in store.conn.execute("EXPLAIN QUERY PLAN " + _RE_INDEXED, [10**6])]
    cards = [step for step in plan if re.match(r"(SCAN|SEARCH) c\b", step)]
    assert cards == ["SEARCH c USING INTEGER PRIMARY KEY (rowid=?)"], plan
