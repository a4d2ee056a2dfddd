"""A quiz drawn from the store: only the cards it asks are read whole, the wrong options of
their decks are read from their columns, and the questions are those `build_quiz` makes of the
same cards."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from trainer.core import answer_kinds
from trainer.core.library import find_deck_files
from trainer.core.quiz import POOL_CARDS, QuizCard, ask, build_quiz
from trainer.store.store import Store

WORDS = ["harbour", "glacier", "prairie", "tundra", "canyon", "delta", "fjord", "mesa"]


def big_deck() -> str:
    """More cards than a quiz pools from one deck: answers of several kinds, some sourced."""
    entries = []
    for number in range(POOL_CARDS + 40):
        if number % 7 == 0:
            entries.append(f"Q: In which year did event {number} happen?\nA: {1900 + number % 120}")
        elif number % 5 == 0:
            entries.append(
                f"Q: Which of these is place {number}?\n- [x] {WORDS[number % 8].title()} {number}\n"
                f"- [ ] {WORDS[(number + 1) % 8].title()} {number}\n"
                f"- [ ] {WORDS[(number + 2) % 8].title()} {number}"
            )
        elif number % 11 == 0:
            entries.append(f"True: Statement {number} holds.")
        else:
            source = f"\nSource: doc_{number % 3}.txt:{number + 1}" if number % 2 else ""
            entries.append(
                f"Q: What is thing {number}?\nA: the {WORDS[number % 8]} {number}{source}"
            )
    return '+++\nname = "Big"\n+++\n\n' + "\n\n".join(entries) + "\n"


SMALL = """\
+++
name = "Small"
+++

Q: Which city is the capital of Canada?
A: Ottawa

Q: Which city hosts NORAD's headquarters?
A: Colorado Springs

Q: Which of these are oceans?
- [x] Atlantic
- [x] Pacific
- [ ] Huron

False: The border is 5,500 kilometres long.
Note: It is close to 9,000 kilometres.

Q: In which year was NORAD created?
A: 1958
"""


@pytest.fixture
def quiz_store(store: Store, tmp_path: Path) -> Store:
    folder = tmp_path / "decks"
    folder.mkdir()
    (folder / "big.md").write_text(big_deck(), encoding="utf-8")
    (folder / "small.md").write_text(SMALL, encoding="utf-8")
    store.sync(find_deck_files([folder]), roots=[folder.resolve()])
    return store


def every_card(store: Store) -> list[QuizCard]:
    ids = [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]
    return [QuizCard(c.id, c.deck_id, c.card, c.strict_answers) for c in store.study_cards(ids)]


@pytest.mark.parametrize("seed", range(6))
def test_a_drawn_quiz_asks_what_build_quiz_asks_of_the_same_cards(
    quiz_store: Store, seed: int
) -> None:
    rng = random.Random(seed)
    cards, pools = quiz_store.quiz_draw(None, 20, rng)
    drawn = ask(cards, pools, rng)
    assert len(drawn) == 20
    assert drawn == build_quiz(every_card(quiz_store), 20, random.Random(seed))


def test_a_quiz_of_one_deck_draws_from_it_alone(quiz_store: Store) -> None:
    (small,) = quiz_store.conn.execute("SELECT id FROM decks WHERE name = 'Small'").fetchone()
    cards, pools = quiz_store.quiz_draw([small], 20, random.Random(3))
    assert {card.deck_id for card in cards} == {small} and set(pools) == {small}
    assert len(cards) == 5  # every card of the deck, fewer than asked for
    assert {c.text for c in pools[small]} == {
        "Ottawa", "Colorado Springs", "Atlantic", "Pacific", "Huron", "1958"
    }  # fmt: skip


def test_a_large_deck_pools_a_sample_of_its_cards_each_weighed_once(
    quiz_store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    (big,) = quiz_store.conn.execute("SELECT id FROM decks WHERE name = 'Big'").fetchone()
    rng = random.Random(5)
    cards, pools = quiz_store.quiz_draw([big], 20, rng)
    every = {candidate.text for card in every_card(quiz_store) for candidate in _offered(card)}
    pooled = [candidate.text for candidate in pools[big]]
    assert set(pooled) < every and len(pooled) <= 3 * POOL_CARDS
    weighed: list[str] = []
    classify = answer_kinds.kind_of

    def counted(text: str, *args: object) -> answer_kinds.AnswerKind:
        weighed.append(text)
        return classify(text, *args)  # type: ignore[arg-type]

    monkeypatch.setattr("trainer.core.distractors.kind_of", counted)
    questions = ask(cards, pools, rng)
    assert len(questions) == 20
    # Each pooled answer is classified once for the whole quiz, plus each question's own answer
    # (twice where a choice question fell back to true or false).
    assert len(weighed) <= len(pooled) + 2 * len(questions)


def _offered(card: QuizCard) -> list:
    from trainer.core.quiz import candidates_of

    return candidates_of(card.card)
