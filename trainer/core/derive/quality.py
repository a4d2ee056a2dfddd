"""What makes a drafted card unusable as it stands: fragments and dangling references.

`trainer derive` drops drafts these checks flag, and `bench/derive_rubric.py` counts them. Each
check reads only the text the learner sees (a cloze's text, a statement, a question), so a card
is judged as a learner would meet it: alone, without the sentence before it.

A fragment does not start a clause with its subject (it opens with a lowercase word, a
conjunction or a participle), ends mid-clause, or was cut inside a parenthesis or a quotation.
A dangling reference leans on a sentence the card does not show: "This relationship ...",
"It remains ...", "Canada contributes to these efforts", "our nations", "the two countries".
"""

from __future__ import annotations

import re

# Words a clause with its own subject does not open with: it continues another clause.
_DEPENDENT_OPENERS = frozenset(
    """and but or nor so yet then which who whom whose where when while whereas although though
    because since unless until whether including especially particularly notably such given
    ensuring making leading helping allowing providing adapting supported backed followed
    spanning comprising according thereby""".split()
)
# A sentence may open with a subordinate clause when its main clause follows a comma.
_SUBORDINATORS = frozenset(
    "though although while since because when if as unless whereas after before until once "
    "given".split()
)
_QUESTION_WORDS = frozenset("which who whom whose where when why how what".split())
# Words that point back to something named before.
_POINTERS = frozenset("this these those it its they their them such he she his her".split())
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|theirs)\b", re.IGNORECASE)
# A pronoun after these stands in a second clause, whose antecedent the first clause names.
_LATER_CLAUSE = re.compile(
    r"(?:,|;|\b(?:and|but|or|that|which|who|because|to|when|so|as|while|if|until|after|before))"
    r"\s"
)
_PAGE_VOICE = re.compile(r"\b(?:[Ww]e|[Oo]urs?|us|[Oo]urselves)\b")
_DEMONSTRATIVE = re.compile(r"\b(?:this|these|those|such)\s+([a-z][\w-]*)", re.IGNORECASE)
# "the two countries", "both nations": which two the card does not say.
_UNNAMED_PAIR = re.compile(
    r"\b(?:the\s+two|both)\s+(?:countries|nations|governments|sides|partners|allies)\b",
    re.IGNORECASE,
)
# A bare "the operation" names a thing the card has not introduced.
_BARE_THE = re.compile(
    r"\bthe\s+(operation|program|programme|initiative|agreement|mission|effort|efforts"
    r"|organization|organisation|publication|document|article|page|report|campaign|countries"
    r"|nations|project|board|team|festival|company|group|committee|plan|treaty)\b"
    r"(?!\s+(?:of|to|for|called|named|known)\b)",
    re.IGNORECASE,
)
_ENDS_CLAUSE = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_OPENING_PUNCTUATION = "\"'\u201c\u2018(["
MAX_OPENING_WORDS = 8
"""An opening phrase before the first comma ("In 2014, ...") is at most this long."""


def fragment_reason(text: str, *, question: bool = False) -> str | None:
    """Why `text` is a fragment rather than a whole clause with its subject, or None.

    `question` marks a question the drafter wrote around a clause: it must end with `?`.
    """
    words = text.lstrip(_OPENING_PUNCTUATION).split()
    if not words:
        return "empty"
    first = words[0].strip(",;:").lower()
    if words[0][:1].islower():
        return f"starts with the lowercase word {words[0]!r}"
    if question and first in _QUESTION_WORDS:
        pass  # "Which ...?", "When ...?": a question's own opening
    elif first in _SUBORDINATORS and words[0][:1].isupper() and ", " in text:
        pass  # "Although spending has risen, it still falls below ...": a whole sentence
    elif first in _DEPENDENT_OPENERS or (first.endswith("ing") and first not in ("during",)):
        return f"opens with {words[0]!r}, which continues another clause"
    end = text.rstrip()
    if question and not end.endswith("?"):
        return "a question that does not end with a question mark"
    if not question and not _ENDS_CLAUSE.search(end):
        return "ends mid-clause"
    if _unbalanced(text, "(", ")") or _unbalanced(text, "[", "]"):
        return "cut inside a parenthesis"
    if (text.count('"') % 2) or text.count("\u201c") != text.count("\u201d"):
        return "cut inside a quotation"
    return None


def _unbalanced(text: str, opening: str, closing: str) -> bool:
    depth = 0
    for character in text:
        if character == opening:
            depth += 1
        elif character == closing:
            depth -= 1
            if depth < 0:
                return True
    return depth != 0


def dangling_reason(text: str) -> str | None:
    """Which words of `text` lean on something it does not name, or None.

    A pointer ("this", "it", "their") counts when it opens the text or its first clause, or
    when a "this X" names an X the text has not mentioned before it.
    """
    bare = text.lstrip(_OPENING_PUNCTUATION)
    head = _first_clause_start(bare)
    for word in head:
        if word.strip(",;:").lower() in _POINTERS:
            return f"{word.strip(',;:')!r} opens a clause and points back"
    for match in _DEMONSTRATIVE.finditer(bare):
        noun = match.group(1).lower()
        if noun in ("as", "that", "is", "was", "are", "were"):
            continue
        if not re.search(rf"\b{re.escape(noun)}", bare[: match.start()], re.IGNORECASE):
            return f"{match.group()!r} points back to something not named"
    pronoun = _PRONOUN.search(bare)
    if pronoun and not _LATER_CLAUSE.search(bare[: pronoun.start()]):
        return f"{pronoun.group()!r} has no antecedent before it in its clause"
    voice = _PAGE_VOICE.search(bare)
    if voice:
        return f"{voice.group()!r}: who is meant depends on who wrote the page"
    pair = _UNNAMED_PAIR.search(bare)
    if pair:
        return f"{pair.group()!r} does not say which"
    the = _BARE_THE.search(bare)
    if the and not re.search(rf"\b{the.group(1)}", bare[: the.start()], re.IGNORECASE):
        return f"{the.group()!r} has not been introduced"
    return None


def _first_clause_start(text: str) -> list[str]:
    """The words of `text` after a short opening phrase ("In 2014, ...") if it has one."""
    words = text.split()
    for index, word in enumerate(words[:MAX_OPENING_WORDS]):
        if word.endswith(","):
            return [words[0], *words[index + 1 : index + 2]]
    return words[:1]


def problems(text: str, *, question: bool = False) -> list[str]:
    """Every reason `text` would not stand as a card on its own (none when it would)."""
    found = [fragment_reason(text, question=question), dangling_reason(text)]
    return [reason for reason in found if reason]
