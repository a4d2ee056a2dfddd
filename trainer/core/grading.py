"""Checking a learner's answer against the card: typed answers, choices, true or false.

Typed answers are judged as a fair teacher would (`trainer.core.judging`): case, accents,
punctuation, how a number or a word is spelt, articles, hedges and the question's own words do
not count; a wrong figure does. A near miss in the words, a small edit distance for the answer's
length, is almost right so the learner can still pass it. `typed_marks` shows only the
differences that counted. `normalise` is the plain folding other modules compare text in.
"""

from __future__ import annotations

import difflib

from trainer.core.verdicts import Check, Rating, Verdict, allowed_typos, edit_distance, normalise

__all__ = [
    "Check",
    "Rating",
    "Verdict",
    "allowed_typos",
    "char_diff",
    "check_choices",
    "check_typed",
    "edit_distance",
    "normalise",
    "typed_marks",
]


def check_typed(
    given: str,
    accepted: list[str] | tuple[str, ...],
    *,
    strict: bool = False,
    question: str = "",
) -> Check:
    """Compare a typed answer with the accepted answers (the first is the canonical one).

    `question`, when given, lets the answer echo it: its unit or noun after a figure (`640 km`
    when asked "in kilometres"), a hedge it uses itself (`over 65` when asked "for over how many
    years"), and tells whether a person is asked for, so a surname alone is enough. With `strict`
    only surrounding whitespace is forgiven. The verdict names the accepted answer it matched, or
    came closest to when almost, else the canonical one.
    """
    if not accepted:
        raise ValueError("a typed card needs at least one accepted answer")
    if strict:
        for answer in accepted:
            if given.strip() == answer.strip():
                return Check(Verdict.CORRECT, answer)
        return Check(Verdict.WRONG, accepted[0])
    from trainer.core.judging import Question, judge  # loaded on the first typed answer

    asked = Question.of(question)
    verdicts = {answer: judge(given, answer, asked) for answer in accepted}
    typed = normalise(given)
    for verdict in (Verdict.CORRECT, Verdict.ALMOST):
        matched = [answer for answer in accepted if verdicts[answer] is verdict]
        if matched:
            # Of several that match, the one written most like what was typed (`nine thousand`).
            closest = min(matched, key=lambda answer: edit_distance(typed, normalise(answer)))
            return Check(verdict, closest)
    return Check(Verdict.WRONG, accepted[0])


def check_choices(chosen: set[int], correct: set[int]) -> Verdict:
    """A multiple-choice answer is right only when exactly the correct choices are picked."""
    return Verdict.CORRECT if chosen == correct else Verdict.WRONG


def char_diff(given: str, expected: str) -> list[tuple[str, str]]:
    """Split the two answers into runs marked `same`, `extra` (only typed) or `missing`.

    Shown after a typed answer so the learner sees exactly which characters differed.
    """
    runs: list[tuple[str, str]] = []
    matcher = difflib.SequenceMatcher(a=given, b=expected, autojunk=False)
    for op, a0, a1, b0, b1 in matcher.get_opcodes():
        if op == "equal":
            runs.append(("same", given[a0:a1]))
            continue
        if a1 > a0:
            runs.append(("extra", given[a0:a1]))
        if b1 > b0:
            runs.append(("missing", expected[b0:b1]))
    return runs


def typed_marks(
    given: str, expected: str, *, question: str = "", strict: bool = False
) -> list[tuple[str, str]]:
    """`char_diff` runs that mark only the differences that count, on what the learner typed.

    Nothing is marked when the answer is right by the rules of `check_typed`. Otherwise words and
    figures are compared as `check_typed` reads them, so case, accents, punctuation, articles and
    how a number or a word is spelt are never marked; a word or figure that differs is marked
    character by character where the two look alike, else whole. With `strict`, everything counts.
    """
    from trainer.core.typed_marks import counted_marks  # loaded on the first typed answer

    if strict:
        return char_diff(given, expected)
    if check_typed(given, [expected], question=question).verdict is Verdict.CORRECT:
        return [("same", given)] if given else []
    return counted_marks(given, expected, question)
