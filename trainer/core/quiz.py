"""Building a quiz: questions in mixed formats made from a deck's cards.

Multiple-choice options are the card's answer and distractors drawn from answers of the same
shape in the same deck (years with years, numbers with numbers, names with names), never equal
to the right answer and never repeated. A true-or-false question pairs a question with its own
answer or with a sibling's answer of the same shape.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trainer.core.cards import Card, Kind
from trainer.core.grading import Check, Verdict, check_typed, normalise

DEFAULT_QUESTIONS = 20
TYPED_ANSWER_LIMIT = 40
"""Longer answers are not asked as typed questions: nobody should have to type a paragraph."""

_YEAR = re.compile(r"^(1[0-9]|20)\d{2}$")
_NUMBER = re.compile(
    r"^\$?\d[\d,.]*\s*(%|percent|per cent)?\s*([a-z]+(?: [a-z]+)?)?$", re.IGNORECASE
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&.-]{1,9}s?$")
_HAS_YEAR = re.compile(r"\b(1[0-9]|20)\d{2}\b")
_MONTHS = set(
    "january february march april may june july august september october november december".split()
)
_NUMBER_WORDS = set(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion dozen""".split()
)


class Format(StrEnum):
    """How a quiz question is put."""

    CHOICE = "choice"
    TRUE_FALSE = "truefalse"
    TYPED = "typed"


@dataclass(frozen=True)
class QuizCard:
    """A card offered to the quiz builder: its id, its deck and what it says."""

    id: int
    deck_id: int
    card: Card
    strict: bool = False
    """Whether the card's deck compares typed answers exactly."""


@dataclass(frozen=True)
class QuizQuestion:
    """One question of a quiz."""

    card_id: int
    format: Format
    prompt: str
    answer: str
    """The right answer as the learner should learn it."""
    options: tuple[str, ...] = ()
    """Choice: the options shown. True/false: empty."""
    correct: frozenset[int] = frozenset()
    """Choice: indexes of the correct options."""
    claim: str = ""
    """True/false: the answer proposed for the question."""
    claim_is_true: bool = True
    accepted: tuple[str, ...] = ()
    """Typed: every accepted answer."""
    strict: bool = False

    def check_typed(self, text: str) -> Check:
        """Grade a typed answer, saying which accepted answer it came closest to."""
        return check_typed(
            text, self.accepted or (self.answer,), strict=self.strict, question=self.prompt
        )

    def check(self, response: str | set[int] | bool) -> Verdict:
        """Grade a response: typed text, a set of chosen option indexes, or True/False."""
        if self.format is Format.TYPED:
            return self.check_typed(str(response)).verdict
        if self.format is Format.CHOICE:
            return Verdict.CORRECT if response == set(self.correct) else Verdict.WRONG
        return Verdict.CORRECT if response is self.claim_is_true else Verdict.WRONG


def answer_shape(answer: str) -> str:
    """The kind of thing an answer is, so distractors can be of the same kind.

    `year`, `date`, `percent`, `number:<unit>`, `acronym`, `name`, or `text:<figures|short|long>`.
    """
    text = answer.strip().rstrip(".")
    if _YEAR.match(text):
        return "year"
    words = text.split()
    folded = [word.strip(",").casefold() for word in words]
    if _HAS_YEAR.search(text) and any(word in _MONTHS for word in folded):
        return "date"
    if words and all(part in _NUMBER_WORDS for word in folded for part in word.split("-")):
        return "number:words"
    number = _NUMBER.match(text)
    if number:
        if number.group(1):
            return "percent"
        return f"number:{(number.group(2) or '').lower()}"
    if _ACRONYM.match(text):
        return "acronym"
    if any(ch.isdigit() for ch in text):
        return "text:figures"
    if 0 < len(words) <= 6 and all(
        word[:1].isupper() or word.islower() and len(word) <= 3 for word in words
    ):
        return "name"
    return "text:short" if len(words) <= 6 else "text:long"


