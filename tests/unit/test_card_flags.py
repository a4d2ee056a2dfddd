"""Setting cards aside in the store: suspend, bury, flag, leeches, forgetting, the review limit."""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from trainer.core.grading import Rating
from trainer.core.library import find_deck_files
from trainer.core.progress import State, study_day_start
from trainer.store import card_flags
from trainer.store.store import Store


def deck(count: int, front: str = "") -> str:
    cards = "\n".join(f"Q: Question {n}?\nA: Answer {n}\n" for n in range(count))
    return (f"+++\n{front}\n+++\n" if front else "") + cards


def synced(store: Store, write_deck, tmp_path: Path, now: datetime, text: str) -> list[int]:
    write_deck("deck.md", text)
    folder = (tmp_path / "decks").resolve()
    store.sync(find_deck_files([folder]), roots=[folder], now=now)
    return [row[0] for row in store.conn.execute("SELECT id FROM cards ORDER BY id")]


def test_suspended_cards_leave_the_queue_and_come_back(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(3))
    assert card_flags.suspend(store, ids[:2]) == 2
    assert card_flags.suspend(store, ids[:2]) == 0  # already suspended: nothing changes
    assert store.study_queue(now) == [ids[2]]
    assert store.deck_summaries(now)[0].new == 1
    assert card_flags.unsuspend(store, ids) == 2
    assert store.study_queue(now) == ids


def test_buried_cards_wait_for_the_next_study_day(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(3))
    assert card_flags.bury(store, [ids[0]], now) == 1
    assert store.study_queue(now) == ids[1:]
    day_end = study_day_start(now) + timedelta(days=1)
    assert store.study_queue(day_end - timedelta(minutes=1)) == ids[1:]  # still the same day
    assert store.study_queue(day_end) == ids


def test_burying_leaves_a_suspended_card_suspended(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(1))
    card_flags.suspend(store, ids)
    assert card_flags.bury(store, ids, now) == 0
    assert store.study_queue(now + timedelta(days=2)) == []


def test_flags_are_stored_and_taken_off(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(2))
    assert card_flags.set_flag(store, ids, 2) == 2
    assert [r[0] for r in store.conn.execute("SELECT flag FROM cards ORDER BY id")] == [2, 2]
    assert card_flags.set_flag(store, ids[:1], 0) == 1
    assert [r[0] for r in store.conn.execute("SELECT flag FROM cards ORDER BY id")] == [0, 2]


def test_flags_never_touch_the_deck_file(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(2))
    before = (tmp_path / "decks" / "deck.md").read_bytes()
    card_flags.set_flag(store, ids, 1)
    card_flags.suspend(store, ids)
    card_flags.bury(store, ids, now)
    assert (tmp_path / "decks" / "deck.md").read_bytes() == before


def lapse(store: Store, card_id: int, when: datetime, times: int) -> datetime:
    """Get the card into review, then forget it `times` times."""
    store.record_review(card_id, Rating.EASY, when)
    for _ in range(times):
        when += timedelta(days=30)
        store.record_review(card_id, Rating.AGAIN, when)
        when += timedelta(hours=1)
        store.record_review(card_id, Rating.EASY, when)
    return when


def test_a_card_forgotten_eight_times_is_a_suspended_leech(
    store, write_deck, tmp_path, now
) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(2))
    when = lapse(store, ids[0], now, 7)
    assert not card_flags.is_leech(store, ids[0])
    when += timedelta(days=30)
    store.record_review(ids[0], Rating.AGAIN, when)
    assert card_flags.is_leech(store, ids[0])
    assert ids[0] not in store.study_queue(when + timedelta(days=60))
    # Unsuspended, it is caught again four lapses later, as in Anki.
    card_flags.unsuspend(store, ids[:1])
    lapse(store, ids[0], when + timedelta(hours=1), 3)
    assert not card_flags.is_leech(store, ids[0])
    lapse(store, ids[0], when + timedelta(days=200), 1)
    assert card_flags.is_leech(store, ids[0])


