"""Reading a plain-text document for `trainer derive`: blocks, sentences and clauses.

Every piece of text keeps the document lines it came from, so each drafted card can cite them.
Lines are numbered as `trainer check --sources` numbers them: split on newlines only (a lone
carriage return or form feed does not start a line there, so it must not start one here).
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass
from enum import StrEnum

# Characters a deck reader takes for line ends (str.splitlines) but a citation does not: inside
# a card they would cut it in two, so they become spaces, as does a no-break space.
_BREAKS = re.compile("[\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029\u00a0]")
_BULLET = re.compile(r"^(\s*)(?:[•◦▪‣·*]|-(?!-))\s+(\S.*)$")
_TERMINAL = re.compile(r"[.!?;:,][\"'\u201d\u2019)]*$")
# Navigation and page furniture copied along with a web page: never a fact, never a title.
_BOILERPLATE = re.compile(
    r"^(?:skip to (?:main )?content|for more information\b|please visit\b|click here\b"
    r"|read more\b|back to top\b|share (?:this|on)\b|(?:main )?menu$|search$)"
    r"|\blogo$|^(?:#\w+\s*)+$",
    re.IGNORECASE,
)
_ABBREVIATION = re.compile(
    r"(?:^|[\s(])(?:(?:[A-Za-z]\.){2,}|[A-Z]\.|(?:Mr|Mrs|Ms|Dr|St|Op|No|Nos|vs|etc|Jr|Sr|Gen"
    r"|Lt|Col|Capt|Sgt|Inc|Ltd|Co|Corp|Dept|Fig|approx|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sep|Sept|Oct"
    r"|Nov|Dec)\.)$"
)
# "King Ptolemy V. The decree ...": a numeral after a name, then a word that opens sentences.
_ROMAN_END = re.compile(r"[A-Z][a-z]+\s+[IVX]\.$")
_OPENER = re.compile(r"(?:The|This|These|It|Its|He|She|His|Her|They|Their|In|On|At|A|An)\s")
_SENTENCE_END = re.compile(r"[.!?][\"'\u201d\u2019)]*\s+(?=[\"'\u201c\u2018(]?[A-Z0-9•])")
# Where a sentence divides into clauses: semicolons, colons, dashes, and commas before the words
# that open a new clause. A card clipped to one clause stays short.
_CLAUSE_BREAK = re.compile(
    r"\s*;\s*|:\s+|\s*\u2014\s*|\s+[\u2013-]\s+"
    r"|,\s+(?=(?:which|who|whose|while|whereas|but|and|or|so|yet|with|especially|including"
    r"|ensuring|making|leading|helping|although|though|as|because|given|allowing|providing"
    r"|whether|where|when|particularly|adapting)\b)"
    r"|\s+(?=and\s+(?:is|are|was|were|has|have|had|will|remained|remains)\b)"
)
# Verbs that say what something is for when "to" comes before them ("to counter", "to monitor").
PURPOSES = frozenset(
    """monitor counter defend protect prevent provide address enhance help support guide ensure
    strengthen deter detect track promote improve reduce build maintain secure train develop
    modernize modernise respond coordinate combat fight control centralize centralise
    facilitate avoid increase expand keep create allow enable encourage bolster safeguard
    assist preserve defeat stop limit study explore find save carry feed grow escape reach mark
    honour honor celebrate record measure map warn prepare attract drain irrigate power feed
    store shelter trade link connect replace serve guard patrol""".split()
)
# Verbs after which "to" completes them rather than giving a purpose ("agreed to create").
TAKES_TO = re.compile(
    r"(?:agreed|agree|agrees|continue|continues|continued|began|begin|want|wants|wanted|need"
    r"|needs|needed|able|likely|used|going|committed|decided|tried|plan|plans|planned|aims"
    r"|aim|aimed|seeks|sought|expected|designed|intended|set|ready|has|have|had)$"
)
# Where a sentence's main clause may end: before what it was for ("... launched the Global
# Partnership to prevent ..."), which a card can leave out.
_PURPOSE_BREAK = re.compile(
    r"\s+(?=(?:in order to|so as to|as a means of|because)\b|to (?:"
    + "|".join(sorted(PURPOSES))
    + r")\b)"
)
_DEPENDENT = re.compile(
    r"^(?:including|especially|particularly|such as|which|whose|[a-z]+ing|[a-z]+ed)\b"
)
_LEADING_JOINER = re.compile(r"^(?:and|but|or|so|yet|then)\s+", re.IGNORECASE)
# Words after which a long clause may be cut without leaving a dangling modifier.
_CUT_BEFORE = frozenset(
    "to by from with which that as for including in on at through between across against "
    "during under within while and".split()
)
MIN_CLAUSE_WORDS = 8
TARGET_CLAUSE_WORDS = 12
"""A clause that has to be cut is cut to at least this many words, so it keeps its context."""
MAX_CLAUSE_WORDS = 28
MAX_SENTENCE_WORDS = 40
"""A sentence this short is drafted whole: a card keeps its subject and its end."""


class Role(StrEnum):
    """What a block of the document is."""

    HEADING = "heading"
    ITEM = "item"
    TEXT = "text"
    SKIP = "skip"


@dataclass(frozen=True)
class Block:
    """A paragraph, heading or list item: one or more document lines joined by spaces."""

    role: Role
    text: str
    starts: tuple[tuple[int, int], ...]
    """For each joined line: its offset in `text` and its line number in the document."""
    indent: int = 0
    """List items: how far the bullet is indented, which says how deeply it is nested."""

    @property
    def first_line(self) -> int:
        """The document line the block starts on."""
        return self.starts[0][1]

    @property
    def last_line(self) -> int:
        """The document line the block ends on."""
        return self.starts[-1][1]

    def line_at(self, offset: int) -> int:
        """The document line holding the character at `offset`."""
        index = bisect_right([start for start, _ in self.starts], offset) - 1
        return self.starts[max(index, 0)][1]


@dataclass(frozen=True)
class Span:
    """A stretch of one block's text, such as a sentence or a clause."""

    block: Block
    start: int
    end: int

    @property
    def text(self) -> str:
        """The words of the span."""
        return self.block.text[self.start : self.end]

    @property
    def lines(self) -> tuple[int, int]:
        """The first and last document lines the span covers."""
        return self.block.line_at(self.start), self.block.line_at(max(self.start, self.end - 1))

    def words(self) -> int:
        """How many words the span has."""
        return len(self.text.split())


