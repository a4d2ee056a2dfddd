"""The study queue and the deck list's counts: what is waiting today, read straight from SQLite.

Both come from one gathering (`_gather`), so the deck list's counts are exactly what a session
then offers. Cards are gathered as Anki gathers them: learning cards due within `LEARN_AHEAD`,
then review cards due now (least likely recalled first), then new cards in deck order up to the
daily limit. In a deck that buries siblings, a card is left out when a sibling was answered
today or was gathered before it; learning cards are never left out.

What they read grows with what is waiting today, not with the collection: due cards through
`cards_by_deck` (a range of each deck's due cards), new cards through `cards_new` in deck
order, stopping at the daily limit, today's answers as a range of the log's ids (it is keyed by
time); a plan's siblings and citations come with the cards gathered. Only the deck list's
totals count every card.

Functions take the store's connection; `Store` calls them holding its lock.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from trainer.core.cards import Schedule
from trainer.core.progress import from_millis, study_day_start, to_millis
from trainer.core.study_order import LEARN_AHEAD, CardTies, in_turn, interleave
from trainer.store import review_log
from trainer.store.card_ties import CITED, ENTRY, UNCITED, ties_of
from trainer.store.rows import deck_rules


@dataclass(frozen=True)
class DeckSummary:
    """One line of the deck list: what is waiting in a deck today."""

    id: int
    name: str
    path: str
    description: str
    due: int
    """Review cards due now (siblings kept back excluded)."""
    learning: int
    """Cards in (re)learning due within `LEARN_AHEAD`: what a session shows of them now."""
    new: int
    """New cards available today, after the deck's daily limit and siblings kept back."""
    total: int
    held_back: int = 0
    """Review cards due today that the deck's daily review limit keeps for another day."""


@dataclass(frozen=True)
class StudyPlan:
    """What a study session starts with."""

    queue: list[int]
    """Review and new cards, in the order they are shown."""
    learning: dict[int, datetime]
    """Cards in (re)learning due within `LEARN_AHEAD`, with when each is due."""
    ties: dict[int, CardTies]
    """Siblings and citations of the cards of the plan."""

    @property
    def size(self) -> int:
        """Cards the session offers."""
        return len(self.queue) + len(self.learning)


@dataclass
class _Deck:
    """One deck's part of the gathering."""

    id: int
    name: str
    path: str
    description: str
    total: int
    new_allowance: int
    review_allowance: int
    bury: bool
    held_back: int = 0
    learning: dict[int, datetime] = field(default_factory=dict)
    reviews: list[int] = field(default_factory=list)
    new: list[int] = field(default_factory=list)
    offered: list[tuple[Any, ...]] = field(default_factory=list)
    """With ties wanted, the cards offered as `ties_of` reads them: (id, deck, entry, citation)."""


@dataclass
class _Today:
    """What the study day so far has done: the cards answered, their entries, the new ones."""

    answered: set[int] = field(default_factory=set)
    taken: set[tuple[int, str]] = field(default_factory=set)
    """(deck, sibling group) of every card answered."""
    introduced: dict[int, int] = field(default_factory=dict)
    """New cards first answered, per deck."""
    reviewed: dict[int, int] = field(default_factory=dict)
    """Review cards answered, per deck (what the daily review limit counts)."""


def _today(conn: sqlite3.Connection, now: datetime) -> _Today:
    """Study answers since the study day began, undone answers excluded (quiz answers bury
    nothing and introduce nothing).

    The log is keyed by time (`review_log.time_key`): a range of today's ids, not a pass over
    the log.
    """
    start = review_log.time_key(to_millis(study_day_start(now)))
    rows = conn.execute(
        f"""
        SELECT DISTINCT c.id, c.deck_id, {ENTRY}, r.state_before
        FROM reviews r JOIN cards c ON c.id = r.card_id
        WHERE r.id >= :start AND r.mode = 'review' AND r.rating IS NOT NULL
          AND r.id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL AND id >= :start)
        """,
        {"start": start},
    ).fetchall()
    today = _Today()
    new: set[int] = set()
    reviewed: set[int] = set()
    for card_id, deck_id, entry, state_before in rows:
        today.answered.add(card_id)
        today.taken.add((deck_id, entry))
        if state_before == 0 and card_id not in new:
            new.add(card_id)
            today.introduced[deck_id] = today.introduced.get(deck_id, 0) + 1
        elif state_before == 2 and card_id not in reviewed:
            reviewed.add(card_id)
            today.reviewed[deck_id] = today.reviewed.get(deck_id, 0) + 1
    return today


