"""Migration m021: a smaller database that finds, keeps and replays exactly what it did.

The text index keeps no places of words: every search finds the cards the index with places
found. The stored entries are packed: a layout reads back as it was stored. The log's ids are
narrower: every review keeps its time, its before-state, its undo and its journal row.
"""

from __future__ import annotations

import sqlite3
import sys
from array import array
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlite_utils import Database

from trainer.core.deck_blocks import NO_CLOZE, layout_of
from trainer.core.grading import Rating
from trainer.core.library import find_deck_files, read_deck_file
from trainer.core.progress import Progress, to_millis
from trainer.store import log_layout, review_log, search
from trainer.store.deck_entries import head_of, load_entries, plain_rows
from trainer.store.entry_packing import packed_row, unpacked_rows
from trainer.store.migrations import migrations
from trainer.store.store import Store
from trainer.store.text_match import Phrase, expression

NOW = datetime(2025, 3, 14, 12, 0, tzinfo=UTC)
MS = to_millis(NOW)
TEXTS = [
    ("Border enforcement of the coast", "Integrated Border Enforcement Team"),
    ("Enforcement at the border", "The team of the coast guard"),
    ("Qu'est-ce que la Sûreté du Québec ?", "La police provinciale (SQ)"),
    ("QU’EST-CE QUE la surete ?", "Police: provinciale!"),
    ("Where is NORAD's command?", "Colorado Springs, Colorado"),
    ("NORAD command, Colorado", "Cheyenne Mountain"),
    ("e-mail or email?", "Both: e-mail and E.Mail"),
    ("Naïve café crème", "naive cafe creme brûlée"),
    ("ÅNGSTRÖM unit", "10^-10 m (ångström)"),
    ("Ελληνικά: άλφα βήτα", "ΑΛΦΑ ΒΗΤΑ γάμμα"),
    ("Straße in München", "strasse in munchen"),
    ("x² + y² = z²", "Pythagoras' theorem: x2 y2"),
    ("1958: NORAD formed", "May 12, 1958"),
    ("Dots...and dashes—together", "dots and dashes together"),
    ("don't stop", "do not stop; don t"),
    ("日本語 テキスト", "東京 タワー"),
    ("under_score words", "under score"),
    ("L'état, c'est moi", "Louis XIV: l'etat c'est moi"),
    ("C3PO and R2-D2", "r2 d2 c3po"),
    ("the the the", "of the of the"),
]
QUERIES = [
    "border", "enforcement", '"border enforcement"', '"enforcement border"',
    '"the coast"', '"of the coast"', '"the team"', "team -coast", '"border enforcement" -team',
    '"qu est ce que"', '"qu\'est-ce que"', '"QU’EST-CE"', "surete", '"la surete"',
    '"sûreté du québec"', '"police provinciale"', '"provinciale sq"', "provinc",
    '"norad command"', '"norad s command"', "norad's", "colorado -springs",
    '"colorado springs" or cheyenne', '"e-mail"', '"e mail"', "e-mail", '"e.mail"',
    "email", '"naive cafe"', '"naïve café crème"', '"cafe creme brulee"', '"creme brûlée"',
    "angstrom", '"ångström unit"', '"10 10"', '"άλφα βήτα"', '"αλφα βητα"', "βητ",
    '"straße in"', '"strasse in munchen"', '"in münchen"', '"x² y²"', '"x2 y2"',
    '"1958 norad"', '"may 12 1958"', '"12 1958"', '"and dashes"', '"dots and"',
    '"dashes together"', '"don t"', "don't", '"do not stop"', '"日本語 テキスト"', '"東京"',
    '"under score"', '"under_score"', '"l etat"', '"c est moi"', "l'état", '"r2 d2"',
    "r2-d2", '"c3po and"', '"the the"', '"of the of"', '"the of"', '"the"',
    '"border enforcement" "the coast"', '"border enforcement" or "the team"',
    '-"border enforcement"', '-("the coast" or norad)', '"border enforcement" deck:alpha',
    '"the coast" -deck:alpha', '"norad command" tag:geo', '"the team" is:new',
    '"police provinciale" kind:basic', '"colorado springs" prop:reps>=1', '"the co"',
    '"dots and dash"', "?", '"?"', '"...and"', "bord* enf*",
]  # fmt: skip


def deck(name: str, tags: str, texts: list[tuple[str, str]]) -> str:
    cards = "\n".join(f"Q: {prompt}\nA: {answer}\n" for prompt, answer in texts)
    return f'+++\nname = "{name}"\ntags = [{tags}]\n+++\n{cards}'


