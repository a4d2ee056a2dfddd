"""The card browser: search, the table and detail pane, and the keys that change a card."""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path

import pytest
from rich.text import Text
from textual.widgets import DataTable, Input, Static
from textual.widgets._data_table import default_cell_formatter

from trainer.core.grading import Rating
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.browse import BrowseScreen
from trainer.tui.screens.confirm import ConfirmScreen
from trainer.tui.screens.study import StudyScreen

from .conftest import (
    NORAD_CARDS,
    SIZE,
    TYPED_1958,
    FixedClock,
    MakeTrainer,
    card_id_of,
    card_on_disk,
    press,
    reviews_on_disk,
    screen_text,
    settle,
    text_of,
    wait_until,
)

CAPITALS = "What is the capital of Canada?"


def table(app: TrainerApp) -> DataTable:
    return app.screen.query_one("#browse-cards", DataTable)


def questions(app: TrainerApp) -> list[str]:
    grid = table(app)
    return [str(grid.get_row_at(index)[2]) for index in range(grid.row_count)]


async def search(pilot, text: str) -> None:
    box = pilot.app.screen.query_one("#browse-query", Input)
    box.value = text
    await settle(pilot)


async def test_b_opens_the_browser_and_a_search_narrows_it(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        assert isinstance(app.screen, BrowseScreen)
        assert table(app).row_count == NORAD_CARDS + 4
        assert text_of(app.screen.query_one("#browse-count", Static)) == "15 cards"
        await pilot.click("#browse-query")
        await press(pilot, *"capital canada")
        assert questions(app) == [CAPITALS]
        assert "Ottawa" in text_of(app.screen.query_one("#browse-detail", Static))
        await search(pilot, "deck:norad kind:typed")
        assert len(questions(app)) == 2


async def test_deck_text_is_shown_literally(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, "markup")
        assert questions(app) == ["What does the markup [bold] do in a…"]  # cut to the column
        # What the table draws for the cell (a plain string would lose its "[bold]").
        drawn = default_cell_formatter(table(app).get_row_at(0)[2])
        assert isinstance(drawn, Text) and "markup [bold] do" in drawn.plain


async def test_a_malformed_query_says_where_and_keeps_the_table(app: TrainerApp) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, "deck:capitals")
        await search(pilot, "deck:capitals (canada")
        assert text_of(app.screen.query_one("#browse-count", Static)) == (
            "query:15: unclosed parenthesis"
        )
        assert len(questions(app)) == 4


async def test_the_detail_pane_shows_source_and_history(
    app: TrainerApp, synced_store: Store, db_path: Path, clock: FixedClock
) -> None:
    card = card_id_of(db_path, TYPED_1958)
    synced_store.record_review(card, Rating.GOOD, clock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, '"formed" kind:typed')
        detail = text_of(app.screen.query_one("#browse-detail", Static))
        assert "norad.txt:3" in detail
        assert "NORAD was formed on 12 May 1958" in detail  # the passage itself
        assert "History" in detail and "Good" in detail and "ivl" in detail


async def test_keys_suspend_bury_flag_and_reset_the_card(
    app: TrainerApp, synced_store: Store, db_path: Path, clock: FixedClock
) -> None:
    card = card_id_of(db_path, CAPITALS)
    synced_store.record_review(card, Rating.GOOD, clock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, "canada")
        table(app).focus()
        await press(pilot, "s")
        assert card_on_disk(db_path, card)["suspended"] == 1
        assert "suspended" in str(table(app).get_row_at(0)[7])
        await press(pilot, "s")
        assert card_on_disk(db_path, card)["suspended"] == 0
        await press(pilot, "b")
        assert card_on_disk(db_path, card)["suspended"] == 2
        await press(pilot, "f", "f")
        assert card_on_disk(db_path, card)["flag"] == 2
        assert "orange flag" in str(table(app).get_row_at(0)[7])
        reviews = len(reviews_on_disk(db_path))
        await press(pilot, "r")
        assert isinstance(app.screen, ConfirmScreen)
        await press(pilot, "n")
        assert card_on_disk(db_path, card)["state"] != 0
        await press(pilot, "r")
        await press(pilot, "y")
        await settle(pilot)
        assert card_on_disk(db_path, card)["state"] == 0
        assert len(reviews_on_disk(db_path)) == reviews  # history kept
        await search(pilot, "is:buried")
        assert questions(app) == [CAPITALS]


