"""What sort of thing an answer is, so that a quiz's wrong options can be of the same sort.

An answer is classified (`kind_of`) as a year, a date, a percentage, a number with its unit and
magnitude, an acronym, the expansion of an acronym, a country, a region, an office, an event
(a war, a crisis), a person, an organisation, a named thing of a series ("Operation ..."), a
proper name, or a plain phrase; `same_kind` says whether two answers may stand for each other.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from trainer.core.distractor_pools import (
    COUNTRIES,
    COUNTRY_ALIASES,
    GIVEN_NAMES,
    REGIONS,
    ROLES,
    TITLES,
)

_YEAR = re.compile(r"^(?:in\s+)?(1[0-9]{3}|20[0-9]{2})$", re.IGNORECASE)
_MONTHS = (
    "january february march april may june july august september october november december"
).split()
_DATE = re.compile(
    rf"^(?:(\d{{1,2}})\s+)?({'|'.join(_MONTHS)})\s*(\d{{1,2}})?,?\s+(1[0-9]{{3}}|20[0-9]{{2}})$",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"^(?:about\s+)?(\d+(?:\.\d+)?)\s*(%|percent|per cent)$", re.IGNORECASE)
_NUMBER = re.compile(
    r"^(?P<before>(?:about|over|around|nearly|more than|some)\s+)?(?P<currency>[$€£])?"
    r"(?P<value>\d{1,3}(?:[, ]\d{3})+|\d+)(?P<fraction>\.\d+)?\s*"
    r"(?P<scale>thousand|million|billion|trillion)?\s*(?P<unit>[^\d\s][^\d]{0,30})?$",
    re.IGNORECASE,
)
_ACRONYM = re.compile(r"^[A-Za-z0-9&.\-]{2,10}$")
_SERIES = frozenset(
    """operation exercise treaty agreement act plan program programme strategy policy
    initiative accord declaration doctrine project mission""".split()
)
_ORGANISATION = re.compile(
    r"\b(department|agency|command|council|board|service|services|coalition|organi[sz]ation|"
    r"alliance|ministry|force|forces|guard|office|committee|commission|union|bank|staff|"
    r"administration|bureau|corps|institute|centre|center|police|patrol|navy|army)\b",
    re.IGNORECASE,
)
_EVENT = re.compile(r"\b(War|Wars|Crisis|Revolution|Summit|Conference|Olympics)\b")
_SMALL_WORDS = frozenset("of and the for on in to a an de la du des et".split())
_SCALES = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
    fifteen sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty
    ninety hundred thousand million billion dozen and a""".split()
)


@dataclass(frozen=True)
class AnswerKind:
    """What sort of thing an answer is."""

    name: str
    """year, date, percent, number, acronym, expansion, country, region, role, event, person,
    organisation, series, name or phrase."""
    detail: str = ""
    """A number's unit, a series' leading word, a person's title."""
    value: float | None = None
    """Years, dates (their year), numbers and percentages: the value."""


def tidy(text: str) -> str:
    """An answer as an option shows it: one line, single spaces, no final full stop (an
    abbreviation such as D.C. or U.S. keeps its own)."""
    line = " ".join(text.split())
    last = line.split()[-1] if line else ""
    if line.endswith(".") and not line.endswith("..") and last.count(".") == 1:
        return line[:-1]
    return line


def kind_of(text: str, question: str = "", acronyms: Iterable[str] = ()) -> AnswerKind:
    """Classify an answer; `question` and the deck's `acronyms` tell an acronym's expansion."""
    answer = tidy(text)
    words = answer.split()
    if match := _YEAR.match(answer):
        return AnswerKind("year", value=float(match.group(1)))
    if match := _DATE.match(answer):
        return AnswerKind("date", value=float(match.group(4)))
    if match := _PERCENT.match(answer):
        return AnswerKind("percent", value=float(match.group(1)))
    if number := _number(answer):
        return number
    if country_of(answer):
        return AnswerKind("country")
    if _region(answer):
        return AnswerKind("region")
    if is_acronym(answer):
        return AnswerKind("acronym")
    if _is_expansion(answer, question, acronyms):
        return AnswerKind("expansion")
    if _is_role(words):
        return AnswerKind("role")
    if _EVENT.search(answer):
        return AnswerKind("event")
    if title := _person_title(words):
        return AnswerKind("person", title if title != "-" else "")
    if _ORGANISATION.search(answer) and _capitalised(words):
        return AnswerKind("organisation")
    if len(words) >= 2 and words[0].casefold() in _SERIES and words[1][:1].isupper():
        return AnswerKind("series", words[0].casefold())
    if _capitalised(words):
        return AnswerKind("name")
    return AnswerKind("phrase")