def read_blocks(text: str) -> list[Block]:
    """Split a document into blocks, each knowing its document lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    blocks: list[Block] = []
    parts: list[tuple[str, int]] = []
    role, indent = Role.TEXT, 0

    def close() -> None:
        nonlocal parts
        if parts:
            blocks.append(_make_block(role, parts, indent))
        parts = []

    for number, raw in enumerate(lines, start=1):
        line = _BREAKS.sub(" ", raw.replace("\ufeff", "")).replace("\t", "    ").rstrip()
        if not line.strip():
            close()
            continue
        bullet = _BULLET.match(line)
        if bullet:
            close()
            role, indent = Role.ITEM, len(bullet.group(1))
            parts = [(bullet.group(2).strip(), number)]
        elif parts and _continues(parts[-1][0], line, role, indent):
            parts.append((line.strip(), number))
        else:
            close()
            role, indent = Role.TEXT, 0
            parts = [(line.strip(), number)]
    close()
    return blocks


def _continues(previous: str, line: str, role: Role, indent: int) -> bool:
    """Whether `line` carries on the block whose last line is `previous` (hard-wrapped text)."""
    if role is Role.ITEM and len(line) - len(line.lstrip()) > indent:
        return True
    if _TERMINAL.search(previous):
        return False
    first = line.lstrip()[:1]
    # A short line without a full stop followed by a capitalised one is a heading and its
    # paragraph; a long one is a paragraph wrapped by the author's editor.
    return first.islower() or first.isdigit() or len(previous.split()) > 10


def _make_block(role: Role, parts: list[tuple[str, int]], indent: int) -> Block:
    text, starts = "", []
    for part, number in parts:
        if text:
            text += " "
        starts.append((len(text), number))
        text += part
    if role is Role.TEXT and _BOILERPLATE.search(text):
        role = Role.SKIP
    elif role is Role.TEXT and len(parts) == 1 and _looks_like_heading(text):
        role = Role.HEADING
    return Block(role, text, tuple(starts), indent)


def _looks_like_heading(text: str) -> bool:
    words = text.split()
    return (
        len(words) <= 12
        and len(text) <= 90
        and not _TERMINAL.search(text)
        and not text[0].islower()
    )


def sentences(block: Block) -> Iterator[Span]:
    """The sentences of a block, each as a span of its text."""
    start = 0
    for match in _SENTENCE_END.finditer(block.text):
        before = block.text[: match.start() + 1]
        if _ABBREVIATION.search(before) and not (
            _ROMAN_END.search(before) and _OPENER.match(block.text[match.end() :])
        ):
            continue  # "U.S. Foreign Military Sales" goes on: an abbreviation, not an end
        yield _trimmed(block, start, match.start() + 1)
        start = match.end()
    if start < len(block.text):
        yield _trimmed(block, start, len(block.text))


def _trimmed(block: Block, start: int, end: int) -> Span:
    text = block.text
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] in ",;:\u2013\u2014-"):
        end -= 1
    return Span(block, start, end)


def clauses(sentence: Span) -> list[Span]:
    """The clauses of a sentence, in order, covering its words."""
    pieces, start = [], sentence.start
    for match in _CLAUSE_BREAK.finditer(sentence.text):
        text = sentence.block.text
        before = text[start : sentence.start + match.start()]
        after = text[sentence.start + match.end() :]
        if _in_a_list(match, before, after):
            continue  # "peace, security, and stability": a list, not a new clause
        pieces.append(_trimmed(sentence.block, start, sentence.start + match.start()))
        start = sentence.start + match.end()
    pieces.append(_trimmed(sentence.block, start, sentence.end))
    return [piece for piece in pieces if piece.end > piece.start]


def _in_a_list(match: re.Match[str], before: str, after: str) -> bool:
    """Whether a comma before `and`/`or` ends a list's last item rather than a clause."""
    return (
        match.group().startswith(",")
        and re.match(r"(?:and|or)\b", after) is not None
        and "," in before
        and len(before.rsplit(",", 1)[1].split()) <= 4
    )


