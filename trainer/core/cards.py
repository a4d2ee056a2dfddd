"""What a deck file holds once parsed: frozen cards, their citations and the deck's settings."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from trainer.core.schedule_settings import Schedule


class Kind(StrEnum):
    """The ways a card can ask its question."""

    BASIC = "basic"
    REVERSED = "reversed"
    CLOZE = "cloze"
    TYPED = "typed"
    CHOICE = "choice"
    TRUE_FALSE = "truefalse"


@dataclass(frozen=True)
class Citation:
    """The document and lines that support a card's answer."""

    document: str
    first_line: int
    last_line: int

    def __str__(self) -> str:
        if self.first_line == self.last_line:
            return f"{self.document}:{self.first_line}"
        return f"{self.document}:{self.first_line}-{self.last_line}"


@dataclass(frozen=True)
class Choice:
    """One option of a multiple-choice card."""

    text: str
    correct: bool


@dataclass(frozen=True)
class Card:
    """One thing the learner is asked, as the deck file states it.

    A reversed entry gives two cards and a cloze gives one card per deletion; each has its own key.
    """

    key: str
    """Stable identity: survives edits of the answer, moves within the file and file renames."""
    kind: Kind
    prompt: str
    """What the learner sees: the question, the masked cloze text or the statement."""
    answer: str
    """The right answer: answer text, the cloze deletion, the correct choices, `true` or `false`."""
    line: int
    """The line of the deck file where the card starts."""
    accepted: tuple[str, ...] = ()
    """Typed cards: every accepted answer, the canonical one first."""
    choices: tuple[Choice, ...] = ()
    """Multiple-choice cards: the options in the author's order."""
    hint: str = ""
    """Cloze cards: the hint written after `::`."""
    note: str = ""
    """Extra text shown after the answer (for a false statement, what is true)."""
    tags: tuple[str, ...] = ()
    source: Citation | None = None
    text: str = ""
    """Cloze cards: the whole text with every deletion's answer filled in."""
    entry_key: str = ""
    """The entry the card came from, when its key does not tell (see `identity.sibling_group`):
    cards of one entry are siblings."""

    @property
    def correct_choices(self) -> tuple[str, ...]:
        """The texts of the correct choices of a multiple-choice card."""
        return tuple(choice.text for choice in self.choices if choice.correct)


@dataclass(frozen=True)
class Deck:
    """A parsed deck file."""

    path: Path
    name: str
    description: str = ""
    tags: tuple[str, ...] = ()
    sources: tuple[str, ...] = ()
    schedule: Schedule = field(default_factory=Schedule)
    strict_answers: bool = False
    bury_siblings: bool = True
    """Once one card of an entry is answered, keep its siblings back until the next study day."""
    cards: tuple[Card, ...] = ()