def _decks(
    conn: sqlite3.Connection,
    today: _Today,
    defaults: Schedule | None,
    bury_siblings: bool,
    totals: bool = True,
    deck_ids: Sequence[int] | None = None,
) -> dict[int, _Deck]:
    """Every deck present on disk (or those of `deck_ids`), in name order, with today's new and
    review allowances (its own limits, or the learner's `defaults` where its front matter sets
    none) and, with `totals`, its total (without, the total is 0)."""
    # The total is the one count that reads every card of a deck (a million at 1M cards): only
    # the deck list shows it, a study session does not ask for it.
    total = (
        "(SELECT COUNT(*) FROM cards c WHERE c.deck_id = d.id AND c.retired = 0 "
        "AND c.suspended = 0)"
        if totals
        else "0"
    )
    # Only the decks asked for: one deck's statistics or session need not build fifty.
    some = "" if deck_ids is None else f"AND d.id IN ({','.join('?' * len(deck_ids))})"
    rows = conn.execute(
        f"""
        SELECT d.id, d.name, d.path, d.description, d.settings, {total}
        FROM decks d
        WHERE d.missing = 0 {some}
        ORDER BY d.name COLLATE NOCASE
        """,
        [] if deck_ids is None else deck_ids,
    ).fetchall()
    decks = {}
    for deck_id, name, path, description, settings, total in rows:
        # Parsed once for each settings text, not on every gathering.
        rules = deck_rules(settings, defaults)
        limits = rules.schedule
        allowance = max(0, limits.new_per_day - today.introduced.get(deck_id, 0))
        reviews = max(0, limits.reviews_per_day - today.reviewed.get(deck_id, 0))
        # The learner's setting turns burying off everywhere; a deck may turn it off for itself.
        bury = bury_siblings and rules.buries
        decks[deck_id] = _Deck(deck_id, name, path, description, total, allowance, reviews, bury)
    return decks


def _gather(
    conn: sqlite3.Connection,
    now: datetime,
    deck_ids: Iterable[int] | None = None,
    defaults: Schedule | None = None,
    bury_siblings: bool = True,
    totals: bool = True,
    ties: bool = False,
) -> tuple[list[_Deck], list[int]]:
    """The cards each deck offers today, siblings left out where the deck buries them, and
    the offered reviews of every deck in one order (least likely recalled first); reviews past
    a deck's daily limit are held back. With `ties`, each deck notes its cards' ties."""
    today = _today(conn, now)
    wanted = None if deck_ids is None else list(dict.fromkeys(deck_ids))
    decks = _decks(conn, today, defaults, bury_siblings, totals, wanted)
    chosen = (
        [decks[d] for d in wanted if d in decks] if wanted is not None else list(decks.values())
    )
    if not chosen:
        return [], []
    answered, taken = today.answered, today.taken
    by_id = {deck.id: deck for deck in chosen}
    marks = ",".join("?" * len(chosen))
    now_ms = to_millis(now)
    # A review card is due for its whole study day, from the 4 a.m. rollover, as in Anki:
    # intervals are whole days from the hour of the answer, so the hour itself must not count.
    day_end = to_millis(study_day_start(now)) + 86_400_000
    # `state IN (1, 2, 3)`, not `state > 0`: equality on state lets `cards_by_deck` seek
    # straight to the due range instead of reading every studied card (6x faster). Named,
    # because without statistics SQLite may pick another index here and read every card.
    cited = CITED if ties else UNCITED
    rows = conn.execute(
        f"""
        SELECT id, deck_id, {ENTRY}, {cited}, state, due FROM cards c INDEXED BY cards_by_deck
        WHERE due < ? AND state IN (1, 2, 3) AND retired = 0 AND suspended = 0
          AND deck_id IN ({marks})
        ORDER BY (? - last_review) / (stability * 86400000.0) DESC, id
        """,
        [max(to_millis(now + LEARN_AHEAD) + 1, day_end), *by_id, now_ms],
    ).fetchall()
    learn_ahead = to_millis(now + LEARN_AHEAD)
    # Learning cards first, whatever their order: they are never left out, and their siblings are.
    for row in rows:
        card_id, deck_id, entry, state, due = row[0], row[1], row[2], row[6], row[7]
        if state != 2 and due <= learn_ahead:
            deck = by_id[deck_id]
            deck.learning[card_id] = from_millis(due)
            if deck.bury:
                taken.add((deck_id, entry))
            if ties:
                deck.offered.append(row[:6])
    reviews = []
    for row in rows:
        card_id, deck_id, entry, state, due = row[0], row[1], row[2], row[6], row[7]
        if state != 2 or due >= day_end:
            continue
        deck = by_id[deck_id]
        if len(deck.reviews) >= deck.review_allowance:
            deck.held_back += 1
        elif _keep(deck, card_id, entry, answered, taken):
            deck.reviews.append(card_id)
            reviews.append(card_id)
            if ties:
                deck.offered.append(row[:6])
    for deck in chosen:
        if deck.new_allowance:
            for row in _new_cards(conn, deck.id, cited):
                if _keep(deck, row[0], row[2], answered, taken):
                    deck.new.append(row[0])
                    if ties:
                        deck.offered.append(row)
                    if len(deck.new) == deck.new_allowance:
                        break
    return chosen, reviews