def main_clause(sentence: Span) -> Span | None:
    """The longest opening of a long sentence that is a clause of its own, or None.

    "IBET is an example of ... core agencies, which include ..." gives "IBET is an example of
    ... core agencies": the opening ends where a break (", which", "; ", " and is"...) starts a
    clause leaning on it, never at a colon or inside brackets or quotes, and holds between
    MIN_CLAUSE_WORDS and MAX_SENTENCE_WORDS words. A card shows it with a full stop.
    """
    text = sentence.block.text
    best = None
    breaks = [*_CLAUSE_BREAK.finditer(sentence.text), *_PURPOSE_BREAK.finditer(sentence.text)]
    for match in sorted(breaks, key=lambda found: found.start()):
        end = sentence.start + match.start()
        before, after = text[sentence.start : end], text[sentence.start + match.end() :]
        if ":" in match.group() or _in_a_list(match, before, after):
            continue
        if after.startswith("to ") and TAKES_TO.search(before.rstrip()):
            continue  # "agreed to create": the verb needs what follows
        span = _trimmed(sentence.block, sentence.start, end)
        if span.words() > MAX_SENTENCE_WORDS:
            break
        opened = span.text.count("(") != span.text.count(")") or span.text.count('"') % 2
        if span.words() >= MIN_CLAUSE_WORDS and not opened:
            best = span
    return best


