"""Wrong options for a quiz question: of the same kind as the right answer, and of its form.

An answer is classified (`kind_of`) as a year, a date, a percentage, a number with its unit and
magnitude, an acronym, the expansion of an acronym, a country, a region, an office, an event
(a war, a crisis), a person, an organisation, a
named thing of a series ("Operation ..."), a proper name, or a plain phrase. Wrong options are
answers of the same kind from the same deck, those on the same topic (the same cited document)
first and those closest in length next, so that no option's form betrays it. When the deck has
too few, years, dates, numbers and percentages are made near the answer, and countries,
regions, offices and people come from a small curated pool (`trainer.core.distractor_pools`).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from rapidfuzz import fuzz

from trainer.core.distractor_pools import (
    COUNTRIES,
    COUNTRY_ALIASES,
    GIVEN_NAMES,
    PEOPLE,
    REGIONS,
    ROLES,
    TITLES,
)
from trainer.core.grading import normalise

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
class Candidate:
    """An answer the deck holds, which may serve as a wrong option for another question."""

    text: str
    question: str = ""
    """The question it answers (a choice option: its card's question)."""
    topic: str = ""
    """What it is about: the document its card cites ("" when unknown)."""


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
    if _country(answer):
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


def _country(answer: str) -> str | None:
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


def pick_distractors(
    answer: str,
    candidates: Sequence[Candidate],
    count: int,
    rng: random.Random,
    *,
    question: str = "",
    topic: str = "",
    avoid: Iterable[str] = (),
) -> list[str]:
    """Up to `count` wrong options for `answer`, distinct, none equal to it or to `avoid`.

    Deck answers of the same kind come first (same topic, then closest in form); then options
    made near the answer or taken from the curated pools.
    """
    right = tidy(answer)
    acronyms = _acronyms(candidates, question)
    kind = kind_of(right, question, acronyms)
    seen = {_folded(right), *(_folded(text) for text in avoid)}
    asked = f" {normalise(question)} "
    scored: list[tuple[float, str]] = []
    for candidate in candidates:
        text = tidy(candidate.text)
        folded = _folded(text)
        if not folded or folded in seen or _too_close(text, right):
            continue
        if f" {normalise(text)} " in asked:  # an option the question itself names is plainly wrong
            continue
        if not same_kind(kind, kind_of(text, candidate.question, acronyms)):
            continue
        seen.add(folded)
        # Another document is another topic: its phrases come only when the topic's run out.
        off_topic = 0.0 if not topic or candidate.topic == topic else 3.0
        jitter = rng.random() * 0.5  # among near-equals, a different pick each quiz
        scored.append((_form_distance(text, right) + off_topic + jitter, text))
    scored.sort()
    # Options that look alike first; one far longer or shorter only when too few look alike.
    alike = [item for item in scored if _looks_alike(item[1], right)]
    rest = [item for item in scored if item not in alike]
    chosen = [text for _, text in (alike + rest)[:count]]
    if len(chosen) < count:
        for text in _made_up(kind, right, rng):
            folded = _folded(text)
            named = f" {normalise(text)} " in asked
            if folded and folded not in seen and not named and not _too_close(text, right):
                seen.add(folded)
                chosen.append(text)
                if len(chosen) == count:
                    break
    rng.shuffle(chosen)
    return chosen


def _folded(text: str) -> str:
    """What makes two options the same: "the Balkans" is "Balkans"."""
    return normalise(text).removeprefix("the ")


def _acronyms(candidates: Sequence[Candidate], question: str) -> set[str]:
    """The acronyms a deck uses, as answers or as questions."""
    found = set()
    for text in (question, *(c.text for c in candidates), *(c.question for c in candidates)):
        shown = tidy(text)
        if is_acronym(shown):
            found.add(shown)
    return found


def _too_close(text: str, right: str) -> bool:
    """Near-identical to the right answer (Defence / Defense): it would be right too."""
    return fuzz.ratio(text.casefold(), right.casefold()) >= 90


def _looks_alike(text: str, right: str) -> bool:
    """At most twice as long or short as the right answer, and within two words of it."""
    ratio = (len(text) + 1) / (len(right) + 1)
    return 0.5 <= ratio <= 2.0 and abs(len(text.split()) - len(right.split())) <= 2


def _form_distance(text: str, right: str) -> float:
    """How far apart two options look: the ratio of their lengths and their word counts."""
    length = abs(math.log((len(text) + 1) / (len(right) + 1)))
    return length + 0.2 * abs(len(text.split()) - len(right.split()))


def _made_up(kind: AnswerKind, right: str, rng: random.Random) -> list[str]:
    """Options made for kinds any deck shares: near years and numbers, countries, people."""
    if kind.name == "year" and kind.value is not None:
        year = int(kind.value)
        offsets = [d for d in range(-12, 13) if d and year + d <= 2099]
        return [right.replace(str(year), str(year + d)) for d in rng.sample(offsets, 6)]
    if kind.name == "date" and kind.value is not None:
        year = int(kind.value)
        return [
            right.replace(str(year), str(year + d)) for d in rng.sample([-3, -2, -1, 1, 2, 3], 6)
        ]
    if kind.name in ("number", "percent") and kind.value is not None:
        made = _near_numbers(right, rng)
        if kind.name == "percent" and kind.value <= 100:  # a share stays a share
            made = [text for text in made if float(re.sub(r"[^\d.]", "", text) or 0) <= 100]
        return made
    if kind.name == "country":
        own = _country(right)
        pool = [country for country in COUNTRIES if country != own]
        bare = not right.casefold().startswith("the ")
        return [
            country.removeprefix("the ") if bare else country for country in rng.sample(pool, 6)
        ]
    if kind.name == "region":
        bare = not right.casefold().startswith("the ")
        regions = rng.sample([region for region in REGIONS if region != right], 6)
        return [region.removeprefix("the ") if bare else region for region in regions]
    if kind.name == "role":
        return rng.sample([role for role in ROLES if role != right], 6)
    if kind.name == "person":
        wanted = kind.detail
        people = [(t, n) for t, n in PEOPLE if not wanted or t == wanted] or list(PEOPLE)
        chosen = rng.sample(people, min(6, len(people)))
        return [f"{title} {name}" if wanted else name for title, name in chosen]
    return []


def _near_numbers(right: str, rng: random.Random) -> list[str]:
    """The answer with its first figure changed: same unit, same magnitude, same way of writing."""
    match = re.search(r"\d[\d, ]*(?:\.\d+)?", right)
    if not match:
        return []
    figure = match.group(0).rstrip(", ")
    digits = re.sub(r"[, ]", "", figure)
    value = float(digits)
    decimals = len(digits.split(".")[1]) if "." in digits else 0
    made = []
    factors = [0.5, 0.6, 0.75, 0.8, 1.25, 1.5, 1.75, 2.0, 2.5]
    for factor in rng.sample(factors, len(factors)):
        near = round(value * factor, decimals)
        if decimals == 0:
            step = 10 ** max(0, len(str(int(value))) - 2)
            near = max(1, round(near / step) * step)
            text = f"{int(near):,}" if "," in figure else str(int(near))
        else:
            text = f"{near:.{decimals}f}"
        made.append(right[: match.start()] + text + right[match.start() + len(figure) :])
    return made
