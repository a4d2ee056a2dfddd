"""The fact finders of `trainer derive` for statements: "X is Y" definitions and enumerations.

A definition becomes a cloze card deleting its subject or its key term; an enumeration ("border
security, migration management, and disaster response") a cloze card deleting each item, so the
learner recalls each one from the others.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trainer.core.derive.facts import Document, Draft, cloze, date_matches
from trainer.core.derive.text import clauses, clip

_DEFINITION = re.compile(
    r"^(?P<subject>[A-Z][^,;:()\u2014]*?)\s+(?:is|are|remains|remain)\s+(?P<predicate>\S.*)$"
)
_NOT_SUBJECTS = frozenset(
    "it this that these those there they he she we you which what who here such one both each "
    "all some many most".split()
)
_NOT_SUBJECT_OPENERS = frozenset(
    "in as for with while although despite if when because though from since after before "
    "during through under over what how why where one".split()
)
_VERBS = frozenset(
    "is are was were has have had will would can could may might should do does did".split()
)
_ADVERBS = frozenset("also now still currently often widely increasingly thus indeed".split())
_TERM_STOPS = frozenset(
    "of in on for to with by from at between among within across under that which who whose "
    "where when and/or than as".split()
)
_TERM_SKIP = frozenset("only very same".split())
_GENERIC_TERMS = frozenset(
    "example part name number member one way type kind form program programme".split()
)
MAX_TERM_WORDS = 6


def find_definitions(document: Document) -> Iterator[Draft]:
    """ "X is Y" statements -> cloze cards deleting the subject (a rare name) or the key term."""
    for sentence in document.sentences:
        for span in clauses(sentence):
            match = _DEFINITION.match(span.text)
            if match is None:
                continue
            deletion = _definition_deletion(document, match)
            if deletion is None:
                continue
            start, end = span.start + deletion[0], span.start + deletion[1]
            shown = clip(sentence, start, end)
            yield cloze("definitions", shown, [(start, end, "")])


def _definition_deletion(document: Document, match: re.Match[str]) -> tuple[int, int] | None:
    """What to delete from an "X is Y" clause, as offsets in it, or None when it is no definition.

    The subject when it is a name the document rarely mentions (asking for it is a fair
    question); otherwise the key term of the predicate, since a subject named in every other
    sentence would be a guess.
    """
    subject = match.group("subject")
    words = subject.split()
    lowered = [word.lower() for word in words]
    if len(words) > 8 or lowered[0] in _NOT_SUBJECT_OPENERS:
        return None
    if len(words) == 1 and lowered[0] in _NOT_SUBJECTS:
        return None
    if any(word in _VERBS for word in lowered[1:]):
        return None
    term = _key_term(match.group("predicate"))
    if term is None:
        return None
    core_start = 4 if subject.startswith(("The ", "the ")) else 0
    core = subject[core_start:]
    if core[:1].isupper() and len(core.split()) <= 6 and document.mentions(core) <= 2:
        return core_start, len(subject)
    term_start, term_end = term
    predicate_start = match.start("predicate")
    if match.group("predicate")[term_start:term_end].split()[-1].lower() in _GENERIC_TERMS:
        return None
    return predicate_start + term_start, predicate_start + term_end


def _key_term(predicate: str) -> tuple[int, int] | None:
    """The noun phrase a predicate opens with, after `a`/`the`/a possessive, as offsets."""
    words = [(m.start(), m.end(), m.group()) for m in re.finditer(r"\S+", predicate)]
    index = 0
    while index < len(words) and words[index][2].lower() in _ADVERBS:
        index += 1
    if index >= len(words):
        return None
    opener = words[index][2]
    if opener.lower() in ("a", "an", "the"):
        index += 1
    elif opener.lower() == "one" and [w[2].lower() for w in words[index + 1 : index + 3]] == [
        "of",
        "the",
    ]:
        index += 3
    elif re.match(r"^[A-Z][\w.&-]*['\u2019]s$", opener):
        index += 1
    else:
        return None  # "is highly successful", "are committed to": not a definition
    while index < len(words) and (
        words[index][2].lower() in _TERM_SKIP or words[index][2].lower().endswith("ly")
    ):
        index += 1
    term: list[tuple[int, int, str]] = []
    for start, _, word in words[index:]:
        bare = word.rstrip(",;:.)")
        if bare.lower() in _TERM_STOPS or "(" in word:
            break
        if term and (bare.endswith("ly") or bare.lower().endswith("ed")):
            break
        term.append((start, start + len(bare), bare))
        if bare != word:
            break
    if not term or len(term) > MAX_TERM_WORDS or term[0][2].lower().endswith("ed"):
        return None  # "a fully committed partner": a description, not a term to learn
    if not any(len(re.sub(r"\W", "", word)) >= 4 for _, _, word in term):
        return None
    return term[0][0], term[-1][1]


# Words after which an enumeration's first item starts ("activities, including X, Y, and Z").
_ITEM_CUES = frozenset(
    "including include includes like as of in on for from between among against to by through "
    "with across within into spans span covers cover are is was were such about regarding "
    "toward towards around".split()
)
# Words that end an enumeration's last item ("and maritime security in Arctic regions").
_ITEM_ENDS = frozenset(
    "in on at to by for from with that which who whose as across against within between among "
    "into through under over during is are was were has have had will would can could all "
    "both also".split()
)
_LIST_CUES = frozenset("including include includes among like such".split())
_DETERMINERS = re.compile(r"^(?:(?:and|or)\s+)?(?:(?:the|a|an|its|their|our)\s+)?", re.IGNORECASE)
MAX_ITEM_WORDS = 5
MAX_ITEMS = 4
"""An enumeration of more items is not drafted: five gaps at once make a poor card, and in "space,
cyberspace, intelligence, research and development" the last two are one item."""


