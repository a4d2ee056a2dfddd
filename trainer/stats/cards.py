"""The figures about cards as they stand: counts, distributions, mastery, leeches (the forecast:
`trainer.stats.forecast`).

Part of `trainer.stats`; reads the `cards` table through its `cards_by_deck` covering index.
Retrievability follows FSRS's forgetting curve, R = (1 + FACTOR * t / S) ^ DECAY with t the study
days since the last review, exactly as `trainer.schedule.retrievability` computes it for one card.
A time's study day is found in SQL by shifting it by the local UTC offset less the 4 a.m. rollover
(`:shift`, now's offset) and dividing by a day; `:today` is now's study day counted the same way.
"""

from __future__ import annotations

import json
import sqlite3
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta

from trainer.core.progress import ROLLOVER_HOUR, to_millis
from trainer.stats.forecast import DueDay, due_forecast
from trainer.stats.tags import tag_counts, tags_of
from trainer.store.card_codes import tag_texts
from trainer.store.queue import due_today

DAY_MS = 86_400_000
HOUR_MS = 3_600_000
LEECH_LAPSES = 8
"""As in Anki, a card forgotten this many times is a leech: worth rewriting or suspending."""
HARDEST_LIMIT = 10
DEFAULT_DESIRED_RETENTION = 0.9
STABILITY_LABELS = (
    "<1d", "1-2d", "2-4d", "4-8d", "8-16d", "16-32d", "1-2mo", "2-4mo", "4-8mo", "8-17mo",
    "17-34mo", ">34mo",
)  # fmt: skip
"""Stability buckets double in width: bucket n holds 2^(n-1) <= S < 2^n days (the first
everything under a day, the last everything from 1024 days)."""
TENTHS = tuple(f"{10 * n}-{10 * n + 10}%" for n in range(10))
_ACTIVE = "c.retired = 0 AND c.suspended = 0"
_ELAPSED_DAYS = f"max(0, :today - (c.last_review + :shift) / {DAY_MS})"
"""Study days since card `c`'s last review (integer division: both sides are integers)."""


@dataclass(frozen=True)
class CardCounts:
    """Cards by where they stand. Suspended and retired cards are counted apart, not by state."""

    new: int
    learning: int
    review: int
    relearning: int
    suspended: int
    retired: int
    leeches: int
    """Cards (not retired) forgotten `LEECH_LAPSES` times or more."""


@dataclass(frozen=True)
class Distribution:
    """How studied cards (neither retired nor suspended) spread over buckets of one measure."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    mean: float | None
    """Stability in days; difficulty and retrievability as shares from 0 to 1."""


@dataclass(frozen=True, slots=True)  # many of them: built faster
class Mastery:
    """One deck's or tag's cards (neither retired nor suspended), mastered and due."""

    name: str
    cards: int
    mastered: int
    """Cards whose retrievability is at least their deck's desired retention (new cards: never)."""
    due: int
    """What the deck list counts as waiting: review cards due now and (re)learning cards due
    within the learn-ahead limit, siblings kept back excluded (`trainer.store.queue`)."""
    desired_retention: float | None
    """The deck's desired retention; None for a tag."""
    deck_id: int | None = None

    @property
    def share(self) -> float | None:
        """Mastery: the share of cards mastered (None for no cards)."""
        return self.mastered / self.cards if self.cards else None


@dataclass(frozen=True, slots=True)  # many of them: built faster
class HardCard:
    """A card the learner keeps forgetting."""

    id: int
    prompt: str
    deck: str
    lapses: int
    reps: int

    @property
    def leech(self) -> bool:
        """Forgotten `LEECH_LAPSES` times or more."""
        return self.lapses >= LEECH_LAPSES


@dataclass(frozen=True)
class CardFigures:
    """Everything `card_figures` computes."""

    counts: CardCounts
    stability: Distribution
    difficulty: Distribution
    retrievability: Distribution
    decks: tuple[Mastery, ...]
    tags: tuple[Mastery, ...]
    hardest: tuple[HardCard, ...]
    forecast: tuple[DueDay, ...]


