"""Re-syncing an edited deck by its changed entries gives the database a whole sync would."""

from __future__ import annotations

import sqlite3
import struct
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core import deck_blocks, library
from trainer.core.deckfile import DeckError
from trainer.core.grading import Rating
from trainer.store import sync as sync_module
from trainer.store.card_places import SHOWN_LINE
from trainer.store.store import Store

NOW = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)

FRONT = """+++
name = "Mixed"
tags = ["mixed"]
+++

Text before the cards is ignored.

"""

ENTRIES = [
    "Q: What is the capital of France?\nA: Paris\n",
    "Q: Reverse me?\nA: Reversed\nReverse: yes\n",
    "C: The [Seine] flows through [Paris].\nSource: doc.txt:3-4\n",
    "C: The [Loire] flows through Tours.\n",
    "C: The [Rhone] flows through Tours.\n",
    "Q: Pick one\n- [x] right\n- [ ] wrong\n",
    "Q: Type it\nT: typed\nT: also\nTags: extra\n",
    "True: The sky is blue.\nNote: mostly\n",
    "Q: With an id\nA: yes\nId: my-card\n",
    "Q: Two paragraphs?\nA: First.\n\nSecond.\n",
    "# A heading\n\nFalse: Fish fly.\n",
] + [f"Q: Question number {n}?\nA: Answer {n}\n" for n in range(12)]


def deck_text(entries: list[str], front: str = FRONT) -> str:
    return front + "\n".join(entries)


def state(path: Path) -> dict[str, list[tuple]]:
    """What a learner's progress is made of, read through a connection of its own.

    A card's place is its rank in its deck and its line the line it is shown on (how they are
    stored may differ: `store.card_places`); a retired card has neither.
    """
    conn = sqlite3.connect(path)
    try:
        read = {
            table: conn.execute(f"SELECT * FROM {table} ORDER BY 1").fetchall()
            for table in ("decks", "reviews", "deck_entries")
        }
        # Chunks in their order, wherever they stand in it.
        read["deck_entry_chunks"] = conn.execute(
            "SELECT deck_id, digests, sizes, lines, counts, bases, chunks, card_ids "
            "FROM deck_entry_chunks ORDER BY deck_id, seq"
        ).fetchall()
        cursor = conn.execute("SELECT * FROM cards ORDER BY 1")
        names = [column[0] for column in cursor.description]
        at, line_at = names.index("position"), names.index("line")
        places = {
            card_id: (rank, line)
            for card_id, line, rank in conn.execute(
                f"SELECT c.id, {SHOWN_LINE}, row_number() OVER "
                "(PARTITION BY c.deck_id ORDER BY c.position) FROM cards c WHERE c.retired = 0"
            )
        }
        cards = []
        for row in cursor.fetchall():
            values = list(row)
            values[at], values[line_at] = places.get(row[0], (None, None))
            cards.append(tuple(values))
        return {"cards": cards, **read}
    finally:
        conn.close()


def cards_of(path: Path) -> list[tuple]:
    conn = sqlite3.connect(path)
    try:
        return conn.execute(
            f"SELECT key, {SHOWN_LINE}, kind, prompt, answer, detail, tags, entry_key "
            "FROM cards c WHERE retired = 0 ORDER BY deck_id, position"
        ).fetchall()
    finally:
        conn.close()


class Twins:
    """One deck file synced into two stores: one re-syncing by entries, one always whole."""

    def __init__(self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str) -> None:
        self.monkeypatch = monkeypatch
        # No file gets a stamp (each sync reads it), so that neither store records one that the
        # other, syncing a moment later, found too recent to record.
        monkeypatch.setattr(library, "RACY_SECONDS", 10**9)
        self.folder = tmp_path / "decks"
        self.folder.mkdir()
        self.deck = self.folder / "mixed.md"
        self.other = self.folder / "other.md"
        self.other.write_text("Q: What is the capital of Spain?\nA: Madrid\n", encoding="utf-8")
        self.paths = {"entries": tmp_path / "entries.db", "whole": tmp_path / "whole.db"}
        self.whole_syncs = 0
        self.write(text)
        self.clock = NOW
        for store in self.stores():
            first = store.conn.execute("SELECT id FROM cards ORDER BY id LIMIT 2").fetchall()
            for (card_id,) in first:
                store.record_review(card_id, Rating.GOOD, NOW)
            store.close()

    def stores(self):
        for name, path in self.paths.items():
            yield self.sync(name, path)

    def sync(self, name: str, path: Path) -> Store:
        store = Store.open(path)
        with self.monkeypatch.context() as patch:
            if name == "whole":
                patch.setattr(sync_module, "plan_resync", lambda *args: None)
            else:
                original = sync_module._sync_whole

                def counted(*args, **kwargs):
                    self.whole_syncs += 1
                    return original(*args, **kwargs)

                patch.setattr(sync_module, "_sync_whole", counted)
            store.sync([self.deck, self.other], [self.folder], NOW + timedelta(days=1))
        return store

    def write(self, text: str) -> None:
        self.deck.write_text(text, encoding="utf-8")
        for store in self.stores():
            store.close()

    def assert_alike(self, from_nothing: bool = True) -> None:
        assert state(self.paths["entries"]) == state(self.paths["whole"])
        if not from_nothing:
            return  # which deck keeps a shared question's bare key depends on the history
        fresh = self.paths["whole"].with_name("fresh.db")
        fresh.unlink(missing_ok=True)
        Store.open(fresh).close()
        self.sync("whole", fresh).close()
        # Keys, order and lines are what a sync from nothing gives (only history differs).
        assert cards_of(self.paths["entries"]) == cards_of(fresh)


