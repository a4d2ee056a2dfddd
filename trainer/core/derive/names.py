"""Names -> cloze drafts for `trainer derive`: "Canada stayed active in [Poland]".

A name is a run of capitalised words ("Royal Canadian Air Force", "Department of State"). Only
names the document mentions once or twice are asked for: a name in every other sentence (the
document's subject, "Canada") would make every card a guess, and teaches nothing.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from trainer.core.derive.acronyms import find_acronyms
from trainer.core.derive.facts import Document, Draft, cloze, date_matches
from trainer.core.derive.text import clip

_WORD = re.compile(r"[A-Za-z0-9][\w'\u2019.&-]*")
_CONNECTORS = frozenset("of and the for on &".split())
_NOT_NAMES = frozenset(
    """january february march april may june july august september october november december
    monday tuesday wednesday thursday friday saturday sunday i a an the this that these those
    it its our their we they he she his her in on at by for from with as of and or but if
    while although though when since after before during through under over what which who
    how why where both each all some many most such one two no not yes however despite
    nonetheless""".split()
)
_POSSESSIVE = re.compile(r"['\u2019]s$")
MAX_NAME_WORDS = 6
MAX_MENTIONS = 2
MAX_NAMES_PER_SENTENCE = 3
_QUOTED = re.compile(r"[\u201c\"]([^\u201c\u201d\"]{2,80})[\u201d\"]")
_ABBREVIATED = re.compile(r"^(?:[A-Z]\.){2,}$")
_ADJECTIVE_ENDINGS = ("ian", "an", "ese", "ish", "ed", "ic")
_BEFORE_PLACES = frozenset(
    "in to from of at into across throughout against with near within".split()
)


def _once(name: str) -> int:
    return 1


def name_matches(text: str, occurrences: Callable[[str], int] = _once) -> list[tuple[int, int]]:
    """Where `text` names something: runs of capitalised words, with `of`, `and`... inside.

    A quoted title (“Strong, Secure, Engaged”) is one name. A run joined by `and` is two names
    when its first part also stands alone elsewhere (`occurrences` counts a name in the whole
    document), as in "Canada and the US", but one in "Eastern and Central Europe".
    """
    found: list[tuple[int, int]] = []
    quoted: list[tuple[int, int]] = []
    for match in _QUOTED.finditer(text):
        inner = match.group(1)
        if any(word[:1].isupper() for word in inner.split()) and len(inner.split()) <= 8:
            found.append(match.span(1))
        quoted.append(match.span())
    for start, end in _runs(text):
        if any(a <= start < b for a, b in quoted):
            continue
        found.extend(_split_at_and(text, start, end, occurrences))
    return sorted(span for span in found if _plausible(text, *span))


def _runs(text: str) -> Iterator[tuple[int, int]]:
    """Runs of capitalised words; `of`, `and`... may join them, punctuation ends them."""
    words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text)]
    run: list[tuple[int, int, str]] = []

    def close() -> Iterator[tuple[int, int]]:
        while run and run[-1][2].lower() in _CONNECTORS:
            run.pop()
        if run:
            yield run[0][0], run[-1][1]
        run.clear()

    for index, (start, end, word) in enumerate(words):
        gap = text[words[index - 1][1] : start] if index else ""
        if run and gap.strip():
            yield from close()  # punctuation between the words: a comma, a bracket, a dash
        bare = _POSSESSIVE.sub("", word)
        if not _ABBREVIATED.match(bare):
            bare = bare.rstrip(".")
        roman = bool(run) and re.fullmatch(r"[IVX]+", bare) is not None  # World War I
        if word[0].isupper() and (roman or bare.lower() not in _NOT_NAMES):
            run.append((start, start + len(bare), word))
            if _POSSESSIVE.search(word):
                yield from close()  # "NATO's Standing Naval Forces": the possessive ends a name
        elif run and word.lower() in _CONNECTORS:
            run.append((start, end, word))
        else:
            yield from close()
    yield from close()


def _split_at_and(
    text: str, start: int, end: int, occurrences: Callable[[str], int]
) -> list[tuple[int, int]]:
    """A run joined by `and`, as the names it holds.

    "Eastern and Central Europe" and "Customs and Border Protection" are one name; "Canada and
    the US", "Iraq and Syria", a name found alone elsewhere in the document, and two people
    named with their titles are several. Adjectives ("Russian and Chinese") are no names.
    """
    name = text[start:end]
    match = re.search(r"\s+and\s+(the\s+)?", name)
    if match is None:
        return [(start, end)]
    first, last = name[: match.start()], name[match.end() :]
    if len(last.split()) == 1 and _is_adjective(last):
        return []
    if re.fullmatch(r"[IVX]+", last):
        return [(start, end)]  # World Wars I and II
    several = (
        bool(match.group(1))
        or len(last.split()) == 1
        or occurrences(first) > occurrences(name)
        or len(name.split()) > MAX_NAME_WORDS
    )
    if not several:
        return [(start, end)]
    parts = [
        (start, start + len(first)),
        *_split_at_and(text, start + match.end(), end, occurrences),
    ]
    if any(len(text[a:b].split()) > MAX_NAME_WORDS for a, b in parts):
        return []  # a title too long to be a name, not a list of names
    return parts


def _is_adjective(word: str) -> bool:
    return word.lower().rstrip("s").endswith(_ADJECTIVE_ENDINGS)


def _plausible(text: str, start: int, end: int) -> bool:
    words = text[start:end].split()
    if not 1 <= len(words) <= MAX_NAME_WORDS or not any(ch.isalpha() for ch in words[0]):
        return False
    if re.search(r"[A-Za-z.]-[A-Z]", text[start:end]) or _ABBREVIATED.match(text[start:end]):
        return False  # "United States-Canada ties", "U.S.": the document's own subject
    after = text[end:].split()[:1]
    if _is_adjective(words[-1]) and after and after[0][:1].islower():
        return False  # "North American airspace": the name is the noun after it
    before = text[:start].split()[-1:]
    if before and re.fullmatch(r"[\d.,]+|thousand|million|billion|trillion", before[0]):
        return False  # "$13 billion USD": a currency, not a name
    if len(words) > 1 or words[0].isupper() or any(ch.isdigit() for ch in words[0]):
        return True
    # One capitalised word is a name when it follows "in", "to"... ("active in Poland"), and
    # is not an adjective ("Ukrainian refugees", "Allied airspace").
    return bool(before) and before[0].lower() in _BEFORE_PLACES and not _is_adjective(words[0])


def find_names(document: Document) -> Iterator[Draft]:
    """Names the document rarely mentions -> cloze cards deleting them.

    Acronyms and their long forms are left out: they have cards of their own.
    """
    spelled_out = set()
    for draft in find_acronyms(document):
        spelled_out.update({draft.prompt.casefold(), draft.answers[0].casefold()})
    for sentence in document.sentences:
        text = sentence.text
        dates = [match.span() for match, _ in date_matches(text)]
        chosen = []
        for start, end in name_matches(text, document.occurrences):
            name = text[start:end]
            if _in_title(text, start):
                continue  # "Cold War & NORAD Formation": a label in title case, not a name
            at_start = not text[:start].strip(" \"'\u201c(")
            if at_start and (len(name.split()) < 2 or " and " in name):
                continue  # any word is capitalised at the start of a sentence
            if any(a < end and start < b for a, b in dates):
                continue
            if any(word.casefold().strip(".") in spelled_out for word in name.split()):
                continue
            if name.casefold() in spelled_out or document.mentions(name) > MAX_MENTIONS:
                continue
            if document.in_title(name):
                continue  # the document's own subject: "than the [United States] and Canada"
            chosen.append((sentence.start + start, sentence.start + end, ""))
        for fact in chosen[:MAX_NAMES_PER_SENTENCE]:
            span = clip(sentence, fact[0], fact[1])
            yield cloze("names", span, [fact])


def _in_title(text: str, offset: int) -> bool:
    """Whether `offset` falls in a stretch of title-case words (a label or a title).

    The stretch runs between colons and sentence ends; most of its longer words capitalised
    means it is written as a title.
    """
    start = text.rfind(":", 0, offset) + 1
    end = text.find(":", offset)
    words = _WORD.findall(text[start : end if end != -1 else len(text)])
    longer = [w for w in words if len(w) > 3 or w.isupper()]
    if not longer or len(words) > 12:
        return False
    return sum(w[0].isupper() for w in longer) / len(longer) >= 0.6
