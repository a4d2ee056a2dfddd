"""Building quizzes: options of the answer's kind, fair true-or-false claims, short typed answers.

How answers are classified and wrong options chosen is tested in `test_distractors.py`.
"""

from __future__ import annotations

import random

from trainer.core.answer_kinds import kind_of
from trainer.core.cards import Card, Choice, Kind
from trainer.core.grading import Verdict, normalise
from trainer.core.quiz import (
    DEFAULT_QUESTIONS,
    TYPED_ANSWER_LIMIT,
    Format,
    QuizCard,
    QuizQuestion,
    build_quiz,
)

SEEDS = range(25)

YEARS = ["1958", "1981", "1776", "2001", "1867"]
NUMBERS = ["9,000", "42", "3.5 million", "120", "7"]
NAMES = ["Ottawa", "Colorado Springs", "Paris", "Tokyo", "Nairobi"]
PHRASES = ["to watch the skies", "because it was cheaper", "it rained all week"]
POOL = YEARS + NUMBERS + NAMES + PHRASES


def quiz_card(
    card_id: int,
    answer: str,
    *,
    deck: int = 1,
    kind: Kind = Kind.BASIC,
    accepted: tuple[str, ...] = (),
    choices: tuple[Choice, ...] = (),
    note: str = "",
) -> QuizCard:
    card = Card(
        key=f"card-{card_id}",
        kind=kind,
        prompt=f"Question {card_id}?",
        answer=answer,
        line=card_id,
        accepted=accepted,
        choices=choices,
        note=note,
    )
    return QuizCard(card_id, deck, card)


def deck_of(answers: list[str], deck: int = 1, first_id: int = 1) -> list[QuizCard]:
    return [quiz_card(first_id + i, answer, deck=deck) for i, answer in enumerate(answers)]


def test_choice_questions_offer_the_answer_once_among_its_own_decks_answers() -> None:
    cards = deck_of(NAMES) + deck_of(["Lima", "Quito", "Bogota", "Caracas"], deck=2, first_id=50)
    decks = {card.id: card.deck_id for card in cards}
    answers = {card.id: card.card.answer for card in cards}
    seen_choice = False
    for seed in SEEDS:
        for question in build_quiz(cards, rng=random.Random(seed)):
            if question.format is not Format.CHOICE:
                continue
            seen_choice = True
            options = question.options
            assert options.count(question.answer) == 1
            assert question.correct == frozenset({options.index(question.answer)})
            assert len({normalise(option) for option in options}) == len(options) == 4
            own_deck = {a for i, a in answers.items() if decks[i] == decks[question.card_id]}
            assert set(options) <= own_deck
            assert question.check(set(question.correct)) is Verdict.CORRECT
            assert question.check({(min(question.correct) + 1) % len(options)}) is Verdict.WRONG
    assert seen_choice


def test_true_false_pairs_a_question_with_its_own_or_a_siblings_answer() -> None:
    cards = deck_of(YEARS + NAMES) + deck_of(["1066", "1492"], deck=2, first_id=50)
    by_id = {card.id: card for card in cards}
    claims = {True: 0, False: 0}
    for seed in SEEDS:
        for question in build_quiz(cards, rng=random.Random(seed)):
            if question.format is not Format.TRUE_FALSE:
                continue
            own = by_id[question.card_id]
            siblings = {c.card.answer for c in cards if c.deck_id == own.deck_id and c is not own}
            claims[question.claim_is_true] += 1
            if question.claim_is_true:
                assert question.claim == own.card.answer
            else:
                # A sibling's answer of the same kind; for a year with no near year in its
                # deck (1066 is no option for 1492), a year made near it.
                made_near = (
                    question.claim.isdigit()
                    and abs(
                        int(question.claim)
                        - int(own.card.answer if own.card.answer.isdigit() else 0)
                    )
                    <= 12
                )
                assert question.claim in siblings or made_near
                assert normalise(question.claim) != normalise(own.card.answer)
                assert kind_of(question.claim).name == kind_of(own.card.answer).name
            assert question.answer == own.card.answer
            assert question.check(question.claim_is_true) is Verdict.CORRECT
            assert question.check(not question.claim_is_true) is Verdict.WRONG
    assert claims[True] and claims[False]


