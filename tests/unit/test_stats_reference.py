"""The review-log figures against a plain reference: every review read back and counted here.

A random history of a few years over three decks (undone answers, answers before and after the
4 a.m. rollover, across clock changes, after the end of today) is counted by `compute_stats`
and by `reference`, which reads each review and places it with `datetime`, in several time
zones. Both must give the same figures for all decks and for each deck.
"""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, timedelta

import pytest

from trainer.core.progress import study_date, to_millis
from trainer.stats.figures import CALENDAR_DAYS, PERIODS, Retention, Stats, compute_stats
from trainer.stats.reviews import MATURE_DAYS
from trainer.store.card_codes import tag_set_ids
from trainer.store.review_log import MODE_KINDS, NEW_REVIEW
from trainer.store.store import Store

NOW = datetime(2025, 11, 3, 15, 0, tzinfo=UTC)
"""A Monday a day after New York's clock change and a week after Berlin's."""
DAY = timedelta(days=1)
DAY_MS = 86_400_000


def build_history(store: Store, seed: int) -> list[int]:
    """Three decks of cards and about 1,500 answers at random moments; returns the deck ids."""
    rng = random.Random(seed)
    decks = []
    for name in ("Alpha", "Beta", "Gamma"):
        cursor = store.db.execute(
            "INSERT INTO decks (path, name) VALUES (?, ?)", [f"/decks/{name}.md", name]
        )
        decks.append(int(cursor.lastrowid))
    cards = []
    for n in range(40):
        cursor = store.db.execute(
            "INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, created)"
            " VALUES (?, ?, 0, 1, 0, 'Q?', 'A', 0)",
            [f"c{n}", decks[n % 3]],
        )
        cards.append(int(cursor.lastrowid))
    moments = [NOW - timedelta(seconds=rng.randrange(3 * 365 * 86_400)) for _ in range(1_000)]
    # Crowd the edges: the rollover, the clock changes, today, the calendar's first day, and
    # a few answers after the end of today (a clock set wrong) that count nowhere.
    for day in (NOW, NOW - DAY, NOW - 364 * DAY, NOW - 365 * DAY, datetime(2025, 3, 30, tzinfo=UTC),
                datetime(2025, 11, 2, tzinfo=UTC), datetime(2025, 3, 9, tzinfo=UTC),
                datetime(2025, 4, 6, tzinfo=UTC), datetime(2025, 10, 5, tzinfo=UTC)):  # fmt: skip
        moments += [day + timedelta(minutes=rng.randrange(-36 * 60, 36 * 60)) for _ in range(50)]
    moments += [NOW + timedelta(hours=rng.randrange(14, 60)) for _ in range(10)]
    moments.sort()
    ids = []
    card_of = {}
    for at in moments:
        interval = rng.choice(
            [None, timedelta(hours=6), DAY, 5 * DAY, 20 * DAY, 21 * DAY, 90 * DAY]
        )
        last = None if interval is None else at - interval - timedelta(hours=rng.randrange(48))
        card_id = rng.choice(cards)
        cursor = store.db.execute(
            NEW_REVIEW,
            {"card_id": card_id, "rating": rng.choice([1, 2, 3, 3, 3, 4]),
             "duration_ms": rng.randrange(500, 20_000), "kind": MODE_KINDS["review"],
             "undoes": None, "reviewed_at": to_millis(at), "state_before": 2,
             "step_before": None, "stability_before": None, "difficulty_before": None,
             "due_before": None if last is None else to_millis(last + interval),
             "last_review_before": to_millis(last), "parameters_id": None},
        )  # fmt: skip
        ids.append(int(cursor.lastrowid))
        card_of[ids[-1]] = card_id
    # Undone at the end: logged against the card of the answer taken back, as the store does
    # (a millisecond apart: one millisecond holds `review_log.SLOTS` answers).
    for number, undone in enumerate(rng.sample(ids, 60)):
        store.db.execute(
            NEW_REVIEW,
            {"card_id": card_of[undone], "rating": None, "duration_ms": 0, "kind": MODE_KINDS["undo"],
             "undoes": undone, "reviewed_at": to_millis(NOW - timedelta(minutes=1)) + number,
             "state_before": 2, "step_before": None, "stability_before": None,
             "difficulty_before": None, "due_before": None, "last_review_before": None,
             "parameters_id": None},
        )  # fmt: skip
    return decks


