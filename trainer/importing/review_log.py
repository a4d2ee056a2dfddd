"""Reading a review log exported by another app: a CSV file in, plain records out.

The log has the columns `card_id`, `review_rating` (1-4), `review_time` (ISO 8601, UTC) and
`review_duration` (milliseconds). `trainer.store.review_import` writes the records into the store.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import NoReturn

from trainer.core.grading import Rating
from trainer.core.progress import to_millis

COLUMNS = ("card_id", "review_rating", "review_time", "review_duration")
_LONGEST_DURATION_MS = 86_400_000
"""A day: no one answers one card for longer, and SQLite stores no integer past 19 digits."""
_CLOCK_SLACK = timedelta(days=1)
"""How far ahead of this computer's clock a review time may be (another machine's clock)."""


class ReviewLogError(Exception):
    """A problem with the review log, as one line: `file:line: message`."""


@dataclass(frozen=True)
class LoggedReview:
    """One row of the review log."""

    card: str
    """The card's id in the other app."""
    rating: Rating
    at: int
    """When, in epoch milliseconds."""
    duration_ms: int
    line: int


def read_review_log(path: Path) -> list[LoggedReview]:
    """Every review of the CSV file at `path`, in file order.

    Raises `ReviewLogError` at the first bad line.
    """
    try:
        # utf-8-sig: a spreadsheet's export often opens with a byte-order mark, which would
        # otherwise be read as part of the first column's name.
        with path.open(newline="", encoding="utf-8-sig") as file:
            return list(_rows(path, csv.reader(file)))
    except OSError as error:
        raise ReviewLogError(f"{path}: cannot read the review log: {error.strerror}") from None
    except UnicodeDecodeError:
        raise ReviewLogError(f"{path}: the review log is not UTF-8 text") from None
    except csv.Error as error:
        raise ReviewLogError(f"{path}: {error}") from None


def _rows(path: Path, reader: Iterator[list[str]]) -> Iterator[LoggedReview]:
    header = next(reader, None)
    if header is None:
        raise ReviewLogError(f"{path}:1: the review log is empty")
    names = [name.strip() for name in header]
    absent = [name for name in COLUMNS if name not in names]
    if absent:
        raise ReviewLogError(
            f"{path}:1: missing column {', '.join(absent)} (need {', '.join(COLUMNS)})"
        )
    where = [names.index(name) for name in COLUMNS]
    seen: dict[tuple[str, int], int] = {}
    for row in reader:
        # csv.reader counts physical lines (a quoted field may span several); typed as an iterator.
        line = reader.line_num  # type: ignore[attr-defined]
        if not any(cell.strip() for cell in row):
            continue
        if len(row) < len(names):
            raise ReviewLogError(f"{path}:{line}: expected {len(names)} fields, found {len(row)}")
        card, rating, moment, duration = (row[index].strip() for index in where)
        review = LoggedReview(
            card=card or _fail(path, line, "card_id is empty"),
            rating=_rating(path, line, rating),
            at=_time(path, line, moment),
            duration_ms=_duration(path, line, duration),
            line=line,
        )
        first = seen.setdefault((review.card, review.at), line)
        if first != line:
            raise ReviewLogError(f"{path}:{line}: the same review as line {first}")
        yield review


def _fail(path: Path, line: int, message: str) -> NoReturn:
    raise ReviewLogError(f"{path}:{line}: {message}")


def _rating(path: Path, line: int, text: str) -> Rating:
    if text not in ("1", "2", "3", "4"):
        _fail(path, line, f"review_rating must be 1, 2, 3 or 4, not {text!r}")
    return Rating(int(text))


def _time(path: Path, line: int, text: str) -> int:
    if not text.isascii():
        # fromisoformat reads other scripts' digits (Arabic-Indic, say); a log never holds them.
        _fail(path, line, f"review_time is not an ISO 8601 time: {text!r}")
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        _fail(path, line, f"review_time is not an ISO 8601 time: {text!r}")
    # The column is UTC by definition; a time written without an offset is read as UTC.
    moment = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    if moment > datetime.now(UTC) + _CLOCK_SLACK:
        # A review cannot have happened yet; scheduling after it would overflow the calendar.
        _fail(path, line, f"review_time is in the future: {text!r}")
    return to_millis(moment)


def _duration(path: Path, line: int, text: str) -> int:
    # ASCII digits only: str.isdigit also accepts '٣' and '²', which int() reads or refuses.
    if not (text.isascii() and text.isdigit()):
        _fail(path, line, f"review_duration must be whole milliseconds, not {text!r}")
    if len(text) > len(str(_LONGEST_DURATION_MS)) or int(text) > _LONGEST_DURATION_MS:
        _fail(path, line, f"review_duration is longer than a day: {text!r} milliseconds")
    return int(text)
