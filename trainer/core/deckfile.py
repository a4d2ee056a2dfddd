"""Reading deck files: TOML front matter, then cards keyed by `Q:`, `A:`, `T:`, `C:` and friends.

The format is described for authors in `docs/deck-format.md`. Parsing never stops at the first
problem: every problem in the file is collected and raised together as one `DeckError`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import NamedTuple

from trainer.core.cards import Card, Choice, Citation, Deck, Kind, Schedule
from trainer.core.identity import DELETION, card_key, cloze_skeleton, question_key


class Problem(NamedTuple):
    """One thing wrong with a deck file, with where it is."""

    path: str
    line: int
    message: str

    def __str__(self) -> str:
        # A problem with the whole file (unreadable, missing) has no line to point at.
        if self.line == 0:
            return f"{self.path}: {self.message}"
        return f"{self.path}:{self.line}: {self.message}"


class DeckError(Exception):
    """A deck file that cannot be used, with every problem found in it."""

    def __init__(self, problems: list[Problem]) -> None:
        super().__init__("\n".join(str(problem) for problem in problems))
        self.problems = problems


_KEY = re.compile(r"^(Q|A|T|C|True|False|Tags|Source|Note|Id|Reverse):(?:\s|$)")
_UNKNOWN_KEY = re.compile(r"^([A-Z]{1,3}):(?:\s|$)")
_CHOICE = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$")
_CITATION = re.compile(r"^(\S+?):(\d+)(?:-(\d+))?$")
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_STEP = re.compile(r"^(\d+(?:\.\d+)?)\s*([smhd])$")
_TAG_SEPARATORS = re.compile(r"[,\s]+")
_STEP_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days"}
_LONGEST_STEP = timedelta(days=36500)
_CARD_STARTS = {"Q", "C", "True", "False"}


@dataclass
class _Entry:
    """A card as it is being read, before it is checked and turned into `Card`s."""

    key: str
    line: int
    parts: dict[str, list[str]] = field(default_factory=dict)
    typed: list[str] = field(default_factory=list)
    choices: list[tuple[bool, str, int]] = field(default_factory=list)
    fields: dict[str, tuple[str, int]] = field(default_factory=dict)
    open_part: str | None = None

    def text(self, part: str) -> str:
        return "\n".join(self.parts.get(part, [])).strip()


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
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        message = f"not UTF-8: byte 0x{raw[error.start]:02x} cannot be decoded"
        raise DeckError([Problem(shown, line, message)]) from None
    return parse_deck(text, path, display_path=shown)


def parse_deck(text: str, path: Path, *, display_path: str | None = None) -> Deck:
    """Parse deck text; raise `DeckError` listing every problem found."""
    shown = display_path or str(path)
    problems: list[Problem] = []

    def report(line: int, message: str) -> None:
        problems.append(Problem(shown, line, message))

    lines = text.removeprefix("\ufeff").splitlines()
    settings, body_start = _read_front_matter(lines, report)
    entries = _read_entries(lines, body_start, report)
    deck_tags = tuple(settings.get("tags", ()))
    cards: list[Card] = []
    for entry in entries:
        cards.extend(_entry_cards(entry, deck_tags, report))
    _check_repeats(cards, report)
    if problems:
        raise DeckError(sorted(problems, key=lambda p: p.line))
    stem = Path(path).stem
    return Deck(
        path=Path(path),
        name=settings.get("name") or stem.replace("-", " ").replace("_", " ").title(),
        description=settings.get("description", ""),
        tags=deck_tags,
        sources=tuple(settings.get("sources", ())),
        schedule=settings.get("schedule", Schedule()),
        strict_answers=settings.get("strict", False),
        cards=tuple(cards),
    )


def _read_front_matter(lines: list[str], report) -> tuple[dict, int]:
    """Return the deck settings from the `+++` block and the index of the first body line."""
    if not lines or lines[0].strip() != "+++":
        return {}, 0
    try:
        end = next(i for i in range(1, len(lines)) if lines[i].strip() == "+++")
    except StopIteration:
        report(1, "front matter opened with +++ is never closed")
        return {}, len(lines)
    source = "\n".join(lines[1:end])
    # Imported here: a sync that finds every deck unchanged (`trainer decks`) never parses TOML.
    import tomllib

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as error:
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


def _settings(data: dict, report) -> dict:
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
    unknown = set(data) - {"name", "description", "tags", "sources", "schedule", "answers"}
    for key in sorted(unknown):
        report(key, f"front matter: unknown key {key!r}")
    return settings


def _schedule(table: dict, report) -> Schedule:
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
    return Schedule(
        float(retention), new_per_day, steps["learning_steps"], steps["relearning_steps"]
    )


def _steps(value: object, key: str, report) -> tuple[timedelta, ...]:
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


def _read_entries(lines: list[str], start: int, report) -> list[_Entry]:
    """Group body lines into card entries, following the keys at line starts."""
    entries: list[_Entry] = []
    entry: _Entry | None = None
    for index in range(start, len(lines)):
        number, line = index + 1, lines[index]
        stripped = line.strip()
        if not stripped:
            # A blank line can only continue an open part: no key or choice matches it, so skip
            # the regexes (a fifth of a deck's lines are blank).
            if entry is not None and entry.open_part is not None:
                entry.parts[entry.open_part].append(line)
            continue
        if stripped == "---" or line.startswith("#"):
            entry = None
            continue
        match = _KEY.match(line)
        if match:
            key, value = match.group(1), line[match.end() :].strip()
            if key in _CARD_STARTS:
                entry = _Entry(key, number)
                entry.parts[key] = [value]
                entry.open_part = key
                entries.append(entry)
            elif entry is None:
                report(
                    number, f"{key}: is not inside a card (start one with Q:, C:, True: or False:)"
                )
            else:
                _add_line(entry, key, value, number, report)
            continue
        if entry is None:
            unknown = _UNKNOWN_KEY.match(line)
            if unknown:
                report(
                    number, f"unknown card kind {unknown.group(1)}: (use Q:, C:, True: or False:)"
                )
            continue
        choice = _CHOICE.match(line)
        if choice and entry.key == "Q" and entry.open_part in ("Q", None):
            entry.choices.append((choice.group(1) != " ", choice.group(2).strip(), number))
            entry.open_part = None
        elif entry.open_part is not None:
            entry.parts[entry.open_part].append(line)
        elif stripped:
            unknown = _UNKNOWN_KEY.match(line)
            what = f"unknown card key {unknown.group(1)}:" if unknown else "text outside any part"
            report(number, f"{what} in the card started on line {entry.line}")
    return entries


def _add_line(entry: _Entry, key: str, value: str, number: int, report) -> None:
    """Add an answer, typed answer or field line to the card being read."""
    if key == "A":
        if "A" in entry.parts:
            report(number, "second A: in one card")
        entry.parts["A"] = [value]
        entry.open_part = "A"
    elif key == "T":
        entry.typed.append(value)
        entry.open_part = None
    elif key == "Note":
        entry.parts["Note"] = [value]
        entry.open_part = "Note"
        entry.fields["Note"] = (value, number)
    else:
        if key in entry.fields:
            report(number, f"second {key}: in one card")
        entry.fields[key] = (value, number)
        entry.open_part = None


def _entry_cards(entry: _Entry, deck_tags: tuple[str, ...], report) -> list[Card]:
    """Check one entry and turn it into its cards (two for reversed, one per cloze deletion)."""
    explicit_id, id_ok = _explicit_id(entry, report)
    source = _citation(entry, report)
    tags = deck_tags + tuple(
        tag for tag in _TAG_SEPARATORS.split(entry.fields.get("Tags", ("", 0))[0]) if tag
    )
    tags = tuple(dict.fromkeys(tags))
    common = {"tags": tags, "source": source, "note": entry.text("Note"), "line": entry.line}
    if not id_ok:
        return []
    if entry.key != "Q" and ("A" in entry.parts or entry.typed or entry.choices):
        report(entry.line, f"{entry.key}: card takes no A:, T: or choices (did you mean Q:?)")
        return []
    if entry.key == "C":
        return _cloze_cards(entry, explicit_id, common, report)
    if entry.key in ("True", "False"):
        statement = entry.text(entry.key)
        if not statement:
            report(entry.line, f"{entry.key}: has no statement")
            return []
        key = card_key(explicit_id or question_key("truefalse", statement))
        return [Card(key, Kind.TRUE_FALSE, statement, entry.key.lower(), **common)]
    return _question_cards(entry, explicit_id, common, report)


def _question_cards(entry: _Entry, explicit_id: str | None, common: dict, report) -> list[Card]:
    question = entry.text("Q")
    answer = entry.text("A")
    reverse = entry.fields.get("Reverse")
    if not question:
        report(entry.line, "Q: has no question")
        return []
    kinds = [
        name
        for name, present in (
            ("A:", "A" in entry.parts),
            ("T:", entry.typed),
            ("choices", entry.choices),
        )
        if present
    ]
    if not kinds:
        report(entry.line, "question has no answer (add A:, T: or a - [x] choice list)")
        return []
    if len(kinds) > 1:
        report(entry.line, f"question mixes {' and '.join(kinds)}; a card takes one kind of answer")
        return []
    base = explicit_id or question_key("q", question)
    if reverse is not None and reverse[0].lower() not in ("yes", "true", "no", "false"):
        report(reverse[1], "Reverse: must be yes or no")
    reversed_card = reverse is not None and reverse[0].lower() in ("yes", "true")
    if entry.choices:
        return _choice_card(entry, base, question, common, report)
    if entry.typed:
        if reversed_card:
            report(reverse[1], "Reverse: applies to Q:/A: cards only")
        if any(not typed for typed in entry.typed):
            report(entry.line, "T: has no answer")
            return []
        return [
            Card(
                card_key(base),
                Kind.TYPED,
                question,
                entry.typed[0],
                accepted=tuple(entry.typed),
                **common,
            )
        ]
    if not answer:
        report(entry.line, "A: has no answer")
        return []
    if not reversed_card:
        return [Card(card_key(base), Kind.BASIC, question, answer, **common)]
    return [
        Card(card_key(base), Kind.REVERSED, question, answer, **common),
        Card(card_key(base, "reverse"), Kind.REVERSED, answer, question, **common),
    ]


def _choice_card(entry: _Entry, base: str, question: str, common: dict, report) -> list[Card]:
    seen: dict[str, int] = {}
    choices = []
    for correct, text, number in entry.choices:
        folded = " ".join(text.casefold().split())
        if not text:
            report(number, "empty choice")
        elif folded in seen:
            report(number, f"repeated choice {text!r} (first on line {seen[folded]})")
        seen.setdefault(folded, number)
        choices.append(Choice(text, correct))
    if not any(choice.correct for choice in choices):
        report(entry.line, "multiple-choice card has no correct choice (mark one with - [x])")
        return []
    if len(choices) < 2:
        report(entry.line, "multiple-choice card needs at least two choices")
        return []
    answer = "; ".join(choice.text for choice in choices if choice.correct)
    return [Card(card_key(base), Kind.CHOICE, question, answer, choices=tuple(choices), **common)]


def _cloze_cards(entry: _Entry, explicit_id: str | None, common: dict, report) -> list[Card]:
    raw = entry.text("C")
    deletions = list(DELETION.finditer(raw))
    if not deletions:
        report(entry.line, "cloze has no deletion (put the hidden part in [brackets])")
        return []
    base = explicit_id or question_key("c", cloze_skeleton(raw))
    answers = []
    for match in deletions:
        answer, _, hint = match.group(1).partition("::")
        if not answer.strip():
            report(entry.line, "cloze deletion is empty")
            return []
        answers.append((answer.strip(), hint.strip()))
    full = _fill(raw, deletions, [answer for answer, _ in answers])
    cards = []
    for number, (answer, hint) in enumerate(answers, start=1):
        shown = [a if i != number - 1 else "[...]" for i, (a, _) in enumerate(answers)]
        prompt = _fill(raw, deletions, shown)
        key = card_key(base, f"c{number}")
        cards.append(Card(key, Kind.CLOZE, prompt, answer, hint=hint, text=full, **common))
    return cards


def _fill(raw: str, deletions: list[re.Match[str]], texts: list[str]) -> str:
    out, last = [], 0
    for match, text in zip(deletions, texts):
        out.append(raw[last : match.start()])
        out.append(text)
        last = match.end()
    out.append(raw[last:])
    return "".join(out).replace("\\[", "[").replace("\\]", "]")


def _explicit_id(entry: _Entry, report) -> tuple[str | None, bool]:
    if "Id" not in entry.fields:
        return None, True
    value, number = entry.fields["Id"]
    if not _ID.match(value):
        report(number, f"Id: {value!r} must be letters, digits, - or _ (at most 64)")
        return None, False
    return value, True


def _citation(entry: _Entry, report) -> Citation | None:
    if "Source" not in entry.fields:
        return None
    value, number = entry.fields["Source"]
    match = _CITATION.match(value)
    if not match:
        report(number, f"Source: {value!r} is not FILE:LINE or FILE:FIRST-LAST")
        return None
    first = int(match.group(2))
    last = int(match.group(3) or first)
    if first < 1 or last < first:
        report(number, f"Source: line range {first}-{last} is empty")
        return None
    return Citation(match.group(1), first, last)


def _check_repeats(cards: list[Card], report) -> None:
    seen: dict[str, Card] = {}
    for card in cards:
        if card.key in seen:
            report(card.line, f"repeated card: same question or id as line {seen[card.key].line}")
        else:
            seen[card.key] = card