def clip(sentence: Span, start: int, end: int) -> Span:
    """The clause of `sentence` around the fact at `start:end`, widened or cut to a card's size.

    A sentence short enough for a card is kept whole. Of a longer one, a clause too short to
    make sense alone takes in its neighbours; a long one is cut at a preposition or comma, never
    inside the fact (such cuts are fragments that `quality` then turns away).
    """
    if sentence.words() <= MAX_SENTENCE_WORDS:
        return _trimmed(sentence.block, sentence.start, sentence.end)
    opening = main_clause(sentence)
    if opening is not None and opening.start <= start and end <= opening.end:
        return opening
    parts = clauses(sentence)

    def holding(offset: int) -> int:
        return next((i for i, part in enumerate(parts) if offset < part.end), len(parts) - 1)

    first, last = holding(start), max(holding(start), holding(end - 1))
    while _words(sentence.block, parts[first].start, parts[last].end) < MIN_CLAUSE_WORDS:
        if last + 1 < len(parts):
            last += 1
        elif first > 0:
            first -= 1
        else:
            break
    # "..., including X": a clause that leans on the one before takes it in, when it fits.
    if (
        first > 0
        and _DEPENDENT.match(parts[first].text)
        and _words(sentence.block, parts[first - 1].start, parts[last].end) <= MAX_CLAUSE_WORDS
    ):
        first -= 1
    span = Span(sentence.block, parts[first].start, parts[last].end)
    span = _cut_long(span, start, end)
    joiner = _LEADING_JOINER.match(span.text)
    if joiner and span.start + joiner.end() <= start:
        span = Span(span.block, span.start + joiner.end(), span.end)
    return _trimmed(span.block, span.start, span.end)


def _words(block: Block, start: int, end: int) -> int:
    return len(block.text[start:end].split())


def _cut_long(span: Span, start: int, end: int) -> Span:
    """Cut `span` to at most MAX_CLAUSE_WORDS words, keeping the fact at `start:end`.

    It keeps the sentence's opening when it can, else starts after the comma nearest the fact,
    and ends before the last preposition that leaves it short enough.
    """
    if span.words() <= MAX_CLAUSE_WORDS:
        return span
    text = span.block.text
    words = [m.span() for m in re.finditer(r"\S+", text[span.start : span.end])]
    words = [(span.start + a, span.start + b) for a, b in words]
    fact_first = min(i for i, (_, b) in enumerate(words) if b > start)
    fact_last = max(i for i, (a, _) in enumerate(words) if a < end)
    heads = [0] + [i for i in range(1, fact_first + 1) if text[words[i - 1][1] - 1] in ",;:\u201d"]
    tails, depth = [], 0
    for i, (a, b) in enumerate(words):
        word = text[a:b]
        if i > fact_last and depth == 0 and word.strip(",;") in _CUT_BEFORE:
            following = text[words[i + 1][0]] if i + 1 < len(words) else ""
            # "and ranks among" starts a second statement; "and American forces" goes on.
            if word != "and" or following.islower():
                tails.append(i)
        depth = max(0, depth + word.count("(") - word.count(")"))
    tails.append(len(words))
    # The sentence's own opening first, as it names what the sentence is about; failing that,
    # the comma nearest the fact.
    heads = [0] + sorted(heads[1:], reverse=True)
    for shortest in (TARGET_CLAUSE_WORDS, MIN_CLAUSE_WORDS):
        for head in heads:
            for tail in reversed(tails):
                if shortest <= tail - head <= MAX_CLAUSE_WORDS:
                    return _without_dangling(
                        Span(span.block, words[head][0], words[tail - 1][1]), end
                    )
    # Nothing natural to cut at: keep a window of words around the fact.
    first = max(0, min(fact_first - 6, len(words) - MAX_CLAUSE_WORDS))
    window = words[first : first + MAX_CLAUSE_WORDS]
    return Span(span.block, window[0][0], window[-1][1])


def _without_dangling(span: Span, fact_end: int) -> Span:
    """Drop the stub a cut leaves after the fact: "..., supported", "... and sets out"."""
    text = span.block.text
    comma = text.rfind(",", fact_end, span.end)
    if comma != -1 and len(text[comma + 1 : span.end].split()) == 1:
        return Span(span.block, span.start, comma)
    joiner = max(text.rfind(" and ", fact_end, span.end), text.rfind(" or ", fact_end, span.end))
    if joiner != -1 and len(text[joiner : span.end].split()) <= 3:
        return Span(span.block, span.start, joiner)
    return span


def title(blocks: list[Block]) -> str:
    """The document's title: its first non-empty line that is not page furniture."""
    for block in blocks:
        if block.role is not Role.SKIP:
            ends = [start for start, _ in block.starts[1:]]
            return block.text[: ends[0]].strip() if ends else block.text
    return ""
