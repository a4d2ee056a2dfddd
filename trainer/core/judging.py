"""Judging one typed answer against one accepted answer, as a fair teacher would.

What does not count: articles, a leading `in`/`on`/`at`, a hedge such as `about` before a figure,
the question's own words around a figure (`640 km` when asked "in kilometres"; `10 provinces`
when asked "how many provinces"), a title or first names around the right surname when a person
is asked for, the order of a list (unless the question asks for an order), and how words are
split (`U.S.A.`, `USA`). What does: a different figure is wrong, never almost, and so is a
different unit; a hedge that changes the claim (`over 100` for 100) is almost, not correct; a
first name alone is almost. A near miss in the words is almost.
"""

from __future__ import annotations

import itertools
from collections import Counter
from dataclasses import dataclass

from trainer.core.answer_terms import MONTHS, UNITS, Term, fold, question_words, read_terms
from trainer.core.names import TITLES, judge_name, looks_like_a_name, person_asked
from trainer.core.verdicts import Verdict, allowed_typos, edit_distance, normalise

_APPROXIMATE = {
    ("about",), ("around",), ("roughly",), ("approximately",), ("approx",), ("circa",), ("c",),
    ("ca",), ("some",), ("estimated",), ("an", "estimated"), ("close", "to"), ("approximate",),
}  # fmt: skip
"""Hedges before a figure that leave the claim as it is: `about 1958` is 1958."""
_CLAIMS = {
    ("over",): "over", ("more", "than"): "over", ("above",): "over", ("upwards", "of"): "over",
    ("in", "excess", "of"): "over", ("just", "over"): "over", ("well", "over"): "over",
    ("exceeding",): "over", ("greater", "than"): "over", ("under",): "under",
    ("less", "than"): "under", ("fewer", "than"): "under", ("below",): "under",
    ("just", "under"): "under", ("nearly",): "nearly", ("almost",): "nearly",
    ("not", "quite"): "nearly", ("at", "least"): "at least", ("at", "most"): "at most",
    ("up", "to"): "at most", ("no", "more", "than"): "at most",
}  # fmt: skip
"""Hedges before a figure that change the claim: `over 100` is not 100."""
_HEDGES = sorted(_APPROXIMATE | set(_CLAIMS), key=len, reverse=True)
"""Longest first, so `just over` is read before `over`."""
_TRAILING = {("or", "so"), ("or", "thereabouts"), ("approximately",), ("roughly",), ("approx",)}
_LEADING = {"in", "on", "at"}
"""Prepositions that may open any answer: `in 1958`, `on May 12, 1958`, `at Colorado Springs`."""
_ECHOED = {"since", "by", "from", "for", "during", "until", "before", "after", "of", "to"}
"""Prepositions that may open an answer when the question has them: `since 2017`."""
_GLUE = {"in", "of", "on", "at"}
_NEVER_EXCUSED = {"not", "no", "nor", "never", "or", "and", ",", "except"}
_IN_ORDER = ("order", "chronolog", "sequence", "rank", "earliest", "first to", "largest to")


@dataclass(frozen=True)
class Question:
    """What a question says that a typed answer may echo."""

    words: frozenset[str] = frozenset()
    """Keys of the question's words (`question_words`)."""
    common: frozenset[str] = frozenset()
    """Keys of the words it writes in lower case: common nouns (`ocean`), not names (`Ottawa`)."""
    claims: frozenset[str] = frozenset()
    """The hedges it makes itself: `for over how many years?` claims `over`."""
    asks_for_person: bool = False
    asks_for_order: bool = False

    @classmethod
    def of(cls, text: str) -> Question:
        """Read the question once for every accepted answer it is checked against."""
        terms = read_terms(text)
        keys = [term.key for term in terms]
        folded = " ".join(fold(word) for word in text.split())
        return cls(
            words=question_words(text),
            common=frozenset(
                term.key
                for term in terms
                if not term.number and text[term.start : term.end].islower()
            ),
            claims=frozenset(
                claim
                for hedge, claim in _CLAIMS.items()
                if any(_starts_with(keys, hedge, i) for i in range(len(keys)))
            ),
            asks_for_person=person_asked(text),
            asks_for_order=any(cue in folded for cue in _IN_ORDER),
        )


