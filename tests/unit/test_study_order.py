"""Study order in the store and in core: siblings kept apart, decks interleaved, counts agreeing.

The store gathers the cards of a session (`Store.study_plan`) and counts them for the deck list
(`Store.deck_summaries`) in one pass; statistics count due cards the same way.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.grading import Rating
from trainer.core.identity import sibling_group
from trainer.core.library import find_deck_files
from trainer.core.study_order import in_turn, interleave
from trainer.stats.figures import compute_stats
from trainer.store import review_log
from trainer.store.store import Store

SIBLINGS = """
+++
name = "Siblings"
+++
Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes

C: NORAD was formed in [1958] by [Canada] and the United States.

Q: What is the capital of Canada?
A: Ottawa
"""
FRONT = "NORAD"
BACK = "North American Aerospace Defense Command"
CLOZE_1 = "NORAD was formed in [...] by Canada and the United States."
CLOZE_2 = "NORAD was formed in 1958 by [...] and the United States."
CAPITAL = "What is the capital of Canada?"


def sync(store: Store, tmp_path: Path, now: datetime) -> None:
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)


def prompts(store: Store, card_ids: list[int]) -> list[str]:
    return [card.card.prompt for card in store.study_cards(card_ids)]


def card_id(store: Store, prompt: str) -> int:
    return store.db.execute("SELECT id FROM cards WHERE prompt = ?", [prompt]).fetchone()[0]


def to_study(store: Store, now: datetime) -> int:
    """Home's "to study": due, learning and new of every deck."""
    return sum(s.due + s.learning + s.new for s in store.deck_summaries(now))


def test_sibling_groups_come_from_keys() -> None:
    assert sibling_group("3f9a0c1b2d4e") == "3f9a0c1b2d4e"
    assert sibling_group("3f9a0c1b2d4e:reverse") == "3f9a0c1b2d4e"
    assert sibling_group("3f9a0c1b2d4e:c2@norad") == "3f9a0c1b2d4e"
    assert sibling_group("my-id_1@norad") == "my-id_1"


def test_a_first_session_offers_one_card_of_each_entry(store, write_deck, tmp_path, now) -> None:
    write_deck("siblings.md", SIBLINGS)
    sync(store, tmp_path, now)
    plan = store.study_plan(now)
    assert prompts(store, plan.queue) == [FRONT, CLOZE_1, CAPITAL]
    (summary,) = store.deck_summaries(now)
    assert (summary.due, summary.learning, summary.new, summary.total) == (0, 0, 3, 5)
    assert to_study(store, now) == plan.size == 3


def test_an_answered_card_keeps_its_siblings_back_until_the_next_study_day(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("siblings.md", SIBLINGS)
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FRONT), Rating.EASY, now)
    store.record_review(card_id(store, CLOZE_1), Rating.EASY, now)
    later = now + timedelta(minutes=30)
    plan = store.study_plan(later)
    assert prompts(store, plan.queue) == [CAPITAL]
    assert plan.learning == {}
    assert BACK not in prompts(store, store.study_queue(later))
    assert CLOZE_2 not in prompts(store, store.study_queue(later))
    assert to_study(store, later) == plan.size
    tomorrow = now + timedelta(days=1)
    assert {BACK, CLOZE_2} <= set(prompts(store, store.study_queue(tomorrow)))


def test_learning_steps_of_the_answered_card_still_come_back(
    store, write_deck, tmp_path, now
) -> None:
    write_deck("siblings.md", SIBLINGS)
    sync(store, tmp_path, now)
    cloze = card_id(store, CLOZE_1)
    store.record_review(cloze, Rating.AGAIN, now)
    plan = store.study_plan(now)
    assert list(plan.learning) == [cloze]
    assert CLOZE_2 not in prompts(store, plan.queue)
    assert to_study(store, now) == plan.size == 3  # the cloze, NORAD and the capital


def test_an_undone_answer_buries_nothing(store, write_deck, tmp_path, now) -> None:
    write_deck("siblings.md", SIBLINGS)
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FRONT), Rating.EASY, now)
    store.undo_last(now)
    assert prompts(store, store.study_plan(now).queue) == [FRONT, CLOZE_1, CAPITAL]


def test_review_siblings_are_kept_apart_too(store, write_deck, tmp_path, now) -> None:
    write_deck("siblings.md", SIBLINGS)
    sync(store, tmp_path, now)
    month_ago = now - timedelta(days=40)
    for prompt in (FRONT, BACK):
        store.record_review(card_id(store, prompt), Rating.EASY, month_ago)
    plan = store.study_plan(now)
    shown = prompts(store, plan.queue)
    assert len({FRONT, BACK} & set(shown)) == 1  # both due: one of them today
    summary = store.deck_summaries(now)[0]
    assert summary.due == 1
    assert to_study(store, now) == plan.size


def test_bury_siblings_false_keeps_every_card(store, write_deck, tmp_path, now) -> None:
    write_deck(
        "siblings.md", SIBLINGS.replace('name = "Siblings"', 'name = "S"\nbury_siblings = false')
    )
    sync(store, tmp_path, now)
    store.record_review(card_id(store, FRONT), Rating.EASY, now)
    assert prompts(store, store.study_plan(now).queue) == [BACK, CLOZE_1, CLOZE_2, CAPITAL]
    assert to_study(store, now) == 4


