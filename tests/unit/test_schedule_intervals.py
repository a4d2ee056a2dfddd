"""The answer buttons' intervals as Anki gives them: in study days, ordered, fuzzed on request."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from trainer import schedule
from trainer.core.cards import Schedule
from trainer.core.deckfile import parse_deck
from trainer.core.grading import Rating
from trainer.core.progress import Progress, State, format_interval, study_date, study_day
from trainer.fuzz import MAXIMUM_INTERVAL, fuzzed_days
from trainer.schedule import (
    DEFAULT_PARAMETERS,
    buttons,
    next_progress,
    preview_intervals,
    retrievability,
    taken,
)
from trainer.store import review_log
from trainer.store.rows import schedule_from_settings, settings_of

EXACT = Schedule(fuzz=False)
MINUTE = timedelta(minutes=1)


def local(year: int, month: int, day: int, hour: int, minute: int = 0) -> datetime:
    """A local wall-clock time, as UTC: study days roll over at 4 a.m. local time."""
    return datetime(year, month, day, hour, minute).astimezone(UTC)


def reviewed(stability: float, at: datetime, reps: int = 5) -> Progress:
    return Progress(State.REVIEW, None, stability, 5.0, at + timedelta(days=10), at, reps, 0)


def test_late_evening_and_early_morning_are_a_study_day_apart() -> None:
    evening, morning = local(2025, 3, 10, 23), local(2025, 3, 11, 5)
    card = reviewed(10.0, evening)
    # Six hours later but on the next study day: a whole day has passed for FSRS.
    assert retrievability(card, morning) == pytest.approx(
        retrievability(card, evening + timedelta(days=1))
    )
    assert retrievability(card, morning) < 1.0
    # Early morning still belongs to the evening before: no time has passed.
    assert retrievability(card, local(2025, 3, 11, 3, 59)) == 1.0
    a_day_apart = next_progress(1, card, Rating.GOOD, morning, EXACT)
    whole_day = next_progress(1, card, Rating.GOOD, evening + timedelta(days=1), EXACT)
    assert a_day_apart.stability == pytest.approx(whole_day.stability)


@pytest.mark.parametrize(
    "zone",
    ["America/Toronto", "Europe/London", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Kolkata"],
    indirect=True,
)
def test_a_study_day_is_the_local_date_four_hours_back_across_clock_changes(zone: str) -> None:
    # Every 15 minutes of a year (and the microsecond before each), the clock changes
    # included: Lord Howe moves by half an hour, Chatham sits 12:45 from UTC.
    moment = datetime(2026, 1, 1, tzinfo=UTC)
    while moment.year < 2027:
        for at in (moment, moment - timedelta(microseconds=1)):
            assert study_day(at) == study_date(at).toordinal(), (zone, at)
        moment += timedelta(minutes=15)


def test_an_answer_on_the_same_study_day_changes_short_term_stability_only(now: datetime) -> None:
    card = reviewed(10.0, local(2025, 3, 10, 5))
    same_day = next_progress(1, card, Rating.GOOD, local(2025, 3, 10, 23), EXACT)
    next_day = next_progress(1, card, Rating.GOOD, local(2025, 3, 11, 5), EXACT)
    # FSRS's short-term formula: a Good the same day barely moves a long stability.
    assert 10.0 <= same_day.stability < 10.5
    assert next_day.stability > 12.0


@pytest.mark.fuzz
@pytest.mark.parametrize("deck", [EXACT, Schedule()], ids=["exact", "fuzzed"])
def test_hard_and_good_no_longer_share_an_interval(now: datetime, deck: Schedule) -> None:
    # A hard card reviewed early: its Hard and Good stabilities round to the same days
    # (the buttons read "8d 8d" before).
    card = Progress(State.REVIEW, None, 5.1, 9.9, now, now - timedelta(days=2.55), 6, 2)
    for card_id in range(50):
        intervals = preview_intervals(card_id, card, now, deck)
        shown = [format_interval(intervals[rating]) for rating in Rating]
        assert len(set(shown)) == 4, shown


steps_lists = st.lists(
    st.integers(min_value=1, max_value=3 * 24 * 60), min_size=0, max_size=4, unique=True
).map(lambda minutes: tuple(timedelta(minutes=m) for m in sorted(minutes)))


@st.composite
def cards(draw: st.DrawFn) -> tuple[Progress, datetime, Schedule]:
    now = datetime(2025, 3, 14, 3, 0, tzinfo=UTC) + timedelta(minutes=draw(st.integers(0, 2880)))
    deck = Schedule(
        desired_retention=draw(st.floats(0.7, 0.99)),
        learning_steps=draw(steps_lists),
        relearning_steps=draw(steps_lists),
        fuzz=draw(st.booleans()),
    )
    state = draw(st.sampled_from(State))
    if state is State.NEW:
        return Progress(), now, deck
    steps = deck.learning_steps if state is State.LEARNING else deck.relearning_steps
    step = None if state is State.REVIEW else draw(st.integers(0, max(0, len(steps) - 1)))
    elapsed = timedelta(minutes=draw(st.integers(0, 400 * 24 * 60)))
    progress = Progress(
        state,
        step,
        draw(st.floats(0.01, 1000)),
        draw(st.floats(1, 10)),
        now,
        now - elapsed,
        draw(st.integers(1, 50)),
        draw(st.integers(0, 10)),
    )
    return progress, now, deck


@pytest.mark.fuzz
@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(card=cards(), card_id=st.integers(1, 10**12))
def test_button_intervals_are_strictly_ordered(
    card: tuple[Progress, datetime, Schedule], card_id: int
) -> None:
    progress, now, deck = card
    intervals = preview_intervals(card_id, progress, now, deck)
    # At the 100-year cap, intervals may meet; nothing a learner can tell apart.
    assume(intervals[Rating.EASY] < timedelta(days=MAXIMUM_INTERVAL))
    again, hard, good, easy = (intervals[rating] for rating in Rating)
    assert again < hard < good < easy, intervals
    # And the interval shown on a button is the one the answer then gives, whether worked out
    # anew or taken from the buttons as shown.
    shown = buttons(card_id, progress, now, deck)
    for rating, interval in intervals.items():
        after = next_progress(card_id, progress, rating, now, deck)
        assert after.due == now + interval
        assert taken(shown, progress, rating, now, deck, DEFAULT_PARAMETERS) == after


@pytest.mark.parametrize(
    ("interval", "lower", "upper"),
    [(1.0, 1, 1), (2.49, 2, 2), (2.5, 2, 4), (7.0, 5, 9), (17.0, 14, 20), (37.0, 33, 41)],
)
def test_fuzz_spreads_intervals_over_ankis_ranges(interval: float, lower: int, upper: int) -> None:
    assert fuzzed_days(interval, 1, 0.0) == lower
    assert fuzzed_days(interval, 1, 0.99) == upper
    assert fuzzed_days(interval, 1, None) == int(interval + 0.5)  # halves round up, as in Anki


@pytest.mark.fuzz
def test_fuzz_is_on_by_default_and_the_same_for_the_same_answer(now: datetime) -> None:
    assert Schedule().fuzz is True
    card = reviewed(40.0, now - timedelta(days=40))
    good = {preview_intervals(card_id, card, now, Schedule())[Rating.GOOD] for card_id in range(40)}
    exact = {preview_intervals(card_id, card, now, EXACT)[Rating.GOOD] for card_id in range(40)}
    assert len(exact) == 1
    assert len(good) > 5
    (middle,) = exact
    # Anki's range: a day, plus 15% of the days from 2.5 to 7, 10% to 20 and 5% beyond.
    days = middle.days
    spread = timedelta(days=1 + 0.15 * 4.5 + 0.1 * 13 + 0.05 * (days - 20) + 1)
    assert all(abs(interval - middle) <= spread for interval in good)
    # Seeded by the card and its review count: asked twice, the same card gets the same.
    first = preview_intervals(7, card, now, Schedule())
    assert preview_intervals(7, card, now, Schedule()) == first
    assert next_progress(7, card, Rating.GOOD, now, Schedule()).due == now + first[Rating.GOOD]


@pytest.mark.fuzz
def test_a_deck_turns_fuzz_off(tmp_path, now: datetime) -> None:
    deck = parse_deck("+++\n[schedule]\nfuzz = false\n+++\nQ: q\nA: a\n", tmp_path / "d.md")
    assert deck.schedule.fuzz is False
    assert schedule_from_settings(settings_of(deck)).fuzz is False
    card = reviewed(40.0, now - timedelta(days=40))
    intervals = {
        preview_intervals(card_id, card, now, deck.schedule)[Rating.GOOD] for card_id in range(40)
    }
    assert len(intervals) == 1


def test_fuzz_must_be_true_or_false(tmp_path) -> None:
    from trainer.core.deck_syntax import DeckError

    with pytest.raises(DeckError) as raised:
        parse_deck('+++\n[schedule]\nfuzz = "no"\n+++\nQ: q\nA: a\n', tmp_path / "d.md")
    assert "d.md:3: front matter: schedule.fuzz must be true or false" in str(raised.value)


def test_learning_steps_as_anki_takes_them(now: datetime) -> None:
    intervals = preview_intervals(1, Progress(), now, EXACT)
    assert intervals[Rating.AGAIN] == MINUTE
    assert intervals[Rating.HARD] == 5.5 * MINUTE  # half way to the second step
    assert intervals[Rating.GOOD] == 10 * MINUTE
    assert intervals[Rating.EASY] >= timedelta(days=1)
    one_step = preview_intervals(
        1, Progress(), now, Schedule(learning_steps=(10 * MINUTE,), fuzz=False)
    )
    assert one_step[Rating.HARD] == 15 * MINUTE  # half as long again
    days = Schedule(learning_steps=(timedelta(days=3),), fuzz=False)
    assert preview_intervals(1, Progress(), now, days)[Rating.HARD] == timedelta(days=4)


def test_without_steps_every_button_gives_days(now: datetime) -> None:
    none = Schedule(learning_steps=(), relearning_steps=(), fuzz=False)
    intervals = preview_intervals(1, Progress(), now, none)
    assert all(interval.total_seconds() % 86400 == 0 for interval in intervals.values())
    assert intervals[Rating.AGAIN] == timedelta(days=1)
    assert list(intervals.values()) == sorted(set(intervals.values()))
    lapsed = next_progress(1, reviewed(20.0, now - timedelta(days=20)), Rating.AGAIN, now, none)
    assert lapsed.state is State.REVIEW and lapsed.lapses == 1


def test_default_parameters_are_fsrs_6(now: datetime) -> None:
    assert len(schedule.DEFAULT_PARAMETERS) == 21
    assert schedule.DEFAULT_PARAMETERS[:4] == (0.212, 1.2931, 2.3065, 8.2956)


@pytest.mark.fuzz
def test_undo_and_answer_again_gives_the_same_fuzzed_interval(store, now: datetime) -> None:
    from trainer.store.store import Store

    assert isinstance(store, Store)
    store.db.execute("INSERT INTO decks (path, name, settings) VALUES ('/d.md', 'D', '{}')")
    store.db.execute(
        "INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, created) "
        "VALUES ('k', 1, 0, 1, 0, 'Q?', 'A', 0)"
    )
    with store.transaction():
        review_log.write_progress(store.conn, 1, reviewed(40.0, now - timedelta(days=40)))
    first = store.record_review(1, Rating.GOOD, now)
    assert store.undo_last(now + timedelta(seconds=5)) == 1
    again = store.record_review(1, Rating.GOOD, now + timedelta(seconds=9))
    assert again.due - again.last_review == first.due - first.last_review
    assert (first.due - now).days > 2  # long enough to be fuzzed
