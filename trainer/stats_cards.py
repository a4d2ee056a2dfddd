"""The figures about cards as they stand now: counts, distributions, mastery, forecast, leeches.

Part of `trainer.stats`; kept apart because it reads the `cards` table only. Retrievability is
computed in SQL with FSRS's forgetting curve, R = (1 + FACTOR * elapsed_days / S) ^ DECAY,
exactly as `trainer.schedule.retrievability` computes it for one card.
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from trainer.core.progress import to_millis

DAY_MS = 86_400_000
LEECH_LAPSES = 8
"""As in Anki, a card forgotten this many times is a leech: worth rewriting or suspending."""
HARDEST_LIMIT = 10
DEFAULT_DESIRED_RETENTION = 0.9
STABILITY_EDGES = (1, 2, 4, 7, 14, 21, 30, 60, 90, 180, 365)
"""Upper edges (days) of the stability distribution's buckets; a last bucket holds the rest."""
STABILITY_LABELS = (
    "<1d", "1-2d", "2-4d", "4-7d", "1-2w", "2-3w", "3w-1mo", "1-2mo", "2-3mo", "3-6mo",
    "6-12mo", ">1y",
)  # fmt: skip
TENTHS = tuple(f"{10 * n}-{10 * n + 10}%" for n in range(10))


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
    """How studied cards spread over buckets of one measure, with the measure's mean."""

    labels: tuple[str, ...]
    counts: tuple[int, ...]
    mean: float | None
    """Stability in days, difficulty and retrievability as shares from 0 to 1."""


@dataclass(frozen=True)
class Mastery:
    """One deck's or tag's cards (neither retired nor suspended), mastered and due."""

    name: str
    cards: int
    mastered: int
    """Cards whose retrievability is at least their deck's desired retention (new cards: never)."""
    due: int
    """Review cards due now and (re)learning cards due before the study day ends."""
    desired_retention: float | None
    """The deck's desired retention; None for a tag."""
    deck_id: int | None = None

    @property
    def share(self) -> float | None:
        """Mastery: the share of cards mastered (None for no cards)."""
        return self.mastered / self.cards if self.cards else None


@dataclass(frozen=True)
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
class DueDay:
    """Cards falling due on one study day of the forecast (day 0 includes overdue cards)."""

    day: date
    due: int
    cumulative: int


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


def retrievability_sql(weights: tuple[float, ...]) -> tuple[str, dict[str, float]]:
    """SQL for card `c`'s retrievability at `:now` (0 for a new card), and its parameters."""
    decay = -weights[20]
    sql = (
        "(CASE WHEN c.stability > 0 AND c.last_review IS NOT NULL THEN "
        "pow(1 + :factor * max(0, :now - c.last_review) / 86400000.0 / c.stability, :decay) "
        "ELSE 0 END)"
    )
    return sql, {"decay": decay, "factor": 0.9 ** (1 / decay) - 1}


_DUE = "((c.state = 2 AND c.due <= :now) OR (c.state IN (1, 3) AND c.due < :day_end))"
_ACTIVE = "c.retired = 0 AND c.suspended = 0"


def card_figures(
    conn: sqlite3.Connection,
    now: datetime,
    day_starts: list[int],
    deck_id: int | None,
    weights: tuple[float, ...],
) -> CardFigures:
    """The card figures for `deck_id` (None: all). `day_starts` begins with today's start and
    holds one more boundary than forecast days."""
    r_sql, r_params = retrievability_sql(weights)
    deck = "AND c.deck_id = :deck" if deck_id is not None else ""
    params = {**r_params, "now": to_millis(now), "day_end": day_starts[1], "deck": deck_id}
    counts = CardCounts(
        *conn.execute(
            f"""
            SELECT count(*) FILTER (WHERE {_ACTIVE} AND c.state = 0),
                   count(*) FILTER (WHERE {_ACTIVE} AND c.state = 1),
                   count(*) FILTER (WHERE {_ACTIVE} AND c.state = 2),
                   count(*) FILTER (WHERE {_ACTIVE} AND c.state = 3),
                   count(*) FILTER (WHERE c.retired = 0 AND c.suspended = 1),
                   count(*) FILTER (WHERE c.retired = 1),
                   count(*) FILTER (WHERE c.retired = 0 AND c.lapses >= {LEECH_LAPSES})
            FROM cards c WHERE 1 {deck}
            """,
            params,
        ).fetchone()
    )
    stability, difficulty, retrievability = _distributions(conn, r_sql, params, deck)
    decks, tags = _mastery(conn, r_sql, params, deck)
    hardest = tuple(
        HardCard(*row)
        for row in conn.execute(
            f"""
            SELECT c.id, c.prompt, d.name, c.lapses, c.reps
            FROM cards c JOIN decks d ON d.id = c.deck_id
            WHERE c.retired = 0 AND c.lapses > 0 {deck}
            ORDER BY c.lapses DESC, c.reps DESC, c.id LIMIT {HARDEST_LIMIT}
            """,
            params,
        )
    )
    due = conn.execute(
        f"""
        SELECT b.key, (SELECT count(*) FROM cards c
                       WHERE c.due >= b.value AND c.due < b.next AND c.state > 0 AND {_ACTIVE}
                       {deck})
        FROM (SELECT key, value, lead(value) OVER (ORDER BY key) AS next
              FROM json_each(:bounds)) AS b
        WHERE b.next IS NOT NULL ORDER BY b.key
        """,
        {**params, "bounds": json.dumps([-(2**62), *day_starts[1:]])},
    ).fetchall()
    first = datetime.fromtimestamp(day_starts[0] / 1000).date()
    forecast, total = [], 0
    for key, count in due:
        total += count
        forecast.append(DueDay(first + timedelta(days=key), count, total))
    return CardFigures(
        counts, stability, difficulty, retrievability, decks, tags, hardest, tuple(forecast)
    )


