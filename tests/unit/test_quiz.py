"""Building quizzes: options of the answer's shape, fair true-or-false claims, short typed answers."""

from __future__ import annotations

import random

import pytest

from trainer.core.cards import Card, Choice, Kind
from trainer.core.grading import Verdict, normalise
from trainer.core.quiz import (
    DEFAULT_QUESTIONS,
    TYPED_ANSWER_LIMIT,
    Format,
    QuizCard,
    QuizQuestion,
    answer_shape,
    build_quiz,
    distractors,
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


@pytest.mark.parametrize(
    ("answer", "shape"),
    [
        ("1958", "year"),
        ("1958.", "year"),
        ("9,000", "number:"),
        ("3.5 million", "number:million"),
        ("12 km", "number:km"),
        ("40%", "percent"),
        ("nine thousand", "number:words"),
        ("12 May 1958", "date"),
        ("NORAD", "acronym"),
        ("Colorado Springs", "name"),
        ("the United States", "name"),
        ("to watch the skies", "text:short"),
        ("a command shared by two countries since the late fifties", "text:long"),
    ],
)
def test_answer_shape(answer: str, shape: str) -> None:
    assert answer_shape(answer) == shape


@pytest.mark.parametrize(
    ("answer", "kinds"),
    [("1958", YEARS), ("9,000", NUMBERS), ("Ottawa", NAMES)],
    ids=["years with years", "numbers with numbers", "names with names"],
)
def test_distractors_have_the_answers_shape(answer: str, kinds: list[str]) -> None:
    for seed in SEEDS:
        chosen = distractors(answer, POOL, 3, random.Random(seed))
        assert len(chosen) == 3
        assert set(chosen) <= set(kinds) - {answer}


def test_distractors_never_equal_the_answer_and_are_never_repeated() -> None:
    pool = ["ottawa", "OTTAWA ", "Ottawa.", "Paris", "paris", "PARIS!", "Tokyo", "Tokyo", "Lima"]
    for seed in SEEDS:
        chosen = distractors("Ottawa", pool, 3, random.Random(seed))
        folded = [normalise(option) for option in chosen]
        assert "ottawa" not in folded
        assert len(set(folded)) == len(folded) == 3
        assert set(folded) == {"paris", "tokyo", "lima"}


def test_distractors_are_fewer_when_the_pool_has_few_of_that_shape() -> None:
    assert distractors("1958", ["1958", "Ottawa", "9,000", "1981"], 3, random.Random(1)) == ["1981"]
    assert distractors("NORAD", ["Ottawa", "1958"], 3, random.Random(1)) == []


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
            assert len({normalise(option) for option in options}) == len(options) >= 3
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
                assert question.claim in siblings
                assert normalise(question.claim) != normalise(own.card.answer)
                assert answer_shape(question.claim) == answer_shape(own.card.answer)
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
    cards = [quiz_card(1, "9,000", kind=Kind.TYPED, accepted=("9,000", "nine thousand"))]
    question = QuizQuestion(
        1, Format.TYPED, "How long?", "9,000", accepted=("9,000", "nine thousand")
    )
    assert question.check("9000") is Verdict.CORRECT
    assert question.check("Nine Thousand") is Verdict.CORRECT
    assert question.check("8000") is Verdict.WRONG
    built = [q for seed in SEEDS for q in build_quiz(cards, rng=random.Random(seed))]
    assert {q.accepted for q in built if q.format is Format.TYPED} == {("9,000", "nine thousand")}


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
