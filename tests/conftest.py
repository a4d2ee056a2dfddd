"""Fixtures shared by every test: isolation from the learner's real data, a store, deck files."""

from __future__ import annotations

import os
import textwrap
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest

from trainer import schedule
from trainer.store.store import Store

WriteDeck = Callable[..., Path]


@pytest.fixture(autouse=True)
def isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Path:
    """Point the data folder at a fresh temporary one, so no test reads or writes real progress."""
    home = tmp_path_factory.mktemp("trainer-home")
    monkeypatch.setenv("TRAINER_HOME", str(home))
    monkeypatch.delenv("TRAINER_DECKS", raising=False)
    return home


@pytest.fixture(autouse=True)
def exact_intervals(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests see exact intervals: fuzz is off, as a deck's `schedule.fuzz = false` turns it off,
    except in tests marked `fuzz`, which see the intervals a learner gets."""
    if request.node.get_closest_marker("fuzz") is None:
        monkeypatch.setattr(schedule, "fuzz_factor", lambda card_id, reps: None)


@pytest.fixture
def zone(request: pytest.FixtureRequest) -> Iterator[str]:
    """The local time zone (UTC unless a test asks for another through `indirect`)."""
    name = getattr(request, "param", "UTC")
    before = os.environ.get("TZ")
    os.environ["TZ"] = name
    time.tzset()
    yield name
    if before is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = before
    time.tzset()


@pytest.fixture
def now() -> datetime:
    """A fixed moment (UTC-aware), so schedules and study days do not depend on the clock.

    Study days roll over at 4 a.m. local time, which is between 14:00 and 16:00 UTC in every
    time zone; 03:00 UTC keeps "today" at least ten hours wide on both sides, wherever tests run.
    """
    return datetime(2025, 3, 14, 3, 0, tzinfo=UTC)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[Store]:
    """A freshly migrated progress database in the test's temporary folder."""
    opened = Store.open(tmp_path / "progress.db")
    yield opened
    opened.close()


@pytest.fixture
def write_deck(tmp_path: Path) -> WriteDeck:
    """Write a deck file: `write_deck("norad.md", text)` -> its path (text is dedented).

    Files go under `tmp_path / "decks"` unless `folder` is given.
    """

    def write(name: str, text: str, folder: Path | None = None) -> Path:
        path = (folder or tmp_path / "decks") / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
        return path

    return write


SOURCES_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "seeds"
"""The documents the bundled decks are drawn from, kept beside the repository, not in it."""


def shared_file(path: Path, what: str) -> Path:
    """`path` from the shared folder beside the repository; missing, the test skips, unless
    TRAINER_REQUIRE_SOURCES=1 (as CI sets it) makes it fail."""
    if not path.exists():
        reason = f"{what} is not at {path}"
        if os.environ.get("TRAINER_REQUIRE_SOURCES") == "1":
            pytest.fail(f"{reason}, and TRAINER_REQUIRE_SOURCES=1 requires it")
        pytest.skip(reason)
    return path


@pytest.fixture
def sources_dir() -> Path:
    """The source documents the bundled decks cite."""
    return shared_file(SOURCES_DIR, "the folder of source documents")


SAMPLE_LOG = (
    Path(__file__).resolve().parents[1].parent / "shared" / "data" / "review-log-sample.csv"
)
"""A real learner's review log (12,580 reviews of 1,205 cards), kept beside the repository."""


@pytest.fixture
def sample_log() -> Path:
    """The real review log."""
    return shared_file(SAMPLE_LOG, "the sample review log")
