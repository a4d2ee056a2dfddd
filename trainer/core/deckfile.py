"""Reading deck files: TOML front matter, then cards keyed by `Q:`, `A:`, `T:`, `C:` and friends.

The format is described for authors in `docs/deck-format.md`. Parsing never stops at the first
problem: every problem in the file is collected and raised together as one `DeckError`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from trainer.core.cards import Card, Deck, Schedule
from trainer.core.deck_entries import (
    check_repeats,
    cloze_base,
    entry_cards,
    read_entries,
    shared_bases,
)
from trainer.core.deck_syntax import KEY, DeckError, Problem, Report, deck_lines

_STEP = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_STEP_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_LONGEST_STEP = timedelta(days=36500)

KeyReport = Callable[[str, str], None]
"""How front-matter checks report a problem: the key it is about, and the message."""

__all__ = [
    "DeckError",
    "DeckMarks",
    "EntryMark",
    "Problem",
    "decode_deck",
    "load_deck",
    "parse_deck",
    "parse_deck_bytes",
    "parse_deck_entries",
    "parse_entry_texts",
    "stray_text_fine",
]


def load_deck(path: Path, *, display_path: str | None = None) -> Deck:
    """Read and parse the deck file at `path`; raise `DeckError` for any problem, I/O included."""
    shown = display_path or str(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        reason = error.strerror or str(error)
        raise DeckError([Problem(shown, 0, f"cannot read deck file: {reason}")]) from None
    return parse_deck_bytes(raw, path, display_path=shown)


def parse_deck_bytes(raw: bytes, path: Path, *, display_path: str | None = None) -> Deck:
    """Decode `raw` as UTF-8 and parse it; a bad byte is reported with its line."""
    shown = display_path or str(path)
    return parse_deck(decode_deck(raw, shown), path, display_path=shown)


def decode_deck(raw: bytes, shown: str) -> str:
    """`raw` decoded as UTF-8; a bad byte raises `DeckError` with its line."""
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded"
        raise DeckError([Problem(shown, line, message)]) from None


def parse_deck(text: str, path: Path, *, display_path: str | None = None) -> Deck:
    """Parse deck text; raise `DeckError` listing every problem found."""
    return parse_deck_entries(text, path, display_path=display_path)[0]


class EntryMark(NamedTuple):
    """Where one entry of a parsed deck begins, how many cards it gave and its cloze key."""

    line: int
    cards: int
    cloze_base: str | None


class DeckMarks(NamedTuple):
    """The line the body begins on (after the front matter) and each entry's `EntryMark`."""

    body_line: int
    entries: list[EntryMark]


def parse_deck_entries(
    text: str, path: Path, *, display_path: str | None = None
) -> tuple[Deck, DeckMarks | None]:
    """Parse deck text as `parse_deck` does, with each entry's `EntryMark` in file order.

    The marks are None when the deck holds an exact copy of a card (left out): its cards then
    depend on more than each entry's own lines.
    """
    shown = display_path or str(path)
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(shown, line, message))

    lines = deck_lines(text.removeprefix("\ufeff"))
    settings, body_start = _read_front_matter(lines, report)
    entries = read_entries(lines, body_start, report)
    deck_tags = tuple(settings.get("tags", ()))
    shared = shared_bases(entries)
    made = [entry_cards(entry, deck_tags, report, shared) for entry in entries]
    every = [card for cards in made for card in cards]
    cards = check_repeats(every, report)
    if problems:
        raise DeckError(sorted(problems, key=lambda p: p.line))
    stem = Path(path).stem
    deck = Deck(
        path=Path(path),
        name=settings.get("name") or stem.replace("-", " ").replace("_", " ").title(),
        description=settings.get("description", ""),
        tags=deck_tags,
        sources=tuple(settings.get("sources", ())),
        schedule=settings.get("schedule", Schedule()),
        strict_answers=settings.get("strict", False),
        bury_siblings=settings.get("bury_siblings", True),
        cards=tuple(cards),
    )
    if len(cards) < len(every):
        return deck, None
    marks = [
        EntryMark(entry.line, len(cards), cloze_base(entry)) for entry, cards in zip(entries, made)
    ]
    return deck, DeckMarks(body_start + 1, marks)


