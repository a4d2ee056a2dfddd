"""Ranking drafts and keeping the best few, for `trainer derive`.

The finders propose several cards per sentence; a deck wants one good card per fact, of every
kind the document allows. Each draft gets a score (how natural its question is, how long it
is); the deck takes the best of each kind in turn, one card per sentence, until it holds the
number asked for (by default about one card per 60 words of the document). True-or-false
drafts are then made alternately true and false, in document order, so about half are true.
"""

from __future__ import annotations

import hashlib
import math
from collections import Counter
from collections.abc import Callable
from dataclasses import replace

from trainer.core.cards import Kind
from trainer.core.citations import contains_evidence
from trainer.core.derive.facts import Draft
from trainer.core.derive.variants import BLANK_PROMPT
from trainer.core.grading import normalise

WORDS_PER_CARD = 60
MIN_CARDS = 3
LONG_PROMPT_WORDS = 22
LIST_CLOZE_SCORE = 3.0
MAX_SHARE = 0.3
"""While sentences last, no kind takes more than this share of the deck."""
# The order kinds take turns in: the kinds a draft deck most lacks by hand come first.
ROTATION = ("choice", "truefalse", "claim", "typed", "definition", "acronym", "cloze", "list")
_BASE_SCORES = {
    "claims": 3.6,
    "choices": 3.2,
    "statements": 3.2,
    "typed": 3.0,
    "dates": 3.4,
    "definitions": 3.0,
    "acronyms": 3.0,
    "numbers": 2.6,
    "names": 2.2,
    "enumerations": 2.2,
    "lists": 1.0,
}


def default_limit(text: str) -> int:
    """How many cards a document of this length gets when `--max` is not given."""
    return max(MIN_CARDS, round(len(text.split()) / WORDS_PER_CARD))


def category(draft: Draft) -> str:
    """Which turn of the rotation the draft takes part in."""
    if draft.topic == "lists" and draft.kind is Kind.CHOICE:
        return "list"  # "Which of these is listed under ...?" asks about the page: last resort
    if draft.topic == "claims":
        return "claim"
    if draft.topic.startswith("definitions"):
        return "definition"
    if draft.kind is Kind.REVERSED:
        return "acronym"
    if draft.kind is Kind.CHOICE:
        return "choice"
    if draft.kind is Kind.TRUE_FALSE:
        return "truefalse"
    if draft.kind is Kind.TYPED:
        return "typed"
    return "cloze"


def score(draft: Draft) -> float:
    """How good a card the draft makes as it stands: higher is better."""
    topics = draft.topic.split(", ")
    value = max(_BASE_SCORES.get(topic, 2.0) for topic in topics)
    if draft.topic == "lists" and draft.kind is Kind.CLOZE:
        value = LIST_CLOZE_SCORE  # a sentence and the items it introduces: a fact about the world
    words = len(draft.prompt.split())
    value -= max(0, words - LONG_PROMPT_WORDS) * 0.08
    if draft.prompt.startswith(BLANK_PROMPT):
        value -= 0.4  # a real question reads better than a sentence with a gap
    if draft.kind is Kind.CLOZE:
        value -= 0.2 * max(0, len(draft.deletions) - 2)  # five gaps at once are hard to recall
    return value


def select(
    drafts: list[Draft],
    limit: int,
    sentence_of: Callable[[Draft], object],
    duplicates: Callable[[Draft, Draft], bool],
    answer_words: Callable[[Draft], set[str]],
) -> list[Draft]:
    """The best `limit` drafts, kinds taking turns, one per sentence while that is possible.

    `sentence_of` says which sentence a draft stands on; `duplicates` whether two drafts ask
    for the same fact, which only drafts sharing one of their `answer_words` can. The result is
    in document order.
    """
    ranked = sorted(drafts, key=lambda draft: (-score(draft), draft.position))
    queues = {name: [d for d in ranked if category(d) == name] for name in ROTATION}
    chosen: list[Draft] = []
    used: set[object] = set()

    # While every sentence gives one card, no kind takes more than its share: a document full
    # of acronyms still gets questions about what it says.
    share = max(1, math.ceil(limit * MAX_SHARE))
    taken: Counter[str] = Counter()

    by_word: dict[str, list[Draft]] = {}
    by_sentence: dict[object, list[Draft]] = {}
    picked: set[int] = set()

    def fits(draft: Draft, per_sentence: bool) -> bool:
        if id(draft) in picked:
            return False
        rivals = {id(o): o for w in answer_words(draft) for o in by_word.get(w, [])}
        if any(duplicates(draft, other) for other in rivals.values()):
            return False
        if any(answer_words(o) == answer_words(draft) for o in rivals.values()):
            return False  # the same answer again ("Donald Trump", "Five Eyes")
        if per_sentence:
            return taken[category(draft)] < share and sentence_of(draft) not in used
        # A second card on a sentence must not show the first one's answer, nor the other way.
        neighbours = by_sentence.get(sentence_of(draft), [])
        return not any(_shows(draft, o) or _shows(o, draft) for o in neighbours)

    for per_sentence in (True, False):
        progress = True
        while len(chosen) < limit and progress:
            progress = False
            for name in ROTATION:
                if per_sentence and name == "list":
                    continue
                if len(chosen) >= limit:
                    break
                pick = next((d for d in queues[name] if fits(d, per_sentence)), None)
                if pick is not None:
                    chosen.append(pick)
                    picked.add(id(pick))
                    by_sentence.setdefault(sentence_of(pick), []).append(pick)
                    for word in answer_words(pick):
                        by_word.setdefault(word, []).append(pick)
                    used.add(sentence_of(pick))
                    taken[category(pick)] += 1
                    progress = True
    return balance_truth(sorted(chosen, key=lambda draft: draft.position))


def _shows(one: Draft, other: Draft) -> bool:
    """Whether what `one` shows the learner holds what `other` asks for.

    An acronym and its long form show nothing away: the deck spells them out everywhere."""
    if Kind.REVERSED in (one.kind, other.kind):
        return False
    shown = " ".join([one.prompt, *(text for text, _ in one.choices)])
    if one.kind is Kind.CLOZE:
        shown, last = "", 0
        for start, end, _ in one.deletions:
            shown += one.prompt[last:start] + " … "
            last = end
        shown += one.prompt[last:]
    asked = [*other.answers[:1], *(text for text, correct in other.choices if correct)]
    asked += [other.prompt[start:end] for start, end, _ in other.deletions]
    # As a citation is checked: whole words, a plural or possessive "s" allowed after them.
    return any(contains_evidence(shown, text) for text in asked if normalise(text))


def balance_truth(drafts: list[Draft]) -> list[Draft]:
    """Every other true-or-false draft, in order, shows its false statement.

    Whether the first is true is fixed by its text, so a deck with one such card is as likely
    to hold a false one as a true one, and the same document always gives the same deck.
    """
    statements = [d for d in drafts if d.kind is Kind.TRUE_FALSE and d.false_prompt]
    first = statements[0].prompt.encode() if statements else b""
    out, turn = [], hashlib.blake2b(first, digest_size=1).digest()[0] % 2
    for draft in drafts:
        if draft.kind is Kind.TRUE_FALSE and draft.false_prompt:
            if turn % 2 == 1:
                draft = replace(draft, truth=False)
            turn += 1
        out.append(draft)
    return out
