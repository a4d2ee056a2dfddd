"""What every answer check shares: the answer buttons, verdicts and the plain text comparisons.

`grading` checks answers with these; `judging` and `names`, which weigh typed answers as a
teacher would, use them too, so they live below both.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import IntEnum, StrEnum


class Rating(IntEnum):
    """The four answer buttons, numbered as the learner presses them."""

    AGAIN = 1
    HARD = 2
    GOOD = 3
    EASY = 4


class Verdict(StrEnum):
    """How a typed or chosen answer compares with the right one."""

    CORRECT = "correct"
    ALMOST = "almost"
    WRONG = "wrong"

    @property
    def proposed_rating(self) -> Rating:
        """The rating offered to the learner, who may change it."""
        return {
            Verdict.CORRECT: Rating.GOOD,
            Verdict.ALMOST: Rating.HARD,
            Verdict.WRONG: Rating.AGAIN,
        }[self]


@dataclass(frozen=True)
class Check:
    """The outcome of checking one answer."""

    verdict: Verdict
    expected: str
    """The accepted answer the given one came closest to."""


_SCALES = {
    "thousand": 10**3,
    "million": 10**6,
    "billion": 10**9,
    "trillion": 10**12,
}
_NUMBER = re.compile(
    r"(?<![\w.])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s*(thousand|million|billion|trillion)\b)?",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"\s*%|\s+per\s?cent\b", re.IGNORECASE)
_NOT_WORD = re.compile(r"[^\w%\0]+")


def _number_text(match: re.Match[str]) -> str:
    whole, fraction, scale = match.group(1), match.group(2) or "", match.group(3)
    try:
        value = Decimal(whole.replace(",", "") + fraction)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return match.group(0)
    if scale:
        value *= _SCALES[scale.lower()]
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def normalise(text: str, *, strict: bool = False) -> str:
    """Return `text` in the form answers are compared in.

    Case, accents, punctuation and runs of spaces are folded away; numbers are written as plain
    digits (`9,000` and `9 thousand` both become `9000`); `percent` becomes `%`. With `strict`,
    only surrounding whitespace is removed.
    """
    if strict:
        return text.strip()
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'").replace("'s", "s")
    text = _PERCENT.sub("%", text)
    text = _NUMBER.sub(_number_text, text)
    # A decimal point between digits survives; every other non-word character becomes a space.
    text = re.sub(r"(?<=\d)\.(?=\d)", "\0", text)
    text = _NOT_WORD.sub(" ", text).replace("\0", ".")
    return " ".join(text.split())


def allowed_typos(expected: str) -> int:
    """How many edits a typed answer may be from `expected` (its folded form) and still be almost.

    No edits for short answers, nor for any answer with a figure in it: 1958 and 1959 are different
    answers, not a typo.
    """
    if any(ch.isdigit() for ch in expected):
        return 0
    if len(expected) <= 4:
        return 0
    if len(expected) <= 8:
        return 1
    return 2 + len(expected) // 20


def edit_distance(one: str, other: str) -> int:
    """The number of single-character edits that turn one string into the other."""
    from rapidfuzz.distance import Levenshtein  # loaded on the first typed answer, not at startup

    return int(Levenshtein.distance(one, other))