def stray_text_fine(text: str, first_line: int) -> bool:
    """Whether text outside any entry (between the front matter and the first card) is fine:
    no key outside a card, no misspelt key."""
    problems: list[int] = []
    entries = read_entries(deck_lines(text), 0, lambda line, _: problems.append(line), first_line)
    return not entries and not problems


def parse_entry_texts(
    texts: list[tuple[int, str]],
    deck_tags: tuple[str, ...],
    shared: Callable[[list[str | None]], set[str] | None],
    shown: str,
) -> list[tuple[str | None, list[Card]]] | None:
    """Parse entries cut from a deck, each `(first line, text)` beginning with its card line.

    `shared(bases)` is given each entry's cloze key and says which keys other entries of the
    deck share, or None when the answer depends on entries not read. Returns each entry's
    cloze key and cards, or None if any entry has a problem or repeats another's card: the
    whole file must then be read to report it.
    """
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(shown, line, message))

    entries = []
    for line, text in texts:
        read = read_entries(deck_lines(text), 0, report, first_line=line)
        if len(read) != 1 or read[0].line != line:
            return None
        entries.append(read[0])
    bases = [cloze_base(entry) for entry in entries]
    together = shared(bases)
    if together is None or problems:
        return None
    made = [entry_cards(entry, deck_tags, report, together) for entry in entries]
    every = [card for cards in made for card in cards]
    if problems or len(check_repeats(every, report)) < len(every):
        return None
    return list(zip(bases, made))


def _read_front_matter(lines: list[str], report: Report) -> tuple[dict, int]:
    """Return the deck settings from the `+++` block and the index of the first body line.

    hashcards decks open with TOML between `---` lines instead: such a block is front matter
    too, when it is closed and holds no card line (else the `---` is a card break, as ever).
    """
    if not lines or lines[0].strip() not in ("+++", "---"):
        return {}, 0
    fence = lines[0].strip()
    end = next((i for i in range(1, len(lines)) if lines[i].strip() == fence), None)
    if fence == "---" and (end is None or any(KEY.match(line) for line in lines[1:end])):
        return {}, 0
    if end is None:
        report(1, "front matter opened with +++ is never closed")
        return {}, len(lines)
    source = "\n".join(lines[1:end])
    # Imported here: a sync that finds every deck unchanged (`trainer decks`) never parses TOML.
    import tomllib

    try:
        data = tomllib.loads(source)
    except RecursionError:
        # tomllib reads nested arrays and tables recursively: thousands of `[` exhaust the stack.
        deepest = max(range(1, end), key=lambda i: lines[i].count("[") + lines[i].count("{"))
        report(deepest + 1, "bad front matter: arrays or tables nested too deeply")
        return {}, end + 1
    except tomllib.TOMLDecodeError as error:
        if fence == "---":
            return {}, 0  # not TOML: text between two card breaks, ignored as ever
        found = re.search(r"at line (\d+)", str(error))
        line = int(found.group(1)) + 1 if found else end
        message = re.sub(r"\s*\(at line \d+, column \d+\)", "", str(error))
        report(line, f"bad front matter: {message}")
        return {}, end + 1

    def report_key(key: str, message: str) -> None:
        # Point at the line that sets the key, so the author finds it at once.
        pattern = re.compile(rf"^\s*(\[)?\s*{re.escape(key)}\b")
        found = next((i for i in range(1, end) if pattern.match(lines[i])), 0)
        report(found + 1, message)

    return _settings(data, report_key), end + 1


