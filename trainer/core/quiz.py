"""Building a quiz: questions in mixed formats made from a deck's cards.

Multiple-choice options are the card's answer and wrong options of the same kind
(`trainer.core.distractors`): other answers of the same deck first (of at most `POOL_CARDS` of
its cards, drawn for each quiz), never equal to the right answer and never repeated. A
true-or-false question pairs a question with its own answer or with a wrong option of the same
kind. The options of a multiple-choice card are shuffled.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trainer.core.cards import Card, Kind
from trainer.core.distractors import Candidate, Options, pick_distractors, tidy
from trainer.core.grading import Check, Verdict, check_typed

DEFAULT_QUESTIONS = 20
WRONG_OPTIONS = 3
"""A multiple-choice question offers the answer and three wrong options when the deck has them."""
TYPED_ANSWER_LIMIT = 40
"""Longer answers are not asked as typed questions: nobody should have to type a paragraph."""
POOL_CARDS = 300
"""The most cards of one deck whose answers a quiz weighs as wrong options (drawn at random
from a larger deck): enough of each kind, where weighing all 20,000 of a deck took seconds."""


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


def build_quiz(
    cards: Sequence[QuizCard],
    count: int = DEFAULT_QUESTIONS,
    rng: random.Random | None = None,
) -> list[QuizQuestion]:
    """Pick up to `count` cards and put each as a choice, true/false or typed question, in turn;
    the wrong options come from the cards of each one's deck (`pool_sample`)."""
    rng = rng or random.Random()
    by_deck: dict[int, list[QuizCard]] = {}
    for quiz_card in cards:
        by_deck.setdefault(quiz_card.deck_id, []).append(quiz_card)
    chosen = rng.sample(list(cards), min(count, len(cards)))
    pools = {}
    for deck in dict.fromkeys(quiz_card.deck_id for quiz_card in chosen):
        deck_cards = by_deck[deck]
        pools[deck] = [
            candidate
            for index in pool_sample(len(deck_cards), rng)
            for candidate in candidates_of(deck_cards[index].card)
        ]
    return ask(chosen, pools, rng)


def pool_sample(size: int, rng: random.Random) -> Sequence[int]:
    """Which of a deck's `size` cards (by their place in the order of their ids) give a quiz its
    wrong options: all of them, or `POOL_CARDS` drawn with `rng` from a larger deck. A quiz
    draws its cards first, then the pool of each one's deck in the order the cards came."""
    if size <= POOL_CARDS:
        return range(size)
    return sorted(rng.sample(range(size), POOL_CARDS))


def ask(
    chosen: Sequence[QuizCard], pools: dict[int, list[Candidate]], rng: random.Random
) -> list[QuizQuestion]:
    """Each chosen card put as a choice, true/false or typed question, in turn, its wrong
    options drawn from its deck's pool (by deck id)."""
    formats = [Format.CHOICE, Format.TRUE_FALSE, Format.TYPED]
    options = {deck: Options(pool) for deck, pool in pools.items()}
    return [
        _question(card, formats[index % len(formats)], options.get(card.deck_id, _NONE), rng)
        for index, card in enumerate(chosen)
    ]


_NONE = Options(())
"""The pool of a deck that offers no wrong options."""


def candidates_of(card: Card) -> list[Candidate]:
    """What a card offers other questions as wrong options: its answer, or its choices."""
    return candidates(
        card.kind,
        card.prompt,
        card.answer,
        [choice.text for choice in card.choices],
        card.source.document if card.source else "",
    )


def candidates(
    kind: Kind, prompt: str, answer: str, choices: Sequence[str], topic: str
) -> list[Candidate]:
    """What a card of this kind, question, answer, choices and cited document (its topic)
    offers other questions as wrong options: its answer, or its choices."""
    if kind is Kind.TRUE_FALSE:
        return []
    if kind is Kind.CHOICE:
        # An author's options are answers of one kind: good wrong options for each other.
        return [Candidate(text, prompt, topic) for text in choices]
    return [Candidate(answer, prompt, topic)]


def _question(
    quiz_card: QuizCard, wanted: Format, pool: Options, rng: random.Random
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
        wrong = pick_distractors(
            card.answer,
            pool,
            WRONG_OPTIONS,
            rng,
            question=card.prompt,
            topic=card.source.document if card.source else "",
            avoid=card.accepted,
        )
        if candidate is Format.CHOICE and len(wrong) >= 2:
            right = tidy(card.answer)
            texts = [right, *wrong]
            rng.shuffle(texts)
            return QuizQuestion(
                card_id,
                Format.CHOICE,
                card.prompt,
                card.answer,
                tuple(texts),
                frozenset({texts.index(right)}),
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
