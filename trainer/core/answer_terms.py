"""A typed answer read as terms: words and numbers in the one form they are compared in.

Each term keeps where it came from in the text, so a difference can be shown on what the learner
actually typed. Case, accents and apostrophes are folded away, British spellings are read as
American ones, numbers are read whichever way they are written (`1,000`, `1 000`, `one thousand`,
`a thousand`) and units are read as one (`kilometres`, `km`; `percent`, `%`; `$`, `dollars`).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal

from trainer.core.numbers import figure_value, number_text, read_number
from trainer.core.spelling import american

_TOKEN = re.compile(
    r"(?P<figure>\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d|,\d)"
    r"|\d{1,3}(?:[ \u00a0\u2009\u202f]\d{3})+(?:\.\d+)?(?!\d|[,.]\d)"
    r"|\d+(?:\.\d+)?|\.\d+)"
    r"(?:(?P<suffix>st|nd|rd|th|s)(?![^\W\d_]))?"
    r"|(?P<word>[^\W\d_]+(?:['\u2019][^\W\d_]+)*)"
    r"|(?P<symbol>[%$\u20ac\u00a3&/,;+])",
    re.IGNORECASE,
)

BREAK = ","
"""The key of a term that separates the items of a list: a comma, `and`, `&`, `/` or `;`."""
_BREAKS = {",", ";", "/", "&", "+", "and", "plus"}

_UNITS = {
    "kilometer": "km", "kilometers": "km", "mile": "mi", "miles": "mi",
    "meter": "m", "meters": "m", "foot": "ft", "feet": "ft",
    "kilogram": "kg", "kilograms": "kg", "kilo": "kg", "kilos": "kg", "tonne": "t", "tonnes": "t",
    "ton": "t", "tons": "t", "percent": "%", "pct": "%", "dollar": "$", "dollars": "$", "usd": "$",
    "euro": "\u20ac", "euros": "\u20ac", "eur": "\u20ac", "pound": "\u00a3", "pounds": "\u00a3",
    "gbp": "\u00a3", "year": "yr", "years": "yr", "yrs": "yr", "month": "mo", "months": "mo",
    "day": "d", "days": "d", "hour": "h", "hours": "h", "hr": "h", "hrs": "h",
    "minute": "min", "minutes": "min", "mins": "min", "second": "s", "seconds": "s",
    "sec": "s", "secs": "s",
}  # fmt: skip
"""Unit names, read as one symbol wherever they stand (`kilometres` is `km`)."""
_SHORT_UNITS = {"km": "km", "kms": "km", "mi": "mi", "m": "m", "ft": "ft", "kg": "kg", "t": "t",
                "yr": "yr", "h": "h", "min": "min", "s": "s", "d": "d"}  # fmt: skip
"""Unit abbreviations, read as units only straight after a number (`m` alone may be an initial)."""
UNITS = frozenset(_UNITS.values())

_MONTHS = {
    "jan": "january", "feb": "february", "mar": "march", "apr": "april", "jun": "june",
    "jul": "july", "aug": "august", "sep": "september", "sept": "september", "oct": "october",
    "nov": "november", "dec": "december",
}  # fmt: skip
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)


@dataclass(frozen=True)
class Term:
    """One word, number or list break of an answer, and where it stands in the text."""

    key: str
    """The form compared: a folded, American-spelt word, a number's digits, a unit, or `,`."""
    start: int
    end: int
    number: bool = False

    @property
    def is_break(self) -> bool:
        """Whether this term separates the items of a list."""
        return self.key == BREAK


def fold(word: str) -> str:
    """A word without case, accents or apostrophes: `Montréal` -> `montreal`, `NATO's` -> `natos`."""
    word = unicodedata.normalize("NFKD", word)
    word = "".join(ch for ch in word if not unicodedata.combining(ch)).casefold()
    return word.replace("'", "").replace("\u2019", "")


def read_terms(text: str) -> list[Term]:
    """The terms of `text` in order; everything that is not a word, number or break is dropped."""
    raw: list[tuple[str, int, int]] = []  # folded key, start, end
    figures: dict[int, Decimal] = {}
    decades: set[int] = set()
    for match in _TOKEN.finditer(text):
        start, end = match.span()
        if match.group("figure") is not None:
            value = figure_value(match.group("figure"))
            if value is None:  # pragma: no cover - the pattern admits only figures
                continue
            figures[len(raw)] = value
            if (match.group("suffix") or "").lower() == "s":
                decades.add(len(raw))
            raw.append((match.group("figure"), start, end))
        elif match.group("word") is not None:
            raw.append((fold(match.group("word")), start, end))
        else:
            raw.append((match.group("symbol"), start, end))

    keys = [key for key, _, _ in raw]
    terms: list[Term] = []
    i = 0
    while i < len(raw):
        key, start, end = raw[i]
        number = read_number(keys, i, figures) if key not in ("and", "point") else None
        if number is not None:
            last = i + number.length - 1
            digits = number_text(number.value) + ("s" if last in decades else "")
            terms.append(Term(digits, start, raw[last][2], number=True))
            i = last + 1
            continue
        if key == "per" and i + 1 < len(raw) and raw[i + 1][0] == "cent":
            terms.append(Term("%", start, raw[i + 1][2]))
            i += 2
            continue
        terms.append(
            Term(_word_key(key, after_number=bool(terms) and terms[-1].number), start, end)
        )
        i += 1
    return _currency_after_number(terms)


def _word_key(key: str, *, after_number: bool) -> str:
    if key in _BREAKS:
        return BREAK
    key = american(_MONTHS.get(key, key))
    if after_number and key in _SHORT_UNITS:
        return _SHORT_UNITS[key]
    return _UNITS.get(key, key)


def _currency_after_number(terms: list[Term]) -> list[Term]:
    """`$13 billion` reads as `13 billion dollars`: a currency sign before a number goes after it."""
    out = list(terms)
    for i in range(len(out) - 1):
        sign, number = out[i], out[i + 1]
        if sign.key in ("$", "\u20ac", "\u00a3") and number.number:
            out[i], out[i + 1] = number, sign
    return out


def question_words(question: str) -> frozenset[str]:
    """The keys of every word of a question, each unit also as its symbol and each plural bare.

    `How far, in kilometres, ...?` gives `km` among others, so `640 km` answers it in its own
    unit; `How many provinces ...?` gives `provinces` and `province`.
    """
    words: set[str] = set()
    for term in read_terms(question):
        if term.number or term.is_break:
            continue
        words.add(term.key)
        words.add(_SHORT_UNITS.get(term.key, term.key))
        for plural in ("es", "s"):
            if term.key.endswith(plural) and len(term.key) > len(plural) + 2:
                words.add(term.key[: -len(plural)])
    return frozenset(words)
