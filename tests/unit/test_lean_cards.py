"""The leaner cards (migration m020): tags as the number of their set, the kind as a number, no
entry key where the key names the entry, no cloze text where the question and answer give it;
every card reads back as it was, and a sync finds nothing to write."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlite_utils import Database
from test_card_rows import detail_json

from trainer.core.cards import Kind
from trainer.core.library import find_deck_files
from trainer.core.progress import to_millis
from trainer.store import card_codes
from trainer.store.card_codes import TAGS
from trainer.store.card_ties import ENTRY
from trainer.store.migrations import migrations
from trainer.store.search import find_card_ids
from trainer.store.store import Store

DECK = """\
+++
name = "Lean"
tags = ["lean"]
+++
Q: Which river is the longest?
A: The Nile
Tags: geo, río

C: The [cat::animal] sat on the [mat].

C: The [dog] sat on the mat.

Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes
Tags: zeta, alpha

Q: Type the capital of Peru.
T: Lima
Note: On the coast.

Q: Which are prime?
- [x] 2
- [ ] 4

True: Ice floats on water.
"""

_STORED = f"SELECT id, key, kind_code, detail, {TAGS}, entry_key FROM cards c ORDER BY id"
"""A card's stored columns that migration m020 changed."""


def synced(path: Path, folder: Path, now: datetime) -> Store:
    store = Store.open(path)
    store.sync(find_deck_files([folder]), roots=[folder], now=now)
    return store


def old_rows(store: Store) -> list[dict]:
    """The cards as a sync before migration m020 wrote them: the kind's and the tags' text,
    the entry's key and the whole cloze text."""
    rows = []
    read = f"SELECT c.*, {TAGS} AS tags, {ENTRY} AS entry FROM cards c ORDER BY id"
    for row in store.db.query(read):
        card = store.study_card(row["id"]).card
        rows.append(
            {"id": row["id"], "key": row["key"], "deck_id": row["deck_id"],
             "position": row["position"], "line": row["line"], "kind": row["kind"],
             "prompt": row["prompt"], "answer": row["answer"], "detail": detail_json(card),
             "tags": row["tags"], "created": row["created"], "entry_key": row["entry"],
             "state": 2, "stability": 3.25, "difficulty": 5.5, "due": row["created"] + 1,
             "last_review": row["created"] - 86_400_000, "reps": 2, "lapses": 0}
        )  # fmt: skip
    return rows


