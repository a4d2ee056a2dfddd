"""The figures, years and names of a document, each with its kind, for `trainer derive`.

Multiple-choice and true-or-false drafts need a wrong answer that is plausible: another thing
of the same kind from the same document (a year for a year, a percentage for a percentage, an
organisation for an organisation). This module finds each sentence's entities, says what kind
each is, and gathers the document's pool of each kind.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property, lru_cache

from trainer.core.derive.facts import AS_OF, Document, date_matches, figure_matches
from trainer.core.derive.names import name_matches
from trainer.core.derive.resolving import document_pair
from trainer.core.derive.statements import enumerations
from trainer.core.derive.text import Span
from trainer.core.grading import normalise as _normalise

# The pools compare every entity with every other of its kind: each text is normalised once.
normalise = lru_cache(maxsize=65536)(_normalise)

_TITLES = re.compile(
    r"^(?:(?:Prime|Deputy|Foreign|Defence|Defense)\s+)?(?:Minister|President|Secretary|General"
    r"|Admiral|King|Queen|Emperor|Empress|Prince|Princess|Sir|Lord|Lady|Dr|Mr|Mrs|Ms|Captain"
    r"|Colonel|Senator|Governor|Chancellor|Pope|Saint|Professor)\b"
)
_ORGANISATION_WORDS = frozenset(
    """command agency department organization organisation coalition council navy force forces
    army board team partnership alliance protection guard service services ministry office
    union nations initiative committee commission court bank company corporation institute
    university society association parliament congress senate group forum program programme
    administration bureau authority""".split()
)
_TITLE_WORDS = frozenset("treaty pledge policy act agreement accord charter declaration".split())
_AFTER_SURNAME = re.compile(
    r"(?:[,.;:!?)]|['\u2019]s?\b|\s+(?:[a-z]+ed|was|is|has|had|said|led|won|saw|made|became"
    r"|wrote|took|gave|found|left|met|ran|sent|went)\b)"
)
# A name opening with these is a place or a body, whatever else the document writes alone.
_PLACE_WORDS = frozenset(
    """North South East West Northern Southern Eastern Western Central United New Great Upper
    Lower Royal National Saint St Mount Lake River Cape Port Fort Isle Gulf Bay""".split()
)
_LINKS = frozenset(
    """and or to in on at for with by from as is are was were has have had which that where
    since during until after before while when who whose""".split()
)
_PLACE_CUES = frozenset("in to from across throughout near within into at".split())
# Kinds whose values can stand in for one another as a wrong answer.
SWAPPABLE = frozenset(
    "year month date percent money amount count person organisation operation place".split()
)


@dataclass(frozen=True)
class Entity:
    """A figure, year or name in a sentence: where it is (offsets in the block) and its kind."""

    text: str
    kind: str
    start: int
    end: int
    listed: bool
    """Whether it is one item of an enumeration ("Iraq, Jordan, and Lebanon")."""


def _never(word: str) -> bool:
    return False


def name_kind(
    name: str, before: str, after: str = "", alone: Callable[[str], bool] = _never
) -> str:
    """The kind of a name, from its words and the words around it (`in Latvia` is a place).

    `alone` says whether the document writes a word as a name of its own: "Alexander Fleming"
    is a person when the document also writes "Fleming" alone.
    """
    words = name.split()
    lowered = {word.lower().strip(".,") for word in words}
    if words[0] == "Operation" and len(words) > 1:
        return "operation"
    if _TITLES.match(name) and len(words) >= 2:
        return "person"
    if lowered & _ORGANISATION_WORDS:
        return "organisation"
    if lowered & _TITLE_WORDS:
        return "title"
    if name.isupper() and len(name) >= 2:
        return "acronym"
    previous = before.split()[-1:] if before.split() else []
    following = after.split()[:1]
    # "to Brigade level": a name used as a modifier is no place.
    modifier = bool(following) and following[0].islower() and following[0] not in _LINKS
    modifier = modifier and not following[0].endswith(("ing", "ed"))
    # "the Nobel Prize in Physiology or Medicine": part of a longer title, not a place.
    titled = re.match(r"\s+(?:or|and|of)\s+[A-Z]", after) is not None
    cued = bool(previous) and previous[0].lower() in _PLACE_CUES
    if cued and len(words) <= 3 and not modifier and not titled:
        return "place"
    bare = [word for word in words if word.isalpha()]
    people = len(bare) == len(words) and words[0] not in _PLACE_WORDS
    if 2 <= len(words) <= 3 and people and not before.endswith("the ") and alone(words[-1]):
        return "person"  # "Howard Florey" ... "Fleming, Florey and Chain"
    return "name"


def figure_kind(figure: str) -> str:
    """The kind of an amount: a percentage, a sum of money, a scaled amount or a count."""
    if "%" in figure or "per" in figure.lower():
        return "percent"
    if re.search(r"[$\u20ac\u00a3]", figure):
        return "money"
    if re.search(r"thousand|million|billion|trillion", figure):
        return "amount"
    return "count" if any(ch.isdigit() for ch in figure) else "number word"


def sentence_entities(
    document: Document, sentence: Span, alone: Callable[[str], bool] = _never
) -> list[Entity]:
    """The entities of one sentence, in order; overlapping finds keep the first.

    `alone` holds the document's one-word names (see `name_kind`)."""
    text = sentence.text
    found: list[tuple[int, int, str]] = []
    for match, precision in date_matches(text):
        found.append((match.start(), match.end(), precision))
    for start, end in figure_matches(text):
        kind = figure_kind(text[start:end])
        unit = re.match(r"\s+([A-Za-z]+(?: per [a-z]+)?)", text[end:])
        if kind in ("count", "number word") and unit is not None:
            # "years", "regions", "miles per hour": only a count of the same thing can stand in
            kind = f"count of {unit.group(1).lower().removesuffix('s')}"
        found.append((start, end, kind))
    for start, end in name_matches(text, document.occurrences):
        at_start = not text[:start].strip(" \"'\u201c(")
        if at_start and len(text[start:end].split()) < 2 and not text[start:end].isupper():
            continue  # any word is capitalised at the start of a sentence
        kind = name_kind(text[start:end], text[:start], text[end:], alone)
        found.append((start, end, kind))
    items = [item for run in enumerations(text) for item in run]
    kept: list[Entity] = []
    for start, end, kind in sorted(found):
        if any(
            start < other.end - sentence.start and other.start - sentence.start < end
            for other in kept
        ):
            continue
        listed = any(a <= start and end <= b for a, b in items)
        if kind in ("year", "month", "date") and AS_OF.search(text[:start]):
            continue  # "as of the end of 2024": when the page was written, not a fact to learn
        if kind not in ("year", "month", "date") and document.in_title(text[start:end]):
            continue  # the document's subject
        if re.match(r"(?:['\u2019]s)?[\"\u201d]?\s*\(|['\u2019]s\s+[A-Z]", text[end:]) or text[
            :start
        ].count("(") > text[:start].count(")"):
            continue  # a name spelled out before its acronym, or inside brackets: not asked
        kept.append(
            Entity(text[start:end], kind, sentence.start + start, sentence.start + end, listed)
        )
    return kept