def distractors(answer: str, pool: Sequence[str], count: int, rng: random.Random) -> list[str]:
    """Up to `count` answers from `pool` of the same shape as `answer`, distinct and not equal to it."""
    shape = answer_shape(answer)
    family = shape.split(":")[0]
    seen = {normalise(answer)}
    exact, near = [], []
    for candidate in pool:
        folded = normalise(candidate)
        if folded in seen or not folded:
            continue
        seen.add(folded)
        candidate_shape = answer_shape(candidate)
        if candidate_shape == shape:
            exact.append(candidate)
        elif family in ("number", "text") and candidate_shape.split(":")[0] == family:
            near.append(candidate)
    rng.shuffle(exact)
    rng.shuffle(near)
    return (exact + near)[:count]


def build_quiz(
    cards: Sequence[QuizCard],
    count: int = DEFAULT_QUESTIONS,
    rng: random.Random | None = None,
) -> list[QuizQuestion]:
    """Pick up to `count` cards and put each as a choice, true/false or typed question, in turn."""
    rng = rng or random.Random()
    pools: dict[int, list[str]] = {}
    for quiz_card in cards:
        if quiz_card.card.kind not in (Kind.CHOICE, Kind.TRUE_FALSE):
            pools.setdefault(quiz_card.deck_id, []).append(quiz_card.card.answer)
    chosen = rng.sample(list(cards), min(count, len(cards)))
    formats = [Format.CHOICE, Format.TRUE_FALSE, Format.TYPED]
    questions = []
    for index, quiz_card in enumerate(chosen):
        wanted = formats[index % len(formats)]
        questions.append(_question(quiz_card, wanted, pools.get(quiz_card.deck_id, []), rng))
    return questions


def _question(
    quiz_card: QuizCard, wanted: Format, pool: list[str], rng: random.Random
) -> QuizQuestion:
    card, card_id = quiz_card.card, quiz_card.id
    if card.kind is Kind.CHOICE:
        options = list(card.choices)
        rng.shuffle(options)
        correct = frozenset(i for i, choice in enumerate(options) if choice.correct)
        return QuizQuestion(
            card_id,
            Format.CHOICE,
            card.prompt,
            card.answer,
            tuple(c.text for c in options),
            correct,
        )
    if card.kind is Kind.TRUE_FALSE:
        truth = card.answer == "true"
        return QuizQuestion(
            card_id, Format.TRUE_FALSE, card.prompt, card.note or card.answer, claim_is_true=truth
        )
    typed_ok = len(card.answer) <= TYPED_ANSWER_LIMIT
    order = {Format.CHOICE: [Format.CHOICE, Format.TRUE_FALSE, Format.TYPED],
             Format.TRUE_FALSE: [Format.TRUE_FALSE, Format.CHOICE, Format.TYPED],
             Format.TYPED: [Format.TYPED, Format.CHOICE, Format.TRUE_FALSE]}[wanted]  # fmt: skip
    for candidate in order:
        if candidate is Format.TYPED and typed_ok:
            return QuizQuestion(
                card_id,
                Format.TYPED,
                card.prompt,
                card.answer,
                accepted=card.accepted or (card.answer,),
                strict=quiz_card.strict,
            )
        wrong = distractors(card.answer, pool, 3, rng)
        if candidate is Format.CHOICE and len(wrong) >= 2:
            texts = [card.answer, *wrong]
            rng.shuffle(texts)
            return QuizQuestion(
                card_id,
                Format.CHOICE,
                card.prompt,
                card.answer,
                tuple(texts),
                frozenset({texts.index(card.answer)}),
            )
        if candidate is Format.TRUE_FALSE and wrong:
            truthful = rng.random() < 0.5
            claim = card.answer if truthful else wrong[0]
            return QuizQuestion(
                card_id,
                Format.TRUE_FALSE,
                card.prompt,
                card.answer,
                claim=claim,
                claim_is_true=truthful,
            )
    # No distractor of the same shape and too long to type: ask it as its own true statement.
    return QuizQuestion(
        card_id, Format.TRUE_FALSE, card.prompt, card.answer, claim=card.answer, claim_is_true=True
    )
