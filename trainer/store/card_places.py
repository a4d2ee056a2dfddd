"""Where a deck's cards stand: their order in the deck and the line of the file each is on.

`cards.position` orders a deck's cards (its new cards are studied in that order) and need not
be dense: a whole sync spaces them `GAP` apart, so that a re-sync gives an added card a free
place between its neighbours and leaves a removed card's place empty, moving no other card.

A card's line is `cards.line` plus its deck's line shift at its position: `line_shifts` holds,
per deck, from which position on how many lines to add. A re-sync that adds or removes lines
before kept cards changes a shift or two instead of every later card's row; `SHOWN_LINE` is
how every reader reads a line. A whole sync writes each card's true line and drops the deck's
shifts (`drop_shifts`).
"""

from __future__ import annotations

from bisect import bisect_right
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite3

GAP = 1 << 20
"""The space a whole sync leaves between two cards' positions: room for about 20 cards added
one after another at the same place before the deck is renumbered (synced whole)."""
MOST_SHIFTS = 64
"""Line shifts a deck may have; a re-sync that would need more syncs the deck whole instead,
which writes true lines and starts over with none (so a line is read with one short seek)."""
SHOWN_LINE = (
    "c.line + coalesce((SELECT s.shift FROM line_shifts s WHERE s.deck_id = c.deck_id "
    "AND s.from_position <= c.position ORDER BY s.from_position DESC LIMIT 1), 0)"
)
"""The line a card (`cards c`) is on in its deck file: what a reader selects, never `c.line`."""

Shifts = list[tuple[int, int]]
"""A step function of positions, as (from position, value) by position; 0 before the first."""


def load_shifts(conn: sqlite3.Connection, deck_id: int) -> Shifts:
    """The deck's line shifts, by position."""
    return conn.execute(
        "SELECT from_position, shift FROM line_shifts WHERE deck_id = ? ORDER BY from_position",
        [deck_id],
    ).fetchall()


def value_at(steps: Shifts, position: int) -> int:
    """The value of `steps` at `position`."""
    index = bisect_right(steps, position, key=lambda step: step[0])
    return steps[index - 1][1] if index else 0


def added(steps: Shifts, more: Shifts) -> Shifts:
    """The sum of two step functions, with no step that keeps the value before it."""
    total, before = [], 0
    for position in sorted({at for at, _ in steps} | {at for at, _ in more}):
        value = value_at(steps, position) + value_at(more, position)
        if value != before:
            total.append((position, value))
            before = value
    return total


def save_shifts(conn: sqlite3.Connection, deck_id: int, old: Shifts, new: Shifts) -> None:
    """Replace the deck's line shifts `old` (as loaded) with `new`."""
    if new == old:
        return
    drop_shifts(conn, deck_id)
    conn.executemany(
        "INSERT INTO line_shifts (deck_id, from_position, shift) VALUES (?, ?, ?)",
        [(deck_id, position, shift) for position, shift in new],
    )


def drop_shifts(conn: sqlite3.Connection, deck_id: int) -> None:
    """Forget the deck's line shifts (its cards' lines are then `cards.line` as written)."""
    conn.execute("DELETE FROM line_shifts WHERE deck_id = ?", [deck_id])


def places(olds: list[int | None], low: int | None, high: int | None) -> list[int] | None:
    """Increasing positions for cards standing between positions `low` and `high` (None: no
    card on that side), each keeping its old position where the order allows; None when there
    is no room between the two."""
    kept: list[int | None] = []
    bound = low
    for index, old in enumerate(olds):
        # Room for the cards waiting before it and for every card after it.
        if (
            old is not None
            and (bound is None or old - bound > _waiting(kept))
            and (high is None or high - old > len(olds) - index - 1)
        ):
            kept.append(old)
            bound = old
        else:
            kept.append(None)
    return _filled(kept, low, high) or _filled([None] * len(olds), low, high)


def _waiting(kept: list[int | None]) -> int:
    """How many cards at the end of `kept` have no place yet."""
    count = 0
    for place in reversed(kept):
        if place is not None:
            break
        count += 1
    return count


def _filled(kept: list[int | None], low: int | None, high: int | None) -> list[int] | None:
    """`kept` with each run of None spread evenly between the places around it."""
    result: list[int] = []
    start = 0
    for end in range(len(kept) + 1):
        if end < len(kept) and kept[end] is None:
            continue
        before = result[-1] if result else low
        after = kept[end] if end < len(kept) else high
        run = spread(end - start, before, after)
        if run is None:
            return None
        result.extend(run)
        if end < len(kept):
            result.append(kept[end])  # type: ignore[arg-type]
        start = end + 1
    return result


def spread(count: int, low: int | None, high: int | None) -> list[int] | None:
    """`count` increasing numbers between `low` and `high` (None: no bound), `GAP` apart where
    there is no bound; None when there is no room."""
    if count == 0:
        return []
    if low is None and high is None:
        return [GAP * step for step in range(count)]
    if low is None:
        return [high - GAP * (count - step) for step in range(count)]  # type: ignore[operator]
    if high is None:
        return [low + GAP * (step + 1) for step in range(count)]
    if high - low <= count:
        return None
    return [low + (high - low) * (step + 1) // (count + 1) for step in range(count)]