def test_every_search_finds_what_the_index_with_places_found(
    store: Store, write_deck, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write_deck("alpha.md", deck("Alpha", '"geo"', TEXTS[::2]))
    write_deck("beta.md", deck("Beta", '"history"', TEXTS[1::2]))
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=NOW)
    store.record_review(1, Rating.GOOD, NOW)
    schema = store.conn.execute("SELECT sql FROM sqlite_schema WHERE name = 'cards_text'")
    assert "detail=none" in schema.fetchone()[0]
    found = {query: search.find_card_ids(store, query, NOW) for query in QUERIES}
    # The index as it was before m021, with the places of words, asked as it was asked then.
    store.conn.executescript(
        "CREATE VIRTUAL TABLE placed USING fts5(prompt, answer, content='cards', "
        "content_rowid='id', tokenize='unicode61 remove_diacritics 2', columnsize=0);"
        "INSERT INTO placed (placed) VALUES ('rebuild');"
    )

    def with_places(conn: sqlite3.Connection, phrases: list[Phrase]) -> tuple[str, list]:
        return "c.id IN (SELECT rowid FROM placed WHERE placed MATCH ?)", [expression(phrases)]

    monkeypatch.setattr(search, "text_clause", with_places)
    for query in QUERIES:
        assert found[query] == search.find_card_ids(store, query, NOW), query
    assert sum(map(bool, found.values())) > len(QUERIES) * 2 // 3  # most queries find cards
    # Phrases the index alone could not tell apart from their words in any order.
    assert found['"border enforcement"'] != found['"enforcement border"']


def two_cards(conn: sqlite3.Connection) -> None:
    """Deck 1 holding cards 1 and 2, in a database at m020's schema or later."""
    conn.execute("INSERT INTO decks (id, path, name, settings) VALUES (1, '/d.md', 'D', '{}')")
    conn.executemany(
        "INSERT INTO cards (id, key, deck_id, position, line, prompt, answer, created) "
        "VALUES (?, ?, 1, ?, 1, ?, 'A', ?)",
        [(n, f"k{n}", n, f"Q{n}", MS - 10**9) for n in (1, 2)],
    )


def test_stored_entries_reviews_and_journal_come_through_the_upgrade(tmp_path: Path) -> None:
    path = tmp_path / "old.db"
    (tmp_path / "d.md").write_text(deck("D", "", [(f"Q{n}", f"A{n}") for n in range(300)]))
    deck_file = read_deck_file(tmp_path / "d.md")
    layout = layout_of(deck_file.raw, deck_file.parse_entries()[1])
    assert layout is not None
    old = Database(path)
    migrations.apply(old, stop_before="m021_smaller_store")
    two_cards(old.conn)
    # The entries as m019 stored them, each column by itself.
    ids = array("q", range(1000, 1000 + sum(layout.counts)))
    old.execute("INSERT INTO deck_entries VALUES (1, 'h', ?)", [head_of(layout)])
    old.conn.executemany(
        "INSERT INTO deck_entry_chunks VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        plain_rows(1, layout, ids),
    )
    # 40 answers in one millisecond (an imported log with coarse times), an undo, the journal.
    times = [MS - 5000] * 40 + [MS - 4999, MS - 4000, MS - 3000]
    keys = [(at << log_layout.TIME_SHIFT) + times[:n].count(at) for n, at in enumerate(times)]
    # id, card, rating, kind, duration, undoes, state before, late_ms, interval_code
    rows = [(key, 1 + n % 2, 3, 0, n, None, 2, 86_400_000, 7) for n, key in enumerate(keys)]
    rows[42] = (keys[42], 1, None, 2, 0, keys[41], 2, 86_400_000, 7)
    rows[35] = (*rows[35][:7], None, 3 * 86_400_000 * 2 + 1)  # no due: a last review 3 days ago
    old.conn.executemany(
        "INSERT INTO reviews (id, card_id, rating, kind, duration_ms, undoes, state_before, "
        "late_ms, interval_code) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    old.conn.executemany(
        "INSERT INTO journal (seq, review_id, uid, device, moves) VALUES (?, ?, ?, 'laptop', 1)",
        [(1, keys[3], "laptop-3"), (2, keys[41], "laptop-41")],
    )
    read = (
        "SELECT card_id, rating, duration_ms, mode, state_before, due_before, "
        "last_review_before, reviewed_at FROM reviews ORDER BY id"
    )
    before = old.execute(read).fetchall()
    old.conn.commit()
    old.close()

    store = Store.open(path)
    try:
        stored = load_entries(store.conn, 1, "h")
        assert stored is not None and len(stored.seqs) > 1
        assert stored.layout == layout and list(stored.card_ids) == list(ids)
        after = store.conn.execute(read).fetchall()
        # The same answers in the same order, with the same before-states; the first 32 of
        # the crowded millisecond at their time, the others a millisecond later per 32.
        assert [row[:7] for row in after] == [row[:7] for row in before]
        moved = [row[7] - was[7] for row, was in zip(after, before)]
        assert moved == [0] * 32 + [1] * 8 + [0, 0, 0]
        ids_now = [row[0] for row in store.conn.execute("SELECT id FROM reviews ORDER BY id")]
        assert all(review_id < 2**47 for review_id in ids_now)  # 6 bytes in an index
        assert store.conn.execute("SELECT undoes FROM reviews WHERE kind = 2").fetchall() == [
            (ids_now[41],)
        ]
        journal = store.conn.execute("SELECT review_id, uid FROM journal ORDER BY seq")
        assert journal.fetchall() == [(ids_now[3], "laptop-3"), (ids_now[41], "laptop-41")]
        assert store.conn.execute("PRAGMA foreign_key_check").fetchall() == []
    finally:
        store.close()


