"""How the review log stores a card's state before each answer in few bytes, losslessly.

Migration `m017_leaner_review_log` (`trainer.store.log_lean`). Two codecs, each given here once
in Python and once in SQL:

- Stability and difficulty come from FSRS as 32-bit floats. SQLite stores every REAL in 8
  bytes, but a 32-bit float's bit pattern stored as an INTEGER takes 4. A value that is not an
  exact 32-bit float in the range the SQL decoding handles is stored as it is, a REAL: the
  decoding reads the stored type (`encode_float`, `decode_float`, `float_sql`).
- The due time and the last review before an answer are kept relative to the answer's own time
  (the review's id): `late_ms`, how long after its due time the card was answered, and
  `interval_code`, the interval from the last review to the due time (to the answer itself for
  a card that had no due time), coded so that a whole number of days takes a byte or two
  (`encode_span`, `decode_span`, `span_sql`). Two absolute times took 12 bytes.

Times are epoch milliseconds of dates between the years 1 and 9999 (under 2**49 either way),
so no code here leaves SQLite's 64-bit integers.
"""

from __future__ import annotations

import struct

DAY_MS = 86_400_000
_F32 = struct.Struct("<f")
_U32 = struct.Struct("<I")
_SMALLEST = 2.0**-30
_LARGEST = 2.0**23
"""Stored as bits: exact 32-bit floats in [2**-30, 2**23). Their exponent field `e` lies in
97..149, so the SQL decoding divides the 24-bit significand by 2**(150 - e), 2**1 to 2**53,
exactly (every FSRS stability and difficulty lies far inside)."""


def encode_float(value: float | None) -> int | float | None:
    """How the log stores a stability or difficulty: the bit pattern of an exact 32-bit float
    (an INTEGER, 4 bytes), any other value as it is."""
    if value is not None and _SMALLEST <= value < _LARGEST:
        packed = _F32.pack(value)
        if _F32.unpack(packed)[0] == value:
            return int(_U32.unpack(packed)[0])
    return value


def decode_float(stored: int | float | None) -> float | None:
    """The value `encode_float` stored."""
    if type(stored) is int:
        return float(_F32.unpack(_U32.pack(stored))[0])
    return stored


def float_sql(column: str) -> str:
    """SQL for the value `encode_float` stored in `column`."""
    return (
        f"CASE WHEN typeof({column}) = 'integer' THEN (({column} & 8388607) | 8388608) * 1.0"
        f" / (1 << (150 - ({column} >> 23))) ELSE {column} END"
    )


def encode_span(ms: int | None) -> int | None:
    """How the log stores an interval of `ms` milliseconds: whole days as twice their number,
    anything else as twice the milliseconds plus one."""
    if ms is None:
        return None
    return ms // DAY_MS * 2 if ms % DAY_MS == 0 else ms * 2 + 1


def decode_span(code: int | None) -> int | None:
    """The interval, in milliseconds, that `encode_span` stored."""
    if code is None:
        return None
    return code >> 1 if code & 1 else (code >> 1) * DAY_MS


def span_sql(column: str) -> str:
    """SQL for the interval `encode_span` stored in `column` (NULL stays NULL)."""
    return f"CASE WHEN {column} & 1 THEN {column} >> 1 ELSE ({column} >> 1) * {DAY_MS} END"


def encode_span_sql(ms: str) -> str:
    """SQL for `encode_span` of the SQL value `ms`."""
    return f"CASE WHEN {ms} % {DAY_MS} = 0 THEN {ms} / {DAY_MS} * 2 ELSE {ms} * 2 + 1 END"


def encode_times(at: int, due: int | None, last: int | None) -> tuple[int | None, int | None]:
    """`(late_ms, interval_code)` of an answer at `at` to a card due at `due` and last reviewed
    at `last` (epoch milliseconds, None for none)."""
    if due is None:
        return None, None if last is None else encode_span(at - last)
    return at - due, None if last is None else encode_span(due - last)


def decode_times(
    at: int, late_ms: int | None, interval_code: int | None
) -> tuple[int | None, int | None]:
    """`(due, last review)` before the answer at `at` that `encode_times` stored."""
    if interval_code is None:
        last = None
    else:
        last = at - (late_ms or 0) - (decode_span(interval_code) or 0)
    return (None if late_ms is None else at - late_ms), last


def due_sql(at: str, table: str = "") -> str:
    """SQL for the card's due time before the answer (`at`: SQL for the answer's time; `table`:
    the reviews' alias and a dot, if any)."""
    return f"(({at}) - {table}late_ms)"


def last_review_sql(at: str, table: str = "") -> str:
    """SQL for the card's last review before the answer (as `due_sql`). Written in the stored
    columns, it is read from an index that holds them, as `reviews_by_card` does."""
    return f"(({at}) - ifnull({table}late_ms, 0) - ({span_sql(table + 'interval_code')}))"


def interval_at_least_sql(days: int, table: str = "") -> str:
    """SQL for whether the interval the card was scheduled with before the answer (as
    `interval_sql`) is at least `days` days, tested on the stored code as it is: `days` days
    code as `2 * days`, other intervals as twice their milliseconds plus one."""
    code = f"{table}interval_code"
    return (
        f"({table}late_ms IS NOT NULL AND {code} >= {2 * days}"
        f" AND ({code} >= {2 * days * DAY_MS + 1} OR NOT {code} & 1))"
    )


def interval_sql(table: str = "") -> str:
    """SQL for the interval the card was scheduled with before the answer, due time minus last
    review (NULL without either), from the stored columns."""
    return f"(CASE WHEN {table}late_ms IS NOT NULL THEN {span_sql(table + 'interval_code')} END)"
