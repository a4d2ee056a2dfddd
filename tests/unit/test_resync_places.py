"""A re-sync that adds, removes or moves entries writes what changed only: the cards' places
(`store.card_places`) and the stored entries' rows (`store.deck_entries`), and what every card's
line and order read is what a whole sync gives."""

from __future__ import annotations

import sqlite3
import struct
import tempfile
from datetime import UTC, datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_resync import Twins, deck_text

from trainer.store.search import find_card_ids
from trainer.store.store import Store


def read(path: Path, query: str) -> list[tuple]:
    """The rows `query` reads from the database at `path`, on a connection of its own."""
    conn = sqlite3.connect(path)
    try:
        return conn.execute(query).fetchall()
    finally:
        conn.close()


def long_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, count: int
) -> tuple[list[str], Twins]:
    """A deck of `count` basic entries, synced by twin stores; no whole sync counted yet."""
    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(count)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    twins.whole_syncs = 0
    return many, twins


def chunk_rows(path: Path) -> set[tuple]:
    return set(read(path, "SELECT * FROM deck_entry_chunks"))


def test_an_edit_in_a_long_deck_rewrites_the_stored_entries_around_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many, twins = long_deck(tmp_path, monkeypatch, 2000)
    total = len(chunk_rows(twins.paths["entries"]))
    for number in (3, 1000, 1999, 0):
        many[number] = many[number].replace("answer", "reply")
        if number == 1000:
            many.insert(number, "Q: Added?\nA: Yes\n\n")
        if number == 1999:
            del many[1500]
        before = chunk_rows(twins.paths["entries"])
        twins.write(deck_text(many))
        twins.assert_alike()
        after = chunk_rows(twins.paths["entries"])
        # An edited entry's row is written again (and a neighbour, when an entry added or
        # removed moves a row's end); the other rows are left as they were.
        places = 2 if number == 1999 else 1
        assert len(before - after) <= 2 * places and len(after - before) <= 2 * places
        assert len(after & before) >= total - 2 * places
    assert total > 8 and twins.whole_syncs == 0


def stored_places(path: Path) -> dict[int, tuple[int, int]]:
    """Each card's position and line as its row holds them."""
    return {row[0]: row[1:] for row in read(path, "SELECT id, position, line FROM cards")}


def test_adding_and_removing_cards_rewrites_only_those_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many, twins = long_deck(tmp_path, monkeypatch, 300)
    for entries in (
        many[:3] + many[4:],  # every later card one entry (3 lines) up
        many[:3] + ["Q: Put in?\nA: Yes\nNote: three\nlines more\n\n\n"] + many[4:],
        many[:3] + many[4:150] + ["Q: Also in?\nA: Yes\n"] + many[150:] + ["Q: Last?\nA: .\n"],
        many,
    ):
        before = stored_places(twins.paths["entries"])
        twins.write(deck_text(entries))
        twins.assert_alike()
        after = stored_places(twins.paths["entries"])
        moved = [card_id for card_id, place in before.items() if after[card_id] != place]
        # The cards added (or taking back a card's key) are written, not the 300 around them.
        assert len(moved) <= 2, moved
    assert twins.whole_syncs == 0