def _distributions(
    conn: sqlite3.Connection, r_sql: str, params: dict, deck: str
) -> tuple[Distribution, Distribution, Distribution]:
    """Stability, difficulty and retrievability of studied cards, from one grouped scan."""
    stability_bucket = (
        "CASE "
        + " ".join(f"WHEN c.stability < {edge} THEN {n}" for n, edge in enumerate(STABILITY_EDGES))
        + f" ELSE {len(STABILITY_EDGES)} END"
    )
    rows = conn.execute(
        f"""
        SELECT sb, db, min(CAST(r * 10 AS INTEGER), 9), count(*), total(s), total(d), total(r)
        FROM (SELECT {stability_bucket} AS sb,
                     min(max(CAST((c.difficulty - 1) / 0.9 AS INTEGER), 0), 9) AS db,
                     {r_sql} AS r, c.stability AS s, (c.difficulty - 1) / 9 AS d
              FROM cards c
              WHERE {_ACTIVE} AND c.state > 0 AND c.stability > 0 {deck})
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
        by_difficulty[db] += count
        by_retrievability[rb] += count
        studied += count
        sums = [sums[0] + s, sums[1] + d, sums[2] + r]
    means = [total / studied if studied else None for total in sums]
    return (
        Distribution(STABILITY_LABELS, tuple(by_stability), means[0]),
        Distribution(TENTHS, tuple(by_difficulty), means[1]),
        Distribution(TENTHS, tuple(by_retrievability), means[2]),
    )


def _mastery(
    conn: sqlite3.Connection, r_sql: str, params: dict, deck: str
) -> tuple[tuple[Mastery, ...], tuple[Mastery, ...]]:
    """Mastery and due cards per deck and per tag, from one scan grouped by deck and tag set."""
    decks = {
        deck_id: (name, json.loads(settings).get("desired_retention", DEFAULT_DESIRED_RETENTION))
        for deck_id, name, settings in conn.execute(
            "SELECT id, name, settings FROM decks d WHERE (d.missing = 0 OR d.imported = 1)"
            + (" AND d.id = :deck" if deck else ""),
            params,
        )
    }
    # Cards sharing a tag set within a deck share a row; tags are spread out below in Python.
    # The desired retention comes from a materialised table so SQLite reads it once per deck.
    rows = conn.execute(
        f"""
        WITH wanted(id, retention) AS MATERIALIZED (
            SELECT CAST(key AS INTEGER), value FROM json_each(:wanted))
        SELECT c.deck_id, c.tags, count(*), count(*) FILTER (WHERE {r_sql} >= w.retention),
               count(*) FILTER (WHERE {_DUE})
        FROM wanted w JOIN cards c ON c.deck_id = w.id
        WHERE {_ACTIVE} {deck}
        GROUP BY c.deck_id, c.tags
        """,
        {**params, "wanted": json.dumps({str(k): v[1] for k, v in decks.items()})},
    ).fetchall()
    per_deck = {deck_id: [0, 0, 0] for deck_id in decks}
    per_tag: dict[str, list[int]] = {}
    for deck_id, tags, cards, mastered, due in rows:
        for totals in (per_deck[deck_id], *(per_tag.setdefault(t, [0, 0, 0]) for t in json.loads(tags))):
            totals[0] += cards
            totals[1] += mastered
            totals[2] += due
    deck_rows = tuple(
        Mastery(name, *per_deck[deck_id], retention, deck_id)
        for deck_id, (name, retention) in sorted(decks.items(), key=lambda item: item[1][0].casefold())
    )
    tag_rows = tuple(
        Mastery(tag, *totals, None) for tag, totals in sorted(per_tag.items(), key=lambda item: item[0].casefold())
    )
    return deck_rows, tag_rows


def weighted_desired_retention(decks: tuple[Mastery, ...]) -> float | None:
    """The desired retention of a set of decks: their average, weighted by their cards."""
    cards = sum(deck.cards for deck in decks)
    if cards:
        return sum(deck.cards * (deck.desired_retention or 0) for deck in decks) / cards
    if decks:
        return sum(deck.desired_retention or 0 for deck in decks) / len(decks)
    return None