def test_cards_that_are_already_choices_or_statements_keep_their_form() -> None:
    choices = (Choice("Canada", True), Choice("Mexico", False), Choice("United States", True))
    cards = [
        quiz_card(1, "Canada; United States", kind=Kind.CHOICE, choices=choices),
        quiz_card(2, "false", kind=Kind.TRUE_FALSE, note="It was 1958."),
        quiz_card(3, "true", kind=Kind.TRUE_FALSE),
    ]
    for seed in SEEDS:
        questions = {q.card_id: q for q in build_quiz(cards, rng=random.Random(seed))}
        choice = questions[1]
        assert choice.format is Format.CHOICE
        assert sorted(choice.options) == ["Canada", "Mexico", "United States"]
        assert {choice.options[i] for i in choice.correct} == {"Canada", "United States"}
        assert questions[2].format is Format.TRUE_FALSE
        assert (questions[2].claim_is_true, questions[2].answer) == (False, "It was 1958.")
        assert (questions[3].format, questions[3].claim_is_true) == (Format.TRUE_FALSE, True)


def test_typed_questions_are_asked_only_for_short_answers() -> None:
    long_answer = "x" * (TYPED_ANSWER_LIMIT + 1)
    cards = [
        quiz_card(1, long_answer),
        quiz_card(2, "Because the treaty said so, in writing, twice over and then more."),
        *deck_of(["1958", "1981", "Ottawa"], first_id=3),
    ]
    typed_seen = set()
    for seed in SEEDS:
        for question in build_quiz(cards, rng=random.Random(seed)):
            if question.format is Format.TYPED:
                assert len(question.answer) <= TYPED_ANSWER_LIMIT
                typed_seen.add(question.card_id)
    assert typed_seen  # short answers are typed when their turn comes


def test_typed_questions_accept_every_alternative() -> None:
    # Formats take turns: with three cards, the typed one is sometimes the typed question.
    typed = quiz_card(1, "9,000", kind=Kind.TYPED, accepted=("9,000", "nine thousand"))
    cards = [typed, *deck_of(["Ottawa", "Paris"], first_id=2)]
    question = QuizQuestion(
        1, Format.TYPED, "How long?", "9,000", accepted=("9,000", "nine thousand")
    )
    assert question.check("9000") is Verdict.CORRECT
    assert question.check("Nine Thousand") is Verdict.CORRECT
    assert question.check("8000") is Verdict.WRONG
    built = [q for seed in SEEDS for q in build_quiz(cards, rng=random.Random(seed))]
    typed_questions = [q for q in built if q.format is Format.TYPED and q.card_id == 1]
    assert typed_questions
    assert {q.accepted for q in typed_questions} == {("9,000", "nine thousand")}


def test_a_fixed_seed_builds_the_same_quiz() -> None:
    cards = deck_of(POOL)
    first = build_quiz(cards, rng=random.Random(11))
    assert build_quiz(cards, rng=random.Random(11)) == first
    assert any(build_quiz(cards, rng=random.Random(seed)) != first for seed in range(12, 15))


def test_each_card_is_asked_at_most_once_and_formats_take_turns() -> None:
    cards = deck_of([str(1900 + i) for i in range(30)])
    questions = build_quiz(cards, rng=random.Random(2))
    assert len(questions) == DEFAULT_QUESTIONS
    assert len({q.card_id for q in questions}) == DEFAULT_QUESTIONS
    assert [q.format for q in questions[:6]] == [
        Format.CHOICE,
        Format.TRUE_FALSE,
        Format.TYPED,
    ] * 2
    assert len(build_quiz(cards[:5], rng=random.Random(2))) == 5
    assert build_quiz([], rng=random.Random(2)) == []
