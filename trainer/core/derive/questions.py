"""Turning a clause with a date in it into a question about the date, for `trainer derive`.

"In 2002, Canada and the G8 nations launched the Global Partnership" becomes "In what year did
Canada and the G8 nations launch the Global Partnership?". Only the plain shapes are attempted:
a subject followed by a past-tense verb, or by `was`/`were`/`has`/`have` and a participle.
Anything else returns None, and the caller makes a cloze card instead, which needs no grammar.
"""

from __future__ import annotations

import re

_IRREGULAR_PAST = {
    "began": "begin",
    "became": "become",
    "brought": "bring",
    "built": "build",
    "bought": "buy",
    "came": "come",
    "chose": "choose",
    "drew": "draw",
    "fell": "fall",
    "flew": "fly",
    "fought": "fight",
    "gave": "give",
    "grew": "grow",
    "held": "hold",
    "kept": "keep",
    "led": "lead",
    "left": "leave",
    "lost": "lose",
    "made": "make",
    "met": "meet",
    "paid": "pay",
    "ran": "run",
    "rose": "rise",
    "sent": "send",
    "set": "set",
    "sold": "sell",
    "spent": "spend",
    "stood": "stand",
    "struck": "strike",
    "took": "take",
    "went": "go",
    "won": "win",
    "wrote": "write",
}
_IRREGULAR_PARTICIPLES = frozenset(
    "begun become brought built bought chosen done drawn given grown held kept known led left "
    "lost made met paid put run seen sent set shown sold spent struck taken won written".split()
)
_AUXILIARIES = frozenset("was were has have had".split())
# Words a subject never ends on: if one comes before a verb-looking word, that word is an
# adjective ("the combined forces"), not the verb.
_NOT_SUBJECT_END = frozenset(
    "a an the this that these those its their his her our and or of in on at by for to from "
    "with as than".split()
)
_NOT_IN_SUBJECT = frozenset(
    "is are was were has have had will would can could may might should do does did not "
    "which who that".split()
)
# An indefinite subject ("a record high year for sales") is an aside, not what happened.
_SUBJECT_START = re.compile(r"^(?:[A-Z0-9\"\u201c]|(?!(?:a|an|some|any)\b)[a-z])")
_KEEP_E = re.compile(r"(?:[^e]at|iz|is|uc|v|ur|ir|ud|as|os|us|ng|rg|ag|nc|rc|ac|[bdgkpt]l|ot)$")
_ORE = re.compile(r"(?:st|pl|gn|sc|ad)or$")  # restored, explored, ignored (not monitored)
_SHORT_CVC = re.compile(r"^[^aeiou]*[aeiou][^aeiouwxy]$")
# A second verb joined by "and" starts a second fact; the question keeps the first.
_SECOND_VERB = re.compile(
    r"\s+and\s+(?:[a-z]+ly\s+)?(?:[a-z]+ed|is|are|was|were|has|have|had)\b.*$"
)

_WHAT = {
    "year": "what year",
    "month": "what month and year",
    "date": "what date",
}
_PREPOSITIONS = {
    "in": "In",
    "during": "In",
    "on": "On",
    "since": "Since",
    "by": "By",
    "until": "Until",
    "from": "From",
}
_DATE_PHRASE = re.compile(
    r"(?P<prep>\b(?:in|on|since|by|until|from|during)\s+(?:the\s+year\s+)?)?$", re.IGNORECASE
)


def base_form(word: str) -> str | None:
    """The plain form of a past-tense verb (`launched` -> `launch`), or None when unsure."""
    lower = word.lower()
    if lower in _IRREGULAR_PAST:
        return _IRREGULAR_PAST[lower]
    if not lower.endswith("ed") or len(lower) < 5 or not lower.isalpha():
        return None
    if lower.endswith("ied"):
        return lower[:-3] + "y"
    if lower.endswith("eed"):
        return lower[:-1]
    stem = lower[:-2]
    if stem[-1] == stem[-2] and stem[-1] not in "lsfz":
        return stem[:-1]  # planned, committed
    if stem.endswith("ll") and _syllables(stem) > 1:
        return stem[:-1]  # controlled, patrolled
    if _KEEP_E.search(stem) or _SHORT_CVC.match(stem) or _ORE.search(stem):
        return stem + "e"  # created, approved, named
    return stem


def _syllables(word: str) -> int:
    return len(re.findall(r"[aeiouy]+", word))


def _is_participle(word: str) -> bool:
    word = word.strip(",;:")
    lower = word.lower()
    return word.islower() and (
        lower in _IRREGULAR_PARTICIPLES or (lower.endswith("ed") and len(lower) > 4)
    )