def test_cards_added_where_no_place_is_free_renumber_the_deck(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [f"Q: Dense question {n}?\nA: Dense answer {n}\n" for n in range(30)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    # Positions as an older version stored them: one apart, no room between two cards.
    conn = sqlite3.connect(twins.paths["entries"])
    with conn:
        conn.execute("UPDATE cards SET position = position / 1048576")
    conn.close()
    twins.whole_syncs = 0
    twins.write(deck_text(many[:10] + ["Q: Between?\nA: Yes\n"] + many[10:]))
    twins.assert_alike()
    assert twins.whole_syncs == 1
    # Now spaced out: cards added one after another at the same place find room many times.
    added = [f"Q: Added {n}?\nA: Yes\n" for n in range(12)]
    for count in range(1, len(added) + 1):
        twins.write(deck_text(many[:10] + ["Q: Between?\nA: Yes\n"] + added[:count] + many[10:]))
        twins.assert_alike()
    assert twins.whole_syncs == 1


def test_a_deck_with_too_many_line_shifts_is_synced_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store import resync

    monkeypatch.setattr(resync, "MOST_SHIFTS", 2)
    many = [f"Q: Shifted question {n}?\nA: Shifted answer {n}\n" for n in range(40)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    twins.whole_syncs = 0
    for removed in (30, 20, 10):
        many = many[:removed] + many[removed + 1 :]
        twins.write(deck_text(many))
        twins.assert_alike()
    assert twins.whole_syncs == 1  # the third removal would make three shifts
    conn = sqlite3.connect(twins.paths["entries"])
    assert conn.execute("SELECT count(*) FROM line_shifts").fetchone() == (0,)
    conn.close()


edits = st.lists(
    st.tuples(
        st.sampled_from(["add", "remove", "change", "longer", "move"]),
        st.integers(0, 1_000),
        st.integers(0, 1_000),
    ),
    min_size=1,
    max_size=6,
)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits)
def test_random_edits_give_the_lines_and_order_of_a_whole_sync(
    steps: list[tuple[str, int, int]],
) -> None:
    entries = [f"Q: Random question {n}?\nA: Answer {n}\n" for n in range(40)]
    entries[5:8] = [f"C: The [{n}th] river flows through [town {n}].\n" for n in range(3)]
    made = 0
    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        twins = Twins(Path(folder), patch, deck_text(entries))
        for what, at, to in steps:
            at %= len(entries)
            if what == "add":
                made += 1
                entries.insert(at, f"Q: Added {made}?\nA: Yes\n" + "Note: more\n" * (to % 3))
            elif what == "remove" and len(entries) > 1:
                del entries[at]
            elif what == "change":
                entries[at] = entries[at].replace("\n", " (changed)\n", 1)
            elif what == "longer":
                entries[at] += "\n" * (1 + to % 3)
            elif what == "move":
                entries.insert(to % len(entries), entries.pop(at))
            twins.write(deck_text(entries))
            twins.assert_alike()


def stored_layout(path: Path) -> tuple:
    """The deck's stored entries as a re-sync reads them, its cards named by their keys."""
    from trainer.store.deck_entries import load_entries

    conn = sqlite3.connect(path)
    try:
        deck_id, content_hash = conn.execute(
            "SELECT id, content_hash FROM decks WHERE path LIKE '%mixed.md'"
        ).fetchone()
        stored = load_entries(conn, deck_id, content_hash)
        assert stored is not None
        keys = dict(conn.execute("SELECT id, key FROM cards WHERE deck_id = ?", [deck_id]))
        cards = stored.cards_before
        counted = [cards[entry] for entry in range(len(stored.layout) + 1)]
    finally:
        conn.close()
    return stored.layout, [keys[card_id] for card_id in stored.card_ids], counted


def remembered_alike(store: Store) -> None:
    """What the open store remembers of the deck's stored entries (if anything) is what is
    stored: the layout, the cards' ids, the rows' seqs and the cards before every entry."""
    from trainer.store.deck_entries import load_entries

    deck_id, content_hash = store.conn.execute(
        "SELECT id, content_hash FROM decks WHERE path LIKE '%mixed.md'"
    ).fetchone()
    remembered = store._entries.entries(store.conn, deck_id, content_hash)
    if remembered is None:
        return
    conn = sqlite3.connect(store.path)  # not the store's: its reads are watched
    loaded = load_entries(conn, deck_id, content_hash)
    conn.close()
    assert loaded is not None
    assert remembered.layout == loaded.layout
    assert (remembered.card_ids, remembered.seqs) == (loaded.card_ids, loaded.seqs)
    entries = range(len(loaded.layout) + 1)
    counted = [remembered.cards_before[entry] for entry in entries]
    assert counted == [loaded.cards_before[entry] for entry in entries]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.sampled_from(["front", "bom", "none", "crlf"]),
    st.integers(30, 400),
    st.lists(
        st.lists(
            st.tuples(
                st.sampled_from(["add", "remove", "change", "first", "last", "head"]),
                st.integers(0, 1_000),
            ),
            min_size=1,
            max_size=3,
        ),
        min_size=1,
        max_size=4,
    ),
    st.booleans(),
)
def test_random_edits_store_the_entries_a_whole_sync_stores(
    head: str, count: int, writes: list[list[tuple[str, int]]], keep_open: bool
) -> None:
    # Decks long enough for several stored rows, with or without front matter or text before
    # the first card, a byte order mark, Windows line ends; edits anywhere, the first and
    # last entries too: what the re-sync stores (each entry's bytes, lines, cards and ids,
    # the chunks' hashes, the cards before each entry) is what a whole sync stores. A store
    # kept open re-syncs from the entries it remembers writing: they are the stored ones.
    entries = [f"Q: Row question {n}?\nA: Answer {n}\n" for n in range(count)]
    front = {"front": "+++\nname = 'Mixed'\n+++\n\nText before.\n\n", "bom": "\ufeff"}
    made = 0

    def text() -> str:
        written = front.get(head, "") + "\n".join(entries)
        return written.replace("\n", "\r\n") if head == "crlf" else written

    with tempfile.TemporaryDirectory() as folder, pytest.MonkeyPatch.context() as patch:
        twins = Twins(Path(folder), patch, text(), keep_open)
        for steps in writes:  # a few edits to each write of the file
            for what, at in steps:
                at %= len(entries)
                if what == "add":
                    made += 1
                    entries.insert(at, f"Q: Added {made}?\nA: Yes\n")
                elif what == "remove" and len(entries) > 1:
                    del entries[at]
                elif what in ("change", "first", "last"):
                    at = {"first": 0, "last": len(entries) - 1}.get(what, at)
                    entries[at] = entries[at].replace("\n", " (changed)\n", 1)
                elif what == "head" and head == "front":
                    front["front"] = front["front"].replace("before", "before, changed")
            twins.write(text())
            twins.assert_alike()
            assert stored_layout(twins.paths["entries"]) == stored_layout(twins.paths["whole"])
            if keep_open:
                remembered_alike(twins.open["entries"])
        for store in twins.open.values():
            store.close()


def test_a_store_kept_open_reads_the_entries_it_wrote_from_memory(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many, twins = long_deck(tmp_path, monkeypatch, 300)
    twins.keep_open = True
    read_rows: list[str] = []
    for turn in range(4):
        many[7 * turn] = many[7 * turn].replace("\n", " (edited)\n", 1)
        twins.write(deck_text(many))
        twins.assert_alike()
        store = twins.open["entries"]
        remembered_alike(store)
        if turn == 0:  # the first re-sync of the open store reads them from the database
            store.conn.set_trace_callback(read_rows.append)
    assert twins.whole_syncs == 0
    assert not [sql for sql in read_rows if "FROM deck_entry_chunks" in sql and "digests" in sql]
    # Another connection's commit: the stored entries are read again, not the remembered ones.
    conn = sqlite3.connect(twins.paths["entries"])
    conn.execute("UPDATE deck_entry_chunks SET seq = seq")
    conn.commit()
    conn.close()
    many[1] = many[1].replace("\n", " (again)\n", 1)
    twins.write(deck_text(many))
    twins.assert_alike()
    assert [sql for sql in read_rows if "FROM deck_entry_chunks" in sql and "digests" in sql]
    twins.open["entries"].close()


def test_entries_stored_in_one_row_per_deck_are_kept_by_the_upgrade(tmp_path: Path) -> None:
    from sqlite_utils import Database

    from trainer.core.deck_blocks import layout_of
    from trainer.core.library import read_deck_file
    from trainer.store.deck_entries import load_entries
    from trainer.store.migrations import migrations

    deck = tmp_path / "long.md"
    deck.write_text(deck_text([f"Q: Kept question {n}?\nA: Kept {n}\n" for n in range(150)]))
    deck_file = read_deck_file(deck)
    layout = layout_of(deck_file.raw, deck_file.parse_entries()[1])
    assert layout is not None
    card_ids = list(range(1000, 1000 + sum(layout.counts)))
    old = Database(tmp_path / "old.db")
    migrations.apply(old, stop_before="m019_line_shifts")
    old.execute("INSERT INTO decks (id, path, name, content_hash) VALUES (1, 'long.md', 'L', 'h')")
    # As the entries were stored before: each column of the deck in one row.
    head = (
        layout.head_digest
        + layout.front_digest
        + struct.pack("<3I", layout.head_size, layout.head_lines, layout.front_size)
    )
    old.execute(
        "INSERT INTO deck_entries VALUES (1, 'h', ?, ?, ?, ?, ?, ?, ?, ?)",
        [head, layout.digests, *(struct.pack(f"<{len(layout)}I", *column) for column in
         (layout.sizes, layout.lines, layout.counts)), layout.bases, layout.chunks,
         struct.pack(f"<{len(card_ids)}q", *card_ids)],
    )  # fmt: skip
    old.conn.commit()
    old.close()
    store = Store.open(tmp_path / "old.db")
    stored = load_entries(store.conn, 1, "h")
    chunks = store.conn.execute("SELECT count(*) FROM deck_entry_chunks").fetchone()[0]
    store.close()
    assert stored is not None and chunks == len(stored.seqs) > 1
    assert stored.layout == layout and list(stored.card_ids) == card_ids


def test_a_few_edited_answers_count_as_their_pages_toward_a_checkpoint(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from trainer.store.checkpoint import SAFETY_PAGES

    deck = tmp_path / "long.md"
    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(300)]
    deck.write_text("\n".join(many))
    store = Store.open(tmp_path / "progress.db")
    pages: list[int] = []
    original = Store._wrote

    def counted(self: Store, count: int) -> None:
        pages.append(count)
        original(self, count)

    monkeypatch.setattr(Store, "_wrote", counted)
    store.sync([deck], [tmp_path])
    # Eight answers and the text index's rows for them: a few dozen pages, not a large sync
    # that has the log copied at once.
    deck.write_text("\n".join(entry.replace("answer", "reply", 1 if n < 8 else 0)
                              for n, entry in enumerate(many)))  # fmt: skip
    store.sync([deck], [tmp_path])
    store.close()
    assert pages[0] == SAFETY_PAGES
    assert 16 < pages[1] < 200


def test_edited_answers_reach_the_text_index_in_one_segment(tmp_path: Path) -> None:
    deck = tmp_path / "long.md"
    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(300)]
    deck.write_text("\n".join(many))
    store = Store.open(tmp_path / "progress.db")
    store.sync([deck], [tmp_path])
    written: list[str] = []
    store.conn.set_trace_callback(written.append)
    deck.write_text("\n".join(entry.replace("answer", "zebra", 1 if n % 30 == 0 else 0)
                              for n, entry in enumerate(many)))  # fmt: skip
    store.sync([deck], [tmp_path])
    in_sync = [sql for sql in written if "INSERT INTO 'main'.'cards_text_idx'" in sql]
    written.clear()
    found = find_card_ids(store, "zebra", datetime.now(UTC))
    store.conn.set_trace_callback(None)
    # Ten answers edited: the sync writes no segment of the index, and the search that reads it
    # next takes all ten in one (each statement that writes it flushes what it holds), not ten.
    segments = [sql for sql in written if "INSERT INTO 'main'.'cards_text_idx'" in sql]
    store.close()
    assert len(found) == 10
    assert in_sync == []
    assert len(segments) == 1, written
