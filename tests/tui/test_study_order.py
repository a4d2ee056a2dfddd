"""Nothing gives the answer away: shuffled choices, siblings kept apart, decks interleaved,
same-source cards apart, results in words, and keys typed into the answer box kept there.

Each test writes its own decks, so what it checks is not hidden among the NORAD deck's cards.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import Input, Label, Static

from trainer.core.library import find_deck_files
from trainer.store.store import Store
from trainer.tui.app import TrainerApp, make_app
from trainer.tui.screens.home import HomeScreen
from trainer.tui.screens.quiz import QuizScreen
from trainer.tui.screens.study import StudyScreen
from trainer.tui.screens.summary import SummaryScreen

from .conftest import (
    SEED,
    SIZE,
    FixedClock,
    choice_key,
    press,
    reviews_on_disk,
    screen_text,
    settle,
    shown_choices,
    text_of,
    wait_until,
)

CHOICE_DECK = """
+++
name = "Choices"
+++
Q: Where is NORAD headquartered?
- [x] Colorado Springs
- [ ] Cheyenne, Wyoming
- [ ] Ottawa
- [ ] Winnipeg

Q: What is the capital of Canada?
A: Ottawa

True: NORAD was formally established in 1958.

False: NORAD was formally established in 1968.
Note: It was established in 1958.
"""
SIBLING_DECK = """
+++
name = "Siblings"
+++
Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes

C: NORAD was formed in [1958] by [Canada] and the United States.

Q: What is the capital of Canada?
A: Ottawa
"""
SIBLING_PROMPTS = {
    "front": "NORAD",
    "back": "North American Aerospace Defense Command",
    "cloze 1": "NORAD was formed in [...] by Canada and the United States.",
    "cloze 2": "NORAD was formed in 1958 by [...] and the United States.",
    "capital": "What is the capital of Canada?",
}
SOURCE_DECK = """
+++
name = "Sources"
sources = ["doc.txt"]
+++
Q: In what year was NORAD formed?
A: 1958
Source: doc.txt:3

Q: Which two countries formed NORAD?
A: Canada and the United States
Source: doc.txt:3

Q: In what year was NORAD renamed?
A: 1981
Source: doc.txt:4

Q: Where is NORAD headquartered?
A: Colorado Springs
"""
TYPED_DECK = """
+++
name = "Typed"
+++
Q: What is the capital of France?
A: Paris