def find_enumerations(document: Document) -> Iterator[Draft]:
    """Enumerations of three or more items -> a cloze card deleting each item."""
    for sentence in document.sentences:
        for items in enumerations(sentence.text):
            if len(items) > MAX_ITEMS:
                continue
            facts = [(sentence.start + a, sentence.start + b, "") for a, b in items]
            span = clip(sentence, facts[0][0], facts[-1][1])
            if span.start <= facts[0][0] and facts[-1][1] <= span.end:
                yield cloze("enumerations", span, facts)


def enumerations(text: str) -> list[list[tuple[int, int]]]:
    """The items of each enumeration ("A, B, and C" or "A, B and C") in `text`, as offsets."""
    segments = [(m.start(), m.end()) for m in re.finditer(r"[^,;:()]+", text)]
    found: list[list[tuple[int, int]]] = []
    # "On April 8, 2024, Prime Minister ... and Minister ...": the commas of a date part no items.
    dates = [match.span() for match, _ in date_matches(text)]
    index = 0
    while index < len(segments):
        run = _enumeration_at(text, segments, index)
        if run is None:
            index += 1
            continue
        items, index = run
        if not any(
            a < date_end and date_start < b for a, b in items for date_start, date_end in dates
        ):
            found.append(items)
    return found


def _enumeration_at(
    text: str, segments: list[tuple[int, int]], index: int
) -> tuple[list[tuple[int, int]], int] | None:
    """The enumeration whose first item ends segment `index`, and the segment after it."""
    if index == 0 and len(text[slice(*segments[0])].split()) <= 2:
        return None  # "In fact, ...", "However, ...": an opening phrase, not the first item
    found = _first_item(text, *segments[index])
    if found is None:
        return None
    first, cue = found
    # "As part of the alliance, Canada and the United States share": two items and an "and"
    # need a word that announces a list before them to be read as three items.
    introduced = cue in _LIST_CUES
    items = [first]
    position = index + 1
    while (
        position < len(segments) and text[segments[position - 1][1] : segments[position][0]] == ","
    ):
        start, end = _stripped(text, *segments[position])
        words = text[start:end].split()
        if words and words[0] in ("and", "or"):
            last = _last_item(text, start + len(words[0]) + 1, end, items)
            if last is not None and len(items) >= 2:
                return [*items, last], position + 1
            return None
        oxford = any(re.match(r"\s*(?:and|or)\s", text[a:b]) for a, b in segments[position + 1 :])
        if " and " in text[start:end] and not oxford and (len(items) >= 2 or introduced):
            # "A, B and C": the last segment holds the last two items.
            split = text.index(" and ", start)
            middle = _item(text, start, split)
            last = _last_item(text, split + 5, end, items)
            if middle is not None and last is not None:
                return [*items, middle, last], position + 1
        item = _item(text, start, end)
        if item is None:
            return None
        items.append(item)
        position += 1
    return None


def _stripped(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in '.!?\u201d"'):
        end -= 1
    return start, end


def _item(text: str, start: int, end: int) -> tuple[int, int] | None:
    """A middle item: a few words, no verb or clause word, determiners left out of the deletion."""
    start, end = _stripped(text, start, end)
    words = text[start:end].split()
    if not 1 <= len(words) <= MAX_ITEM_WORDS:
        return None
    if any(word.lower() in _ITEM_ENDS for word in words) or words[0].lower() in _ITEM_CUES:
        return None  # a clause, or the start of another list ("including X")
    determiner = _DETERMINERS.match(text[start:end])  # always matches: every part is optional
    start += determiner.end() if determiner else 0
    return (start, end) if start < end else None


def _first_item(text: str, start: int, end: int) -> tuple[tuple[int, int], str] | None:
    """The first item (the end of its segment after the word introducing the list) and that word."""
    start, end = _stripped(text, start, end)
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    if not words:
        return None
    cue = max((i for i, (a, b) in enumerate(words) if text[a:b].lower() in _ITEM_CUES), default=-1)
    if cue == -1 and len(words) > MAX_ITEM_WORDS:
        return None
    chosen = words[cue + 1 :]
    if not 1 <= len(chosen) <= MAX_ITEM_WORDS:
        return None
    item = _item(text, chosen[0][0], chosen[-1][1])
    if item is None:
        return None
    return item, text[words[cue][0] : words[cue][1]].lower() if cue >= 0 else ""


def _last_item(
    text: str, start: int, end: int, items: list[tuple[int, int]]
) -> tuple[int, int] | None:
    """The last item: its words up to a preposition or verb, no longer than the longest other."""
    longest = max(len(text[a:b].split()) for a, b in items)
    words = [(m.start() + start, m.end() + start) for m in re.finditer(r"\S+", text[start:end])]
    kept: list[tuple[int, int]] = []
    for index, (a, b) in enumerate(words):
        word = text[a:b].lower()
        if word in _ITEM_ENDS or word.endswith("ly"):
            break
        # "a foundation of trust": the article does not count towards the item's length.
        size = sum(text[x:y].lower() not in ("a", "an", "the") for x, y in kept)
        if size >= max(longest, 1):
            # "broader questions of alliance burden-sharing": an `of` phrase belongs to the item.
            if word == "of" and len(words) - index <= 3:
                kept.extend(words[index:])
            break
        kept.append((a, b))
    while kept and text[kept[-1][0] : kept[-1][1]].lower() in ("of", "and", "or", "the", "a"):
        kept.pop()
    if not kept:
        return None
    return _item(text, kept[0][0], kept[-1][1])