def _settings(data: dict, report: KeyReport) -> dict:
    """Check the front matter's keys and types; `report(key, message)` says where."""
    settings: dict = {}
    for key in ("name", "description"):
        if key in data:
            if isinstance(data[key], str):
                settings[key] = data[key].strip()
            else:
                report(key, f"front matter: {key} must be a string")
    for key in ("tags", "sources"):
        if key in data:
            value = data[key]
            if isinstance(value, list) and all(isinstance(item, str) for item in value):
                settings[key] = tuple(value)
            else:
                report(key, f"front matter: {key} must be a list of strings")
    schedule = data.get("schedule", {})
    answers = data.get("answers", {})
    if not isinstance(schedule, dict) or not isinstance(answers, dict):
        report("schedule", "front matter: schedule and answers must be tables")
        return settings
    settings["schedule"] = _schedule(schedule, report)
    strict = answers.get("strict", False)
    if not isinstance(strict, bool):
        report("strict", "front matter: answers.strict must be true or false")
    settings["strict"] = strict is True
    bury = data.get("bury_siblings", True)
    if not isinstance(bury, bool):
        report("bury_siblings", "front matter: bury_siblings must be true or false")
    settings["bury_siblings"] = bury is not False
    known = {"name", "description", "tags", "sources", "schedule", "answers", "bury_siblings"}
    unknown = set(data) - known
    for key in sorted(unknown):
        report(key, f"front matter: unknown key {key!r}")
    return settings


def read_schedule(table: dict, report: KeyReport) -> Schedule:
    """A `[schedule]` table checked as front matter checks it (the learner's settings use it
    too); `report(key, message)` says what is wrong."""
    return _schedule(table, report)


def _schedule(table: dict, report: KeyReport) -> Schedule:
    default = Schedule()
    retention = table.get("desired_retention", default.desired_retention)
    if not isinstance(retention, (int, float)) or not 0.7 <= retention <= 0.99:
        report(
            "desired_retention",
            "front matter: schedule.desired_retention must be a number from 0.7 to 0.99",
        )
        retention = default.desired_retention
    new_per_day = table.get("new_per_day", default.new_per_day)
    if not isinstance(new_per_day, int) or isinstance(new_per_day, bool) or new_per_day < 0:
        report(
            "new_per_day", "front matter: schedule.new_per_day must be a whole number, 0 or more"
        )
        new_per_day = default.new_per_day
    steps = {}
    for key in ("learning_steps", "relearning_steps"):
        value = table.get(key)
        steps[key] = getattr(default, key) if value is None else _steps(value, key, report)
    fuzz = table.get("fuzz", default.fuzz)
    if not isinstance(fuzz, bool):
        report("fuzz", "front matter: schedule.fuzz must be true or false")
        fuzz = default.fuzz
    counts = {}
    for key in ("reviews_per_day", "leech_lapses"):
        value = table.get(key, getattr(default, key))
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            report(key, f"front matter: schedule.{key} must be a whole number, 0 or more")
            value = getattr(default, key)
        counts[key] = value
    given = tuple(key for key in _SCHEDULE_KEYS if key in table)
    return Schedule(
        desired_retention=float(retention),
        new_per_day=new_per_day,
        learning_steps=steps["learning_steps"],
        relearning_steps=steps["relearning_steps"],
        fuzz=fuzz,
        reviews_per_day=counts["reviews_per_day"],
        leech_lapses=counts["leech_lapses"],
        overrides=given,
    )


_SCHEDULE_KEYS = (
    "desired_retention",
    "new_per_day",
    "learning_steps",
    "relearning_steps",
    "fuzz",
    "reviews_per_day",
    "leech_lapses",
)


def _steps(value: object, key: str, report: KeyReport) -> tuple[timedelta, ...]:
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        report(key, f'front matter: schedule.{key} must be a list such as ["1m", "10m"]')
        return ()
    steps = []
    for item in value:
        match = _STEP.match(item.strip())
        if not match:
            report(key, f"front matter: schedule.{key}: {item!r} is not a wait such as 10m or 1d")
            continue
        try:
            step = timedelta(**{_STEP_UNITS[match.group(2)]: float(match.group(1))})
        except OverflowError:
            step = _LONGEST_STEP * 2
        if step > _LONGEST_STEP:
            # A due date past the year 9999 would crash the scheduler at the first answer.
            report(key, f"front matter: schedule.{key}: {item!r} is longer than 100 years")
            continue
        steps.append(step)
    return tuple(steps)