Q: In what year was NORAD formed?
T: 1958
"""


def build(
    tmp_path: Path, clock: FixedClock, decks: dict[str, str], seed: int | None = SEED
) -> tuple[TrainerApp, Store]:
    """An app on a fresh database holding just `decks` (file name -> text)."""
    folder = tmp_path / "own-decks"
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in decks.items():
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    store = Store.open(tmp_path / "own.db")

    def sync() -> None:
        store.sync(find_deck_files([folder]), roots=[folder], now=clock())

    sync()
    return make_app(store, None, deck_places=[folder], sync=sync, clock=clock, seed=seed), store


def on_screen(app: TrainerApp) -> str:
    """The stored prompt of the study card on screen."""
    screen = app.screen
    assert isinstance(screen, StudyScreen) and screen.shown is not None
    return screen.shown.study.card.prompt


def part(app: TrainerApp, name: str) -> str:
    return text_of(app.screen.query_one(f"#{name}", Static))


async def study_all(pilot: Pilot) -> None:
    await settle(pilot)
    await press(pilot, "a")
    assert isinstance(pilot.app.screen, StudyScreen)


async def walk(pilot: Pilot, rating: str = "4") -> list[str]:
    """Answer every card of the session (reveal, then `rating`); the prompts in order shown."""
    app = pilot.app
    shown = []
    while isinstance(app.screen, StudyScreen):
        prompt = on_screen(app)
        shown.append(prompt)
        kind = app.screen.shown.study.card.kind  # type: ignore[union-attr]
        reveal = {"choice": ("1",), "truefalse": ("t",), "typed": ("x", "enter")}
        await press(pilot, *reveal.get(str(kind), ("space",)), rating)
    return shown


async def test_choices_are_shuffled_at_each_showing_and_number_keys_follow_the_screen(
    tmp_path: Path, clock: FixedClock
) -> None:
    right = "Colorado Springs"
    places = []
    for seed in range(6):
        app, store = build(tmp_path / str(seed), clock, {"choices.md": CHOICE_DECK}, seed)
        async with app.run_test(size=SIZE) as pilot:
            await study_all(pilot)
            assert on_screen(app) == "Where is NORAD headquartered?"
            options = shown_choices(app)
            assert sorted(options) == sorted([right, "Cheyenne, Wyoming", "Ottawa", "Winnipeg"])
            places.append(options.index(right))
            await press(pilot, choice_key(app, right))
            assert part(app, "verdict") == "Correct"
            await press(pilot, "enter")  # accepts the proposed Good
        (review,) = reviews_on_disk(Path(store.path))
        assert review["rating"] == 3
        store.close()
    assert len(set(places)) >= 3, places  # the right option is not always in one place

    # Within one session, each showing of the card (a learning step coming back) reshuffles.
    app, store = build(tmp_path / "again", clock, {"choices.md": CHOICE_DECK})
    orders = []
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        for _ in range(6):
            while on_screen(app) != "Where is NORAD headquartered?":
                await walk_one(pilot)
            orders.append(tuple(shown_choices(app)))
            wrong = next(o for o in shown_choices(app) if o != right)
            await press(pilot, choice_key(app, wrong))
            assert part(app, "verdict") == "Not quite"
            await press(pilot, "1")  # Again: it comes back in a minute
            clock.advance(minutes=2)
    assert len(set(orders)) >= 3, orders


async def walk_one(pilot: Pilot) -> None:
    """Answer the card on screen rightly enough and rate it Easy."""
    kind = str(pilot.app.screen.shown.study.card.kind)  # type: ignore[attr-defined]
    await press(pilot, *{"truefalse": ("t",)}.get(kind, ("space",)), "4")


async def test_undo_shows_the_same_showing_with_its_order(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, store = build(tmp_path, clock, {"choices.md": CHOICE_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        before = shown_choices(app)
        await press(pilot, choice_key(app, "Ottawa"), "3")
        assert on_screen(app) == "What is the capital of Canada?"
        await press(pilot, "u")
        assert on_screen(app) == "Where is NORAD headquartered?"
        assert shown_choices(app) == before
        assert part(app, "verdict") == ""


async def test_a_wrong_choice_or_statement_names_the_right_one_in_words_without_colour(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, store = build(tmp_path, clock, {"choices.md": CHOICE_DECK})
    assert app.no_color
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        await press(pilot, choice_key(app, "Winnipeg"))
        text = screen_text(app)
        assert "Not quite" in text
        assert "Answer: Colorado Springs" in text
        assert "Colorado Springs  <- right" in text
        assert "Winnipeg  <- wrong" in text
        await press(pilot, "1")
        while on_screen(app) != "NORAD was formally established in 1958.":
            await walk_one(pilot)
        # Before the answer, nothing on screen says which it is.
        assert "true." not in screen_text(app).casefold().replace("true or false", "")
        await press(pilot, "f")
        assert "Not quite" in screen_text(app)
        assert "The statement is true." in screen_text(app)


async def test_a_wrong_quiz_answer_names_the_right_option_in_words(
    tmp_path: Path, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app, store = build(tmp_path, clock, {"choices.md": CHOICE_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        screen = app.screen
        assert isinstance(screen, QuizScreen)
        await wait_until(pilot, lambda: screen.run is not None, "the quiz")
        seen = set()
        while screen.run is not None and screen.run.current is not None:
            question = screen.run.current
            if question.format.value == "choice":
                wrong = min(set(range(len(question.options))) - question.correct)
                await press(pilot, str(wrong + 1))
                text = screen_text(app)
                assert f"Answer: {question.answer}" in text
                assert "<- right" in text and "<- wrong" in text
                seen.add("choice")
            elif question.format.value == "truefalse":
                await press(pilot, "f" if question.claim_is_true else "t")
                truth = "true" if question.claim_is_true else "false"
                assert f"is {truth}." in screen_text(app)
                seen.add("truefalse")
            else:
                await press(pilot, "z", "z", "enter")
                assert "Answer:" in screen_text(app)
            if not isinstance(app.screen, QuizScreen):
                break
            await press(pilot, "enter")
    assert seen == {"choice", "truefalse"}


async def test_the_quiz_clock_ticks(tmp_path: Path, clock: FixedClock) -> None:
    app, store = build(tmp_path, clock, {"choices.md": CHOICE_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        await press(pilot, "q")
        clock_label = app.screen.query_one("#session-clock", Label)
        clock.advance(seconds=5)
        await wait_until(pilot, lambda: text_of(clock_label) == "0:05", "the clock to show 0:05")
        clock.advance(seconds=62)
        await wait_until(pilot, lambda: text_of(clock_label) == "1:07", "the clock to show 1:07")


async def test_siblings_are_kept_apart_this_session_and_this_study_day(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, store = build(tmp_path, clock, {"siblings.md": SIBLING_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Today: 3 to study" in screen_text(app)
        await study_all(pilot)
        assert text_of(app.screen.query_one("#session-count", Label)) == "0 done · 3 left"
        shown = await walk(pilot)
        assert isinstance(app.screen, SummaryScreen)
    p = SIBLING_PROMPTS
    assert shown == [p["front"], p["cloze 1"], p["capital"]]

    # A new session later the same day: the siblings still wait.
    clock.advance(hours=1)
    again = make_app(store, None, clock=clock, seed=SEED)
    async with again.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Today: 0 to study" in screen_text(again)
        await press(pilot, "a")
        assert isinstance(again.screen, SummaryScreen)  # nothing to show: straight to the end

    # The next study day they come.
    clock.advance(days=1)
    tomorrow = make_app(store, None, clock=clock, seed=SEED)
    async with tomorrow.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert "Today: 2 to study" in screen_text(tomorrow)
        await study_all(pilot)
        assert await walk(pilot) == [p["back"], p["cloze 2"]]
    answered = [r["card_id"] for r in reviews_on_disk(Path(store.path)) if r["mode"] == "review"]
    assert len(answered) == len(set(answered)) == 5


async def test_siblings_met_in_a_session_of_chosen_cards_leave_it_too(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, store = build(tmp_path, clock, {"siblings.md": SIBLING_DECK})
    ids = [
        store.db.execute("SELECT id FROM cards WHERE prompt = ?", [prompt]).fetchone()[0]
        for prompt in SIBLING_PROMPTS.values()
    ]
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        app.push_screen(app.study_screen("Missed", None, ids))
        await settle(pilot)
        shown = await walk(pilot)
    p = SIBLING_PROMPTS
    assert shown == [p["front"], p["cloze 1"], p["capital"]]


async def test_cards_citing_one_line_are_not_shown_back_to_back(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, store = build(tmp_path, clock, {"sources.md": SOURCE_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        shown = await walk(pilot)
    assert shown == [
        "In what year was NORAD formed?",
        "In what year was NORAD renamed?",  # moved up: the next card cites line 3 as well
        "Which two countries formed NORAD?",
        "Where is NORAD headquartered?",
    ]


async def test_all_decks_interleaves_the_decks(tmp_path: Path, clock: FixedClock) -> None:
    decks = {
        f"{name}.md": "\n".join(f"Q: {name} question {n}?\nA: {n}\n" for n in range(1, 4))
        for name in ("alpha", "beta")
    }
    app, store = build(tmp_path, clock, decks)
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        shown = await walk(pilot)
    assert [prompt.split()[0] for prompt in shown] == ["alpha", "beta"] * 3


async def test_home_to_study_is_what_the_session_offers(tmp_path: Path, clock: FixedClock) -> None:
    app, store = build(tmp_path, clock, {"siblings.md": SIBLING_DECK, "sources.md": SOURCE_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        home = app.screen
        assert isinstance(home, HomeScreen)
        total = sum(s.due + s.learning + s.new for s in home.summaries)
        assert f"Today: {total} to study" in screen_text(app)
        await press(pilot, "a")
        assert text_of(app.screen.query_one("#session-count", Label)) == f"0 done · {total} left"
        assert total == 3 + 4
        await press(pilot, "escape", "enter")
        for index, summary in enumerate(home.summaries, start=1):
            await press(pilot, *["down"] * index, "enter")
            count = text_of(app.screen.query_one("#session-count", Label))
            assert count == f"0 done · {summary.due + summary.learning + summary.new} left"
            await press(pilot, "escape", "enter", "home")


async def test_u_on_a_typed_result_retypes_it_and_never_undoes_the_card_before(
    tmp_path: Path, clock: FixedClock
) -> None:
    app, store = build(tmp_path, clock, {"typed.md": TYPED_DECK})
    db = Path(store.path)
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        await press(pilot, "space", "3")  # the basic card, answered Good
        assert on_screen(app) == "In what year was NORAD formed?"
        await press(pilot, *"1959", "enter")
        assert part(app, "verdict") == "Not quite"
        await press(pilot, "u")
        box = app.screen.query_one("#answer-input", Input)
        assert on_screen(app) == "In what year was NORAD formed?"
        assert (box.value, box.has_focus, box.disabled) == ("", True, False)
        assert part(app, "verdict") == ""
        assert [(r["mode"], r["rating"]) for r in reviews_on_disk(db)] == [("review", 3)]
        await press(pilot, *"1958", "enter")
        assert part(app, "verdict") == "Correct"
        await press(pilot, "enter")
    assert [(r["mode"], r["rating"]) for r in reviews_on_disk(db)] == [
        ("review", 3),
        ("review", 3),
    ]


async def test_keys_typed_into_the_answer_box_stay_there(tmp_path: Path, clock: FixedClock) -> None:
    app, store = build(tmp_path, clock, {"typed.md": TYPED_DECK})
    async with app.run_test(size=SIZE) as pilot:
        await study_all(pilot)
        await press(pilot, "space", "3")
        screen = app.screen
        word = "quits 1234 fun tu"  # undo, quiz, true, study, ratings and choices, as letters
        await press(pilot, *["space" if ch == " " else ch for ch in word])
        box = screen.query_one("#answer-input", Input)
        assert box.value == word
        assert app.screen is screen and on_screen(app) == "In what year was NORAD formed?"
        assert part(app, "verdict") == ""
        assert len(reviews_on_disk(Path(store.path))) == 1  # only the first card's answer
