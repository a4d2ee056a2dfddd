"""Writing cards out as a deck file in our format, each card stamped with its `Id:`.

Used by importers: whatever text a foreign note holds, the file written must read back as the
same cards. So a line that the parser would take for a key, a heading, a card break or a choice
is written so that it reads as text (see `_literal`), and `write_deck_text`'s output is checked
by parsing it before anything is written to disk (`trainer.importing.deck_plan`).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from trainer.core.cards import Kind
from trainer.core.deck_syntax import KEY

_ID = re.compile(r"^[A-Za-z0-9_-]{1,64}$")
_CHOICE_LIKE = re.compile(r"^(\s*)[-*](\s+\[[ xX]\])")


@dataclass(frozen=True)
class Entry:
    """One card entry to write: a question and answer, a reversed pair, a typed card or a cloze."""

    id: str
    kind: Kind
    question: str
    """The question, or the cloze text with its `[deletions]`."""
    answer: str = ""
    """The answer (for a typed card, the one accepted answer); empty for a cloze."""
    note: str = ""
    tags: tuple[str, ...] = ()


def safe_id(foreign: str) -> str:
    """An `Id:` for a foreign identity: itself when it is a valid id, else a stable hash of it."""
    if _ID.match(foreign):
        return foreign
    return "a" + hashlib.blake2b(foreign.encode(), digest_size=8).hexdigest()


def _literal(text: str, *, question: bool = False) -> str:
    """Text that reads back as itself inside a card part, whatever its lines look like."""
    lines = []
    for line in text.strip().splitlines():
        if KEY.match(line) or line.startswith("#"):
            line = " " + line  # a key or a heading only counts at the very start of a line
        elif line.strip() == "---":
            line = "- - -"
        elif question and _CHOICE_LIKE.match(line):
            line = _CHOICE_LIKE.sub(r"\1•\2", line)  # else a question line reads as a choice
        lines.append(line.rstrip())
    return "\n".join(lines)


def entry_text(entry: Entry) -> str:
    """The lines of one card entry, ending with its `Id:`."""
    out: list[str] = []
    if entry.kind is Kind.CLOZE:
        out.append(f"C: {_literal(entry.question)}")
    else:
        out.append(f"Q: {_literal(entry.question, question=True)}")
        if entry.kind is Kind.TYPED:
            out.append(f"T: {' '.join(entry.answer.split())}")
        else:
            out.append(f"A: {_literal(entry.answer)}")
        if entry.kind is Kind.REVERSED:
            out.append("Reverse: yes")
    if entry.tags:
        out.append(f"Tags: {', '.join(entry.tags)}")
    if entry.note.strip():
        out.append(f"Note: {_literal(entry.note)}")
    out.append(f"Id: {entry.id}")
    return "\n".join(out)


def write_deck_text(name: str, entries: Iterable[Entry], description: str = "") -> str:
    """A whole deck file: front matter with the deck's name, then the entries, `---` between."""
    # JSON strings are valid TOML basic strings: quotes, backslashes and controls escaped.
    head = ["+++", f"name = {json.dumps(name, ensure_ascii=False)}"]
    if description:
        head.append(f"description = {json.dumps(description, ensure_ascii=False)}")
    head.append("+++")
    body = "\n\n---\n\n".join(entry_text(entry) for entry in entries)
    return "\n".join(head) + "\n\n" + body + "\n"