def reference(store: Store, now: datetime, deck_id: int | None) -> dict[str, object]:
    """The review-log figures counted one review at a time."""
    rows = store.conn.execute(
        """
        SELECT r.reviewed_at, r.card_id, r.rating, r.duration_ms, r.due_before - r.last_review_before
        FROM reviews r JOIN cards c ON c.id = r.card_id
        WHERE r.rating IS NOT NULL AND (c.deck_id = :deck OR :deck IS NULL)
          AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
        """,
        {"deck": deck_id},
    ).fetchall()
    today = study_date(now)
    daily = [0] * CALENDAR_DAYS
    buttons = [0] * 4
    hours = [[0, 0] for _ in range(24)]
    fields = {name: [0, 0, 0, 0] for name in [*PERIODS, "all"]}
    today_cards, today_time = set(), 0
    for at_ms, card_id, rating, duration, interval in rows:
        at = datetime.fromtimestamp(at_ms / 1000, UTC)
        if study_date(at) > today:
            continue
        back = (today - study_date(at)).days
        kind = None
        if interval is not None and interval >= DAY_MS:
            kind = 2 * (interval >= MATURE_DAYS * DAY_MS) + (rating > 1)
        if kind is not None:
            fields["all"][kind] += 1
        if back >= CALENDAR_DAYS:
            continue
        daily[CALENDAR_DAYS - 1 - back] += 1
        buttons[rating - 1] += 1
        hour = at.astimezone().hour
        hours[hour][0] += 1
        hours[hour][1] += rating > 1
        for name, (first, last) in PERIODS.items():
            if kind is not None and first <= back < last:
                fields[name][kind] += 1
        if back == 0:
            today_cards.add(card_id)
            today_time += duration
    return {
        "daily": daily,
        "buttons": tuple(buttons),
        "hours": [tuple(hour) for hour in hours],
        "retention": {name: Retention(yp, yf, mp, mf) for name, (yf, yp, mf, mp) in fields.items()},
        "today": (daily[-1], len(today_cards), today_time),
        "first day": today - timedelta(days=CALENDAR_DAYS - 1),
    }


def figures(stats: Stats) -> dict[str, object]:
    return {
        "daily": [day.reviews for day in stats.calendar],
        "buttons": stats.buttons,
        "hours": [(hour.reviews, hour.correct) for hour in stats.hours],
        "retention": stats.retention,
        "today": (stats.today.reviews, stats.today.cards, stats.today.time_ms),
        "first day": stats.calendar[0].day,
    }


ZONES = ["UTC", "America/New_York", "Europe/Berlin", "Asia/Kolkata", "Australia/Lord_Howe"]


@pytest.mark.parametrize("zone", ZONES, indirect=True)
@pytest.mark.parametrize("seed", [1, 2])
def test_figures_match_a_count_of_every_review(store: Store, zone: str, seed: int) -> None:
    decks = build_history(store, seed)
    for now in (NOW, NOW.replace(hour=3), NOW + timedelta(hours=12)):
        for deck_id in (None, *decks):
            expected = reference(store, now, deck_id)
            assert figures(compute_stats(store, now, deck_id)) == expected, (now, deck_id)


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_the_reference_sees_the_answers(store: Store, zone: str) -> None:
    # The comparison above is only worth something if the history lands in every figure.
    build_history(store, 1)
    counted = reference(store, NOW, None)
    assert sum(counted["daily"]) > 500  # type: ignore[arg-type]
    assert all(reviews for reviews, _ in counted["hours"])  # type: ignore[attr-defined]
    retention = counted["retention"]["week"]  # type: ignore[index]
    assert retention.young_passed and retention.mature_failed
    assert counted["today"][0] > 10  # type: ignore[index]
    assert isinstance(counted["first day"], date)