def _keep(
    deck: _Deck, card_id: int, entry: str, answered: set[int], taken: set[tuple[int, str]]
) -> bool:
    """Whether a new or review card is offered, noting its entry as taken if it is."""
    if not deck.bury:
        return True
    place = (deck.id, entry)
    if place in taken and card_id not in answered:
        return False
    taken.add(place)
    return True


def _new_cards(conn: sqlite3.Connection, deck_id: int, cited: str) -> Iterator[tuple[Any, ...]]:
    """A deck's new cards in deck order, each as (id, deck, entry, `cited` columns), read
    lazily through `cards_new`: the caller stops at its daily limit."""
    yield from conn.execute(
        f"""
        SELECT id, deck_id, {ENTRY}, {cited} FROM cards c INDEXED BY cards_new
        WHERE deck_id = ? AND state = 0 AND retired = 0 AND suspended = 0
        ORDER BY position
        """,
        [deck_id],
    )


def deck_summaries(
    conn: sqlite3.Connection,
    now: datetime,
    defaults: Schedule | None = None,
    bury_siblings: bool = True,
) -> list[DeckSummary]:
    """Every deck present on disk with its counts for today, in name order."""
    return [
        DeckSummary(
            deck.id,
            deck.name,
            deck.path,
            deck.description,
            len(deck.reviews),
            len(deck.learning),
            len(deck.new),
            deck.total,
            deck.held_back,
        )  # fmt: skip
        for deck in _gather(conn, now, None, defaults, bury_siblings)[0]
    ]


def due_today(
    conn: sqlite3.Connection, now: datetime, deck_ids: Iterable[int] | None = None
) -> dict[int, list[int]]:
    """Per deck (of `deck_ids`, None: every deck), the review and learning cards a session
    would show today (what home counts)."""
    return {
        deck.id: [*deck.learning, *deck.reviews]
        for deck in _gather(conn, now, deck_ids, totals=False)[0]
    }


def study_plan(
    conn: sqlite3.Connection,
    now: datetime,
    deck_ids: Iterable[int] | None = None,
    defaults: Schedule | None = None,
    bury_siblings: bool = True,
    ties: bool = True,
) -> StudyPlan:
    """What a session of these decks (None: every deck) starts with.

    Reviews keep their order across decks (least likely recalled first); new cards come from
    each deck in turn and are spread evenly through the reviews. Without `ties`, the plan
    leaves its cards' siblings and citations out.
    """
    decks, reviews = _gather(conn, now, deck_ids, defaults, bury_siblings, totals=False, ties=ties)
    new = in_turn([deck.new for deck in decks])
    learning = {card_id: due for deck in decks for card_id, due in deck.learning.items()}
    queue = interleave(reviews, new)
    offered = [row for deck in decks for row in deck.offered]
    return StudyPlan(queue, learning, ties_of(offered, {deck.id: deck.bury for deck in decks}))


def study_queue(
    conn: sqlite3.Connection,
    now: datetime,
    deck_ids: Iterable[int] | None = None,
    defaults: Schedule | None = None,
    bury_siblings: bool = True,
) -> list[int]:
    """Card ids to study now: learning cards already due, then the plan's queue."""
    plan = study_plan(conn, now, deck_ids, defaults, bury_siblings, ties=False)
    due = sorted((at, card_id) for card_id, at in plan.learning.items() if at <= now)
    return [card_id for _, card_id in due] + plan.queue


def next_due(conn: sqlite3.Connection, deck_ids: Iterable[int] | None = None) -> datetime | None:
    """When the next studied card of these decks (or of all) falls due, if any.

    One seek of `cards_by_deck` per deck and studied state (the earliest due time of each), so
    the cost follows the number of decks, not of cards.
    """
    query = """
        SELECT MIN(soonest) FROM (
            SELECT (SELECT MIN(c.due) FROM cards c INDEXED BY cards_by_deck
                    WHERE c.deck_id = d.id AND c.retired = 0 AND c.suspended = 0
                      AND c.state = s.state) AS soonest
            FROM decks d, (SELECT 1 AS state UNION ALL SELECT 2 UNION ALL SELECT 3) s
            WHERE d.missing = 0"""
    params: list[int] = []
    if deck_ids is not None:
        params = list(deck_ids)
        query += f" AND d.id IN ({','.join('?' * len(params))})"
    return from_millis(conn.execute(query + ")", params).fetchone()[0])
