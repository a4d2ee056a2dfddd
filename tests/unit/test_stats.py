"""Every statistics figure, checked on a small hand-built history whose answers are worked out below.

The clock stands at Friday 2025-03-14 15:00 UTC (`now`); study days start at 4 a.m. local time.
Each review is inserted with its time and the interval it was scheduled with
(`due_before - last_review_before`), which decides how it counts towards true retention.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

from trainer import schedule
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, to_millis
from trainer.stats.figures import Retention, Stats, compute_stats, deck_choices
from trainer.stats.text import heatmap, studied
from trainer.store.card_codes import tag_set_ids
from trainer.store.review_log import MODE_KINDS, NEW_REVIEW
from trainer.store.store import Store

NOW = datetime(2025, 3, 14, 15, 0, tzinfo=UTC)
DAY = timedelta(days=1)


def add_deck(store: Store, name: str, retention: float, *, missing: int = 0) -> int:
    cursor = store.db.execute(
        "INSERT INTO decks (path, name, settings, missing) VALUES (?, ?, ?, ?)",
        [f"/decks/{name}.md", name, json.dumps({"desired_retention": retention}), missing],
    )
    return int(cursor.lastrowid)


def tag_set(store: Store, tags: tuple[str, ...]) -> int:
    text = json.dumps(list(tags))
    with store.transaction():
        return tag_set_ids(store.conn, [text])[text]


def add_card(
    store: Store,
    deck_id: int,
    key: str,
    *,
    state: State = State.REVIEW,
    stability: float | None = None,
    difficulty: float | None = None,
    last_review: datetime | None = None,
    due: datetime | None = None,
    lapses: int = 0,
    tags: tuple[str, ...] = (),
    suspended: int = 0,
    retired: int = 0,
) -> int:
    cursor = store.db.execute(
        """
        INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, tag_set,
            state, stability, difficulty, last_review, due, reps, lapses, suspended, retired,
            created)
        VALUES (?, ?, 0, 1, 0, ?, 'answer', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)
        """,
        [key, deck_id, f"Question {key}?", tag_set(store, tags), int(state), stability,
         difficulty, to_millis(last_review), to_millis(due), lapses + 1, lapses, suspended,
         retired],
    )  # fmt: skip
    return int(cursor.lastrowid)


def add_review(
    store: Store,
    card_id: int,
    rating: int | None,
    at: datetime,
    interval: timedelta | None,
    *,
    duration_ms: int = 1000,
    mode: str = "review",
    undoes: int | None = None,
) -> int:
    """Log an answer at `at` to a card scheduled with `interval` (None: a new card)."""
    last = None if interval is None else at - interval - timedelta(hours=1)
    due = None if interval is None else last + interval
    cursor = store.db.execute(
        NEW_REVIEW,
        {"card_id": card_id, "rating": rating, "reviewed_at": to_millis(at),
         "duration_ms": duration_ms, "kind": MODE_KINDS[mode], "undoes": undoes,
         "state_before": 0 if interval is None else 2, "step_before": None,
         "stability_before": None, "difficulty_before": None, "due_before": to_millis(due),
         "last_review_before": to_millis(last), "parameters_id": None},
    )  # fmt: skip
    return int(cursor.lastrowid)


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


@pytest.fixture
def history(store: Store) -> dict[str, int]:
    """Two decks, eight cards, thirteen reviews; returns the ids by name."""
    ids: dict[str, int] = {}
    ids["A"] = add_deck(store, "Alpha", 0.9)
    ids["B"] = add_deck(store, "Beta", 0.8)
    add_deck(store, "Gone", 0.9, missing=1)
    a, b = ids["A"], ids["B"]
    ids["a1"] = add_card(store, a, "a1", stability=10, difficulty=5.6, last_review=NOW - 5 * DAY,
                         due=NOW - timedelta(hours=1), tags=("geo",))  # fmt: skip
    ids["a2"] = add_card(store, a, "a2", stability=2, difficulty=8.5, last_review=NOW - 20 * DAY,
                         due=NOW + 2 * DAY, lapses=9, tags=("geo", "hard"))  # fmt: skip
    ids["a3"] = add_card(store, a, "a3", state=State.NEW)
    ids["a4"] = add_card(store, a, "a4", state=State.LEARNING, stability=0.5, difficulty=3,
                         last_review=NOW - timedelta(minutes=10),
                         due=NOW + timedelta(minutes=10), tags=("hard",))  # fmt: skip
    ids["a5"] = add_card(store, a, "a5", stability=5, difficulty=5, last_review=NOW - 9 * DAY,
                         due=NOW - DAY, suspended=1)  # fmt: skip
    ids["a6"] = add_card(store, a, "a6", stability=5, difficulty=5, last_review=NOW - 9 * DAY,
                         due=NOW, retired=1)  # fmt: skip
    ids["b1"] = add_card(store, b, "b1", state=State.RELEARNING, stability=30, difficulty=1.0,
                         last_review=NOW - DAY, due=NOW - timedelta(minutes=5), lapses=3,
                         tags=("geo",))  # fmt: skip
    ids["b2"] = add_card(store, b, "b2", stability=400, difficulty=10, last_review=NOW - 30 * DAY,
                         due=NOW + 40 * DAY)  # fmt: skip
    minute = timedelta(minutes=1)
    # Today (since 04:00 UTC).
    add_review(store, ids["a1"], 3, NOW - 120 * minute, 3 * DAY, duration_ms=5000)  # young pass
    add_review(store, ids["a2"], 1, NOW - 60 * minute, 30 * DAY, duration_ms=8000)  # mature fail
    add_review(store, ids["a4"], 3, NOW - 30 * minute, None, duration_ms=2000)  # new: not counted
    add_review(store, ids["b1"], 2, NOW - 20 * minute, DAY, duration_ms=3000, mode="quiz")  # young
    undone = add_review(store, ids["a1"], 4, NOW - 10 * minute, 25 * DAY)
    add_review(store, ids["a1"], None, NOW - 9 * minute, None, mode="undo", undoes=undone)
    # Yesterday: the second is at 02:00, before today's 4 a.m. rollover.
    add_review(store, ids["a1"], 1, utc(2025, 3, 13, 20), 10 * DAY)  # young fail
    add_review(store, ids["b2"], 3, utc(2025, 3, 14, 2), 60 * DAY)  # mature pass
    # Earlier this week, month, year; then older than a year.
    add_review(store, ids["b2"], 4, utc(2025, 3, 10, 12), timedelta(hours=12))  # under a day
    add_review(store, ids["a2"], 3, utc(2025, 2, 20, 10), 21 * DAY)  # mature pass
    add_review(store, ids["a2"], 2, utc(2024, 6, 1, 10), 20 * DAY)  # young pass
    add_review(store, ids["a2"], 1, utc(2023, 1, 1, 10), 100 * DAY)  # mature fail
    add_review(store, ids["a2"], 3, utc(2023, 1, 2, 10), 5 * DAY, mode="import")  # young pass
    return ids


@pytest.fixture
def stats(store: Store, history: dict[str, int], zone: str) -> Stats:
    return compute_stats(store, NOW)


def test_today(stats: Stats) -> None:
    today = stats.today
    assert (today.reviews, today.cards, today.time_ms, today.again, today.correct) == (
        4, 4, 18_000, 1, 3,
    )  # fmt: skip
    assert today.correct_share == 0.75


def test_true_retention_by_period(stats: Stats) -> None:
    assert stats.retention == {
        "today": Retention(young_passed=2, young_failed=0, mature_passed=0, mature_failed=1),
        "yesterday": Retention(young_passed=0, young_failed=1, mature_passed=1, mature_failed=0),
        "week": Retention(young_passed=2, young_failed=1, mature_passed=1, mature_failed=1),
        "month": Retention(young_passed=2, young_failed=1, mature_passed=2, mature_failed=1),
        "year": Retention(young_passed=3, young_failed=1, mature_passed=2, mature_failed=1),
        "all": Retention(young_passed=4, young_failed=1, mature_passed=2, mature_failed=2),
    }
    assert stats.retention["all"].young == 0.8
    assert stats.retention["all"].mature == 0.5
    assert stats.retention["all"].total == 6 / 9
    assert stats.retention["today"].mature == 0.0
    assert Retention().total is None


def test_desired_retention_is_weighted_by_cards(stats: Stats) -> None:
    # Alpha has four cards in play at 0.9, Beta two at 0.8.
    assert stats.desired_retention == pytest.approx((4 * 0.9 + 2 * 0.8) / 6)


def test_forecast_counts_overdue_cards_today(stats: Stats) -> None:
    assert len(stats.forecast) == 30
    assert stats.forecast[0].day == date(2025, 3, 14)
    assert [day.due for day in stats.forecast[:4]] == [3, 0, 1, 0]
    assert stats.forecast[-1].day == date(2025, 4, 12)
    assert stats.forecast[-1].cumulative == 4


def test_calendar_and_streak(stats: Stats) -> None:
    days = {day.day: day.reviews for day in stats.calendar if day.reviews}
    assert days == {
        date(2025, 3, 14): 4,
        date(2025, 3, 13): 2,
        date(2025, 3, 10): 1,
        date(2025, 2, 20): 1,
        date(2024, 6, 1): 1,
    }
    assert len(stats.calendar) == 365
    assert stats.calendar[-1].day == date(2025, 3, 14)
    assert stats.streak == 2


def test_card_counts(stats: Stats) -> None:
    counts = stats.counts
    assert (counts.new, counts.learning, counts.review, counts.relearning) == (1, 1, 3, 1)
    assert (counts.suspended, counts.retired, counts.leeches) == (1, 1, 1)


def test_distributions(stats: Stats) -> None:
    # Stabilities 0.5, 2, 10, 30 and 400 days; difficulties 3, 8.5, 5.6, 1 and 10.
    assert stats.stability.counts == (1, 0, 1, 0, 1, 1, 0, 0, 0, 1, 0, 0)
    assert stats.stability.labels[9] == "8-17mo"
    assert stats.stability.mean == pytest.approx(442.5 / 5)
    assert stats.difficulty.counts == (1, 0, 1, 0, 0, 1, 0, 0, 1, 1)
    assert stats.difficulty.mean == pytest.approx((2 + 7.5 + 4.6 + 0 + 9) / 9 / 5)
    # Retrievability as the scheduler itself computes it, one card at a time.
    cards = [(10, 5 * DAY), (2, 20 * DAY), (0.5, timedelta(minutes=10)), (30, DAY), (400, 30 * DAY)]
    expected = [
        schedule.retrievability(Progress(State.REVIEW, stability=s, last_review=NOW - ago), NOW)
        for s, ago in cards
    ]
    buckets = [0] * 10
    for value in expected:
        buckets[min(int(value * 10), 9)] += 1
    assert stats.retrievability.counts == tuple(buckets)
    assert stats.retrievability.mean == pytest.approx(sum(expected) / 5)


def test_mastery_per_deck_and_tag(stats: Stats) -> None:
    decks = {deck.name: (deck.cards, deck.mastered, deck.due) for deck in stats.decks}
    assert decks == {"Alpha": (4, 2, 2), "Beta": (2, 2, 1)}
    assert [deck.share for deck in stats.decks] == [0.5, 1.0]
    assert [deck.desired_retention for deck in stats.decks] == [0.9, 0.8]
    tags = {tag.name: (tag.cards, tag.mastered, tag.due) for tag in stats.tags}
    assert tags == {"geo": (3, 2, 2), "hard": (2, 1, 1)}


def test_hardest_cards_flag_leeches(stats: Stats, history: dict[str, int]) -> None:
    assert [(card.id, card.lapses, card.leech) for card in stats.hardest] == [
        (history["a2"], 9, True),
        (history["b1"], 3, False),
    ]
    assert stats.hardest[0].deck == "Alpha"
    assert stats.hardest[0].prompt == "Question a2?"


def test_buttons_and_hours_leave_out_undone_answers(stats: Stats) -> None:
    assert stats.buttons == (2, 2, 4, 1)
    hours = {hour.hour: (hour.reviews, hour.correct) for hour in stats.hours if hour.reviews}
    assert hours == {2: (1, 1), 10: (2, 2), 12: (1, 1), 13: (1, 1), 14: (3, 2), 20: (1, 0)}


@pytest.mark.parametrize("zone", ["Asia/Kolkata"], indirect=True)
def test_local_time_moves_days_and_hours(stats: Stats, zone: str) -> None:
    # UTC+5:30: today began at 22:30 UTC yesterday, so 02:00 UTC (07:30 local) is today, and
    # 20:00 UTC on the 13th (01:30 local on the 14th) still belongs to the 13th.
    assert stats.today.reviews == 5
    assert stats.calendar[-1].reviews == 5
    assert stats.calendar[-2].reviews == 1
    hours = {hour.hour: hour.reviews for hour in stats.hours if hour.reviews}
    assert hours == {1: 1, 7: 1, 15: 2, 17: 1, 18: 1, 19: 1, 20: 2}


def test_one_deck(store: Store, history: dict[str, int], zone: str) -> None:
    beta = compute_stats(store, NOW, history["B"])
    assert beta.deck_id == history["B"]
    assert beta.today.reviews == 1
    assert beta.retention["week"] == Retention(1, 0, 1, 0)
    assert (beta.counts.review, beta.counts.relearning, beta.counts.new) == (1, 1, 0)
    assert [deck.name for deck in beta.decks] == ["Beta"]
    assert beta.desired_retention == 0.8
    assert beta.buttons == (0, 1, 1, 1)
    assert [card.id for card in beta.hardest] == [history["b1"]]


# Lord Howe Island moves its clock by half an hour: its hours are not whole hours apart.
@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Australia/Lord_Howe"], indirect=True)
def test_the_decks_add_up_to_the_whole_log(
    store: Store, history: dict[str, int], zone: str
) -> None:
    # Every review belongs to one deck: the figures of Alpha and of Beta (the missing deck
    # has none) add up to those of all decks, undone answers, today and older years included.
    alpha, beta = (compute_stats(store, NOW, history[name]) for name in "AB")
    whole = compute_stats(store, NOW)
    assert [a + b for a, b in zip(alpha.buttons, beta.buttons)] == list(whole.buttons)
    assert [a.reviews + b.reviews for a, b in zip(alpha.calendar, beta.calendar)] == [
        day.reviews for day in whole.calendar
    ]
    assert [(a.reviews + b.reviews, a.correct + b.correct)
            for a, b in zip(alpha.hours, beta.hours)] == [
        (hour.reviews, hour.correct) for hour in whole.hours
    ]  # fmt: skip
    for period in whole.retention:
        assert alpha.retention[period] + beta.retention[period] == whole.retention[period]
    assert alpha.today.reviews + beta.today.reviews == whole.today.reviews
    assert alpha.today.cards + beta.today.cards == whole.today.cards
    assert alpha.today.time_ms + beta.today.time_ms == whole.today.time_ms
    assert alpha.today.again + beta.today.again == whole.today.again


def test_deck_choices_leave_out_missing_decks(store: Store, history: dict[str, int]) -> None:
    assert deck_choices(store) == [(history["A"], "Alpha"), (history["B"], "Beta")]


def test_in_memory_store_gives_the_same_figures(
    history: dict[str, int], zone: str, store: Store
) -> None:
    memory = Store.open(":memory:")
    try:
        for table in ("decks", "tag_sets", "cards", "reviews"):
            stored = memory.db[table].columns_dict  # not the computed columns (time, mode, kind)
            rows = [{k: v for k, v in row.items() if k in stored} for row in store.db[table].rows]
            memory.db[table].insert_all(rows, ignore=table == "tag_sets")  # both have set 0
        assert compute_stats(memory, NOW) == compute_stats(store, NOW)
    finally:
        memory.close()


def test_streak_longer_than_the_calendar(store: Store, zone: str) -> None:
    deck = add_deck(store, "Daily", 0.9)
    card = add_card(store, deck, "daily", stability=1, difficulty=5, last_review=NOW, due=NOW)
    # One answer every day for 400 days, ending yesterday: today has none yet.
    for days_ago in range(1, 401):
        add_review(store, card, 3, NOW - days_ago * DAY, DAY)
    assert compute_stats(store, NOW).streak == 400


def test_empty_store(store: Store, zone: str) -> None:
    stats = compute_stats(store, NOW)
    assert stats.today.reviews == 0 and stats.today.correct_share is None
    assert stats.streak == 0
    assert stats.desired_retention is None
    assert stats.stability.mean is None
    assert sum(day.reviews for day in stats.calendar) == 0


def test_heatmap_lays_the_year_out_by_week(stats: Stats) -> None:
    grid = heatmap(stats.calendar)
    # The year starts on Friday 2024-03-15: four empty cells above it in the first week.
    assert [row[0] for row in grid.rows] == [None, None, None, None, 0, 0, 0]
    # The last week: one answer on Monday, two on Thursday, four today (Friday, the busiest).
    assert [row[-1] for row in grid.rows[:5]] == [1, 0, 0, 2, 4]
    assert len(grid.rows[5]) == len(grid.rows[4]) - 1
    assert grid.months.startswith("Mar")
    assert "Jun" in grid.months


@pytest.mark.parametrize("zone", ["UTC", "America/New_York", "Asia/Tokyo"], indirect=True)
def test_retrievability_counts_study_days(store: Store, zone: str) -> None:
    deck = add_deck(store, "Alpha", 0.9)
    local_now = datetime(2025, 3, 14, 23, 0).astimezone(UTC)  # 11 p.m. where the learner is
    reviewed = {
        "this morning": datetime(2025, 3, 14, 5, 0).astimezone(UTC),  # same study day: R = 1
        "last night": datetime(2025, 3, 14, 1, 0).astimezone(UTC),  # before 4 a.m.: a day ago
        "a week ago": datetime(2025, 3, 7, 23, 30).astimezone(UTC),
    }
    for key, at in reviewed.items():
        add_card(store, deck, key, stability=3.0, difficulty=5, last_review=at, due=at + DAY)
    expected = [
        schedule.retrievability(Progress(State.REVIEW, stability=3.0, last_review=at), local_now)
        for at in reviewed.values()
    ]
    assert expected[0] == 1.0
    assert expected[1] < 1.0
    stats = compute_stats(store, local_now)
    assert stats.retrievability.mean == pytest.approx(sum(expected) / 3)
    # Mastered: recall at least the desired 90%; a day at stability 3 keeps it above.
    assert [deck.mastered for deck in stats.decks] == [2]


@pytest.mark.parametrize("zone", ["Europe/Berlin", "Australia/Lord_Howe"], indirect=True)
def test_forecast_days_follow_the_local_clock_across_a_change(store: Store, zone: str) -> None:
    # Berlin moves its clocks an hour on 30 March 2025, Lord Howe half an hour on 6 April: each
    # card is due on the study day its local due time falls in (from 4 a.m. local time).
    deck = add_deck(store, "Clock", 0.9)
    local = [
        datetime(2025, 3, 29, 3, 59),  # before 4 a.m.: the study day of the 28th
        datetime(2025, 3, 30, 4, 0),  # the clock change day, at its rollover
        datetime(2025, 3, 31, 3, 30),
        datetime(2025, 4, 6, 4, 30),
        datetime(2025, 4, 7, 3, 59),
    ]
    for n, at in enumerate(local):
        due = at.astimezone()
        add_card(store, deck, f"c{n}", stability=30, difficulty=5, last_review=NOW, due=due)
    forecast = {day.day: day.due for day in compute_stats(store, NOW).forecast if day.due}
    assert forecast == {
        date(2025, 3, 28): 1,
        date(2025, 3, 30): 2,
        date(2025, 4, 6): 2,
    }


def test_figures_computed_again_count_the_answers_given_in_between(
    store: Store, history: dict[str, int], zone: str
) -> None:
    # The statistics keep their reading connections from one computation to the next: what
    # they read must still be the database as it is now, and they close with the store.
    before = compute_stats(store, NOW)
    store.record_review(history["a1"], Rating.GOOD, NOW + timedelta(minutes=1))
    after = compute_stats(store, NOW + timedelta(minutes=2))
    assert after.today.reviews == before.today.reviews + 1
    assert after.buttons[2] == before.buttons[2] + 1
    store.close()
    assert not Path(store.path + "-wal").exists()  # the store's was the last connection


@pytest.mark.parametrize(
    ("cards", "answers", "said"),
    [
        (0, 0, "0 cards studied (0 answers)"),
        (1, 1, "1 card studied (1 answer)"),
        (1, 3, "1 card studied (3 answers)"),
        (4, 5, "4 cards studied (5 answers)"),
    ],
)
def test_today_counts_cards_and_answers_in_the_singular_when_there_is_one(
    cards: int, answers: int, said: str
) -> None:
    assert studied(cards, answers) == said