@pytest.mark.parametrize("zone", ["UTC"], indirect=True)
def test_tags_written_any_way_are_counted(store: Store, zone: str) -> None:
    # Tags are counted from all tag sets at once, with a shortcut for what `json.dumps` writes;
    # a tag with a quote or a backslash, or a set written without spaces, takes the long way.
    deck = store.db.execute("INSERT INTO decks (path, name) VALUES ('/d.md', 'D')").lastrowid
    stored = ['["geo", "hard"]', '["geo"]', "[]", '["geo","x"]', '["say \\"hi\\"", "geo"]',
              '["back\\\\slash"]', '["geo"]']  # fmt: skip
    with store.transaction():
        sets = tag_set_ids(store.conn, stored)
    for n, tags in enumerate(stored):
        store.db.execute(
            "INSERT INTO cards (key, deck_id, position, line, prompt, answer, tag_set, state,"
            " stability, difficulty, last_review, due, created)"
            " VALUES (?, ?, 0, 1, 'Q?', 'A', ?, 2, 100, 5, ?, ?, 0)",
            [f"t{n}", deck, sets[tags], to_millis(NOW - DAY), to_millis(NOW + 30 * DAY)],
        )
    tags = {tag.name: (tag.cards, tag.mastered) for tag in compute_stats(store, NOW).tags}
    assert tags == {"geo": (5, 5), "hard": (1, 1), "x": (1, 1), 'say "hi"': (1, 1),
                    "back\\slash": (1, 1)}  # fmt: skip


@pytest.mark.parametrize("zone", ["UTC"], indirect=True)
def test_stability_buckets_double_in_width(store: Store, zone: str) -> None:
    # Bucket n holds 2^(n-1) <= S < 2^n days: each edge starts the next bucket.
    deck = store.db.execute("INSERT INTO decks (path, name) VALUES ('/d.md', 'D')").lastrowid
    stabilities = [0.5, 1, 1.99, 2, 4, 7.9, 8, 16, 32, 64, 127.9, 128, 256, 512, 1023.9, 1024, 9999]
    for n, stability in enumerate(stabilities):
        store.db.execute(
            "INSERT INTO cards (key, deck_id, position, line, kind_code, prompt, answer, state,"
            " stability, difficulty, last_review, due, created)"
            " VALUES (?, ?, 0, 1, 0, 'Q?', 'A', 2, ?, 5, ?, ?, 0)",
            [f"s{n}", deck, stability, to_millis(NOW - DAY), to_millis(NOW + DAY)],
        )
    counts = compute_stats(store, NOW).stability.counts
    assert counts == (1, 2, 1, 2, 1, 1, 1, 2, 1, 1, 2, 2)


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_a_large_collection_reads_its_two_halves_at_once(
    store: Store, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # From PARALLEL_CARDS cards on, all decks' figures read the log and the cards on two
    # connections at once: the same figures as one after the other.
    from trainer.stats import figures

    build_history(store, 3)
    apart = compute_stats(store, NOW)
    monkeypatch.setattr(figures, "PARALLEL_CARDS", 1)
    assert compute_stats(store, NOW) == apart
    assert figures._KEPT[store].second is not None  # the second connection did the cards


@pytest.mark.parametrize("zone", ["Europe/Berlin"], indirect=True)
def test_one_deck_of_a_large_collection_reads_its_two_halves_at_once(
    store: Store, zone: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One deck's figures too: its log and its cards on two connections at once, the same
    # figures as one after the other.
    from trainer.stats import figures

    build_history(store, 3)
    (deck_id,) = store.conn.execute("SELECT min(deck_id) FROM cards").fetchone()
    apart = compute_stats(store, NOW, deck_id)
    assert figures._KEPT[store].second is None
    monkeypatch.setattr(figures, "PARALLEL_CARDS", 1)
    assert compute_stats(store, NOW, deck_id) == apart
    assert figures._KEPT[store].second is not None
