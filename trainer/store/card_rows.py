"""A card's row as a sync writes it, and writing a deck's rows: inserted, updated or left."""

from __future__ import annotations

import functools
import json
from json.encoder import encode_basestring_ascii as _quoted

from trainer.core.cards import Card, Kind
from trainer.core.cloze import filled
from trainer.core.identity import sibling_group
from trainer.store.card_codes import KIND_CODES, tag_set_ids

_COLUMNS = (
    "key, deck_id, position, line, kind_code, prompt, answer, detail, tag_set, created, entry_key"
)
"""The columns of a row of `card_row`, in its order."""
_INSERT = f"INSERT INTO cards ({_COLUMNS}) VALUES ({', '.join('?' * 11)})"
_UPDATE = (
    "UPDATE cards SET deck_id = ?, position = ?, line = ?, kind_code = ?, prompt = ?, "
    "answer = ?, detail = ?, tag_set = ?, retired = 0, entry_key = ? WHERE key = ?"
)


def write_rows(db, rows: list[tuple], fresh: list[bool], stored: dict[str, tuple]) -> None:
    """Insert the rows marked fresh (keys no card has) and update the others by key.

    `stored` holds the `written` values of the deck's cards as stored (not retired): such a card
    is updated in the columns that differ only, and not at all when none does. Editing an answer
    so writes the answer alone, leaving the indexes on the other columns untouched. The rows
    name their tags (`card_row`); they are stored as the number of their set (`store.card_codes`).
    """
    ids = tag_set_ids(db.conn, {row[8] for row in rows})
    rows = [(*row[:8], ids[row[8]], *row[9:]) for row in rows]
    db.conn.executemany(_INSERT, [row for row, is_fresh in zip(rows, fresh) if is_fresh])
    updates: dict[tuple[int, ...], list[tuple]] = {}
    for row, is_fresh in zip(rows, fresh):
        if is_fresh:
            continue
        before = stored.get(row[0])
        if before is None:  # in another deck, or retired: the whole row is the file's now
            updates.setdefault((), []).append((*row[1:9], row[10], row[0]))
            continue
        now = written(row)
        differ = tuple(index for index in range(len(WRITTEN)) if before[index] != now[index])
        if differ:
            updates.setdefault(differ, []).append((*(now[i] for i in differ), row[0]))
    unindexed: list[tuple[tuple[int, ...], tuple]] = []
    for differ, values in updates.items():
        # The others exist already: an update by key keeps their ids (and their position order).
        if not differ:
            db.conn.executemany(_UPDATE, values)
        elif _INDEXED.isdisjoint(differ):
            unindexed.extend((differ, row) for row in values)
        else:
            _update_in_cases(db.conn, [(differ, row) for row in values])
    # Cards whose changes touch no index, whatever columns they are (one edited answer, another
    # card's question): one statement, so the text index writes one segment for them all.
    _update_in_cases(db.conn, unindexed)


def _update_in_cases(conn, changes: list[tuple[tuple[int, ...], tuple]]) -> None:
    """Update cards by key in the columns each differs in (`WRITTEN` indexes; the row is those
    columns' values, then its key), a few dozen cards to a statement.

    One statement for many cards, not one each: the text index (its triggers) then writes one
    segment for the statement, not one per card edited (each statement flushes it). A column
    is set only in the cards that differ in it (the others keep theirs), so a statement for
    cards that change different columns rewrites the indexes of every column named: such cards
    share one only where their columns are in no index (`_INDEXED`).
    """
    for start in range(0, len(changes), _AT_ONCE):
        part = changes[start : start + _AT_ONCE]
        sets: list[str] = []
        values: list[object] = []
        for column in sorted({column for differ, _ in part for column in differ}):
            name = WRITTEN[column]
            whens = [(row[-1], row[differ.index(column)]) for differ, row in part
                     if column in differ]  # fmt: skip
            cases = " ".join(["WHEN ? THEN ?"] * len(whens))
            everyone = len(whens) == len(part)
            sets.append(f"{name} = CASE key {cases} {'' if everyone else f'ELSE {name} '}END")
            values.extend(value for when in whens for value in when)
        keys = [row[-1] for _, row in part]
        conn.execute(
            f"UPDATE cards SET {', '.join(sets)} WHERE key IN ({', '.join('?' * len(part))})",
            values + keys,
        )


_AT_ONCE = 50
"""Cards updated in one statement: each row looks its values up among theirs."""


WRITTEN = ("position", "line", "kind_code", "prompt", "answer", "detail", "tag_set", "entry_key")
"""What a card's row takes from the file besides its key, deck and `created`: a stored card of
the deck (not retired) is updated in those of these that differ. Keep `written` alike."""
_INDEXED = frozenset(WRITTEN.index(name) for name in ("position", "kind_code", "tag_set"))
"""The columns of `WRITTEN` that an index of the cards holds (`cards_new`, `cards_by_deck`)."""


def written(row: tuple) -> tuple:
    """The values of `WRITTEN` in a row of `card_row`."""
    return (*row[2:9], row[10])


def row_key(row: tuple) -> str:
    """The key a row of `card_row` is stored under."""
    return row[0]


def card_row(
    card: Card, key: str, deck_id: int, position: int, created: int, line: int | None = None
) -> tuple:
    """The card's row, its columns in the order of `_COLUMNS` (but its tags as their JSON text,
    which `write_rows` stores as their set's number); `line` is what `cards.line` holds when it
    is not the card's line (less its deck's line shift, `store.card_places`). `entry_key` is
    empty where it is what the key says (`sibling_group`), as it mostly is."""
    group = sibling_group(key)
    return (
        key,
        deck_id,
        position,
        card.line if line is None else line,
        KIND_CODES[card.kind.value],
        card.prompt,
        card.answer,
        _detail(card),
        _tags_json(card.tags),
        created,
        "" if card.entry_key in ("", group) else card.entry_key,
    )


def _detail(card: Card) -> str:
    """`json.dumps` of the card's details without spaces (`separators=(",", ":")`), written out
    by hand: it ran once per card, and this is three times faster (a test checks the two agree).
    A cloze's text is left out where its question and answer give it (`cloze.filled`), as they
    mostly do; `rows` fills it in."""
    parts = []
    if card.accepted:
        parts.append('"accepted":[' + ",".join(map(_quoted, card.accepted)) + "]")
    if card.choices:
        choices = (f"[{_quoted(c.text)},{'true' if c.correct else 'false'}]" for c in card.choices)
        parts.append('"choices":[' + ",".join(choices) + "]")
    if card.hint:
        parts.append('"hint":' + _quoted(card.hint))
    if card.note:
        parts.append('"note":' + _quoted(card.note))
    if card.text if card.kind is not Kind.CLOZE else card.text != filled(card.prompt, card.answer):
        parts.append('"text":' + _quoted(card.text))
    if card.source:
        source = card.source
        parts.append(f'"source":[{_quoted(source.document)},{source.first_line},'
                     f"{source.last_line}]")  # fmt: skip
    return "{" + ",".join(parts) + "}"


@functools.lru_cache(maxsize=1024)
def _tags_json(tags: tuple[str, ...]) -> str:
    # Most cards carry just their deck's tags: encode each set once, not once per card.
    return json.dumps(list(tags))
