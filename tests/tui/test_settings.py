"""Settings kept in config.toml across restarts, custom study, leeches and the review limit."""

from __future__ import annotations

import tomllib
from datetime import timedelta
from pathlib import Path

from textual.widgets import Input, Select, Static, Switch

from trainer.core.grading import Rating
from trainer.store.store import Store
from trainer.tui.app import TrainerApp
from trainer.tui.screens.custom_study import CustomStudyScreen
from trainer.tui.screens.settings import SettingsScreen
from trainer.tui.screens.study import StudyScreen

from .conftest import (
    SIZE,
    FixedClock,
    MakeTrainer,
    card_id_of,
    card_on_disk,
    deck_rows,
    press,
    reviews_on_disk,
    screen_text,
    settle,
    text_of,
)


async def test_settings_persist_across_restarts(
    make_trainer: MakeTrainer, isolated_home: Path
) -> None:
    config = isolated_home / "config.toml"
    app = make_trainer(config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert deck_rows(app)["NORAD"][2] == 11
        await press(pilot, "comma")
        assert isinstance(app.screen, SettingsScreen)
        overrides = text_of(app.screen.query_one("#settings-overrides", Static))
        assert "Capitals: new_per_day 3" in overrides
        app.screen.query_one("#setting-new_per_day", Input).value = "5"
        app.screen.query_one("#setting-learning_steps", Input).value = "2m 15m 1h"
        app.screen.query_one("#setting-fuzz", Switch).value = False
        app.screen.query_one("#setting-theme", Select).value = "nord"
        await press(pilot, "ctrl+s")
        assert app.theme == "nord"
        await press(pilot, "escape")
        await settle(pilot)
        # The deck with no limit of its own follows the new one; Capitals keeps its own 3.
        assert deck_rows(app)["NORAD"][2] == 5
        assert deck_rows(app)["Capitals"][2] == 3
    saved = tomllib.loads(config.read_text())
    assert saved["theme"] == "nord"
    assert saved["study"]["new_per_day"] == 5
    assert saved["study"]["learning_steps"] == ["2m", "15m", "1h"]
    assert saved["study"]["fuzz"] is False

    again = make_trainer(config_path=config)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert again.theme == "nord"
        assert deck_rows(again)["NORAD"][2] == 5
        await press(pilot, "comma")
        assert again.screen.query_one("#setting-learning_steps", Input).value == "2m 15m 1h"
        assert again.screen.query_one("#setting-fuzz", Switch).value is False


async def test_a_bad_value_is_not_saved(make_trainer: MakeTrainer, isolated_home: Path) -> None:
    config = isolated_home / "config.toml"
    app = make_trainer(config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "comma")
        app.screen.query_one("#setting-desired_retention", Input).value = "2"
        await press(pilot, "ctrl+s")
        problem = text_of(app.screen.query_one("#settings-problem", Static))
        assert problem == "study.desired_retention must be a number from 0.7 to 0.99"
    assert not config.exists()


async def test_a_theme_chosen_in_the_palette_is_saved(
    make_trainer: MakeTrainer, isolated_home: Path
) -> None:
    config = isolated_home / "config.toml"
    app = make_trainer(config_path=config)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.theme = "gruvbox"  # what the palette's theme picker does
        await settle(pilot)
    assert tomllib.loads(config.read_text())["theme"] == "gruvbox"


async def test_a_bad_config_is_one_line_naming_the_key_and_defaults_are_used(
    make_trainer: MakeTrainer, isolated_home: Path
) -> None:
    config = isolated_home / "config.toml"
    config.write_text('theme = "nord"\n[study]\nnew_per_day = "lots"\n')
    app = make_trainer(config_path=config)
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        messages = [str(n.message) for n in app._notifications]
        assert messages == [
            f"{config}: study.new_per_day must be a whole number, 0 or more; using the default"
        ]
        assert app.theme == "nord"  # the good keys are kept
        assert deck_rows(app)["NORAD"][2] == 11
    config.write_text("[study\n")
    broken = make_trainer(config_path=config)
    async with broken.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        (message,) = [str(n.message) for n in broken._notifications]
        assert message.startswith(f"{config}:1: ") and message.endswith("using the defaults")


async def test_custom_study_counts_then_crams_without_moving_the_schedule(
    app: TrainerApp, db_path: Path
) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c")
        assert isinstance(app.screen, CustomStudyScreen)
        await press(pilot, *"capital")
        assert text_of(app.screen.query_one("#custom-count", Static)) == "4 cards match."
        await press(pilot, *" (x")
        assert "unclosed parenthesis" in text_of(app.screen.query_one("#custom-count", Static))
        await press(pilot, "backspace", "backspace", "backspace", *" canada")
        assert text_of(app.screen.query_one("#custom-count", Static)) == "1 card match."
        app.screen.query_one("#custom-reschedule", Switch).value = False
        await press(pilot, "enter")
        assert isinstance(app.screen, StudyScreen)
        assert "capital of Canada" in screen_text(app)
        await press(pilot, "space", "3")
    (review,) = reviews_on_disk(db_path)
    assert review["mode"] == "quiz"
    assert card_on_disk(db_path, review["card_id"])["state"] == 0  # schedule left alone


async def test_custom_study_that_reschedules(app: TrainerApp, db_path: Path) -> None:
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "c", *"canada", "enter")
        await press(pilot, "space", "3")
    (review,) = reviews_on_disk(db_path)
    assert review["mode"] == "review"
    assert card_on_disk(db_path, review["card_id"])["state"] != 0


async def test_a_leech_is_suspended_with_a_notice(
    make_trainer: MakeTrainer, synced_store: Store, db_path: Path, clock: FixedClock
) -> None:
    card = card_id_of(db_path, "What is the capital of Canada?")
    when = clock() - timedelta(days=400)
    synced_store.record_review(card, Rating.EASY, when)
    for _ in range(7):
        when += timedelta(days=40)
        synced_store.record_review(card, Rating.AGAIN, when)
        synced_store.record_review(card, Rating.EASY, when + timedelta(hours=1))
    app = make_trainer()
    async with app.run_test(size=SIZE, notifications=True) as pilot:
        await settle(pilot)
        await press(pilot, "c", *"canada", "enter")
        await press(pilot, "space", "1")
        assert any("leech" in str(n.message) for n in app._notifications)
        assert card_on_disk(db_path, card)["suspended"] == 1
        assert card_on_disk(db_path, card)["leech"] == 1
        assert "capital of Canada" not in screen_text(app)


async def test_home_says_when_the_review_limit_holds_cards_back(
    make_trainer: MakeTrainer, synced_store: Store, db_path: Path, clock: FixedClock
) -> None:
    from dataclasses import replace

    for prompt in ("What is the capital of Canada?", "What is the capital of France?"):
        synced_store.record_review(
            card_id_of(db_path, prompt), Rating.EASY, clock() - timedelta(days=90)
        )
    app = make_trainer()
    app.preferences = replace(
        app.preferences, schedule=replace(app.preferences.schedule, reviews_per_day=1)
    )
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert deck_rows(app)["Capitals"][0] == 1
        assert "review limit holds back 1 more due card" in screen_text(app)
