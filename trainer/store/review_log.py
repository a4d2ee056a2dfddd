"""Writing an answer, and undoing one: the review log's row, and the card's scheduling state.

Both are called inside a transaction of the store; the log only ever grows (see the
migrations' triggers).

A review's id is its time: `reviewed_at << TIME_SHIFT`, plus a count that tells apart the answers
given in the same millisecond (migration `m015_reviews_keyed_by_time`). The table is therefore
stored in time order and is its own time index; `reviewed_at` and `mode` are computed from `id`
and `kind`, so a writer gives those two (`NEW_REVIEW`), never `reviewed_at` or `mode`. The state
before the answer is stored narrow (`trainer.store.log_codec`, migration `m017`); its readers'
names (`due_before`, `stability_before`, ...) are computed columns.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime

from trainer.core.progress import Progress, State, from_millis, to_millis
from trainer.store import card_flags, log_codec
from trainer.store.rows import card_to_answer

TIME_SHIFT = 5
"""Bits of a review's id below its time: up to 32 answers in one millisecond (migration m021;
14 before it). An id then takes 6 bytes in an index (8 before) until the year 2109, as
Anki's millisecond ids do, and 7 in the table."""
SLOTS = 1 << TIME_SHIFT
MODE_KINDS = {"review": 0, "quiz": 1, "undo": 2, "import": 3}
"""How the log stores each mode of answering (`mode` is computed back from `kind`)."""
REVIEW_COLUMNS = (
    "card_id", "rating", "duration_ms", "kind", "undoes", "state_before", "step_before",
    "stability_code", "difficulty_code", "late_ms", "interval_code", "parameters_id",
)  # fmt: skip
"""The columns a writer gives besides `id` (made from `reviewed_at`, see `NEXT_ID`): the state
before the answer as `trainer.store.log_codec` stores it."""


def _next_id(reviewed_at: str) -> str:
    first = f"({reviewed_at} << {TIME_SHIFT})"
    # A full millisecond gives a text, which no INTEGER PRIMARY KEY takes: the insert fails
    # (`append_review` moves the answer to the next millisecond) rather than take an id of
    # the next millisecond, which would shift the answer's time from its stored state's.
    return f"""(SELECT CASE WHEN last IS NULL THEN {first} WHEN last < {first} + {SLOTS - 1}
    THEN last + 1 ELSE '{FULL}' END FROM (SELECT max(id) AS last FROM reviews
    WHERE id >= {first} AND id < ({reviewed_at} + 1) << {TIME_SHIFT}))"""


FULL = "millisecond full"
NEXT_ID = _next_id(":reviewed_at")
"""The id of a new review at `:reviewed_at` (ms): the next free one of that millisecond (an
insert fails with a datatype mismatch when all `SLOTS` are taken)."""
_INSERT = f"INSERT INTO reviews (id, {', '.join(REVIEW_COLUMNS)})"
_NAMED_VALUES = (
    ":card_id, :rating, :duration_ms, :kind, :undoes, :state_before, :step_before, "
    ":stability_before, :difficulty_before, :reviewed_at - :due_before, "
    + log_codec.encode_span_sql("(ifnull(:due_before, :reviewed_at) - :last_review_before)")
    + ", :parameters_id"
)
NEW_REVIEW = f"{_INSERT} VALUES ({NEXT_ID}, {_NAMED_VALUES})"
"""Append one review given as named values: `reviewed_at`, `kind` (from `MODE_KINDS`) and the
state before it by its readers' names (`stability_before`, `due_before`, ...). Stability and
difficulty are stored as given: `log_codec.encode_float` makes them narrower."""
_APPEND = (
    f"{_INSERT} VALUES ({_next_id('?1')}, "
    + ", ".join(f"?{number}" for number in range(2, len(REVIEW_COLUMNS) + 2))
    + ")"
)
"""`NEW_REVIEW` with numbered values (`reviewed_at`, then `REVIEW_COLUMNS`, as stored): binding
a tuple costs an answer less than binding a dict."""


def time_key(ms: int) -> int:
    """The lowest review id at epoch millisecond `ms`: `id >= time_key(t)` is `reviewed_at >= t`."""
    return ms << TIME_SHIFT