@dataclass(frozen=True)
class Reading:
    """An answer's terms that count, with the hedge it opened with, if it changes the claim."""

    terms: tuple[Term, ...]
    claim: str = ""
    hedge: tuple[Term, ...] = ()
    """The words of the hedge that changes the claim (`over`, `more than`), if any."""

    @property
    def keys(self) -> list[str]:
        """The keys that count, list breaks left out."""
        return [term.key for term in self.terms if not term.is_break]

    @property
    def numbers(self) -> list[str]:
        """The figures, in order."""
        return [term.key for term in self.terms if term.number]


def _starts_with(keys: list[str], words: tuple[str, ...], at: int = 0) -> bool:
    return tuple(keys[at : at + len(words)]) == words


def _opening_hedge(keys: list[str], terms: list[Term]) -> tuple[str, ...] | None:
    """The hedge the answer opens with, if a figure follows it."""
    for hedge in _HEDGES:
        n = len(hedge)
        if _starts_with(keys, hedge) and len(terms) > n and terms[n].number:
            return hedge
    return None


def read_answer(text: str, question: Question) -> Reading:
    """The terms of an answer that count: articles, leading prepositions and hedges set aside."""
    terms = read_terms(text)
    claim, hedged = "", []
    while terms:
        keys = [term.key for term in terms]
        hedge = _opening_hedge(keys, terms)
        if hedge is not None:
            if hedge in _CLAIMS:
                claim, hedged = _CLAIMS[hedge], terms[: len(hedge)]
            terms = terms[len(hedge) :]
        elif keys[0] in _LEADING or (keys[0] in _ECHOED and keys[0] in question.words):
            terms = terms[1:]
        else:
            break
    for hedge in _TRAILING:
        n = len(hedge)
        keys = [term.key for term in terms]
        if len(terms) > n and tuple(keys[-n:]) == hedge and terms[-n - 1].number:
            terms = terms[:-n]
    kept = _drop_articles(terms)
    if not [term for term in kept if not term.is_break]:
        return Reading(tuple(read_terms(text)))  # `The The`, `In`: nothing is set aside
    return Reading(tuple(kept), claim, tuple(hedged))


def _drop_articles(terms: list[Term]) -> list[Term]:
    """`the` anywhere; `a` or `an` opening an item and followed by a word (not `Plan A`)."""
    kept: list[Term] = []
    for i, term in enumerate(terms):
        opens_item = not kept or kept[-1].is_break
        followed = i + 1 < len(terms) and not terms[i + 1].is_break
        if term.key == "the" or (term.key in ("a", "an") and opens_item and followed):
            continue
        kept.append(term)
    return kept


def _items(reading: Reading) -> list[Reading]:
    items: list[list[Term]] = [[]]
    for term in reading.terms:
        if term.is_break:
            items.append([])
        else:
            items[-1].append(term)
    return [Reading(tuple(item)) for item in items if item]


def judge(given: str, expected: str, question: Question) -> Verdict:
    """How `given` compares with one accepted answer, `expected`, for this question."""
    mine, right = read_answer(given, question), read_answer(expected, question)
    if not right.keys:  # an answer of only `and` or `&`: nothing to read, compare it as it is
        same = normalise(given) == normalise(expected) and bool(given.strip())
        return Verdict.CORRECT if same else Verdict.WRONG
    if not mine.keys:
        return Verdict.WRONG
    verdict = _judge_list(mine, right, question)
    if verdict is None:
        verdict = _judge_one(mine, right, question, expected)
    if verdict is Verdict.CORRECT and mine.claim != right.claim:
        for claim in (mine.claim, right.claim):
            if claim and claim not in question.claims:
                return Verdict.ALMOST
    return verdict


