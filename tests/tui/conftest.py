"""Fixtures for the study app: a deck of every card kind, its cited document, a synced store.

Everything is fixed (the clock, the quiz seed, the theme), so Pilot tests and snapshots see
the same screens on every run.
"""

from __future__ import annotations

import os
import sqlite3
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from textual.pilot import Pilot
from textual.widgets import DataTable

from trainer.core.library import find_deck_files
from trainer.store.store import Store
from trainer.tui.app import TrainerApp, make_app

NOW = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)
"""The moment every app in these tests believes it is."""
SEED = 7
"""The quiz seed: the same questions, in the same order, on every run."""
SIZE = (100, 30)
"""The terminal size of every Pilot and snapshot test."""

NORAD_DECK = """
+++
name = "NORAD"
description = "The binational air and missile defence command."
sources = ["norad.txt"]
bury_siblings = false
+++

# Basics

Q: What does the markup [bold] do in a deck?
A: Nothing: [bold] is shown as typed.

Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes

C: NORAD was formed in [1958::year] and is the world's only [binational] military command.

# Typed

Q: In what year was NORAD formed?
T: 1958
T: '58
Source: norad.txt:3

Q: In what year was NORAD renamed?
T: 1981
Source: norad.txt:4

# Choices

Q: Where is NORAD headquartered?
- [ ] Cheyenne, Wyoming
- [x] Colorado Springs
- [ ] Ottawa
Source: norad.txt:5

Q: Which countries run NORAD?
- [x] Canada
- [x] United States
- [ ] Mexico

# True or false

True: NORAD was formally established in 1958.

False: NORAD was formally established in 1968.
Note: It was established in 1958.
"""
"""Eleven cards: basic, reversed (two), cloze (two), typed (two), choice (two), true/false (two).

Its siblings are not buried, so one session walks through every card of every kind; the
sibling rules are tested on decks of their own."""

CAPITALS_DECK = """
+++
name = "Capitals"

[schedule]
new_per_day = 3
+++

Q: What is the capital of Canada?
A: Ottawa

Q: What is the capital of France?
A: Paris

Q: What is the capital of Japan?
A: Tokyo

Q: What is the capital of Kenya?
A: Nairobi
"""
"""Four basic cards, three new a day: the home screen must show the limit, not the total."""

NORAD_SOURCE = """\
NORAD history, a short note for the tests

NORAD was formed on 12 May 1958 by Canada and the United States.
It was renamed the North American Aerospace Defense Command in 1981.
Its headquarters are at Peterson Space Force Base in Colorado Springs.
"""

BASIC = "What does the markup [bold] do in a deck?"
REVERSED_FRONT = "NORAD"
REVERSED_BACK = "North American Aerospace Defense Command"
CLOZE_YEAR = "NORAD was formed in [...] and is the world's only binational military command."
CLOZE_WORD = "NORAD was formed in 1958 and is the world's only [...] military command."
TYPED_1958 = "In what year was NORAD formed?"
TYPED_1981 = "In what year was NORAD renamed?"
CHOICE_ONE = "Where is NORAD headquartered?"
CHOICE_MANY = "Which countries run NORAD?"
TRUE_STATEMENT = "NORAD was formally established in 1958."
FALSE_STATEMENT = "NORAD was formally established in 1968."
NORAD_ORDER = [
    BASIC,
    REVERSED_FRONT,
    REVERSED_BACK,
    CLOZE_YEAR,
    CLOZE_WORD,
    TYPED_1958,
    TYPED_1981,
    CHOICE_ONE,
    CHOICE_MANY,
    TRUE_STATEMENT,
    FALSE_STATEMENT,
]
"""The NORAD cards' prompts as stored, in the order a first session shows them."""
RIGHT_ANSWER_KEYS: dict[str, tuple[str, ...]] = {
    BASIC: ("space",),
    REVERSED_FRONT: ("space",),
    REVERSED_BACK: ("space",),
    CLOZE_YEAR: ("space",),
    CLOZE_WORD: ("space",),
    TYPED_1958: ("1", "9", "5", "8", "enter"),
    TYPED_1981: ("1", "9", "8", "1", "enter"),
    TRUE_STATEMENT: ("t",),
    FALSE_STATEMENT: ("f",),
}
"""The keys that reveal or rightly answer each NORAD card on the study screen (choices are
shuffled at each showing: `choice_key` finds an option's number on screen)."""
NORAD_CARDS = 11
CAPITALS_CARDS = 4


class FixedClock:
    """A clock that stands still unless a test moves it on."""

    def __init__(self, moment: datetime) -> None:
        self.moment = moment
        """What the clock says."""

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        """Move the clock on by a `timedelta(**delta)`."""
        self.moment += timedelta(**delta)


