"""Searching the store: each operator finds the cards it names, and only those."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

import pytest

from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.search_query import QueryError
from trainer.schedule import retrievability
from trainer.store import card_flags
from trainer.store.card_history import card_history
from trainer.store.search import find_card_ids, found_cards
from trainer.store.store import Store

NORAD = """
+++
name = "NORAD"
tags = ["defence"]
+++
Q: In what year was NORAD formed?
T: 1958
Tags: history

Q: Where is NORAD headquartered?
- [ ] Ottawa
- [x] Colorado Springs

C: NORAD is a [binational] command.

True: NORAD answers to both Canada and the United States.
"""

BORDER = """
+++
name = "Border security"
tags = ["border", "nato::air"]
+++
Q: What does IBET stand for?
A: Integrated Border Enforcement Team

Q: Qu'est-ce que la Sûreté du Québec ?
A: La police provinciale
Tags: sûreté

Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes
"""

FOUNDED = "In what year was NORAD formed?"
HQ = "Where is NORAD headquartered?"
IBET = "What does IBET stand for?"
SURETE = "Qu'est-ce que la Sûreté du Québec ?"


@pytest.fixture
def cards(store: Store, write_deck, tmp_path: Path, now: datetime) -> Store:
    write_deck("norad.md", NORAD)
    write_deck("border-security.md", BORDER)
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)
    return store


def prompts(store: Store, query: str, now: datetime) -> set[str]:
    ids = find_card_ids(store, query, now)
    return {card.question for card in found_cards(store, ids, now)}


def card_id(store: Store, prompt: str) -> int:
    return store.conn.execute("SELECT id FROM cards WHERE prompt = ?", [prompt]).fetchone()[0]


def test_the_empty_query_finds_every_card_in_play(cards: Store, now: datetime) -> None:
    assert len(find_card_ids(cards, "", now)) == 8


def test_free_words_all_match_in_question_or_answer_ignoring_case_and_accents(
    cards: Store, now: datetime
) -> None:
    assert prompts(cards, "norad 1958", now) == {FOUNDED}
    assert prompts(cards, "COLORADO", now) == {HQ}
    assert prompts(cards, "surete quebec", now) == {SURETE}
    assert prompts(cards, "Sûreté", now) == {SURETE}
    # A word finds the words it begins: "integr" finds "Integrated".
    assert prompts(cards, "integr", now) == {IBET}
    assert prompts(cards, "norad ottawa", now) == set()


def test_an_exact_phrase_needs_the_words_in_order(cards: Store, now: datetime) -> None:
    assert prompts(cards, '"border enforcement"', now) == {IBET}
    assert prompts(cards, '"enforcement border"', now) == set()


def test_negation_or_and_parentheses(cards: Store, now: datetime) -> None:
    assert prompts(cards, "ibet or 1958", now) == {IBET, FOUNDED}
    assert prompts(cards, "deck:norad -kind:typed -kind:cloze -kind:truefalse", now) == {HQ}
    assert prompts(cards, "(ibet or 1958) -deck:norad", now) == {IBET}
    assert prompts(cards, "-(deck:norad or deck:border*)", now) == set()


def test_punctuation_alone_is_searched_in_the_texts(cards: Store, now: datetime) -> None:
    assert prompts(cards, "?", now) == {FOUNDED, HQ, IBET, SURETE}


def test_deck_by_name_or_file_with_wildcards(cards: Store, now: datetime) -> None:
    assert len(find_card_ids(cards, "deck:norad", now)) == 4
    assert len(find_card_ids(cards, '"deck:border security"', now)) == 4
    assert len(find_card_ids(cards, "deck:border-security", now)) == 4
    assert len(find_card_ids(cards, "deck:b*", now)) == 4
    assert find_card_ids(cards, "deck:nor", now) == []


def test_tags_of_the_card_and_deck_with_hierarchy(cards: Store, now: datetime) -> None:
    assert prompts(cards, "tag:history", now) == {FOUNDED}
    assert len(find_card_ids(cards, "tag:defence", now)) == 4
    assert len(find_card_ids(cards, "tag:nato", now)) == 4
    assert len(find_card_ids(cards, "tag:NATO::air", now)) == 4
    assert len(find_card_ids(cards, "tag:nat*", now)) == 4
    assert find_card_ids(cards, "tag:nat", now) == []
    assert len(find_card_ids(cards, "tag:n*air", now)) == 4
    # A * inside the name never joins two tags: no tag starts with "b" and ends with "r".
    assert find_card_ids(cards, "tag:b*air", now) == []
    assert prompts(cards, "tag:sûreté", now) == {SURETE}
    assert prompts(cards, "tag:sû*", now) == {SURETE}


def test_kinds(cards: Store, now: datetime) -> None:
    assert prompts(cards, "kind:typed", now) == {FOUNDED}
    assert prompts(cards, "kind:choice", now) == {HQ}
    assert len(find_card_ids(cards, "kind:cloze", now)) == 1
    assert len(find_card_ids(cards, "kind:truefalse", now)) == 1
    assert len(find_card_ids(cards, "kind:reversed", now)) == 2
    assert len(find_card_ids(cards, "kind:basic", now)) == 2


def test_states_due_and_answered(cards: Store, now: datetime) -> None:
    founded, hq, ibet = (card_id(cards, p) for p in (FOUNDED, HQ, IBET))
    cards.record_review(founded, Rating.AGAIN, now)  # learning, due in a minute
    cards.record_review(hq, Rating.EASY, now - timedelta(days=40))  # review, due long ago
    cards.record_review(ibet, Rating.EASY, now)  # review, due in days
    assert prompts(cards, "is:learn", now) == {FOUNDED}
    assert prompts(cards, "is:review", now) == {HQ, IBET}
    assert len(find_card_ids(cards, "is:new", now)) == 5
    assert prompts(cards, "is:due", now) == {FOUNDED, HQ}
    assert prompts(cards, "rated:1", now) == {FOUNDED, IBET}
    assert prompts(cards, "rated:1:1", now) == {FOUNDED}
    assert prompts(cards, "rated:41", now) == {FOUNDED, HQ, IBET}
    cards.undo_last(now)
    assert prompts(cards, "rated:1", now) == {FOUNDED}


def test_properties(cards: Store, now: datetime) -> None:
    hq, ibet = card_id(cards, HQ), card_id(cards, IBET)
    cards.record_review(hq, Rating.EASY, now - timedelta(days=40))
    cards.record_review(ibet, Rating.EASY, now)
    cards.record_review(ibet, Rating.AGAIN, now + timedelta(days=20))
    hq_now = cards.study_card(hq).progress
    later = now + timedelta(days=20, hours=1)
    assert hq_now.due is not None and hq_now.last_review is not None
    interval = round((hq_now.due - hq_now.last_review) / timedelta(days=1))
    assert prompts(cards, f"prop:ivl={interval}", now) == {HQ}
    assert prompts(cards, f"prop:ivl>{interval}", now) == set()
    assert prompts(cards, "prop:due<0", now) == {HQ}
    assert prompts(cards, "prop:due>=0", now) == {IBET}
    assert prompts(cards, "prop:lapses>0", later) == {IBET}
    assert prompts(cards, "prop:reps=2", later) == {IBET}
    assert prompts(cards, "prop:s>0", later) == {HQ, IBET}
    assert prompts(cards, "prop:d>0", later) == {HQ, IBET}
    hq_r = retrievability(hq_now, later)
    assert prompts(cards, f"prop:r<{hq_r + 0.001:.3f}", later) >= {HQ}
    assert HQ not in prompts(cards, f"prop:r<{hq_r - 0.001:.3f}", later)
    assert HQ in prompts(cards, f"prop:r>{hq_r - 0.001:.3f}", later)
    # New cards have no retrievability, so neither r< nor r> finds them.
    assert FOUNDED not in prompts(cards, "prop:r<1", later) | prompts(cards, "prop:r>0", later)
    assert FOUNDED in prompts(cards, "-prop:s>0", later)


def test_added(cards: Store, write_deck, tmp_path: Path, now: datetime) -> None:
    write_deck("late.md", "Q: Added later?\nA: Yes\n")
    folder = (tmp_path / "decks").resolve()
    cards.sync(find_deck_files([folder]), roots=[folder], now=now + timedelta(days=10))
    later = now + timedelta(days=10)
    assert prompts(cards, "added:1", later) == {"Added later?"}
    assert prompts(cards, "later", later) == {"Added later?"}  # in the text index too
    assert len(find_card_ids(cards, "added:11", later)) == 9


def test_flags_suspended_buried_leech(cards: Store, now: datetime) -> None:
    founded, hq, ibet = (card_id(cards, p) for p in (FOUNDED, HQ, IBET))
    assert card_flags.set_flag(cards, [founded, hq], 1) == 2
    assert card_flags.set_flag(cards, [hq], 3) == 1
    assert card_flags.suspend(cards, [ibet]) == 1
    assert card_flags.bury(cards, [hq], now) == 1
    assert prompts(cards, "flag:1", now) == {FOUNDED}
    assert prompts(cards, "is:flagged", now) == {FOUNDED, HQ}
    assert len(find_card_ids(cards, "flag:0", now)) == 6
    assert prompts(cards, "is:suspended", now) == {IBET}
    assert prompts(cards, "is:buried", now) == {HQ}
    assert prompts(cards, "is:leech or tag:leech", now) == set()


def test_retired_cards_are_never_found(cards: Store, write_deck, tmp_path, now) -> None:
    write_deck("norad.md", "Q: In what year was NORAD formed?\nT: 1958\n")
    folder = (tmp_path / "decks").resolve()
    cards.sync(find_deck_files([folder]), roots=[folder], now=now)
    assert prompts(cards, "deck:norad", now) == {FOUNDED}


def test_a_bad_query_raises_with_its_column(cards: Store, now: datetime) -> None:
    with pytest.raises(QueryError, match=r"^query:7: unclosed parenthesis$"):
        find_card_ids(cards, "norad (ibet", now)


def test_a_limit_cuts_the_results(cards: Store, now: datetime) -> None:
    assert len(find_card_ids(cards, "", now, limit=3)) == 3


def test_free_text_goes_through_the_text_index(cards: Store, now: datetime) -> None:
    plan = " ".join(
        str(row[3])
        for row in cards.conn.execute(
            "EXPLAIN QUERY PLAN SELECT rowid FROM cards_text WHERE cards_text MATCH ?", ['"norad"*']
        )
    )
    assert "VIRTUAL TABLE INDEX" in plan
    # Editing a card's text updates the index.
    with cards.conn:
        cards.conn.execute(
            "UPDATE cards SET answer = 'Nineteen fifty-eight' WHERE prompt = ?", [FOUNDED]
        )
    assert prompts(cards, "fifty", now) == {FOUNDED}
    assert prompts(cards, "1958", now) == set()


def test_cards_added_by_any_path_are_found_by_their_words(cards: Store, now: datetime) -> None:
    deck_id = cards.conn.execute("SELECT id FROM decks LIMIT 1").fetchone()[0]
    with cards.conn:
        cards.conn.execute(
            "INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, created) "
            "VALUES ('k', ?, 99, 1, 0, 'Où est Iqaluit ?', 'Nunavut', 0)",
            [deck_id],
        )
    assert prompts(cards, "iqaluit nunavut", now) == {"Où est Iqaluit ?"}
    # Indexed now, the card's edits reach the index through the triggers.
    with cards.conn:
        cards.conn.execute("UPDATE cards SET answer = 'Baffin Island' WHERE key = 'k'")
    assert prompts(cards, "nunavut", now) == set()
    assert prompts(cards, "baffin", now) == {"Où est Iqaluit ?"}


def test_an_edit_of_answers_and_questions_is_one_update_and_found_by_its_words(
    cards: Store, write_deck, tmp_path: Path, now: datetime
) -> None:
    # Two answers edited, one of a reversed card (whose reverse asks it): two cards' answers and
    # one's question change, in one statement (the text index writes one segment for them).
    # Each card is found by its new words, not its old ones.
    edited = BORDER.replace("Enforcement Team", "Enforcement Unit, since 2001").replace(
        "Defense Command", "Defense Command, binational"
    )
    write_deck("border-security.md", edited)
    folder = (tmp_path / "decks").resolve()
    statements: list[str] = []
    cards.conn.set_trace_callback(statements.append)
    try:
        cards.sync(find_deck_files([folder]), roots=[folder], now=now)
    finally:
        cards.conn.set_trace_callback(None)
    # (The trace repeats a statement for each trigger it runs.)
    updates = {s for s in statements if s.startswith("UPDATE cards SET")}
    assert len(updates) == 1, updates
    assert "ELSE" in updates.pop()  # each column is set only in the cards that changed it
    reverse = "North American Aerospace Defense Command, binational"
    assert prompts(cards, "2001", now) == {IBET}
    assert prompts(cards, "team", now) == set()
    assert prompts(cards, "aerospace binational", now) == {"NORAD", reverse}
    assert prompts(cards, '"defense command"', now) == {"NORAD", reverse}
    texts = dict(cards.conn.execute("SELECT prompt, answer FROM cards WHERE retired = 0"))
    assert texts[reverse] == "NORAD"
    assert texts["NORAD"] == reverse
    assert texts[IBET] == "Integrated Border Enforcement Unit, since 2001"


def test_the_columns_updated_together_are_in_no_index_of_the_cards(store: Store) -> None:
    from trainer.store.card_rows import _INDEXED, WRITTEN

    indexed = set()
    for _, name, *_ in store.conn.execute("PRAGMA index_list(cards)").fetchall():
        for row in store.conn.execute(f"PRAGMA index_xinfo({name})"):
            indexed.add(row[2])
    assert {WRITTEN[i] for i in _INDEXED} == indexed & set(WRITTEN)


def test_history_shows_each_answer_with_the_state_it_left(cards: Store, now: datetime) -> None:
    founded = card_id(cards, FOUNDED)
    cards.record_review(founded, Rating.GOOD, now)
    cards.record_review(founded, Rating.GOOD, now + timedelta(minutes=10))
    cards.record_review(
        founded, Rating.EASY, now + timedelta(days=3), mode="quiz", reschedule=False
    )
    history = card_history(cards, founded)
    assert [answer.rating for answer in history] == [3, 3, 4]
    assert history[0].retrievability is None  # new when first answered
    assert history[1].interval is not None and history[1].interval >= timedelta(days=1)
    assert history[1].stability == cards.study_card(founded).progress.stability
    assert history[2].interval is None  # the quiz answer left the schedule alone
    assert history[2].retrievability is not None and 0 < history[2].retrievability < 1