STUB_EDITOR = """\
import sys
line, path = int(sys.argv[1].lstrip("+")), sys.argv[2]
with open(path, encoding="utf-8") as handle:
    lines = handle.read().splitlines()
# The card starts at LINE; its answer is on the next line.
assert lines[line - 1].startswith("Q: "), lines[line - 1]
lines[line] = "A: Ottawa, Ontario"
with open(path, "w", encoding="utf-8") as handle:
    handle.write("\\n".join(lines) + "\\n")
"""


@pytest.fixture
def stub_editor(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    script = tmp_path / "editor.py"
    script.write_text(STUB_EDITOR, encoding="utf-8")
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.setenv("EDITOR", f"{sys.executable} {script}")
    return script


async def test_e_edits_the_card_in_the_editor_and_keeps_its_progress(
    app: TrainerApp, stub_editor: Path, synced_store: Store, db_path: Path, deck_folder: Path,
    clock: FixedClock,
) -> None:  # fmt: skip
    card = card_id_of(db_path, CAPITALS)
    synced_store.record_review(card, Rating.GOOD, clock())
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, "canada")
        table(app).focus()
        await press(pilot, "e")
        await settle(pilot)
        await wait_until(pilot, lambda: "Ontario" in text_of(
            app.screen.query_one("#browse-detail", Static)), "the edited answer")  # fmt: skip
    assert "A: Ottawa, Ontario" in (deck_folder / "capitals.md").read_text()
    assert card_on_disk(db_path, card)["answer"] == "Ottawa, Ontario"
    assert card_on_disk(db_path, card)["reps"] == 1  # the same card, progress kept


async def test_e_without_an_editor_says_how_to_set_one(
    app: TrainerApp, monkeypatch: pytest.MonkeyPatch, deck_folder: Path
) -> None:
    monkeypatch.delenv("VISUAL", raising=False)
    monkeypatch.delenv("EDITOR", raising=False)
    before = (deck_folder / "capitals.md").read_text()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        table(app).focus()
        await press(pilot, "e")
        assert any("No editor set" in str(n.message) for n in app._notifications)
    assert (deck_folder / "capitals.md").read_text() == before


async def test_e_during_study_edits_the_card_on_screen(
    make_trainer: MakeTrainer, stub_editor: Path, deck_folder: Path
) -> None:
    app = make_trainer()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table_ = app.screen.query_one("#decks", DataTable)
        table_.move_cursor(row=table_.get_row_index(next(
            key for key in table_.rows if str(table_.get_row(key)[0]) == "Capitals")))  # fmt: skip
        await press(pilot, "s")
        assert isinstance(app.screen, StudyScreen)
        await press(pilot, "e")
        await settle(pilot)
        await press(pilot, "space")
        assert "Ottawa, Ontario" in screen_text(app)


async def test_browsing_pages_in_more_rows_as_the_cursor_moves_down(
    make_trainer: MakeTrainer, write_deck, tmp_path: Path, clock: FixedClock, db_path: Path
) -> None:
    from trainer.core.library import find_deck_files

    many = "\n".join(f"Q: Many question {n}?\nA: {n}\n" for n in range(250))
    folder = tmp_path / "decks"
    (folder / "many.md").write_text(textwrap.dedent(many), encoding="utf-8")
    store = Store.open(db_path)
    store.sync(find_deck_files([folder]), roots=[folder], now=clock())
    app = make_trainer(store=store)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "b")
        await search(pilot, "many")
        assert table(app).row_count == 100
        assert text_of(app.screen.query_one("#browse-count", Static)) == "250 cards"
        table(app).focus()
        table(app).move_cursor(row=95)
        await settle(pilot)
        assert table(app).row_count == 200