@pytest.fixture(autouse=True)
def utc_local_time() -> Iterator[None]:
    """Study days start at 4 a.m. local time: pin the zone so counts do not depend on the machine."""
    before = os.environ.get("TZ")
    os.environ["TZ"] = "UTC"
    time.tzset()
    yield
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def clock() -> FixedClock:
    """The fixed UTC clock every app and sync here uses."""
    return FixedClock(NOW)


@pytest.fixture
def deck_folder(tmp_path: Path) -> Path:
    """A folder with the NORAD deck (every card kind) and the Capitals deck."""
    folder = tmp_path / "decks"
    folder.mkdir()
    for name, text in (("norad.md", NORAD_DECK), ("capitals.md", CAPITALS_DECK)):
        (folder / name).write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return folder


@pytest.fixture
def sources_folder(tmp_path: Path) -> Path:
    """The documents the NORAD deck cites."""
    folder = tmp_path / "sources"
    folder.mkdir()
    (folder / "norad.txt").write_text(NORAD_SOURCE, encoding="utf-8")
    return folder


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where the progress database of the test lives (never the learner's own)."""
    return tmp_path / "data" / "progress.db"


def open_synced(db_path: Path, deck_folder: Path, clock: FixedClock) -> Store:
    """Open the database at `db_path` and sync the decks of `deck_folder` into it."""
    store = Store.open(db_path)
    store.sync(find_deck_files([deck_folder]), roots=[deck_folder], now=clock())
    return store


@pytest.fixture
def synced_store(db_path: Path, deck_folder: Path, clock: FixedClock) -> Iterator[Store]:
    """A migrated store on a temporary database file, holding both decks."""
    store = open_synced(db_path, deck_folder, clock)
    yield store
    store.close()


MakeTrainer = Callable[..., TrainerApp]


@pytest.fixture
def make_trainer(
    synced_store: Store, deck_folder: Path, sources_folder: Path, clock: FixedClock
) -> MakeTrainer:
    """Build the app as the CLI does: `make_trainer()` or `make_trainer(store=..., sources=None)`."""

    def build(
        store: Store | None = None, sources: Path | None = sources_folder, **options: object
    ) -> TrainerApp:
        store = store or synced_store

        def sync() -> None:
            store.sync(find_deck_files([deck_folder]), roots=[deck_folder], now=clock())

        return make_app(
            store, sources, deck_places=[deck_folder], sync=sync, clock=clock, seed=SEED, **options
        )

    return build


@pytest.fixture
def app(make_trainer: MakeTrainer) -> TrainerApp:
    """The study app on the synced store, with the cited documents at hand."""
    return make_trainer()


def reviews_on_disk(db_path: Path) -> list[sqlite3.Row]:
    """Every committed review row, read through a separate connection as another process would."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM reviews ORDER BY id").fetchall()
    finally:
        conn.close()


def card_on_disk(db_path: Path, card_id: int) -> sqlite3.Row:
    """One card's committed row, read through a separate connection."""
    conn = sqlite3.connect(db_path)
    conn.row_factory = sqlite3.Row
    try:
        return conn.execute("SELECT * FROM cards WHERE id = ?", [card_id]).fetchone()
    finally:
        conn.close()


def card_id_of(db_path: Path, prompt: str) -> int:
    """The id of the card whose prompt is `prompt`."""
    conn = sqlite3.connect(db_path)
    try:
        row = conn.execute("SELECT id FROM cards WHERE prompt = ?", [prompt]).fetchone()
    finally:
        conn.close()
    assert row is not None, f"no card with prompt {prompt!r}"
    return row[0]


def screen_text(app: TrainerApp) -> str:
    """What the terminal shows right now, as plain text (one line per row)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())


def text_of(widget: object) -> str:
    """The plain text a `Static` or `Label` shows."""
    return str(widget.visual)  # type: ignore[attr-defined]


async def settle(pilot: Pilot) -> None:
    """Let thread workers (and what they hand back to the screen) finish, then repaint."""
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()


async def wait_until(
    pilot: Pilot, condition: Callable[[], object], what: str, timeout: float = 5.0
) -> None:
    """Pause until `condition()` holds; fail with `what` after `timeout` seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        await pilot.pause(0.01)


def deck_rows(app: TrainerApp) -> dict[str, list[object]]:
    """The home table, by deck name: due, learning, new, total."""
    table = app.screen.query_one("#decks", DataTable)
    rows = (table.get_row_at(index) for index in range(table.row_count))
    return {str(row[0]): list(row[1:]) for row in rows}


def shown_choices(app: TrainerApp) -> list[str]:
    """The options on screen, in the order shown, without their numbers and boxes."""
    lines = text_of(app.screen.query_one("#choices")).splitlines()
    return [line.split("] ", 1)[1].split("  <- ")[0] for line in lines]


def choice_key(app: TrainerApp, option: str) -> str:
    """The number key that picks `option` among the choices on screen."""
    return str(shown_choices(app).index(option) + 1)


async def press(pilot: Pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await settle(pilot)