def date_question(clause: str, start: int, end: int, precision: str) -> str | None:
    """Ask for the date at `clause[start:end]`, or None when the clause has no plain shape.

    `precision` is `year`, `month` (month and year) or `date` (a full date).
    """
    before = _DATE_PHRASE.search(clause[:start])
    prep_text = before.group("prep") if before else None
    if before is None or not prep_text:
        return None
    prep = prep_text.split()[0].lower()
    opening = f"{_PREPOSITIONS[prep]} {_WHAT[precision]}"
    if prep == "in" and precision == "date":
        opening = "On what date"
    cut_from = before.start("prep")
    after = clause[end:]
    if cut_from > 0:
        after = after.lstrip().removeprefix(",")  # "was made on May 12, 1958, between"
    rest = clause[:cut_from] + " " + after
    rest = re.sub(r"\s+,", ",", re.sub(r"\s{2,}", " ", rest)).strip(" ,;.")
    rest = _SECOND_VERB.sub("", rest)
    rest = re.split(r",?\s+(?:but|yet|while|whereas|although|though)\s", rest)[0]
    words = rest.split()
    turned = _invert(words)
    if turned is None:
        return None
    question = f"{opening} {turned}".rstrip(" ,;:.") + "?"
    if not 5 <= len(question.split()) <= 32:
        return None
    return question


def _invert(words: list[str]) -> str | None:
    """`Canada launched X` -> `did Canada launch X`; `X was formed` -> `was X formed`."""
    if not words or not _SUBJECT_START.match(words[0]):
        return None
    for index, word in enumerate(words):
        bare = word.strip(",;:")
        if index == 0:
            continue
        previous = words[index - 1].lower()
        if bare.lower() in _NOT_IN_SUBJECT - _AUXILIARIES:
            return None
        if bare != word or index > 20:
            return None  # a comma inside the subject: not a plain shape
        if previous in _NOT_SUBJECT_END:
            continue
        subject = " ".join(words[:index])
        subject = _lower_first(subject)
        tail = words[index + 1 :]
        if bare in _AUXILIARIES:
            adverbs = []
            while tail and tail[0].endswith("ly") and tail[0].islower():
                adverbs.append(tail.pop(0))
            if bare in ("was", "were") and tail and _is_participle(tail[0]):
                return " ".join([bare, subject, *adverbs, *tail])
            if bare in ("has", "have", "had") and tail and _is_participle(tail[0]):
                return " ".join([bare, subject, *adverbs, *tail])
            return None
        if not bare.islower():
            continue
        base = base_form(bare)
        if base is not None and (bare.endswith("ed") or bare in _IRREGULAR_PAST):
            return " ".join(["did", subject, base, *tail])
    return None


def _lower_first(subject: str) -> str:
    """`The agreement` -> `the agreement` once it no longer opens the sentence; names stay."""
    first, _, rest = subject.partition(" ")
    if first.lower() in ("the", "this", "these", "those", "a", "an", "its", "both"):
        return " ".join(part for part in (first.lower(), rest) if part)
    return subject


_PRESENT_AUXILIARIES = frozenset("is are can could will would may might should must".split())
_NOT_VERBS = frozenset(
    "and or of the a an to in on at by for from with as than its their this these those".split()
)


def invert(words: list[str]) -> str | None:
    """A statement's words turned into a question's, after `Why`: `X helps Y` -> `does X help Y`.

    Past tenses and `was`/`has` follow the date questions' rules; the present tense takes
    `does` (a verb in -s) or `do` (after a subject joined by `and`); `is`, `can`, `will`... move
    before the subject. Whichever verb comes first is the clause's. None when the clause has no
    plain shape.
    """
    if not words or not _SUBJECT_START.match(words[0]):
        return None
    past = _first_past_verb(words)
    present = _present(words)
    if present is not None and (past is None or present[0] < past):
        return present[1]
    return _invert(words) if past is not None else None


def _first_past_verb(words: list[str]) -> int | None:
    """Where the first auxiliary or past-tense verb after the subject is, if any."""
    for index in range(1, len(words)):
        word, previous = words[index].strip(",;:"), words[index - 1].lower()
        if previous in _NOT_SUBJECT_END or not word.islower():
            continue
        if word in _AUXILIARIES or word in _IRREGULAR_PAST or base_form(word) is not None:
            return index
    return None


def _present(words: list[str]) -> tuple[int, str] | None:
    """The first present-tense verb after the subject and the question it makes, if any."""
    for index in range(1, min(len(words) - 1, 12)):
        word, previous = words[index], words[index - 1].lower()
        if word != word.strip(",;:()"):
            return None  # a comma inside the subject: not a plain shape
        if previous in _NOT_SUBJECT_END or not word.islower() or word in _NOT_VERBS:
            continue
        if word in _AUXILIARIES or word in _IRREGULAR_PAST or base_form(word) is not None:
            return None  # the past is `_invert`'s
        following = words[index + 1].lower()
        if word.endswith("ly"):
            continue  # "jointly patrol": the adverb comes before the verb
        if following in _AUXILIARIES | _PRESENT_AUXILIARIES:
            continue  # "modernization initiatives have": the -s word was a noun
        head = words[:index]
        adverbs = [head.pop()] if head[-1].endswith("ly") and head[-1].islower() else []
        subject = _lower_first(" ".join(head))
        tail = words[index + 1 :]
        if word in _PRESENT_AUXILIARIES:
            return index, " ".join([word, subject, *adverbs, *tail])
        if re.fullmatch(r"[a-z]+s", word) and not word.endswith(("ss", "us", "is")):
            base = word[:-3] + "y" if word.endswith("ies") else word[:-1]
            if word.endswith(("ches", "shes", "xes", "sses", "zes")):
                base = word[:-2]
            return index, " ".join(["does", subject, *adverbs, base, *tail])
        if " and " in f" {subject} ":
            return index, " ".join(["do", subject, *adverbs, word, *tail])
    return None
