"""Reading a deck's card entries: the lines after the front matter, turned into `Card`s.

Each entry begins with a card-start key (`Q:`, `C:`, `True:`, `False:`) and gathers the lines
that follow it; `entry_cards` checks it and makes its cards (two for a reversed card, one per
deletion of a cloze). Problems are reported, never raised, so every problem of a file is found.
"""

from __future__ import annotations

import functools
import re
from collections import Counter
from collections.abc import Set
from dataclasses import replace
from typing import Any

from trainer.core.cards import Card, Choice, Citation, Kind
from trainer.core.cloze import MAX_DELETIONS, Deletion, scan_cloze
from trainer.core.deck_syntax import CARD_STARTS, KEY, UNKNOWN_KEY, Report, misspelt_key
from trainer.core.identity import card_key, cloze_skeleton, question_key

_CHOICE = re.compile(r"^\s*[-*]\s+\[([ xX])\]\s+(.*)$")
_CITATION = re.compile(r"^(\S+?):([0-9]+)(?:-([0-9]+))?$")
_LONGEST_LINE_NUMBER = 9
"""Digits of the largest line number a citation may give (no document has a billion lines)."""
MAX_CHOICES = 9
"""The most choices a card may offer: they are answered with the keys 1 to 9."""
_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_TAG_SEPARATORS = re.compile(r"[,\s]+")
_STARTS = frozenset(CARD_STARTS)


class _Entry:
    """A card as it is being read, before it is checked and turned into `Card`s."""

    # A plain class with slots, not a dataclass: a first sync makes one per entry (100,000).
    __slots__ = ("key", "line", "parts", "typed", "choices", "fields", "open_part", "base")

    def __init__(self, key: str, line: int, value: str) -> None:
        self.key = key
        self.line = line
        self.parts: dict[str, list[str]] = {key: [value]}
        self.typed: list[str] = []
        self.choices: list[tuple[bool, str, int]] = []
        self.fields: dict[str, tuple[str, int]] = {}
        self.open_part: str | None = key
        self.base: str | None | bool = False
        """The cloze key (`cloze_base`) once worked out; False until then."""

    def text(self, part: str) -> str:
        lines = self.parts.get(part)
        if not lines:
            return ""
        # A part of one line holds its value stripped already (most parts are one line).
        return lines[0] if len(lines) == 1 else "\n".join(lines).strip()


def read_entries(lines: list[str], start: int, report: Report, first_line: int = 1) -> list[_Entry]:
    """Group body lines into card entries, following the keys at line starts.

    `lines[0]` is line `first_line` of the file (a part of a file is read on its own so).
    """
    entries: list[_Entry] = []
    entry: _Entry | None = None
    key_at = KEY.match  # looked up once: this loop runs for every line of every deck
    for number, line in enumerate(lines[start:] if start else lines, start + first_line):
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
        match = key_at(line)
        if match:
            key, value = match[1], line[match.end() :].strip()
            if key in _STARTS:
                entry = _Entry(key, number, value)
                entries.append(entry)
            elif entry is None:
                report(
                    number, f"{key}: is not inside a card (start one with Q:, C:, True: or False:)"
                )
            else:
                _add_line(entry, key, value, number, report)
            continue
        typo = misspelt_key(line)
        if typo is not None:
            written, meant = typo
            report(number, f"{written}: is not a card key; did you mean {meant}:? "
                   "(indent the line to keep it as text)")  # fmt: skip
            continue
        if entry is None:
            unknown = UNKNOWN_KEY.match(line)
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
            unknown = UNKNOWN_KEY.match(line)
            what = f"unknown card key {unknown.group(1)}:" if unknown else "text outside any part"
            report(number, f"{what} in the card started on line {entry.line}")
    return entries


def _add_line(entry: _Entry, key: str, value: str, number: int, report: Report) -> None:
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


