"""Our decks out as Anki notes: one note per card entry, of the stock note type of its kind.

Shared by both exports (`.apkg` through genanki, and Anki's notes text). A card entry's cards
(both sides of a reversed card, every deletion of a cloze) are gathered back into one note;
its GUID is the entry's id, so importing the export again finds the same cards. Markdown
emphasis and media references become Anki's HTML again.
"""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

from trainer.core.cards import Card, Deck, Kind

BASIC, REVERSED, TYPED, CLOZE = (
    "Basic",
    "Basic (and reversed card)",
    "Basic (type in the answer)",
    "Cloze",
)
FIELDS = {
    BASIC: ("Front", "Back", "Note"),
    REVERSED: ("Front", "Back", "Note"),
    TYPED: ("Front", "Back", "Note"),
    CLOZE: ("Text", "Back Extra"),
}
"""Each note type's fields: the stock ones, plus `Note` for the text shown after the answer."""
_IMAGE = re.compile(r"!\[[^\]\n]*\]\(<?media/([^)>\n]+)>?\)")
_SOUND = re.compile(r"\[sound: [^\]\n]*\]\(<?media/([^)>\n]+)>?\)")
_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![*\w])\*(?=\S)(.+?)(?<=\S)\*(?![*\w])")


@dataclass(frozen=True)
class AnkiNote:
    """One note to export."""

    guid: str
    note_type: str
    fields: tuple[str, ...]
    """HTML field values, in `FIELDS[note_type]` order."""
    tags: tuple[str, ...]
    deck: str
    media: tuple[Path, ...] = ()
    """Media files its fields refer to, as found beside the deck file."""


def to_html(text: str) -> str:
    """Our Markdown text as Anki HTML: escaped, emphasis as tags, media as `<img>`/`[sound:]`."""
    out = html.escape(text, quote=False)
    out = _IMAGE.sub(lambda match: f'<img src="{html.escape(match.group(1))}">', out)
    out = _SOUND.sub(lambda match: f"[sound:{match.group(1)}]", out)
    out = _BOLD.sub(r"<b>\1</b>", out)
    out = _ITALIC.sub(r"<i>\1</i>", out)
    return out.replace("\n", "<br>")


def _media(deck: Deck, texts: Iterable[str]) -> tuple[Path, ...]:
    folder = deck.path.parent / "media"
    names = {
        match.group(1)
        for text in texts
        for pattern in (_IMAGE, _SOUND)
        for match in pattern.finditer(text)
    }
    return tuple(folder / name for name in sorted(names) if (folder / name).is_file())


def _cloze(cards: list[Card]) -> str:
    """The cloze text with Anki's `{{cN::answer::hint}}` deletions, rebuilt from its cards.

    Each card's prompt is the full text with only its own deletion masked, so where `[...]`
    stands in it is where that deletion starts in the full text.
    """
    full = cards[0].text
    spans = []
    for number, card in enumerate(cards, start=1):
        start = card.prompt.find("[...]")
        if start < 0 or full[start : start + len(card.answer)] != card.answer:
            continue
        spans.append((start, start + len(card.answer), number, card.hint))
    out, last = [], 0
    for start, end, number, hint in sorted(spans):
        out.append(to_html(full[last:start]))
        answer = to_html(full[start:end])
        out.append(
            f"{{{{c{number}::{answer}::{html.escape(hint)}}}}}"
            if hint
            else f"{{{{c{number}::{answer}}}}}"
        )
        last = end
    out.append(to_html(full[last:]))
    return "".join(out)


def anki_notes(decks: Iterable[Deck]) -> tuple[list[AnkiNote], dict[str, int]]:
    """Every card entry of `decks` as an Anki note, and how many entries became plain Basic
    notes because Anki has no note type of their kind (multiple choice, true or false)."""
    notes: list[AnkiNote] = []
    approximated: dict[str, int] = {}
    for deck in decks:
        entries: dict[str, list[Card]] = {}
        for card in deck.cards:
            entries.setdefault(card.key.split(":")[0], []).append(card)
        for guid, cards in entries.items():
            first = cards[0]
            tags = tuple(tag.replace(" ", "_") for tag in first.tags)
            texts = [first.prompt, first.answer, first.note, first.text]
            note = to_html(first.note)
            if first.kind is Kind.CLOZE:
                fields: tuple[str, ...] = (_cloze(cards), note)
                note_type = CLOZE
            elif first.kind is Kind.REVERSED:
                fields, note_type = (to_html(first.prompt), to_html(first.answer), note), REVERSED
            elif first.kind is Kind.TYPED:
                fields, note_type = (to_html(first.prompt), to_html(first.answer), note), TYPED
            elif first.kind is Kind.BASIC:
                fields, note_type = (to_html(first.prompt), to_html(first.answer), note), BASIC
            else:
                approximated[first.kind.value] = approximated.get(first.kind.value, 0) + 1
                question = first.prompt
                if first.kind is Kind.CHOICE:
                    question += "\n" + "\n".join(f"- {choice.text}" for choice in first.choices)
                else:
                    question += "\n(true or false?)"
                answer = (
                    first.answer.capitalize() if first.kind is Kind.TRUE_FALSE else first.answer
                )
                fields, note_type = (to_html(question), to_html(answer), note), BASIC
            notes.append(AnkiNote(guid, note_type, fields, tags, deck.name, _media(deck, texts)))
    return notes, approximated