class _Curve:
    """FSRS's forgetting curve for one set of weights."""

    def __init__(self, weights: tuple[float, ...]) -> None:
        from trainer.schedule import forgetting_curve

        self.decay, self.factor = forgetting_curve(weights)

    def sql(self) -> str:
        """SQL for card `c`'s retrievability at `:now` (0 for a card never studied)."""
        return (
            "(CASE WHEN c.stability > 0 AND c.last_review IS NOT NULL THEN "
            f"pow(1 + {self.factor!r} * {_ELAPSED_DAYS} / c.stability, {self.decay!r}) ELSE 0 END)"
        )

    def reach(self, retention: float) -> float:
        """How long, in stabilities, until retrievability falls to `retention`.

        R >= retention exactly when elapsed study days <= stability * reach(retention), since R
        only falls with time: a comparison SQLite makes far faster than a `pow` per card.
        """
        return (retention ** (1 / self.decay) - 1) / self.factor


def card_figures(
    conn: sqlite3.Connection,
    now: datetime,
    day_starts: list[int],
    deck_id: int | None,
    weights: tuple[float, ...],
) -> CardFigures:
    """The card figures for `deck_id` (None: all). `day_starts` holds the start of today and of
    each following study day, one more than the forecast's days."""
    deck = "AND c.deck_id = :deck" if deck_id is not None else ""
    params = {"now": to_millis(now), "day_end": day_starts[1], "deck": deck_id, **_study_days(now)}
    counts = _counts(conn, params, deck)
    curve = _Curve(weights)
    stability, difficulty, retrievability = _distributions(conn, curve, params, deck)
    waiting = due_today(conn, now, None if deck_id is None else [deck_id])
    decks, tags = _mastery(conn, curve, params, deck, waiting)
    hardest = _hardest(conn, params, deck)
    return CardFigures(
        counts,
        stability,
        difficulty,
        retrievability,
        decks,
        tags,
        hardest,
        due_forecast(conn, day_starts, params, deck),
    )