_last: list[Pools] = []


def pools_of(document: Document) -> Pools:
    """The document's pools, worked out once for the several finders that need them."""
    if not _last or _last[0].document is not document:
        _last[:] = [Pools(document)]
    return _last[0]


class Pools:
    """Every entity of the document, by kind, in document order (each value once)."""

    def __init__(self, document: Document) -> None:
        self.document = document
        self.text = "\n".join(block.text for block in document.blocks)
        self.by_sentence = [
            sentence_entities(document, s, self.stands_alone) for s in document.sentences
        ]

    @lru_cache(maxsize=1024)  # noqa: B019 - one Pools per document, kept while it is drafted
    def stands_alone(self, word: str) -> bool:
        """Whether the document writes `word` as a name of its own, with no capitalised word
        next to it ("Fleming, Florey and Chain shared ...")."""
        for match in re.finditer(rf"(?<!\w){re.escape(word)}(?!\w)", self.text):
            before, after = self.text[: match.start()], self.text[match.end() :]
            # A surname stands before punctuation or a verb ("Fleming published", "Trump's"),
            # not before a noun ("Arctic security").
            if not re.search(r"[A-Z][\w'\u2019.-]* $", before) and _AFTER_SURNAME.match(after):
                return True
        return False

    @cached_property
    def pair(self) -> str | None:
        """The two names the document is about, if it is about two (see `resolving`)."""
        return document_pair(self.document)

    @cached_property
    def by_kind(self) -> dict[str, list[str]]:
        """Each kind's values, first mention first, one per normalised form."""
        pools: dict[str, list[str]] = {}
        seen: set[tuple[str, str]] = set()
        for entities in self.by_sentence:
            for entity in entities:
                key = (entity.kind, normalise(entity.text))
                if key not in seen:
                    seen.add(key)
                    pools.setdefault(entity.kind, []).append(entity.text)
        return pools

    def alternatives(self, entity: Entity, context: str, limit: int) -> list[str]:
        """Up to `limit` other values of the entity's kind that `context` does not hold.

        Numbers come nearest value first, so the wrong options are plausible; names that look
        most like the right one first (the same last word, as "Council" or "Command"; as many
        words; a one-word country for a one-word country), then in the document's order.
        """
        if entity.kind not in SWAPPABLE and not entity.kind.startswith("count of "):
            return []
        held = normalise(context)
        others = [
            value
            for value in self.by_kind.get(entity.kind, [])
            if normalise(value) != normalise(entity.text)
            and f" {normalise(value)} " not in f" {held} "
        ]
        target = _value(entity.text)
        if target is not None:
            others = [value for value in others if _value(value) is not None]
            others.sort(key=lambda value: (abs((_value(value) or 0) - target), value))
        else:
            words = entity.text.split()
            others.sort(
                key=lambda value: (
                    value.split()[-1] != words[-1],
                    abs(len(value.split()) - len(words)),
                )
            )  # a stable sort: the document's order within each rank
        return others[:limit]


def _value(text: str) -> float | None:
    """The number a figure or year stands for, when it is written in digits."""
    digits = re.search(r"\d[\d,]*(?:\.\d+)?", text)
    if digits is None:
        return None
    value = float(digits.group().replace(",", ""))
    scale = {"thousand": 1e3, "million": 1e6, "billion": 1e9, "trillion": 1e12}
    for word, factor in scale.items():
        if word in text:
            value *= factor
    return value