def _judge_list(mine: Reading, right: Reading, question: Question) -> Verdict | None:
    """Lists in any order, item by item; None when the answers are not lists of the same length."""
    mine_items, right_items = _items(mine), _items(right)
    if len(right_items) < 2 or len(mine_items) != len(right_items) or len(right_items) > 6:
        return None
    best: Verdict | None = None
    for order in itertools.permutations(range(len(mine_items))):
        verdicts = [
            _judge_one(mine_items[i], right_items[j], question, "")
            for i, j in zip(order, range(len(right_items)))
        ]
        if all(v is Verdict.CORRECT for v in verdicts):
            in_order = list(order) == sorted(order)
            return Verdict.CORRECT if in_order or not question.asks_for_order else Verdict.ALMOST
        if all(v is not Verdict.WRONG for v in verdicts):
            best = Verdict.ALMOST
    return best


def _judge_one(mine: Reading, right: Reading, question: Question, expected: str) -> Verdict:
    if mine.keys == right.keys or (
        mine.numbers == right.numbers and "".join(mine.keys) == "".join(right.keys)
    ):
        return Verdict.CORRECT
    if right.numbers or mine.numbers:
        return _judge_figures(mine, right, question)
    if (
        expected
        and looks_like_a_name(expected)
        and (question.asks_for_person or mine.keys[0] in TITLES)
    ):
        return judge_name(mine.keys, right.keys, question.words)
    if _echoes_question(mine.keys, right.keys, question):
        return Verdict.CORRECT
    return _near_miss(" ".join(mine.keys), " ".join(right.keys))


def _near_miss(mine: str, right: str) -> Verdict:
    """Almost when a few letters are off for the answer's length; word by word when the words
    line up, so a short word must be exact (`Plan B` is not `Plan A`)."""
    if edit_distance(mine, right) > allowed_typos(right):
        return Verdict.WRONG
    ours, theirs = mine.split(), right.split()
    if len(ours) == len(theirs) and any(
        edit_distance(one, other) > allowed_typos(other) for one, other in zip(ours, theirs)
    ):
        return Verdict.WRONG
    return Verdict.ALMOST


def _excusable(word: str, question: Question) -> bool:
    """Whether a word beside a figure may be added or left out: the question says it already
    (`provinces`), or it only ties words together (`in`)."""
    return word in _GLUE or (word in question.words and word not in _NEVER_EXCUSED)


def _echoes_question(mine: list[str], right: list[str], question: Question) -> bool:
    """`Arctic Ocean` for `Arctic` when asked "Which ocean ...?": the answer, plus the question's
    own common nouns before or after it (never its names, so `Ottawa or Toronto` stays wrong)."""
    n = len(right)
    for start in range(len(mine) - n + 1):
        if mine[start : start + n] == right:
            extra = mine[:start] + mine[start + n :]
            return all(word in question.common and word not in _NEVER_EXCUSED for word in extra)
    return False


def _judge_figures(mine: Reading, right: Reading, question: Question) -> Verdict:
    """Figures must be the same figures; the words around them may echo the question."""
    dated = any(key in MONTHS for key in right.keys)
    if mine.numbers != right.numbers and not (
        dated and sorted(mine.numbers) == sorted(right.numbers)
    ):
        return Verdict.WRONG  # 1958 is not 1959, even one keystroke away
    words = Counter(term.key for term in mine.terms if not term.number and not term.is_break)
    wanted = Counter(term.key for term in right.terms if not term.number and not term.is_break)
    if dated:
        words.pop("of", None)
        wanted.pop("of", None)
    extra = [w for w in (words - wanted).elements() if not _excusable(w, question)]
    missing = [w for w in (wanted - words).elements() if not _excusable(w, question)]
    if not extra and not missing:
        return Verdict.CORRECT
    units_given = {w for w in extra if w in UNITS}
    units_wanted = {w for w in wanted if w in UNITS} | {w for w in question.words if w in UNITS}
    if units_given and units_wanted and not units_given <= units_wanted:
        return Verdict.WRONG  # 640 miles is not 640 km
    if extra and missing:
        return _near_miss(" ".join(extra), " ".join(missing))
    return Verdict.ALMOST
