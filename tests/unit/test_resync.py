"""Re-syncing an edited deck by its changed entries gives the database a whole sync would."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from trainer.core import deck_blocks, library
from trainer.core.deckfile import DeckError
from trainer.core.grading import Rating
from trainer.store import sync as sync_module
from trainer.store.card_codes import TAGS
from trainer.store.card_places import SHOWN_LINE
from trainer.store.entry_packing import unpacked_rows
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
        read["deck_entry_chunks"] = [
            (deck_id, digests, chunks, unpacked_rows([(len(digests) // 8, numbers, keys)]))
            for deck_id, digests, chunks, numbers, keys in conn.execute(
                "SELECT deck_id, digests, chunks, numbers, keys FROM deck_entry_chunks "
                "ORDER BY deck_id, seq"
            )
        ]
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
            f"SELECT key, {SHOWN_LINE}, kind, prompt, answer, detail, {TAGS}, entry_key "
            "FROM cards c WHERE retired = 0 ORDER BY deck_id, position"
        ).fetchall()
    finally:
        conn.close()


class Twins:
    """One deck file synced into two stores: one re-syncing by entries, one always whole."""

    def __init__(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str, keep_open: bool = False
    ) -> None:
        self.monkeypatch = monkeypatch
        self.open: dict[str, Store] = {}
        """With `keep_open`, the re-syncing store, open from one sync to the next (as the app's)."""
        self.keep_open = keep_open
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
            self.close(store)

    def stores(self):
        for name, path in self.paths.items():
            yield self.sync(name, path)

    def sync(self, name: str, path: Path) -> Store:
        store = self.open.get(name) or Store.open(path)
        if self.keep_open and name == "entries":
            self.open[name] = store
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
            self.close(store)

    def close(self, store: Store) -> None:
        if store not in self.open.values():
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


def edited(index: int, new: str, entries: list[str] = ENTRIES) -> list[str]:
    changed = list(entries)
    changed[index] = new
    return changed


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


def test_an_edit_of_a_long_deck_keeps_every_other_entry(tmp_path: Path, monkeypatch) -> None:
    from trainer.core.library import read_deck_file

    many = [f"Q: Long question {n}?\nA: Long answer {n}\n" for n in range(600)]
    path = tmp_path / "long.md"
    path.write_text(deck_text(many), encoding="utf-8")
    deck_file = read_deck_file(path)
    layout = deck_blocks.layout_of(deck_file.raw, deck_file.parse_entries()[1])
    assert layout is not None
    ends = deck_blocks.chunk_ends(layout.digests)
    assert len(ends) > 30
    at_chunk = ends[len(ends) // 2]  # the first entry of a chunk in the middle
    edits = {
        "first": edited(0, "Q: Long question 0?\nA: Changed\n", many),
        "middle": edited(300, "Q: Long question 300?\nA: Changed\n", many),
        "last": edited(599, "Q: Long question 599?\nA: Changed\n", many),
        "last-gone": many[:-1],
        "inserted-first": ["Q: New?\nA: New\n", *many],
        "unchanged": many,
    }
    texts = {name: deck_text(entries) for name, entries in edits.items()}
    # The newline before a chunk's first card line goes: the bytes of that chunk and all after
    # it are as stored, but its card line begins no line, so it is no entry now.
    card_line = f"\nQ: Long question {at_chunk}?"
    texts["joined"] = texts["unchanged"].replace(card_line, " " + card_line[1:])
    # Per edit: the stored entries kept (in runs) and how many entries are parsed anew.
    expected = {
        "first": ([(1, 600)], 1),
        "middle": ([(0, 300), (301, 600)], 1),
        "last": ([(0, 599)], 1),
        "last-gone": ([(0, 598)], 1),  # the new last entry lost the newline between them
        "inserted-first": ([(0, 600)], 1),
        "unchanged": ([(0, 600)], 0),
        "joined": ([(0, at_chunk - 1), (at_chunk + 1, 600)], 1),
    }
    for name, text in texts.items():
        comparison = deck_blocks.compare(text.encode(), layout)
        assert comparison is not None, name
        kept = [(p.first, p.end) for p in comparison.pieces if isinstance(p, deck_blocks.Kept)]
        fresh = [p for p in comparison.pieces if isinstance(p, deck_blocks.Fresh)]
        assert (kept, len(fresh)) == expected[name], name
    # The chunks an edit leaves are hashed whole, one hash each, and those one after another
    # kept at once: about a hash a chunk and one an entry of the edited chunk, not one an entry.
    hashed: list[int] = []
    whole = deck_blocks.digest
    monkeypatch.setattr(deck_blocks, "digest", lambda data: hashed.append(len(data)) or whole(data))
    deck_blocks.compare(texts["middle"].encode(), layout)
    assert len(hashed) <= len(ends) + 2 * deck_blocks.chunk_size(len(layout))


def test_the_chunks_an_edit_leaves_keep_their_hashes(tmp_path: Path, monkeypatch) -> None:
    """A re-sync hashes again only the chunks its changed entries are in: the others are the
    stored layout's, found by `kept_chunks`, and the hashes are those of the whole file's."""
    from trainer.core.library import read_deck_file
    from trainer.store.deck_entries import kept_chunks

    many = [f"Q: Kept question {n}?\nA: Kept answer {n}\n" for n in range(600)]
    texts = {
        "edited": edited(300, "Q: Kept question 300?\nA: Changed\n", many),
        "inserted": [*many[:300], "Q: New one?\nA: New\n", *many[300:]],
        "removed": many[:300] + many[301:],
        "first": ["Q: New first?\nA: New\n", *many[1:]],
    }
    runs = {
        "edited": [(0, 300, 0), (301, 600, 0)],
        "inserted": [(0, 300, 0), (300, 600, 1)],
        "removed": [(0, 300, 0), (301, 600, -1)],
        "first": [(1, 600, 0)],
    }

    def layout(name: str, entries: list[str]) -> tuple[bytes, deck_blocks.Layout]:
        path = tmp_path / f"{name}.md"
        path.write_text(deck_text(entries), encoding="utf-8")
        deck_file = read_deck_file(path)
        made = deck_blocks.layout_of(deck_file.raw, deck_file.parse_entries()[1])
        assert made is not None
        return deck_file.raw, made

    _, old = layout("old", many)
    chunks = len(deck_blocks.chunk_ends(old.digests))
    hashed: list[int] = []
    whole = deck_blocks.digest
    for name, entries in texts.items():
        raw, new = layout(name, entries)
        kept = kept_chunks(old, new, runs[name])
        assert sum(end - first for first, end in kept.values()) >= chunks - 3, name
        hashed.clear()
        monkeypatch.setattr(deck_blocks, "digest", lambda data: hashed.append(1) or whole(data))
        assert deck_blocks.chunk_digests(raw, new, (old, kept)) == new.chunks, name
        monkeypatch.undo()
        assert len(hashed) <= 3, name