def test_all_decks_take_new_cards_from_each_deck_in_turn(store, write_deck, tmp_path, now) -> None:
    for name in ("alpha", "beta", "gamma"):
        write_deck(
            f"{name}.md",
            "\n".join(f"Q: {name} {n}?\nA: {n}\n" for n in range(1, 4 if name != "gamma" else 2)),
        )
    sync(store, tmp_path, now)
    assert prompts(store, store.study_plan(now).queue) == [
        "alpha 1?", "beta 1?", "gamma 1?", "alpha 2?", "beta 2?", "alpha 3?", "beta 3?",
    ]  # fmt: skip


def test_new_cards_are_spread_through_the_reviews(store, write_deck, tmp_path, now) -> None:
    write_deck("deck.md", "\n".join(f"Q: Question {n}?\nA: {n}\n" for n in range(1, 9)))
    sync(store, tmp_path, now)
    for n in range(1, 7):
        store.record_review(card_id(store, f"Question {n}?"), Rating.EASY, now - timedelta(days=60))
    queue = prompts(store, store.study_plan(now).queue)
    assert len(queue) == 8
    new_places = [queue.index("Question 7?"), queue.index("Question 8?")]
    assert new_places == [2, 5]  # six reviews in thirds, a new card after each of the first two


def test_statistics_count_what_home_counts_as_due(store, write_deck, tmp_path, now) -> None:
    write_deck("siblings.md", SIBLINGS)
    write_deck("capitals.md", "Q: Capital of France?\nA: Paris\n\nQ: Capital of Peru?\nA: Lima\n")
    sync(store, tmp_path, now)
    month_ago = now - timedelta(days=40)
    for prompt in (FRONT, BACK, "Capital of France?"):
        store.record_review(card_id(store, prompt), Rating.EASY, month_ago)
    store.record_review(card_id(store, CAPITAL), Rating.AGAIN, now - timedelta(minutes=5))
    stats = compute_stats(store, now)
    home = {s.name: s.due + s.learning for s in store.deck_summaries(now)}
    assert home == {"Capitals": 1, "Siblings": 2}  # one of the two sides, and the capital
    assert {deck.name: deck.due for deck in stats.decks} == home


def test_core_interleave_and_in_turn() -> None:
    assert interleave([], ["n1", "n2"]) == ["n1", "n2"]
    assert interleave(["r1", "r2"], []) == ["r1", "r2"]
    assert interleave([f"r{n}" for n in range(1, 11)], ["n"]).index("n") == 5
    assert in_turn([[1, 2, 3], [10], [20, 21]]) == [1, 10, 20, 2, 21, 3]


@pytest.mark.parametrize("value", ["no", "1"])
def test_bury_siblings_must_be_true_or_false(write_deck, value: str) -> None:
    from trainer.core.deckfile import DeckError
    from trainer.core.library import read_deck_file

    path = write_deck("bad.md", f"+++\nbury_siblings = {value!r}\n+++\nQ: a\nA: b\n")
    with pytest.raises(DeckError) as error:
        read_deck_file(path).parse()
    assert [p.message for p in error.value.problems] == [
        "front matter: bury_siblings must be true or false"
    ]


def test_clozes_sharing_their_text_outside_the_brackets_keep_their_own_siblings(
    store, write_deck, tmp_path, now
) -> None:
    write_deck(
        "capitals.md",
        "C: [Berlin] is the capital of [Germany].\n\nC: [Paris] is the capital of [France].\n",
    )
    sync(store, tmp_path, now)
    berlin = "[...] is the capital of Germany."
    plan = store.study_plan(now)
    assert prompts(store, plan.queue) == [berlin, "[...] is the capital of France."]
    store.record_review(card_id(store, berlin), Rating.EASY, now)
    assert prompts(store, store.study_plan(now).queue) == ["[...] is the capital of France."]
    tomorrow = prompts(store, store.study_plan(now + timedelta(days=1)).queue)
    assert "Berlin is the capital of [...]." in tomorrow


def test_a_review_card_is_due_for_its_whole_study_day(
    store: Store, tmp_path: Path, write_deck, now: datetime
) -> None:
    """Answered at 18:00 with a one-day interval, a card is waiting from the next rollover on,
    not only from 18:00 the next day, as in Anki; and not a moment before that rollover."""
    write_deck("capital.md", "Q: What is the capital of Canada?\nA: Ottawa\n")
    sync(store, tmp_path, now)
    capital = card_id(store, CAPITAL)
    # `now` is 03:00 UTC; studied days ago, the card's next due time is later on this study day.
    from trainer.core.progress import Progress, State, study_day_start

    day_start = study_day_start(now)
    later_today = day_start + timedelta(hours=20)
    with store.transaction():
        review_log.write_progress(
            store.conn,
            capital,
            Progress(
                State.REVIEW, None, 3.0, 5.0, later_today, later_today - timedelta(days=3), 2, 0
            ),
        )
    assert capital in store.study_queue(now)
    assert sum(s.due for s in store.deck_summaries(now)) == 1
    before_the_day = day_start - timedelta(minutes=1)
    assert capital not in store.study_queue(before_the_day)
