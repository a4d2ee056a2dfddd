"""Reading numbers the way people write them: figures, number words, years said in pairs.

`read_number` takes a list of already folded (lower-case, accent-free) words and reads the number
that starts at one of them, whether written as a figure (`1,000`, `2.5` then `million`) or in
words (`two thousand and five`, `a thousand`, `nineteen ninety-nine` split at the hyphen into
`nineteen ninety nine`, `fortieth`). The maintained parsers on PyPI (text2num, number-parser)
turn `nineteen ninety-nine` into `19 99` and `a thousand` into `a 1000`, so they would need the
same word tables as glue; this module is the small parser instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

_UNITS = {
    "zero": 0,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
}
_TEENS = {
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "thirteen": 13,
    "fourteen": 14,
    "fifteen": 15,
    "sixteen": 16,
    "seventeen": 17,
    "eighteen": 18,
    "nineteen": 19,
}
_TENS = {
    "twenty": 20,
    "thirty": 30,
    "forty": 40,
    "fifty": 50,
    "sixty": 60,
    "seventy": 70,
    "eighty": 80,
    "ninety": 90,
}
_SCALES = {"thousand": 10**3, "million": 10**6, "billion": 10**9, "trillion": 10**12}
_AFTER_FIGURES = {**_SCALES, "hundred": 100, "k": 10**3, "mn": 10**6, "bn": 10**9, "tn": 10**12}
"""Scales that may follow a figure: `2.5 million`, and in short `13bn`, `5k`."""
_ORDINALS = {
    "zeroth": "zero",
    "first": "one",
    "second": "two",
    "third": "three",
    "fourth": "four",
    "fifth": "five",
    "sixth": "six",
    "seventh": "seven",
    "eighth": "eight",
    "ninth": "nine",
    "tenth": "ten",
    "eleventh": "eleven",
    "twelfth": "twelve",
    "hundredth": "hundred",
    "thousandth": "thousand",
    "millionth": "million",
    "billionth": "billion",
}
for _word in (*_TEENS, *_TENS):
    if _word not in ("ten", "eleven", "twelve"):
        _ORDINALS[_word[:-1] + "ieth" if _word.endswith("y") else _word + "th"] = _word

_FIGURE = re.compile(r"\d+(?:\.\d+)?|\.\d+")


@dataclass(frozen=True)
class Number:
    """A number read from some words: its value and how many words it took."""

    value: Decimal
    length: int
    """How many words, from the first one read, make up the number."""
    ordinal: bool = False
    """Written as an ordinal (`fortieth`, `40th`), which does not change the figure."""


def number_text(value: Decimal) -> str:
    """The one way a value is written for comparing: plain digits, no trailing zeros."""
    text = format(value.normalize(), "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def figure_value(text: str) -> Decimal | None:
    """The value of a figure as typed: `1,000`, `1 000` (any space), `2.5`; None if it is not one."""
    digits = re.sub(r"[,\s]", "", text)
    if not _FIGURE.fullmatch(digits):
        return None
    try:
        return Decimal(digits)
    except InvalidOperation:  # pragma: no cover - the pattern admits only digits
        return None


def _cardinal(word: str) -> tuple[str, int] | None:
    if word in _UNITS:
        return "unit", _UNITS[word]
    if word in _TEENS:
        return "teen", _TEENS[word]
    if word in _TENS:
        return "ten", _TENS[word]
    return None


def _two_digits(words: list[str], i: int) -> tuple[int, int] | None:
    """The second half of a year said in pairs (`ninety nine`, `oh five`, `ten`): value, length."""
    if i >= len(words):
        return None
    word = words[i]
    if word in _TEENS:
        return _TEENS[word], 1
    if word in _TENS:
        nxt = words[i + 1] if i + 1 < len(words) else ""
        if nxt in _UNITS and _UNITS[nxt] > 0:
            return _TENS[word] + _UNITS[nxt], 2
        return _TENS[word], 1
    if word == "oh" and i + 1 < len(words) and words[i + 1] in _UNITS:
        return _UNITS[words[i + 1]], 2
    return None


def read_number(words: list[str], start: int, figures: dict[int, Decimal]) -> Number | None:
    """Read the number that begins at `words[start]`, or None if none begins there.

    `figures` gives the value of each word that is a figure (`{3: Decimal("2.5")}`); a figure may
    be followed by a scale word (`2.5 million`). Number words follow the usual grammar, so `five
    six` is two numbers, while `nineteen ninety nine` is the year 1999.
    """
    if start in figures:
        value, i = figures[start], start + 1
        while i < len(words) and words[i] in _AFTER_FIGURES:
            value *= _AFTER_FIGURES[words[i]]
            i += 1
        return Number(value, i - start)

    total, group = 0, Decimal(0)
    last = ""  # the kind of the last word taken: unit, teen, ten, hundred, scale
    ordinal = False
    i = start
    while i < len(words) and not ordinal:
        word = words[i]
        said_as_ordinal = word in _ORDINALS
        word = _ORDINALS.get(word, word)
        nxt = words[i + 1] if i + 1 < len(words) else ""
        kind = _cardinal(word)
        if word in ("a", "an") and not last and nxt in ("hundred", *_SCALES):
            group, last = Decimal(1), "unit"
        elif kind and kind[0] == "unit" and last in ("", "ten", "hundred", "scale", "and"):
            group, last = group + kind[1], "unit"
        elif kind and kind[0] in ("teen", "ten") and last in ("", "hundred", "scale", "and"):
            group, last = group + kind[1], kind[0]
        elif (
            kind
            and last in ("teen", "ten", "unit")
            and total == 0
            and 10 <= group <= 99
            and i - start <= 2
            and (pair := _two_digits(words, i))
        ):
            # `nineteen ninety nine`, `twenty twenty four`, `nineteen oh five`: a year in pairs.
            return Number(group * 100 + pair[0], i + pair[1] - start)
        elif word == "oh" and last in ("teen", "ten") and (pair := _two_digits(words, i)):
            return Number(group * 100 + pair[0], i + pair[1] - start)
        elif word == "hundred" and last in ("unit", "teen", "ten") and 0 < group < 100:
            group, last = group * 100, "hundred"
        elif word in _SCALES and last in ("unit", "teen", "ten", "hundred", "half"):
            scale = _SCALES[word]
            if total and total < scale:
                break  # `a thousand million` is not how anyone writes a billion here
            total, group, last = total + int(group * scale), Decimal(0), "scale"
        elif (
            word in ("and", ",")
            and last in ("hundred", "scale")
            and _cardinal(_ORDINALS.get(nxt, nxt))
        ):
            last = "and"  # `two thousand and five`, `eight thousand, one hundred`
        elif (
            word == "and"
            and last in ("unit", "teen", "ten")
            and words[i + 1 : i + 3]
            == [
                "a",
                "half",
            ]
        ):
            group, last, i = group + Decimal("0.5"), "half", i + 2
        elif word == "point" and last in ("unit", "teen", "ten") and nxt in _UNITS:
            digits = ""
            while i + 1 < len(words) and words[i + 1] in _UNITS:
                digits, i = digits + str(_UNITS[words[i + 1]]), i + 1
            group, last = group + Decimal("0." + digits), "half"
        else:
            break
        ordinal = said_as_ordinal
        i += 1
    if not last:
        return None
    return Number(total + group, i - start, ordinal)