def test_undoing_the_lapse_that_made_a_leech_returns_the_card(
    store, write_deck, tmp_path, now
) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(1, "[schedule]\nleech_lapses = 2"))
    when = lapse(store, ids[0], now, 1) + timedelta(days=30)
    store.record_review(ids[0], Rating.AGAIN, when)
    assert card_flags.is_leech(store, ids[0])
    assert store.undo_last(when) == ids[0]
    row = store.conn.execute("SELECT leech, suspended FROM cards").fetchone()
    assert row == (0, 0)
    assert store.study_card(ids[0]).progress.lapses == 1


def test_the_leech_threshold_is_a_deck_setting(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(1, "[schedule]\nleech_lapses = 2"))
    lapse(store, ids[0], now, 1)
    assert not card_flags.is_leech(store, ids[0])
    lapse(store, ids[0], now + timedelta(days=100), 1)
    assert card_flags.is_leech(store, ids[0])


def test_forgetting_makes_a_card_new_and_keeps_its_history(
    store, write_deck, tmp_path, now
) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(1, "[schedule]\nleech_lapses = 1"))
    lapse(store, ids[0], now, 1)
    assert card_flags.is_leech(store, ids[0])
    reviews = store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0]
    assert card_flags.forget(store, ids) == 1
    card = store.study_card(ids[0])
    assert card.progress.state is State.NEW and card.progress.lapses == 0
    assert not card_flags.is_leech(store, ids[0])
    assert store.study_queue(now + timedelta(days=200)) == ids
    assert store.conn.execute("SELECT COUNT(*) FROM reviews").fetchone()[0] == reviews


def test_leech_lapses_follow_anki() -> None:
    assert [n for n in range(20) if card_flags.is_leech_lapse(n, 8)] == [8, 12, 16]
    assert not any(card_flags.is_leech_lapse(n, 0) for n in range(20))


def test_the_daily_review_limit_caps_the_queue(store, write_deck, tmp_path, now) -> None:
    ids = synced(store, write_deck, tmp_path, now, deck(5, "[schedule]\nreviews_per_day = 2"))
    for card_id in ids:
        store.record_review(card_id, Rating.EASY, now - timedelta(days=60))
    summary = store.deck_summaries(now)[0]
    assert (summary.due, summary.held_back) == (2, 3)
    queue = store.study_queue(now)
    assert len(queue) == 2
    store.record_review(queue[0], Rating.GOOD, now)
    summary = store.deck_summaries(now)[0]
    assert (summary.due, summary.held_back) == (1, 3)
    assert len(store.study_queue(now)) == 1


def test_the_learners_limits_apply_where_the_deck_sets_none(
    store, write_deck, tmp_path, now
) -> None:
    from dataclasses import replace

    synced(store, write_deck, tmp_path, now, deck(30))
    assert store.deck_summaries(now)[0].new == 20
    store.defaults = replace(store.defaults, new_per_day=5)
    assert store.deck_summaries(now)[0].new == 5
    assert len(store.study_queue(now)) == 5


def test_a_decks_own_limit_wins_over_the_learners(store, write_deck, tmp_path, now) -> None:
    from dataclasses import replace

    synced(store, write_deck, tmp_path, now, deck(30, "[schedule]\nnew_per_day = 12"))
    store.defaults = replace(store.defaults, new_per_day=5)
    assert store.deck_summaries(now)[0].new == 12


def test_the_learners_bury_siblings_setting_turns_burying_off(
    store, write_deck, tmp_path, now
) -> None:
    ids = synced(
        store, write_deck, tmp_path, now, "Q: NORAD\nA: North American Aerospace\nReverse: yes\n"
    )
    assert len(store.study_queue(now)) == 1  # the deck buries siblings by default
    store.bury_siblings = False
    assert store.study_queue(now) == ids
