"""The card on the study screen: how its kind is labelled, and what the learner did with it."""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from textual.content import Content

from trainer.core.cards import Kind
from trainer.core.grading import Rating, Verdict
from trainer.core.sources import Passage
from trainer.store.rows import StudyCard
from trainer.tui.widgets.rendering import cloze_answer, cloze_question, typed_answer

if TYPE_CHECKING:
    from trainer.schedule import Buttons

KIND_LABELS = {
    Kind.BASIC: "Question",
    Kind.REVERSED: "Recall the other side",
    Kind.CLOZE: "Fill in the blank",
    Kind.TYPED: "Type the answer",
    Kind.CHOICE: "Multiple choice",
    Kind.TRUE_FALSE: "True or false?  (t / f)",
}
VERDICT_LINES = {
    Verdict.CORRECT: ("Correct", "bold $success"),
    Verdict.ALMOST: ("Almost: compare with the answer below", "bold $warning"),
    Verdict.WRONG: ("Not quite", "bold $error"),
}


@dataclass
class ShownCard:
    """The card on screen and what the learner has done with it so far."""

    study: StudyCard
    buttons: Buttons
    """What each answer button does to it, worked out when it was shown; its answer takes them."""
    passage: Passage | None
    shown_at: datetime
    order: tuple[int, ...] = ()
    """Multiple choice: the card's choices by their place on screen (shuffled at each showing)."""
    revealed: bool = False
    proposed: Rating = Rating.GOOD
    selected: set[int] = field(default_factory=set)
    """Multiple choice: the places on screen of the options picked."""

    @property
    def intervals(self) -> dict[Rating, timedelta]:
        """How long each button puts the card away for."""
        return self.buttons.intervals

    @property
    def options(self) -> list[str]:
        """The choices in the order shown."""
        choices = self.study.card.choices
        return [choices[index].text for index in self.order]

    @property
    def correct(self) -> frozenset[int]:
        """The places on screen of the correct choices."""
        choices = self.study.card.choices
        return frozenset(place for place, index in enumerate(self.order) if choices[index].correct)

    def question(self) -> tuple[str, Content | str]:
        """The kind's label (for a choice, how to answer it) and the prompt as shown."""
        card = self.study.card
        label = KIND_LABELS[card.kind]
        if card.kind is Kind.CHOICE:
            several = len(card.correct_choices) > 1
            label += "  (pick all that apply, then enter)" if several else "  (press its number)"
        if card.kind is Kind.CLOZE:
            return label, cloze_question(card.prompt, card.hint)
        return label, card.prompt

    def answer_text(self, verdict: Verdict | None, given: str, closest: str) -> Content | str:
        """What the revealed card shows as its answer, by kind; a wrong choice or statement is
        named in words as well as colour, so it reads right without colour."""
        card = self.study.card
        if card.kind is Kind.CLOZE:
            return cloze_answer(card.prompt, card.answer)
        if card.kind is Kind.TYPED and given:
            return typed_answer(
                given,
                closest or card.answer,
                card.answer,
                question=card.prompt,
                strict=self.study.strict_answers,
                verdict=verdict,
            )
        if card.kind is Kind.TRUE_FALSE:
            return Content.assemble("The statement is ", (card.answer, "bold"), ".")
        if card.kind is Kind.CHOICE:
            right = card.correct_choices
            label = "Answer: " if len(right) == 1 else "Answers: "
            return Content.assemble(label, ("; ".join(right), "bold"))
        return card.answer

    def allows(self, action: str, parameters: tuple[object, ...]) -> bool:
        """Whether a study key means something for this card as it stands."""
        kind = self.study.card.kind
        if action in ("accept", "rate"):
            return self.revealed
        if action == "reveal":
            return not self.revealed and (
                kind in (Kind.BASIC, Kind.REVERSED, Kind.CLOZE)
                or (kind is Kind.CHOICE and bool(self.selected))
            )
        if action == "truth":
            return kind is Kind.TRUE_FALSE and not self.revealed
        if action == "choose":
            (number,) = parameters
            choices = len(self.study.card.choices)
            return not self.revealed and kind is Kind.CHOICE and int(str(number)) <= choices
        return True


def shuffled_order(card_choices: int, rng: random.Random) -> tuple[int, ...]:
    """A fresh order for a card's choices: the right one must not always be first."""
    return tuple(rng.sample(range(card_choices), card_choices))
