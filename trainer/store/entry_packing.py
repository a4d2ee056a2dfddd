"""A stored row of a deck's entries in few bytes (`deck_entry_chunks`' `numbers` and `keys`,
migration m021).

The entries' sizes, lines and card counts were 4-byte numbers each, their cards' ids 8 bytes
each, and their cloze keys 13 characters each, mostly spaces (`deck_blocks.NO_CLOZE`): 3.7 MB
at 100,000 cards. A row now keeps each column of numbers in as many bytes a number as its
largest needs (a count or a line count in one byte, a size in two, an id in three) and writes
each entry without a cloze key as one character: 1.8 MB, hashes included. Packing and
unpacking cut and join bytes with slices, at C speed (compressing the rows instead cost a
re-sync 0.3 ms more).
"""

from __future__ import annotations

from collections.abc import Sequence

from trainer.core.deck_blocks import NO_CLOZE

_NO_KEY = NO_CLOZE + "|"
"""How an entry without a cloze key stands in `Layout.bases`."""
_NO_KEY_PACKED = "."
"""How it is packed: cloze keys are hexadecimal (`core.identity.question_key`), never a dot."""
_NUMBERS = 3
"""Columns of 4-byte numbers, one number an entry: sizes, lines, counts."""


def packed_row(
    sizes: bytes, lines: bytes, counts: bytes, bases: str, card_ids: bytes
) -> tuple[bytes, str]:
    """A row's columns other than its hashes (4-byte and, for the ids, 8-byte little-endian
    numbers; the cloze keys as `Layout.bases` has them), as `deck_entry_chunks` holds them:
    its numbers (`numbers`), then its cloze keys (`keys`)."""
    columns = [_narrow(column, 4) for column in (sizes, lines, counts)]
    columns.append(_narrow(card_ids, 8))
    widths = bytes(width for width, _ in columns)
    numbers = b"".join([widths, *(data for _, data in columns)])
    return numbers, bases.replace(_NO_KEY, _NO_KEY_PACKED)


def packed_chunk_row(row: tuple) -> tuple:
    """A row of `deck_entry_chunks` with each column by itself, (deck_id, seq, digests, sizes,
    lines, counts, bases, chunks, card_ids) as migration m019 stored it, as m021 stores it:
    (deck_id, seq, digests, chunks, numbers, keys)."""
    deck_id, seq, digests, sizes, lines, counts, bases, chunks, card_ids = row
    return deck_id, seq, digests, chunks, *packed_row(sizes, lines, counts, bases, card_ids)


def unpacked_rows(rows: Sequence[tuple[int, bytes, str]]) -> tuple[list[bytes], str, list[int]]:
    """The columns of `rows` (each: how many entries, its `numbers` and `keys`), joined in
    order: the sizes, lines, counts and card ids as `packed_row` was given them; the cloze keys;
    and how many cards each row holds."""
    pieces: list[list[tuple[int, bytes]]] = [[] for _ in range(_NUMBERS + 1)]
    cards = []
    for entries, numbers, _ in rows:
        at = _NUMBERS + 1
        for column in range(_NUMBERS):
            width = numbers[column]
            pieces[column].append((width, numbers[at : at + width * entries]))
            at += width * entries
        pieces[_NUMBERS].append((numbers[_NUMBERS], numbers[at:]))
        cards.append((len(numbers) - at) // numbers[_NUMBERS])
    columns = [_joined(column, 4) for column in pieces[:_NUMBERS]]
    columns.append(_joined(pieces[_NUMBERS], 8))
    keys = "".join(row[2] for row in rows).replace(_NO_KEY_PACKED, _NO_KEY)
    return columns, keys, cards


def _joined(pieces: list[tuple[int, bytes]], full: int) -> bytes:
    """Narrow pieces of a column, widened to `full` bytes a number and joined (widened once
    when they are all as narrow: most decks' rows are)."""
    if len({width for width, _ in pieces}) == 1:
        return _widened(b"".join(data for _, data in pieces), pieces[0][0], full)
    return b"".join(_widened(data, width, full) for width, data in pieces)


def _narrow(data: bytes, full: int) -> tuple[int, bytes]:
    """Little-endian numbers of `full` bytes each in the fewest bytes each that hold them all."""
    count = len(data) // full
    width = 1
    # A number fits in `width` bytes when its higher bytes are all zero.
    while width < full and any(data[byte::full].strip(b"\0") for byte in range(width, full)):
        width += 1
    if width == full:
        return full, data
    narrow = bytearray(count * width)
    for byte in range(width):
        narrow[byte::width] = data[byte::full]
    return width, bytes(narrow)


def _widened(data: bytes, width: int, full: int) -> bytes:
    """`_narrow`'s numbers back in `full` bytes each."""
    if width == full:
        return data
    wide = bytearray(len(data) // width * full)
    for byte in range(width):
        wide[byte::full] = data[byte::width]
    return bytes(wide)