def append_review(
    conn: sqlite3.Connection,
    card_id: int,
    rating: int | None,
    now: datetime,
    duration_ms: int,
    mode: str,
    before: Progress,
    parameters_id: int | None,
    undoes: int | None = None,
) -> int:
    """Append one row to the review log with the card's state before it; its id.

    Its time is `now`, or the first millisecond after it with a free id when `SLOTS` answers
    already have that one (only a log imported with coarse times has so many).
    """
    at = to_millis(now)
    while True:
        late_ms, interval_code = log_codec.encode_times(
            at, to_millis(before.due), to_millis(before.last_review)
        )
        values = (
            at, card_id, rating, duration_ms, MODE_KINDS[mode], undoes, int(before.state),
            before.step, log_codec.encode_float(before.stability),
            log_codec.encode_float(before.difficulty), late_ms, interval_code, parameters_id,
        )  # fmt: skip
        try:
            cursor = conn.execute(_APPEND, values)
        except sqlite3.IntegrityError as error:
            if error.sqlite_errorname != "SQLITE_MISMATCH":  # the millisecond is full
                raise
            at += 1
            continue
        assert cursor.lastrowid is not None  # an INSERT always sets it
        return cursor.lastrowid


_PROGRESS_COLUMNS = ("step", "stability", "difficulty", "due", "last_review", "reps", "lapses")
_SET_PROGRESS = ", ".join(f"{name} = ?" for name in _PROGRESS_COLUMNS)
WRITE_PROGRESS = f"UPDATE cards SET state = ?, {_SET_PROGRESS} WHERE id = ?"
WRITE_PROGRESS_SAME_STATE = f"UPDATE cards SET {_SET_PROGRESS} WHERE id = ?"
"""A card's new progress when its state stays what it was (most answers of a card in review):
SQLite rewrites the entries of each index holding a column the statement sets, whether its
value changed or not, and `cards_new` holds `state` (and no other progress column)."""


def progress_row(card_id: int, progress: Progress) -> tuple:
    """A card's progress as the values `WRITE_PROGRESS` sets, then its id."""
    return (
        int(progress.state),
        progress.step,
        progress.stability,
        progress.difficulty,
        to_millis(progress.due),
        to_millis(progress.last_review),
        progress.reps,
        progress.lapses,
        card_id,
    )


def write_progress(
    conn: sqlite3.Connection, card_id: int, progress: Progress, state_before: State | None = None
) -> None:
    """Store a card's scheduling state (call inside `transaction()`); `state_before`, the
    card's stored state when the caller knows it, spares an index update when it is unchanged."""
    row = progress_row(card_id, progress)
    if progress.state == state_before:
        conn.execute(WRITE_PROGRESS_SAME_STATE, row[1:])
    else:
        conn.execute(WRITE_PROGRESS, row)


def undo_latest(conn: sqlite3.Connection, now: datetime, since: datetime | None) -> int | None:
    """Undo the latest answer made after `since` (any, if None) that is not undone yet, inside
    the store's write transaction: the card gets back its state from before that answer, and
    the undo is itself logged. Returns the card's id, or None if there is nothing to undo."""
    row = conn.execute(
        """
        SELECT id, card_id, rating, reviewed_at, state_before, step_before, stability_code,
               difficulty_code, late_ms, interval_code
        FROM reviews
        WHERE mode IN ('review', 'quiz') AND id >= ?
          AND id NOT IN (SELECT undoes FROM reviews WHERE undoes IS NOT NULL)
        ORDER BY id DESC LIMIT 1
        """,
        [time_key(to_millis(since) or 0)],
    ).fetchone()
    if row is None:
        return None
    from trainer.core.grading import Rating  # grading is loaded only once a card is answered

    review_id, card_id, rating, reviewed_at, state, step, stability, difficulty = row[:8]
    due, last = log_codec.decode_times(reviewed_at, *row[8:])
    current = card_to_answer(conn, card_id)[1]
    # An answer moved the schedule exactly when it is the card's latest review; a quiz answer
    # that left the schedule alone has nothing to restore.
    moved = to_millis(current.last_review) == reviewed_at
    lapsed = rating == Rating.AGAIN and state == State.REVIEW
    restored = Progress(
        State(state), step, log_codec.decode_float(stability), log_codec.decode_float(difficulty),
        from_millis(due), from_millis(last),
        reps=max(0, current.reps - 1), lapses=max(0, current.lapses - int(lapsed)),
    )  # fmt: skip
    append_review(conn, card_id, None, now, 0, "undo", current, None, undoes=review_id)
    if moved:
        write_progress(conn, card_id, restored)
        if restored.lapses < current.lapses:
            card_flags.unmark_leech(conn, card_id, current.lapses)
    return card_id