def _number(answer: str) -> AnswerKind | None:
    parts = [part for word in answer.casefold().split() for part in word.split("-")]
    if parts and all(part in _NUMBER_WORDS for part in parts) and set(parts) - {"and", "a"}:
        return AnswerKind("number", "in words")
    match = _NUMBER.match(answer)
    if not match:
        return None
    value = float(re.sub(r"[, ]", "", match["value"]) + (match["fraction"] or ""))
    value *= _SCALES.get((match["scale"] or "").casefold(), 1)
    unit = " ".join([match["currency"] or "", (match["unit"] or "").casefold()]).strip()
    return AnswerKind("number", unit, value)


def is_acronym(text: str) -> bool:
    """One short word of capitals (NORAD, eFP, G8, U.S.), not a capitalised word (Ottawa)."""
    if not _ACRONYM.match(text):
        return False
    capitals = sum(ch.isupper() for ch in text)
    return capitals >= 2 or (capitals == 1 and any(ch.isdigit() for ch in text))


def _initials(answer: str) -> str:
    return "".join(word[0] for word in answer.split() if word.casefold() not in _SMALL_WORDS)


def _is_expansion(answer: str, question: str, acronyms: Iterable[str]) -> bool:
    """Whether the answer spells out an acronym: the question is one, or the deck has one
    with its initials."""
    words = answer.split()
    if len(words) < 2 or not _capitalised(words):
        return False
    if is_acronym(tidy(question)):
        return True
    # With and without the small words: AWACS keeps the "and", NATO drops nothing.
    initials = {_initials(answer).upper(), "".join(word[0] for word in words).upper()}
    asked = [word.strip("?,;:()\"'") for word in question.split()]
    asked = [word for word in asked if is_acronym(word)]
    return any(acronym.upper().replace(".", "") in initials for acronym in [*acronyms, *asked])


def country_of(answer: str) -> str | None:
    folded = answer.casefold()
    folded = folded + "." if folded in ("u.s", "u.k", "u.s.a") else folded
    if folded in COUNTRY_ALIASES:
        return COUNTRY_ALIASES[folded]
    for country in COUNTRIES:
        if folded in (country.casefold(), country.casefold().removeprefix("the ")):
            return country
    return None


def _region(answer: str) -> bool:
    folded = answer.casefold().removeprefix("the ")
    if folded in {region.casefold().removeprefix("the ") for region in REGIONS}:
        return True
    last = folded.split()[-1] if folded else ""
    return last in ("europe", "asia", "africa", "america", "americas") and _capitalised(
        answer.split()
    )


def _person_title(words: list[str]) -> str | None:
    """A person's title ("-" for none) when the words name a person, else None."""
    for title in TITLES:
        parts = title.split()
        if words[: len(parts)] == parts and len(words) > len(parts):
            rest = words[len(parts) :]
            named = _capitalised(rest) and rest[0].casefold() not in _SMALL_WORDS
            return title if named and not _ORGANISATION.search(" ".join(rest)) else None
    if 2 <= len(words) <= 4 and _capitalised(words) and words[0].casefold() in GIVEN_NAMES:
        return "-"
    return None


def _is_role(words: list[str]) -> bool:
    """An office ("Minister of National Defence", "Prime Minister"), not the person holding it."""
    if " ".join(words) in ROLES or " ".join(words) in TITLES:
        return True
    for title in TITLES:
        parts = title.split()
        if words[: len(parts)] == parts and words[len(parts) : len(parts) + 1] in (["of"], ["for"]):
            return True
    return False


def _capitalised(words: Sequence[str]) -> bool:
    """Every word a capitalised or all-capital word, or a small joining word ("of", "the")."""
    return (
        bool(words)
        and all(
            word[:1].isupper() or word[:1].isdigit() or word.casefold() in _SMALL_WORDS
            for word in words
        )
        and (words[0][:1].isupper() or words[0].casefold() == "the")
    )


def same_kind(answer: AnswerKind, other: AnswerKind) -> bool:
    """Whether `other` may stand beside `answer` as an option: the same kind, and for numbers
    the same unit and magnitude, for years a year near it."""
    if answer.name != other.name:
        return False
    if answer.name == "number":
        return answer.detail == other.detail and _near_magnitude(answer.value, other.value)
    if answer.name in ("year", "date"):
        return abs((answer.value or 0) - (other.value or 0)) <= 40
    if answer.name == "percent":
        return True
    if answer.name == "series":
        return answer.detail == other.detail
    if answer.name == "person":
        return bool(answer.detail) == bool(other.detail)
    return True


def _near_magnitude(value: float | None, other: float | None) -> bool:
    if value is None or other is None:
        return value is other  # numbers in words: any other number in words
    if value <= 0 or other <= 0:
        return value == other == 0
    return abs(math.log10(value) - math.log10(other)) <= 1