@pytest.fixture
def twins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Twins:
    return Twins(tmp_path, monkeypatch, deck_text(ENTRIES))


def edited(index: int, new: str) -> list[str]:
    entries = list(ENTRIES)
    entries[index] = new
    return entries


@pytest.mark.parametrize(
    "entries",
    [
        edited(0, "Q: What is the capital of France?\nA: Paris, on the Seine\n"),
        edited(12, "Q: Question number 1?\nA: Answer 1\nNote: a note\n\n\n\n"),
        ENTRIES[:13] + ["Q: Inserted in the middle?\nA: yes\nReverse: yes\n"] + ENTRIES[13:],
        ENTRIES[:5] + ENTRIES[6:],
        ENTRIES[:3] + ENTRIES[15:18] + ENTRIES[3:15] + ENTRIES[18:],
        ENTRIES[:1] + ENTRIES[2:] + ENTRIES[1:2],
        edited(4, "C: The [Rhone] flows through Lyon.\n"),
        edited(2, "C: The [Seine] flows through [Paris] and [Rouen].\n"),
        edited(8, "Q: With an id, reworded\nA: yes\nId: my-card\n"),
        edited(13, "Q: Question number 0?\nA: Answer 0\n"),
        edited(22, "Q: Question number 11?\nA: Answer 11\nextra text without newline"),
        ENTRIES + ["Q: What is the capital of Spain?\nA: Madrid\n"],
    ],
    ids=[
        "answer",
        "blank-lines",
        "insert",
        "remove",
        "move",
        "move-to-end",
        "cloze-no-longer-shared",
        "cloze-deletion-added",
        "id-kept",
        "repeat-of-a-kept-card",
        "end-of-file",
        "question-of-another-deck",
    ],
)
def test_an_edit_gives_what_a_whole_sync_gives(twins: Twins, entries: list[str]) -> None:
    shared = "Spain" in entries[-1]
    twins.write(deck_text(entries))
    twins.assert_alike(from_nothing=not shared)
    twins.write(deck_text(ENTRIES))  # and back again
    twins.assert_alike(from_nothing=not shared)


def test_edits_in_turn_are_read_by_entries(twins: Twins) -> None:
    texts = [
        edited(0, "Q: What is the capital of France?\nA: Paris!\n"),
        ENTRIES[:13] + ["Q: New one?\nA: New\n"] + ENTRIES[13:],
        ENTRIES[:13] + ["Q: New one?\nA: New\n"] + ENTRIES[14:],
        ENTRIES[:9] + ENTRIES[10:],
    ]
    twins.whole_syncs = 0
    for entries in texts:
        twins.write(deck_text(entries))
        twins.assert_alike()
    assert twins.whole_syncs == 0


def test_text_before_the_first_card_may_change(twins: Twins) -> None:
    twins.whole_syncs = 0
    twins.write(deck_text(ENTRIES, FRONT + "More text.\n\n\n"))
    twins.assert_alike()
    assert twins.whole_syncs == 0


def test_changed_front_matter_syncs_the_deck_whole(twins: Twins) -> None:
    twins.whole_syncs = 0
    twins.write(deck_text(ENTRIES, FRONT.replace('tags = ["mixed"]', 'tags = ["other"]')))
    twins.assert_alike()
    assert twins.whole_syncs == 1


def test_a_malformed_edit_changes_nothing(twins: Twins) -> None:
    before = state(twins.paths["entries"])
    entries = edited(12, "Q: Question number 1?\n")
    entries[18] += "---\nA: outside any card\n"
    text = deck_text(entries)
    twins.deck.write_text(text, encoding="utf-8")
    store = Store.open(twins.paths["entries"])
    with pytest.raises(DeckError) as raised:
        store.sync([twins.deck, twins.other], [twins.folder], NOW)
    store.close()
    lines = text.split("\n")
    assert [(problem.line, problem.message) for problem in raised.value.problems] == [
        (lines.index("Q: Question number 1?") + 1,
         "question has no answer (add A:, T: or a - [x] choice list)"),
        (lines.index("A: outside any card") + 1,
         "A: is not inside a card (start one with Q:, C:, True: or False:)"),
    ]  # fmt: skip
    assert state(twins.paths["entries"]) == before


