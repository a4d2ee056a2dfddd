"""A deck file cut at its entries, each entry's bytes hashed, so that a re-read parses only the
entries that changed.

Every line that begins a card (`Q:`, `C:`, `True:`, `False:`) begins an entry, whatever came
before it: the parser starts afresh there. So the bytes from one such line to the next are read
the same wherever they stand, and an entry whose bytes are unchanged gives the same cards (given
the same front matter and the same cloze keys shared between entries, which the caller checks).
The head (front matter and any text before the first entry) must be unchanged as well.
"""

from __future__ import annotations

import math
import re
from array import array
from bisect import bisect_right
from collections.abc import Callable
from dataclasses import dataclass, field

from xxhash import xxh3_64_digest

from trainer.core.deckfile import DeckMarks

_SPACE = (
    rb"[\t\n\x0b\x0c\r\x1c-\x1f ]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]"
    rb"|\xe2\x81\x9f|\xe3\x80\x80"
)
"""What `\\s` matches in a `str` pattern, as UTF-8 bytes (a test checks every code point)."""
CARD_LINE = re.compile(rb"(?:Q|C|True|False):(?:" + _SPACE + rb"|\Z)")
"""`deck_syntax.CARD_START` on the bytes of a line."""
_NEXT_ENTRY = re.compile(rb"\n(?=" + CARD_LINE.pattern + rb")")
BOM = b"\xef\xbb\xbf"
NO_CLOZE = " " * 12
"""The cloze key of an entry that has none (keys are 12 hex digits)."""
_LOOK_AHEAD = 64
"""How many stored entries ahead a changed stretch may end (an entry moved further is parsed)."""
_CHUNK_ENDS = {
    size: bytes(1 if byte < 256 // size else 0 for byte in range(256))
    for size in (4, 8, 16, 32, 64, 128)
}
"""Per chunk size, a table marking the first bytes of the hashes of the entries that end a chunk
of that size (on average): below 64 for chunks of 4 entries, below 2 for chunks of 128."""


digest: Callable[[bytes | memoryview], bytes] = xxh3_64_digest
"""The stored hash of an entry's (or a chunk's) bytes: 64 bits of XXH3, which hashes a deck
ten times faster than SHA-1 did (a re-sync hashes every byte of the file it compares). The
library's function itself, not a wrapper: a re-sync calls it for every chunk."""


@dataclass
class Layout:
    """A deck file's entries as stored: the head, then per entry its hash, size in bytes, lines,
    cards and cloze key, in file order (columns, so that slices of them are cheap)."""

    head_size: int
    head_lines: int
    head_digest: bytes
    front_size: int = 0
    """Bytes of the front matter (0 without one): text after it may change, not it."""
    front_digest: bytes = b""
    digests: bytes = b""
    sizes: array = field(default_factory=lambda: array("I"))
    lines: array = field(default_factory=lambda: array("I"))
    counts: array = field(default_factory=lambda: array("I"))
    bases: str = ""
    """Each entry's cloze key (or `NO_CLOZE`) followed by `|`: counted with `str.count`."""
    chunks: bytes = b""
    """The hash of each chunk's bytes (see `chunk_ends`), so unchanged runs are read at once."""

    def __len__(self) -> int:
        return len(self.sizes)


def layout_of(raw: bytes, deck_marks: DeckMarks) -> Layout | None:
    """The layout of a parsed deck file's bytes; None when two entries are byte for byte alike."""
    marks = deck_marks.entries
    if not marks:
        return None
    front = -1
    for _ in range(deck_marks.body_line - 1):
        front = raw.index(b"\n", front + 1)
    front += 1
    # Every card line of the body begins an entry (those in the front matter, a TOML string,
    # do not): the entries begin at the card lines from the body on.
    found = [m.end() for m in _NEXT_ENTRY.finditer(raw, max(front - 1, 0))]
    first = len(BOM) if front == 0 and raw.startswith(BOM) else front
    if CARD_LINE.match(raw, first) and (not found or found[0] != first):
        found.insert(0, first)
    if len(found) != len(marks) or raw.count(b"\n", 0, found[0]) != marks[0].line - 1:
        return None
    ends = found[1:] + [len(raw)]
    layout = Layout(
        found[0], marks[0].line - 1, digest(raw[: found[0]]), front, digest(raw[:front])
    )
    lines = [b.line - a.line for a, b in zip(marks, marks[1:])]
    lines.append(raw.count(b"\n", found[-1]))
    layout.digests = b"".join(digest(raw[a:b]) for a, b in zip(found, ends))
    layout.sizes = array("I", (b - a for a, b in zip(found, ends)))
    layout.lines = array("I", lines)
    layout.counts = array("I", (mark.cards for mark in marks))
    layout.bases = "".join(f"{mark.cloze_base or NO_CLOZE}|" for mark in marks)
    if len({layout.digests[i : i + 8] for i in range(0, len(layout.digests), 8)}) != len(marks):
        return None
    layout.chunks = chunk_digests(raw, layout)
    return layout


def chunk_ends(digests: bytes) -> list[int]:
    """Where the chunks of a deck's entries end (exclusive entry indexes, the last included).

    A chunk ends after an entry whose hash begins with a small byte: the bounds follow the
    entries' content, so an edit leaves every chunk but its own as it was. The larger the deck,
    the longer its chunks (about the square root of a quarter of its entries): a re-sync hashes
    every unchanged chunk and each entry of the chunks an edit falls in. (The list is shared
    by the calls on the same bytes: not to be changed.)
    """
    for known, ends in _recent_ends:
        if known is digests:
            return ends
    count = len(digests) // 8
    # The hashes' first bytes marked (1) where a chunk ends: one `find` a chunk, not a regular
    # expression's test of every entry (a deck of 20,000 entries a few times a re-sync).
    marks = digests[0::8].translate(_CHUNK_ENDS[chunk_size(count)])
    ends = []
    at = marks.find(1)
    while at >= 0:
        ends.append(at + 1)
        at = marks.find(1, at + 1)
    if not ends or ends[-1] != count:
        ends.append(count)
    _recent_ends[:] = [(digests, ends), *_recent_ends[:1]]
    return ends


_recent_ends: list[tuple[bytes, list[int]]] = []
"""The last two `chunk_ends` asked for (a re-sync's layouts before and after): the digests
(the same object) and the answer."""


def chunk_size(count: int) -> int:
    """About how many entries a chunk of a deck of `count` entries holds (see `chunk_ends`)."""
    return 1 << min(7, max(2, round(math.log2(max(count, 4) / 4) / 2)))


def chunk_spans(layout: Layout) -> list[int]:
    """The bytes of each chunk of `layout` (see `chunk_ends`); shared as `chunk_ends` is."""
    digests, sizes = layout.digests, layout.sizes
    for known, known_sizes, count, spans in _recent_spans:
        if known is digests and known_sizes is sizes and count == len(sizes):
            return spans
    ends = chunk_ends(digests)
    spans = [sum(sizes[a:b]) for a, b in zip([0, *ends], ends)]
    _recent_spans[:] = [(digests, sizes, len(sizes), spans), *_recent_spans[:1]]
    return spans


_recent_spans: list[tuple[bytes, array, int, list[int]]] = []
"""The last two `chunk_spans` asked for: the digests and sizes (the same objects, the sizes as
long as they were) and the answer."""


def chunk_digests(
    raw: bytes, layout: Layout, kept: tuple[Layout, dict[int, tuple[int, int]]] | None = None
) -> bytes:
    """The hash of each chunk of `layout` in `raw`, but those `kept` from another layout: by
    the index of the first chunk of a run, the run of that layout's chunks (first, end) it is,
    whose hashes and spans carry over. Hashing the others again costs less than finding which
    are the same (XXH3 takes a 3 MB deck in a fraction of a millisecond). Only the other
    chunks' entries are read."""
    old, runs = kept if kept else (layout, {})
    spans = chunk_spans(layout) if not runs else None  # with chunks kept, the others alone
    old_spans = chunk_spans(old) if runs else []
    ends = chunk_ends(layout.digests)
    starts = [0, *ends]
    view, at, sizes = memoryview(raw), layout.head_size, layout.sizes
    hashes, found = [], []
    index = 0
    while index < len(ends):
        run = runs.get(index)
        if run is None:
            span = sum(sizes[starts[index] : ends[index]]) if spans is None else spans[index]
            hashes.append(digest(view[at : at + span]))
            found.append(span)
            at += span
            index += 1
            continue
        first, end = run
        hashes.append(old.chunks[8 * first : 8 * end])
        found.extend(old_spans[first:end])
        at += sum(old_spans[first:end])
        index += end - first
    if spans is None:  # the next re-sync compares the file with this layout: spans known
        _recent_spans[:] = [(layout.digests, sizes, len(sizes), found), *_recent_spans[:1]]
    return b"".join(hashes)


def entry_begins(raw: bytes, at: int) -> bool:
    """Whether an entry begins at byte `at` (or the file ends there)."""
    if at == len(raw):
        return True
    line_start = at == 0 or raw[at - 1] == 10 or (at == len(BOM) and raw.startswith(BOM))
    return line_start and CARD_LINE.match(raw, at) is not None


@dataclass
class Kept:
    """Stored entries `first` to `end` (exclusive), unchanged, now `lines` lines further down."""

    first: int
    end: int
    lines: int


@dataclass
class Fresh:
    """An entry not stored before (or changed): its bytes and its first line."""

    start: int
    end: int
    line: int


@dataclass
class Comparison:
    """A deck file's new bytes against its stored layout, in the new file's order."""

    pieces: list[Kept | Fresh]
    gone: list[tuple[int, int]]
    """Runs of stored entries (first, end) the file no longer has."""
    head: tuple[int, int]
    """Bytes and lines before the first entry now."""
    stray: Fresh | None = None
    """The text between the front matter and the first entry, when it changed: to be checked."""


def compare(raw: bytes, layout: Layout) -> Comparison | None:
    """Which stored entries the new bytes keep and which entries are new.

    None when the head changed (front matter or the text before the first entry): the whole
    file must be parsed. An entry is kept when its bytes are found where the entries before it
    end, or a few entries later (what lies between is gone); otherwise the bytes up to the next
    card line are a fresh entry.
    """
    head, stray = layout.head_size, None
    if len(layout) == 0:
        return None
    if digest(raw[:head]) != layout.head_digest or not entry_begins(raw, head):
        front = layout.front_size
        if not front or digest(raw[:front]) != layout.front_digest:
            return None
        found = _NEXT_ENTRY.search(raw, front - 1)
        if found is None:
            return None
        head = found.end()
        stray = Fresh(front, head, raw.count(b"\n", 0, front) + 1)
    head_lines = raw.count(b"\n", 0, head) if stray else layout.head_lines
    view = memoryview(raw)
    digests, sizes, lines, count = layout.digests, layout.sizes, layout.lines, len(layout)
    size = len(raw)
    ends = chunk_ends(digests)
    starts = [0, *ends[:-1]]
    spans = chunk_spans(layout)
    chunk_at = {begin: index for index, begin in enumerate(starts)}
    """Which chunk begins at each stored entry that begins one."""
    # The chunks left as they were at the end of the file, found from its end: an edit in one
    # place keeps all that follows, so the walk below stops where they begin.
    tail_entry, tail_at = count, size
    stored_chunks, card_line = layout.chunks, CARD_LINE.match
    for index in range(len(ends) - 1, -1, -1):
        begin_at = tail_at - spans[index]
        # (`entry_begins` inlined: this runs for every chunk. The chunk's bytes, as stored,
        # begin with a card line; an entry begins there if that is the head, checked above, or
        # a line's start.)
        if (
            begin_at < head
            or not stored_chunks.startswith(digest(view[begin_at:tail_at]), 8 * index)
            or (begin_at > head and raw[begin_at - 1] != 10)
        ):
            break
        tail_entry, tail_at = starts[index], begin_at
    pieces: list[Kept | Fresh] = []
    gone: list[tuple[int, int]] = []
    at, entry, line = head, 0, head_lines + 1
    before = layout.head_lines
    """The lines before stored entry `entry` when it was stored."""
    while at < tail_at:
        starting = chunk_at.get(entry)
        if starting is not None:  # whole chunks unchanged: one hash for a few dozen entries
            # The chunks unchanged one after another, then their entries kept at once.
            first = entry
            while starting < len(ends):
                chunk_end, end = ends[starting], at + spans[starting]
                if not (
                    chunk_end <= tail_entry
                    and end <= tail_at
                    and stored_chunks.startswith(digest(view[at:end]), 8 * starting)
                    # (`entry_begins` inlined, as below: past the head, an entry begins at a
                    # line's start)
                    and (end == size or (raw[end - 1] == 10 and card_line(raw, end) is not None))
                ):
                    break
                at, entry, starting = end, chunk_end, starting + 1
            if entry > first:
                _extend(pieces, first, entry, line - 1 - before)
                spanned = sum(lines[first:entry])
                line, before = line + spanned, before + spanned
                if at >= tail_at:
                    break
        if entry < tail_entry:
            # The entries up to the next chunk found one after another as stored, in one loop:
            # each is followed by the next one's bytes (a card line after its newline), the
            # last is checked to be followed by an entry's start.
            stop, end = min(ends[bisect_right(ends, entry)], tail_entry), at
            run = entry
            while run < stop:
                after = end + sizes[run]
                if after > tail_at or not digests.startswith(digest(view[end:after]), 8 * run):
                    break
                end, run = after, run + 1
            if run > entry and not entry_begins(raw, end):
                run -= 1
                end -= sizes[run]
            if run > entry:
                _extend(pieces, entry, run, line - 1 - before)
                spanned = sum(lines[entry:run])
                line, before = line + spanned, before + spanned
                at, entry = end, run
                continue
        found = _NEXT_ENTRY.search(raw, at)
        end = found.end() if found else size
        later = _find(digests, digest(view[at:end]), entry, min(tail_entry, entry + _LOOK_AHEAD))
        if later is None:
            pieces.append(Fresh(at, end, line))
            line += raw.count(b"\n", at, end)
            at = end
            continue
        gone.append((entry, later))
        before += sum(lines[entry:later])
        entry = later  # matched again on the next turn
    if tail_entry < count:
        gone.append((entry, tail_entry))
        before += sum(lines[entry:tail_entry])
        _extend(pieces, tail_entry, count, line - 1 - before)
        entry = count
    if entry < count:
        gone.append((entry, count))
    gone = [(first, end) for first, end in gone if end > first]
    return Comparison(pieces, gone, (head, head_lines), stray)


def _extend(pieces: list[Kept | Fresh], first: int, end: int, lines: int) -> None:
    last = pieces[-1] if pieces else None
    if isinstance(last, Kept) and last.end == first and last.lines == lines:
        last.end = end
    else:
        pieces.append(Kept(first, end, lines))


def _find(digests: bytes, wanted: bytes, first: int, end: int) -> int | None:
    at = digests.find(wanted, 8 * first, 8 * end)
    while at >= 0 and at % 8:
        at = digests.find(wanted, at + 1, 8 * end)
    return None if at < 0 else at // 8
