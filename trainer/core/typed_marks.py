"""Marking a typed answer against the right one, showing only the differences that count.

The two answers are compared as `trainer.core.judging` reads them (words folded, numbers read as
numbers, articles and hedges set aside), and the marks are put back on the characters the learner
typed: what they typed that does not belong is `extra`, what they left out is `missing`.
"""

from __future__ import annotations

import difflib
from collections import defaultdict

from trainer.core.answer_terms import Term, fold
from trainer.core.judging import Question, read_answer

_LOOK_ALIKE = {False: 0.75, True: 0.5}
"""How alike two words (False) or figures (True) must be to be marked character by character;
less alike, the typed one is struck whole and the right one shown whole (`October`, `September`)."""


def _fold_char(ch: str) -> str:
    folded = fold(ch)
    return folded if folded.isalnum() else ""


class _Marks:
    """Marks on the typed text, with the missing text to show before given positions."""

    def __init__(self, given: str) -> None:
        self.given = given
        self.kinds = ["same"] * len(given)
        self.missing: dict[int, str] = defaultdict(str)

    def extra(self, start: int, end: int) -> None:
        for i in range(start, end):
            if not self.given[i].isspace():
                self.kinds[i] = "extra"

    def insert(self, at: int, text: str) -> None:
        self.missing[at] += text

    def runs(self) -> list[tuple[str, str]]:
        runs: list[tuple[str, str]] = []

        def add(kind: str, text: str) -> None:
            if runs and runs[-1][0] == kind:
                runs[-1] = (kind, runs[-1][1] + text)
            elif text:
                runs.append((kind, text))

        for i, ch in enumerate(self.given):
            if i in self.missing:
                add("missing", self.missing[i])
            add(self.kinds[i], ch)
        if len(self.given) in self.missing:
            add("missing", self.missing[len(self.given)])
        return runs


def _mark_characters(marks: _Marks, mine: Term, right: Term, expected: str) -> None:
    """Mark one typed word against the word it stands for, character by character."""
    typed = marks.given[mine.start : mine.end]
    wanted = expected[right.start : right.end]
    ours = [(i, f) for i, ch in enumerate(typed) if (f := _fold_char(ch))]
    theirs = [(j, f) for j, ch in enumerate(wanted) if (f := _fold_char(ch))]
    matcher = difflib.SequenceMatcher(
        a=[f for _, f in ours], b=[f for _, f in theirs], autojunk=False
    )
    if mine.number != right.number or matcher.ratio() < _LOOK_ALIKE[mine.number]:
        marks.extra(mine.start, mine.end)
        marks.insert(mine.end, wanted)
        return
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        for k in range(a0, a1):
            marks.extra(mine.start + ours[k][0], mine.start + ours[k][0] + 1)
        if b1 > b0:
            if a1 > a0:
                at = ours[a1 - 1][0] + 1
            elif a0 < len(ours):
                at = ours[a0][0]
            else:
                at = ours[-1][0] + 1 if ours else len(typed)
            marks.insert(mine.start + at, wanted[theirs[b0][0] : theirs[b1 - 1][0] + 1])


def counted_marks(given: str, expected: str, question: str = "") -> list[tuple[str, str]]:
    """The typed text in runs marked `same`, `extra` or `missing`, only where it counts."""
    asked = Question.of(question)
    mine, right = read_answer(given, asked), read_answer(expected, asked)
    marks = _Marks(given)
    if mine.claim != right.claim:
        for term in mine.hedge:
            marks.extra(term.start, term.end)
        if right.hedge and mine.terms:
            text = expected[right.hedge[0].start : right.hedge[-1].end]
            marks.insert(mine.terms[0].start, text + " ")
    ours = [term for term in mine.terms if not term.is_break]
    theirs = [term for term in right.terms if not term.is_break]
    matcher = difflib.SequenceMatcher(
        a=[t.key for t in ours], b=[t.key for t in theirs], autojunk=False
    )
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            continue
        paired = min(a1 - a0, b1 - b0)
        for one, other in zip(ours[a0 : a0 + paired], theirs[b0 : b0 + paired]):
            _mark_characters(marks, one, other, expected)
        for term in ours[a0 + paired : a1]:
            marks.extra(term.start, term.end)
        left_out = [expected[t.start : t.end] for t in theirs[b0 + paired : b1]]
        if not left_out:
            continue
        text = " ".join(left_out)
        if a1 > a0:
            marks.insert(ours[a1 - 1].end, " " + text)
        elif a0 < len(ours):
            marks.insert(ours[a0].start, text + " ")
        else:
            marks.insert(ours[-1].end if ours else len(given), (" " if ours else "") + text)
    return marks.runs()