def test_an_answer_past_a_full_millisecond_keeps_its_state_at_the_next(store: Store) -> None:
    with store.writing() as conn:
        two_cards(conn)
    due = NOW - timedelta(days=1)
    before = Progress(due=due, last_review=due - timedelta(days=3))
    with store.writing() as conn:
        ids = [
            review_log.append_review(conn, 1, 3, NOW, 0, "import", before, None)
            for _ in range(review_log.SLOTS + 2)
        ]
    times = store.conn.execute(
        "SELECT reviewed_at, due_before, last_review_before FROM reviews ORDER BY id"
    ).fetchall()
    assert ids == sorted(ids) and len(set(ids)) == len(ids)
    assert [at for at, _, _ in times] == [MS] * review_log.SLOTS + [MS + 1] * 2
    assert {(due, last) for _, due, last in times} == {
        (to_millis(due), to_millis(before.last_review))
    }


NUMBERS = st.lists(st.integers(0, 2**32 - 1) | st.integers(0, 300), max_size=40)


@given(NUMBERS, NUMBERS, st.lists(st.integers(0, 2**63 - 1) | st.integers(1, 70_000)), st.data())
def test_a_packed_row_of_entries_unpacks_to_what_it_was(sizes, lines, ids, data) -> None:
    entries = min(len(sizes), len(lines))
    sizes, lines = sizes[:entries], lines[:entries]
    counts = data.draw(st.lists(st.integers(0, 3), min_size=entries, max_size=entries))
    ids = (ids * (sum(counts) // max(1, len(ids)) + 1))[: sum(counts)] if ids else [7] * sum(counts)
    keys = data.draw(st.lists(st.none() | st.text("0123456789abcdef", min_size=12, max_size=12),
                              min_size=entries, max_size=entries))  # fmt: skip
    bases = "".join(f"{key or NO_CLOZE}|" for key in keys)
    columns = [array("I", column).tobytes() for column in (sizes, lines, counts)]
    if sys.byteorder == "big":
        columns = [byteswapped("I", column) for column in columns]
    card_ids = array("q", ids).tobytes() if sys.byteorder == "little" else byteswapped("q", ids)
    numbers, packed_keys = packed_row(*columns, bases, card_ids)
    # A row alone, and as the second of two rows read together.
    assert unpacked_rows([(entries, numbers, packed_keys)]) == (
        [*columns, card_ids],
        bases,
        [len(ids)],
    )
    other = packed_row(b"\1\0\0\0", b"\0\0\1\0", b"\2\0\0\0", NO_CLOZE + "|", bytes(16))
    joined = unpacked_rows([(1, *other), (entries, numbers, packed_keys)])
    assert joined[0][0] == b"\1\0\0\0" + columns[0] and joined[2] == [2, len(ids)]
    assert joined[0][3] == bytes(16) + card_ids and joined[1] == NO_CLOZE + "|" + bases
    if entries and max(sizes + lines) < 256 and all(key is None for key in keys):
        assert len(numbers) <= 4 + 3 * entries + 8 * len(ids) and len(packed_keys) == entries


def byteswapped(typecode: str, numbers) -> bytes:
    swapped = array(typecode, numbers)
    swapped.byteswap()
    return swapped.tobytes()


_WORDS = st.sampled_from(["is", "the", "border", "b0rder", "Is", "THE", "a1", "is_the", "x"])
_GLUE = st.sampled_from([" ", "  ", ", ", "-", "_", "'", "\n", "...", "\t", "/", "", "é"])
_ASCII_TEXT = st.lists(st.tuples(_WORDS, _GLUE), max_size=8).map(
    lambda parts: "".join(word + glue for word, glue in parts)
)


@given(
    rows=st.lists(st.tuples(_ASCII_TEXT, _ASCII_TEXT), min_size=1, max_size=12),
    phrases=st.lists(
        st.tuples(st.lists(_WORDS, min_size=1, max_size=3).map(" ".join), st.booleans()),
        min_size=1,
        max_size=2,
    ),
)
def test_a_phrase_is_checked_on_ascii_texts_as_the_index_with_places_checks_it(
    rows: list[tuple[str, str]], phrases: list[Phrase]
) -> None:
    # Texts of ASCII words and separators, one in some of them not ASCII: the patterns'
    # check and the index's check (`_placed`) find the same rows.
    numbered = [(number, prompt, answer) for number, (prompt, answer) in enumerate(rows, 1)]
    from trainer.store.text_match import _matching, _placed

    assert _matching(numbered, phrases) == _placed(numbered, expression(phrases))
