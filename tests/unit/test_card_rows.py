"""A card's stored row: its details are the JSON `json.dumps` would write (without spaces)."""

from __future__ import annotations

import json

from hypothesis import given
from hypothesis import strategies as st

from trainer.core.cards import Card, Choice, Citation, Kind
from trainer.store.card_rows import WRITTEN, card_row, written

TEXT = st.text(max_size=20)


def detail_json(card: Card, compact: bool = False) -> str:
    """The card's details as `json.dumps` writes them, as the rows were first written
    (`compact`: without spaces, as they are since migration m020)."""
    detail: dict = {}
    if card.accepted:
        detail["accepted"] = list(card.accepted)
    if card.choices:
        detail["choices"] = [[choice.text, choice.correct] for choice in card.choices]
    for name in ("hint", "note", "text"):
        if getattr(card, name):
            detail[name] = getattr(card, name)
    if card.source:
        detail["source"] = [card.source.document, card.source.first_line, card.source.last_line]
    return json.dumps(detail, separators=(",", ":") if compact else None)


@given(
    accepted=st.lists(TEXT, max_size=3),
    choices=st.lists(st.tuples(TEXT, st.booleans()), max_size=3),
    hint=TEXT,
    note=TEXT,
    text=TEXT,
    source=st.none() | st.tuples(TEXT, st.integers(1, 10**9), st.integers(1, 10**9)),
)
def test_details_are_written_as_json_dumps_writes_them(accepted, choices, hint, note, text, source):
    card = Card(
        "k1", Kind.TYPED, "Q?", "A", 3, accepted=tuple(accepted),
        choices=tuple(Choice(t, c) for t, c in choices), hint=hint, note=note, text=text,
        source=Citation(*source) if source else None,
    )  # fmt: skip
    row = card_row(card, "k1", 7, 0, 0)
    assert row[7] == detail_json(card, compact=True)
    assert json.loads(row[7]).get("note", "") == note


def test_a_row_names_what_a_sync_compares():
    card = Card("k1", Kind.BASIC, 'Où est "Paris"?', "En France", 12, tags=("geo",))
    row = card_row(card, "k1@geo", 7, 4, 99)
    assert dict(zip(WRITTEN, written(row))) == {
        "position": 4, "line": 12, "kind_code": 0, "prompt": "Où est \"Paris\"?",
        "answer": "En France", "detail": "{}", "tag_set": '["geo"]', "entry_key": "",
    }  # fmt: skip