def cloze_base(entry: _Entry) -> str | None:
    """The key a cloze entry without an `Id:` derives from its text outside the brackets."""
    if entry.base is False:
        entry.base = (
            None
            if entry.key != "C" or "Id" in entry.fields
            else question_key("c", cloze_skeleton(entry.text("C")))
        )
    return entry.base  # type: ignore[return-value]


def shared_bases(entries: list[_Entry]) -> set[str]:
    """The cloze keys several entries derive: such entries' cards are told apart card by card."""
    bases = Counter(base for entry in entries if (base := cloze_base(entry)))
    return {base for base, count in bases.items() if count > 1}


def entry_cards(
    entry: _Entry, deck_tags: tuple[str, ...], report: Report, shared: Set[str] = frozenset()
) -> list[Card]:
    """Check one entry and turn it into its cards (two for reversed, one per cloze deletion).

    `shared` holds the cloze keys (see `cloze_base`) that several entries of the deck derive.
    """
    fields = entry.fields
    explicit_id, id_ok = _explicit_id(entry, report) if "Id" in fields else (None, True)
    source = _citation(entry, report) if "Source" in fields else None
    if "Tags" in fields:
        own = _TAG_SEPARATORS.split(fields["Tags"][0])
        tags = tuple(dict.fromkeys(deck_tags + tuple(tag for tag in own if tag)))
    else:
        tags = _unique(deck_tags)
    common: dict[str, Any] = {
        "tags": tags,
        "source": source,
        "note": entry.text("Note"),
        "line": entry.line,
    }
    if not id_ok:
        return []
    if entry.key == "Q":
        return _question_cards(entry, explicit_id, common, report)
    if "A" in entry.parts or entry.typed or entry.choices:
        report(entry.line, f"{entry.key}: card takes no A:, T: or choices (did you mean Q:?)")
        return []
    if entry.key == "C":
        return _cloze_cards(entry, explicit_id, common, report, shared)
    statement = entry.text(entry.key)
    if not statement:
        report(entry.line, f"{entry.key}: has no statement")
        return []
    key = card_key(explicit_id or question_key("truefalse", statement))
    return [Card(key, Kind.TRUE_FALSE, statement, entry.key.lower(), **common)]


@functools.lru_cache(maxsize=256)
def _unique(tags: tuple[str, ...]) -> tuple[str, ...]:
    # Most entries carry just their deck's tags: those are made unique once per deck.
    return tuple(dict.fromkeys(tags))


def _question_cards(
    entry: _Entry, explicit_id: str | None, common: dict, report: Report
) -> list[Card]:
    question = entry.text("Q")
    answer = entry.text("A")
    reverse = entry.fields.get("Reverse")
    if not question:
        report(entry.line, "Q: has no question")
        return []
    has_answer, typed, choices = "A" in entry.parts, bool(entry.typed), bool(entry.choices)
    if not (has_answer or typed or choices):
        report(entry.line, "question has no answer (add A:, T: or a - [x] choice list)")
        return []
    if has_answer + typed + choices > 1:
        kinds = [name for name, present in (("A:", has_answer), ("T:", typed),
                 ("choices", choices)) if present]  # fmt: skip
        report(entry.line, f"question mixes {' and '.join(kinds)}; a card takes one kind of answer")
        return []
    base = explicit_id or question_key("q", question)
    if reverse is not None and reverse[0].lower() not in ("yes", "true", "no", "false"):
        report(reverse[1], "Reverse: must be yes or no")
    reversed_card = reverse is not None and reverse[0].lower() in ("yes", "true")
    if entry.choices:
        return _choice_card(entry, base, question, common, report)
    if entry.typed:
        if reverse is not None and reversed_card:
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


def _choice_card(
    entry: _Entry, base: str, question: str, common: dict, report: Report
) -> list[Card]:
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
    if len(choices) > MAX_CHOICES:
        report(
            entry.line,
            f"multiple-choice card has {len(choices)} choices; keys 1-9 answer at most "
            f"{MAX_CHOICES}",
        )
        return []
    answer = "; ".join(choice.text for choice in choices if choice.correct)
    return [Card(card_key(base), Kind.CHOICE, question, answer, choices=tuple(choices), **common)]