def _study_days(now: datetime) -> dict[str, int]:
    """`:shift` and `:today` for `_ELAPSED_DAYS`: study days as `core.progress` counts them."""
    offset = now.astimezone().utcoffset() or timedelta(0)
    shift = (offset - timedelta(hours=ROLLOVER_HOUR)) // timedelta(milliseconds=1)
    return {"shift": shift, "today": (to_millis(now) + shift) // DAY_MS}


def _counts(conn: sqlite3.Connection, params: dict, deck: str) -> CardCounts:
    """Cards by state, from `cards_by_deck` (deck, retired, suspended, state, ...) in its order."""
    by_state = [0] * 4
    suspended = retired = 0
    for is_retired, is_suspended, state, count in conn.execute(
        f"""
        SELECT c.retired, c.suspended, c.state, count(*) FROM cards c INDEXED BY cards_by_deck
        WHERE 1 {deck} GROUP BY c.deck_id, c.retired, c.suspended, c.state
        """,
        params,
    ):
        if is_retired:
            retired += count
        elif is_suspended:
            suspended += count
        else:
            by_state[state] += count
    (leeches,) = conn.execute(
        f"""SELECT count(*) FROM cards c INDEXED BY cards_by_deck
            WHERE c.retired = 0 AND c.lapses >= {LEECH_LAPSES} {deck}""",
        params,
    ).fetchone()
    new, learning, review, relearning = by_state
    return CardCounts(new, learning, review, relearning, suspended, retired, leeches)


def _hardest(conn: sqlite3.Connection, params: dict, deck: str) -> tuple[HardCard, ...]:
    """The cards with the most lapses: chosen from the covering index, then their texts read."""
    return tuple(
        HardCard(*row)
        for row in conn.execute(
            f"""
            SELECT c.id, c.prompt, d.name, c.lapses, c.reps
            FROM (SELECT c.id FROM cards c INDEXED BY cards_by_deck
                  WHERE c.retired = 0 AND c.lapses > 0 {deck}
                  ORDER BY c.lapses DESC, c.reps DESC, c.id LIMIT {HARDEST_LIMIT}) AS top
            JOIN cards c ON c.id = top.id JOIN decks d ON d.id = c.deck_id
            ORDER BY c.lapses DESC, c.reps DESC, c.id
            """,
            params,
        )
    )


def _distributions(
    conn: sqlite3.Connection, curve: _Curve, params: dict, deck: str
) -> tuple[Distribution, Distribution, Distribution]:
    """Stability, difficulty and retrievability of studied cards, from one grouped scan."""
    # Buckets are clamped below, in Python: fewer SQL function calls per card. The sub-query
    # computes each card's retrievability once (`LIMIT -1` keeps SQLite from copying it into
    # the bucket and the sum, which would compute it twice).
    rows = conn.execute(
        f"""
        SELECT sb, db, CAST(r * 10 AS INTEGER), count(*), total(s), total(d), total(r)
        FROM (SELECT {_stability_bucket(0, len(STABILITY_LABELS) - 1)} AS sb,
                     CAST((c.difficulty - 1) / 0.9 AS INTEGER) AS db, {curve.sql()} AS r,
                     c.stability AS s, (c.difficulty - 1) / 9 AS d
              FROM cards c INDEXED BY cards_by_deck
              WHERE {_ACTIVE} AND c.state > 0 AND c.stability > 0 {deck}
              LIMIT -1)
        GROUP BY 1, 2, 3
        """,
        params,
    ).fetchall()
    by_stability = [0] * len(STABILITY_LABELS)
    by_difficulty = [0] * 10
    by_retrievability = [0] * 10
    studied, sums = 0, [0.0, 0.0, 0.0]
    for sb, db, rb, count, s, d, r in rows:
        by_stability[sb] += count
        by_difficulty[min(max(db, 0), 9)] += count
        by_retrievability[min(max(rb, 0), 9)] += count
        studied += count
        sums = [sums[0] + s, sums[1] + d, sums[2] + r]
    means = [total / studied if studied else None for total in sums]
    return (
        Distribution(STABILITY_LABELS, tuple(by_stability), means[0]),
        Distribution(TENTHS, tuple(by_difficulty), means[1]),
        Distribution(TENTHS, tuple(by_retrievability), means[2]),
    )


def _stability_bucket(low: int, high: int) -> str:
    """SQL for card `c`'s stability bucket, known to be from `low` to `high`: the first n with
    S < 2^n (the last bucket: none), found in four comparisons instead of up to eleven."""
    if low == high:
        return str(low)
    middle = (low + high) // 2
    below, above = _stability_bucket(low, middle), _stability_bucket(middle + 1, high)
    return f"(CASE WHEN c.stability < {2**middle} THEN {below} ELSE {above} END)"


def _mastery(
    conn: sqlite3.Connection, curve: _Curve, params: dict, deck: str, waiting: dict[int, list[int]]
) -> tuple[tuple[Mastery, ...], tuple[Mastery, ...]]:
    """Mastery per deck and per tag, from one scan in index order; due cards as `waiting` lists
    them (the deck list's count), spread over their tags."""
    decks = {
        deck_id: (name, json.loads(settings).get("desired_retention", DEFAULT_DESIRED_RETENTION))
        for deck_id, name, settings in conn.execute(
            "SELECT id, name, settings FROM decks WHERE (missing = 0 OR imported = 1)"
            + (" AND id = :deck" if deck else ""),
            params,
        )
    }
    # Cards sharing a tag set within a deck share a row; their tags are counted below.
    rows = conn.execute(
        f"""
        SELECT c.deck_id, c.tag_set, count(*),
               count(*) FILTER (WHERE {_ELAPSED_DAYS} <= c.stability * {_reach(curve, decks)})
        FROM cards c INDEXED BY cards_by_deck
        WHERE {_ACTIVE} {deck}
        GROUP BY c.deck_id, c.tag_set
        """,
        params,
    ).fetchall()
    due_rows = _due_by_tags(conn, waiting)
    tag_sets = tag_texts(conn, {row[1] for row in rows} | {row[1] for row in due_rows})
    per_deck = {deck_id: [0, 0, 0] for deck_id in decks}
    # The tag sets of the cards, and of the mastered ones, by how many cards share each: their
    # tags are counted all at once (a loop per tag cost more than every query of the figures
    # at 10,000 cards).
    of_cards: dict[int, list[str]] = {}
    of_mastered: dict[int, list[str]] = {}
    for deck_id, tag_set, cards, known in rows:
        totals = per_deck.get(deck_id)
        if totals is None:
            continue
        totals[0] += cards
        totals[1] += known
        if tag_set == 0:  # no tags
            continue
        tags = tag_sets[tag_set]
        of_cards.setdefault(cards, []).append(tags)
        if known:
            of_mastered.setdefault(known, []).append(tags)
    tag_cards, tag_mastered = tag_counts(of_cards), tag_counts(of_mastered)
    tag_due: Counter[str] = Counter()
    for deck_id, tag_set, count in due_rows:
        if deck_id not in per_deck:
            continue
        per_deck[deck_id][2] += count
        for tag in tags_of(tag_sets[tag_set]) if tag_set != 0 else ():
            tag_due[tag] += count
    by_name = sorted(decks.items(), key=lambda item: item[1][0].casefold())
    return (
        tuple(
            Mastery(name, *_three(per_deck[i]), retention, i) for i, (name, retention) in by_name
        ),
        tuple(
            Mastery(tag, tag_cards[tag], tag_mastered[tag], tag_due[tag], None)
            for tag in sorted(tag_cards, key=str.casefold)
        ),
    )


def _reach(curve: _Curve, decks: dict[int, tuple[str, float]]) -> str:
    """SQL for the reach (`_Curve.reach`) of card `c`'s deck's desired retention: one number
    when the decks share one, else chosen by deck, the most common retention last."""
    by_reach: dict[float, list[int]] = {}
    for deck_id, (_, retention) in decks.items():
        by_reach.setdefault(curve.reach(retention), []).append(deck_id)
    if not by_reach:
        return "0"
    *others, (common, _) = sorted(by_reach.items(), key=lambda item: (len(item[1]), item[0]))
    if not others:
        return repr(common)
    cases = " ".join(
        f"WHEN c.deck_id IN ({', '.join(map(str, ids))}) THEN {reach!r}" for reach, ids in others
    )
    return f"(CASE {cases} ELSE {common!r} END)"


def _due_by_tags(conn: sqlite3.Connection, due: dict[int, list[int]]) -> list[tuple[int, int, int]]:
    """How many of the due cards each deck and tag set (its number) holds."""
    counts: dict[tuple[int, int], int] = {}
    ids = [card_id for card_ids in due.values() for card_id in card_ids]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for deck_id, tags, count in conn.execute(
            f"SELECT deck_id, tag_set, count(*) FROM cards WHERE id IN "
            f"({','.join('?' * len(chunk))}) GROUP BY deck_id, tag_set",
            chunk,
        ):
            counts[(deck_id, tags)] = counts.get((deck_id, tags), 0) + count
    return [(deck_id, tags, count) for (deck_id, tags), count in counts.items()]


def weighted_desired_retention(decks: tuple[Mastery, ...]) -> float | None:
    """The desired retention of a set of decks: their average, weighted by their cards."""
    cards = sum(deck.cards for deck in decks)
    if cards:
        return sum(deck.cards * (deck.desired_retention or 0) for deck in decks) / cards
    if decks:
        return sum(deck.desired_retention or 0 for deck in decks) / len(decks)
    return None


def _three(totals: list[int]) -> tuple[int, int, int]:
    """Cards, mastered and due of a deck's or tag's running totals."""
    cards, mastered, due = totals
    return cards, mastered, due
