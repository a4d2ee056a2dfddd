"""Wrong options for a quiz question: of the same kind as the right answer, and of its form.

An answer is classified by its kind (`trainer.core.answer_kinds`: a year, a number with its
unit, an acronym, a country, a person...). Wrong options are answers of the same kind from the
same deck, those on the same topic (the same cited document) first and those closest in length
next, so that no option's form betrays it. When the deck has too few, years, dates, numbers and
percentages are made near the answer, and countries, regions, offices and people come from a
small curated pool (`trainer.core.distractor_pools`).
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import NamedTuple

from rapidfuzz import fuzz

from trainer.core.answer_kinds import (
    AnswerKind,
    country_of,
    is_acronym,
    kind_of,
    same_kind,
    tidy,
)
from trainer.core.distractor_pools import (
    COUNTRIES,
    PEOPLE,
    REGIONS,
    ROLES,
)
from trainer.core.grading import normalise


@dataclass(frozen=True)
class Candidate:
    """An answer the deck holds, which may serve as a wrong option for another question."""

    text: str
    question: str = ""
    """The question it answers (a choice option: its card's question)."""
    topic: str = ""
    """What it is about: the document its card cites ("" when unknown)."""


class Options:
    """A deck's candidates as `pick_distractors` weighs them, each classified once.

    A quiz asks several questions of one deck, and classifying an answer (`kind_of`, about
    30 microseconds) was most of the work of each question: 2.3 s for 20 questions of a deck of
    2,000 cards, where classifying them once takes 0.1 s."""

    def __init__(self, candidates: Sequence[Candidate]) -> None:
        self.candidates = candidates
        self.acronyms = _acronyms(candidates, "")
        """The acronyms the deck uses, as answers or as questions."""
        self._weighed: list[_Weighed] | None = None

    def weighed(self, acronyms: set[str]) -> list[_Weighed]:
        """Each candidate weighed with these acronyms (the deck's, or more: a question's own)."""
        if acronyms != self.acronyms:
            return _weigh(self.candidates, acronyms)
        if self._weighed is None:
            self._weighed = _weigh(self.candidates, acronyms)
        return self._weighed


class _Weighed(NamedTuple):
    """A candidate's option text and what `pick_distractors` tests of it."""

    text: str
    folded: str
    """`_folded` of the text: what makes two options the same."""
    named: str
    """The text normalised, between spaces: found in a question that names it."""
    kind: AnswerKind
    topic: str


def _weigh(candidates: Sequence[Candidate], acronyms: set[str]) -> list[_Weighed]:
    weighed = []
    for candidate in candidates:
        text = tidy(candidate.text)
        normalised = normalise(text)
        kind = kind_of(text, candidate.question, acronyms)
        weighed.append(
            _Weighed(
                text, normalised.removeprefix("the "), f" {normalised} ", kind, candidate.topic
            )
        )
    return weighed


def pick_distractors(
    answer: str,
    candidates: Sequence[Candidate] | Options,
    count: int,
    rng: random.Random,
    *,
    question: str = "",
    topic: str = "",
    avoid: Iterable[str] = (),
) -> list[str]:
    """Up to `count` wrong options for `answer`, distinct, none equal to it or to `avoid`.

    Deck answers of the same kind come first (same topic, then closest in form); then options
    made near the answer or taken from the curated pools. `candidates`: the deck's, or its
    `Options` when several questions are asked of it.
    """
    options = candidates if isinstance(candidates, Options) else Options(candidates)
    right = tidy(answer)
    acronyms = options.acronyms | _acronyms((), question)
    kind = kind_of(right, question, acronyms)
    seen = {_folded(right), *(_folded(text) for text in avoid)}
    asked = f" {normalise(question)} "
    scored: list[tuple[float, str]] = []
    for option in options.weighed(acronyms):
        text, folded = option.text, option.folded
        if not folded or folded in seen or _too_close(text, right):
            continue
        if option.named in asked:  # an option the question itself names is plainly wrong
            continue
        if not same_kind(kind, option.kind):
            continue
        seen.add(folded)
        # Another document is another topic: its phrases come only when the topic's run out.
        off_topic = 0.0 if not topic or option.topic == topic else 3.0
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
        own = country_of(right)
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