def test_an_older_database_keeps_every_card_and_a_sync_rewrites_none(
    tmp_path: Path, write_deck, now: datetime
) -> None:
    write_deck("lean.md", DECK)
    folder = (tmp_path / "decks").resolve()
    fresh = synced(tmp_path / "fresh.db", folder, now)
    cards = {row["id"]: fresh.study_card(row["id"]).card for row in fresh.db["cards"].rows}
    written = fresh.conn.execute(_STORED).fetchall()
    rows = old_rows(fresh)
    decks = list(fresh.db["decks"].rows)
    fresh.close()
    kinds = {row["kind"] for row in rows}
    assert kinds == {kind.value for kind in Kind}
    assert any('"text"' in row["detail"] for row in rows)  # the old rows hold cloze texts

    path = tmp_path / "progress.db"
    old = Database(path)
    migrations.apply(old, stop_before="m020_lean_cards")
    # A stale hash: the next sync compares every card of the file with its stored row.
    old["decks"].insert_all({**deck, "content_hash": "stale"} for deck in decks)
    old["cards"].insert_all(rows)
    # One imported card (its own entry, though its key holds `:`), one cloze whose question
    # does not give its text back, tags in an order of their own, a detail not as json.dumps.
    ms = to_millis(now)
    odd = {"deck_id": 2, "position": 0, "line": 1, "created": ms, "state": 0}
    old["decks"].insert({"id": 2, "path": "import:log", "name": "log", "missing": 1, "imported": 1})
    old["cards"].insert_all(
        [{**odd, "id": 101, "key": "import:log:1", "kind": "basic", "prompt": "Imported card 1",
          "answer": "", "detail": "{}", "tags": "[]", "entry_key": ""},
         {**odd, "id": 102, "key": "odd:c1", "kind": "cloze", "prompt": "[...] and [...]",
          "answer": "x", "detail": '{"text": "x and [...]"}', "tags": '["z", "a", "z"]',
          "entry_key": "odd"},
         {**odd, "id": 103, "key": "odd:c2", "kind": "cloze", "prompt": "[...] is",
          "answer": "y", "detail": '{"text":"y is"}', "tags": '["z", "a", "z"]',
          "entry_key": "odd"}]
    )  # fmt: skip
    before = list(old.query("SELECT * FROM cards ORDER BY id"))
    old.close()

    store = Store.open(path)
    try:
        # Every column as read, as it was: the tags from their set, the kind from its number.
        read = f"SELECT *, {TAGS} AS tags, {ENTRY} AS entry FROM cards c ORDER BY id"
        after = list(store.db.query(read))
        keep = set(before[0]) - {"entry_key", "detail"}
        assert [{k: row[k] for k in keep} for row in after] == [
            {k: row[k] for k in keep} for row in before
        ]
        entries = [row["entry"] for row in after]
        assert entries == [row["entry_key"] for row in rows] + ["import:log:1", "odd", "odd"]
        for card_id, card in cards.items():
            assert store.study_card(card_id).card == card
        assert store.study_card(102).card.text == "x and [...]"
        assert store.study_card(103).card.text == "y is"
        assert store.study_card(101).card.kind is Kind.BASIC
        # Stored as the sync writes them: the tags once per set, no cloze text it can fill.
        assert store.conn.execute(_STORED).fetchall()[: len(written)] == written
        sets = store.conn.execute("SELECT tags FROM tag_sets ORDER BY id").fetchall()
        assert len(sets) == len(set(sets)) == 1 + len({row["tags"] for row in rows} - {"[]"}) + 1
        assert not any('"text"' in detail for (detail,) in store.conn.execute(
            "SELECT detail FROM cards WHERE kind = 'cloze' AND id < 100"))  # fmt: skip
        store.conn.execute(
            "CREATE TEMP TRIGGER touched AFTER UPDATE ON cards "
            "BEGIN SELECT RAISE(ABORT, 'a card was written'); END"
        )
        store.sync(find_deck_files([folder]), roots=[folder], now=now)
        assert store.conn.execute("SELECT content_hash FROM decks").fetchone()[0] != "stale"
        # The searches read the numbers.
        assert find_card_ids(store, "tag:río", now) == [1]
        reversed_ids = [row["id"] for row in rows if row["kind"] == "reversed"]
        assert find_card_ids(store, "tag:alpha kind:reversed", now) == reversed_ids
        clozes = [row["id"] for row in rows if row["kind"] == "cloze"]
        assert len(clozes) == 3 and find_card_ids(store, "kind:cloze", now) == clozes
    finally:
        store.close()


def test_a_cloze_keeps_the_text_its_question_lacks(store: Store, write_deck, tmp_path, now):
    write_deck("c.md", "C: Brackets \\[...\\] hide [this].\n\nC: [One] and [two].\n")
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)
    details = dict(store.conn.execute("SELECT prompt, detail FROM cards"))
    # Its question shows `[...]` twice: which one is the deletion is not known from it.
    assert details == {
        "Brackets [...] hide [...].": '{"text":"Brackets [...] hide this."}',
        "[...] and two.": "{}",
        "One and [...].": "{}",
    }
    texts = {store.study_card(i).card.text for (i,) in store.conn.execute("SELECT id FROM cards")}
    assert texts == {"Brackets [...] hide this.", "One and two."}


def test_the_cards_store_numbers_for_kinds_and_tags(store: Store) -> None:
    columns = store.db["cards"].columns_dict
    assert "tags" not in columns and "kind" not in columns  # `kind` is computed
    assert columns["tag_set"] is int and columns["kind_code"] is int


def test_tag_sets_sharing_a_first_number_each_get_their_own(store: Store, monkeypatch) -> None:
    monkeypatch.setattr(card_codes, "first_number", lambda tags: 7 if "a" in tags else 9)
    sets = ['["a"]', '["b"]', '["ab"]', '["c"]', "[]", '["ba"]']
    with store.transaction():
        first = card_codes.tag_set_ids(store.conn, sets[:3])
        ids = card_codes.tag_set_ids(store.conn, sets)
        again = card_codes.tag_set_ids(store.conn, reversed(sets))
    assert ids == again and {k: ids[k] for k in first} == first
    assert sorted(ids.values()) == [0, 7, 8, 9, 10, 11]  # the next free number after a taken one
    stored = dict(store.conn.execute("SELECT id, tags FROM tag_sets"))
    assert stored == {number: tags for tags, number in ids.items()}