def test_history_stays_with_an_entry_that_moved(twins: Twins) -> None:
    conn = sqlite3.connect(twins.paths["entries"])
    reviewed = conn.execute("SELECT DISTINCT card_id FROM reviews").fetchall()
    conn.close()
    twins.write(deck_text(ENTRIES[2:] + ENTRIES[:2]))
    twins.assert_alike()
    conn = sqlite3.connect(twins.paths["entries"])
    kept = conn.execute(
        "SELECT count(*) FROM cards WHERE retired = 0 AND id IN (SELECT card_id FROM reviews)"
    ).fetchone()[0]
    conn.close()
    assert kept == len(reviewed)


def test_card_lines_match_what_str_patterns_call_space() -> None:
    import re

    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:
            continue
        char = chr(code)
        line = f"Q:{char}x".encode()
        assert (deck_blocks.CARD_LINE.match(line) is not None) == (
            re.match(r"Q:(?:\s|$)", f"Q:{char}x") is not None
        ), hex(code)


def test_a_long_deck_is_read_by_entries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    many = [f"Q: Long question {n}?\nA: Long answer {n}\nTags: t{n % 7}\n" for n in range(400)]
    many[100:110] = [f"C: The [{n}th] river flows through town {n}.\n" for n in range(10)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    twins.whole_syncs = 0
    edits = [
        many[:5] + many[6:200] + ["Q: Put in?\nA: Yes\n"] + many[200:399],  # shifts, then not
        many[:50] + many[300:350] + many[50:300] + many[350:],  # a run moved up
        [entry.replace("answer 7\n", "answer seven\n") for entry in many],
        many,
    ]
    for entries in edits:
        twins.write(deck_text(entries))
        twins.assert_alike()
    assert twins.whole_syncs == 0


@pytest.mark.parametrize(
    "front, newline",
    [("", "\n"), ("\ufeff", "\n"), (FRONT, "\r\n"), ('---\nname = "Dashes"\n---\n', "\n")],
    ids=["no-front-matter", "byte-order-mark", "crlf", "dashes-front-matter"],
)
def test_files_of_every_shape_are_read_by_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, front: str, newline: str
) -> None:
    def shaped(entries: list[str]) -> str:
        return deck_text(entries, front).replace("\n", newline)

    twins = Twins(tmp_path, monkeypatch, shaped(ENTRIES))
    twins.whole_syncs = 0
    for entries in (
        edited(0, "Q: What is the capital of France?\nA: Paris, still\n"),
        ENTRIES[:1] + ["Q: Second now?\nA: Yes\n"] + ENTRIES[1:],
        ENTRIES[1:],
    ):
        twins.write(shaped(entries))
        twins.assert_alike()
    assert twins.whole_syncs == 0


def test_a_plan_made_before_another_sync_writes_nothing(twins: Twins) -> None:
    from trainer.core.library import read_deck_file
    from trainer.store.resync import apply_resync, plan_resync

    store = Store.open(twins.paths["entries"])
    deck_id, digest = store.conn.execute(
        "SELECT id, content_hash FROM decks WHERE path = ?", [str(twins.deck)]
    ).fetchone()
    twins.deck.write_text(deck_text(edited(0, "Q: What is the capital of France?\nA: P.\n")))
    plan = plan_resync(store.conn, read_deck_file(twins.deck), deck_id, digest)
    assert plan is not None
    # Meanwhile another edit is synced (by another process, say).
    twins.deck.write_text(deck_text(edited(1, "Q: Reverse me?\nA: Turned\nReverse: yes\n")))
    store.sync([twins.deck, twins.other], [twins.folder], NOW)
    before = state(twins.paths["entries"])
    with store.db.atomic():
        assert apply_resync(store.db, plan, set(), NOW) is None
    store.close()
    assert state(twins.paths["entries"]) == before


def test_a_deck_growing_into_longer_chunks_is_read_by_entries(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # 127 entries are cut into chunks of about 4, 129 into chunks of about 8.
    many = [f"Q: Growing question {n}?\nA: Growing answer {n}\n" for n in range(129)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many[:127]))
    twins.whole_syncs = 0
    for entries in (many, many[:60] + many[61:], many[:127], many):
        twins.write(deck_text(entries))
        twins.assert_alike()
    assert twins.whole_syncs == 0


def chunk_rows(path: Path) -> set[tuple]:
    conn = sqlite3.connect(path)
    try:
        return set(conn.execute("SELECT * FROM deck_entry_chunks"))
    finally:
        conn.close()


def test_an_edit_in_a_long_deck_rewrites_the_stored_entries_around_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(2000)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    twins.whole_syncs = 0
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
    conn = sqlite3.connect(path)
    try:
        return {row[0]: row[1:] for row in conn.execute("SELECT id, position, line FROM cards")}
    finally:
        conn.close()


def test_adding_and_removing_cards_rewrites_only_those_cards(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(300)]
    twins = Twins(tmp_path, monkeypatch, deck_text(many))
    twins.whole_syncs = 0
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
    migrations.apply(old, stop_before="m018_line_shifts")
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
