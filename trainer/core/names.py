"""People's names in typed answers: the surname is what a teacher marks.

When a person is asked for, `Trudeau`, `Mr. Trudeau` and `Prime Minister Trudeau` all answer
`Justin Trudeau`, and `Justin Trudeau` answers `Trudeau`. A different surname is wrong; the right
surname with a different first name, or a first name alone, is almost.
"""

from __future__ import annotations

import re

from trainer.core.answer_terms import fold
from trainer.core.verdicts import Verdict, allowed_typos, edit_distance

TITLES = frozenset(
    """mr mrs ms miss mx dr doctor sir dame lord lady prof professor president vice prime minister
    pm premier senator sen rep representative congressman congresswoman governor gov general gen
    lieutenant lt colonel col major maj captain capt admiral adm commander cmdr sergeant sgt king
    queen prince princess emperor empress chancellor secretary ambassador judge justice chief rev
    reverend father pope saint hon honorable right rt mayor deputy former late""".split()
)
"""Words that may stand before a surname (folded, American spelling: `honourable` is here)."""
_PERSON_CUES = frozenset(
    """who whom whose person president minister premier leader general admiral commander
    secretary ambassador king queen author founder chancellor senator governor mayor chief
    inventor explorer scientist writer poet painter composer""".split()
)
_PARTICLES = frozenset("de da di du del della van von der den le la bin ibn al st".split())
_SUFFIXES = frozenset("jr sr ii iii iv".split())
_NAME_WORD = re.compile(r"[^\W\d_]+(?:['\u2019.-][^\W\d_]+)*\.?")


def person_asked(question: str) -> bool:
    """Whether the question asks for a person (`Who ...?`, `Which U.S. president ...?`)."""
    return any(fold(word) in _PERSON_CUES for word in re.findall(r"[^\W\d_]+", question))


def looks_like_a_name(answer: str) -> bool:
    """Whether an answer is written as a person's name: a few capitalised words, no figures."""
    if any(ch.isdigit() for ch in answer):
        return False
    words = answer.replace(",", " ").split()
    if not 1 <= len(words) <= 6 or not all(_NAME_WORD.fullmatch(word) for word in words):
        return False
    folded = [fold(word.rstrip(".")) for word in words]
    if all(word in TITLES for word in folded):
        return False
    return all(word[:1].isupper() or fold(word) in _PARTICLES for word in words)


def _bare(keys: list[str], skip: frozenset[str]) -> list[str]:
    """The name without the titles (or question words) before it and any `Jr.` after it."""
    while len(keys) > 1 and keys[-1] in _SUFFIXES:
        keys = keys[:-1]
    start = 0
    while start < len(keys) - 1 and (keys[start] in TITLES or keys[start] in skip):
        start += 1
    return keys[start:]


def judge_name(mine: list[str], right: list[str], question_words: frozenset[str]) -> Verdict:
    """Judge a typed name against the right one, both as answer keys."""
    right = _bare(right, frozenset())
    mine = _bare(mine, question_words)
    surname = right[-1]
    given = [word for word in right[:-1] if word not in _PARTICLES]
    if mine[-1] == surname or (len(mine) > 1 and mine[0] == surname):  # `Trudeau, Justin` too
        others = mine[:-1] if mine[-1] == surname else mine[1:]
        for word in others:
            fits = word in given or word in _PARTICLES or not given
            initial = len(word) == 1  # a middle initial the card does not give
            if not (fits or initial):
                return Verdict.ALMOST  # `Pierre Trudeau` is not `Justin Trudeau`
        return Verdict.CORRECT
    if edit_distance(mine[-1], surname) <= allowed_typos(surname):
        return Verdict.ALMOST
    if given and all(word in given for word in mine):
        return Verdict.ALMOST  # a first name alone is not enough
    return Verdict.WRONG