def _cloze_cards(
    entry: _Entry, explicit_id: str | None, common: dict, report: Report, shared: Set[str]
) -> list[Card]:
    raw = entry.text("C")
    deletions, problems = scan_cloze(raw)
    if problems:
        joined = "\n".join(entry.parts["C"])
        lead = len(joined) - len(joined.lstrip())
        for offset, message in problems:
            report(entry.line + joined[: lead + offset].count("\n"), message)
        return []
    if not deletions:
        report(entry.line, "cloze has no deletion (put the hidden part in [brackets])")
        return []
    if len(deletions) > MAX_DELETIONS:
        # Each deletion is a card holding the whole text: thousands would be quadratic work.
        report(
            entry.line,
            f"cloze has {len(deletions)} deletions; one cloze takes at most {MAX_DELETIONS} "
            "(split it)",
        )
        return []
    base = explicit_id or cloze_base(entry) or ""  # one of the two is set
    answers = []
    for deletion in deletions:
        answer, _, hint = deletion.inside.partition("::")
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
        if base in shared and explicit_id is None:
            # Its own question (the text with only this deletion hidden) tells it apart from
            # the other entry's cards, and editing this deletion's answer leaves it unchanged.
            # With one deletion the question is the other entry's too: only the answer differs.
            own = prompt if len(answers) > 1 else f"{prompt}\0{answer}"
            key = card_key(question_key("c", own), f"c{number}")
            # Its key no longer names its entry: say which entry it is, for its siblings.
            common = {**common, "entry_key": question_key("c", full)}
        cards.append(Card(key, Kind.CLOZE, prompt, answer, hint=hint, text=full, **common))
    return cards


def _fill(raw: str, deletions: list[Deletion], texts: list[str]) -> str:
    out, last = [], 0
    for deletion, text in zip(deletions, texts):
        out.append(raw[last : deletion.start])
        out.append(text)
        last = deletion.end
    out.append(raw[last:])
    return "".join(out).replace("\\[", "[").replace("\\]", "]")


def _explicit_id(entry: _Entry, report: Report) -> tuple[str | None, bool]:
    if "Id" not in entry.fields:
        return None, True
    value, number = entry.fields["Id"]
    if not _ID.match(value):
        report(number, f"Id: {value!r} must be letters, digits, - or _ (at most 64)")
        return None, False
    return value, True


def _citation(entry: _Entry, report: Report) -> Citation | None:
    if "Source" not in entry.fields:
        return None
    value, number = entry.fields["Source"]
    match = _CITATION.match(value)
    if not match:
        report(number, f"Source: {value!r} is not FILE:LINE or FILE:FIRST-LAST")
        return None
    longest = max(len(match.group(2)), len(match.group(3) or ""))
    if longest > _LONGEST_LINE_NUMBER:
        # Checked before int(): Python refuses to convert more than 4,300 digits, and SQLite
        # cannot store a number past 19.
        report(number, f"Source: a line number of {longest} digits is past the end of any document")
        return None
    first = int(match.group(2))
    last = int(match.group(3) or first)
    if first < 1 or last < first:
        report(number, f"Source: line range {first}-{last} is empty")
        return None
    return Citation(match.group(1), first, last)


def check_repeats(cards: list[Card], report: Report) -> list[Card]:
    """The cards with exact copies left out (as hashcards does); a card that repeats another's
    question or id with a different answer is reported."""
    seen: dict[str, Card] = {}
    kept = []
    for card in cards:
        first = seen.get(card.key)
        if first is None:
            seen[card.key] = card
            kept.append(card)
        elif replace(card, line=first.line) != first:
            report(card.line, f"repeated card: same question or id as line {first.line}")
    return kept
