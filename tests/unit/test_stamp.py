"""`trainer check --stamp`: writing `Id:` lines that keep every card's identity and progress."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from click.testing import CliRunner

from trainer.cli import cli
from trainer.core.deckfile import load_deck, parse_deck
from trainer.core.grading import Rating
from trainer.core.stamp import stamp_ids
from trainer.store.store import Store

DECK = """\
+++
name = "NORAD"
+++

# History

Q: In what year did Canada and the United States form NORAD?
T: 1958
Source: doc.txt:7

Q: Read this:

"The parties agree."
What did they agree to?
A: To set up a joint command.

It was signed in May.

Note: A note

on two paragraphs.

Q: NORAD
A: North American Aerospace Defense Command
Reverse: yes
Tags: acronyms
---
Author's notes, not a card.

C: NORAD was formed in [1958::year] and is the only [binational]
military command.

Q: Which are Five Eyes members?
- [x] Canada
- [ ] Latvia
True: NORAD was formally established in 1958.
Q: Already stamped
A: yes
Id: kept-as-is
"""


def stamp(path: Path) -> str:
    result = CliRunner().invoke(cli, ["check", "--stamp", str(path)])
    assert result.exit_code == 0, result.output
    return result.output


def keys(path: Path) -> list[str]:
    return [card.key for card in load_deck(path).cards]


def test_stamp_writes_the_existing_keys_as_ids(write_deck) -> None:
    path = write_deck("norad.md", DECK)
    before = load_deck(path)
    output = stamp(path)
    assert "wrote 6 ids" in output
    after = load_deck(path)
    assert [card.key for card in after.cards] == [card.key for card in before.cards]
    assert [(c.prompt, c.answer) for c in after.cards] == [
        (c.prompt, c.answer) for c in before.cards
    ]
    text = path.read_text(encoding="utf-8")
    assert text.count("Id: ") == 7
    # With ids in place, rewording no longer changes identity.
    reworded = text.replace("In what year did", "When did").replace("formed in", "created in")
    path.write_text(reworded, encoding="utf-8")
    assert keys(path) == [card.key for card in before.cards]


def test_stamp_is_idempotent(write_deck) -> None:
    path = write_deck("norad.md", DECK)
    stamp(path)
    once = path.read_text(encoding="utf-8")
    output = stamp(path)
    assert "wrote" not in output
    assert path.read_text(encoding="utf-8") == once


def test_multi_line_cards_keep_their_text(write_deck) -> None:
    path = write_deck("norad.md", DECK)
    stamp(path)
    text = path.read_text(encoding="utf-8")
    card = next(card for card in load_deck(path).cards if card.prompt.startswith("Read this"))
    assert card.answer == "To set up a joint command.\n\nIt was signed in May."
    assert card.note == "A note\n\non two paragraphs."
    # The id goes after the card's last line, not into the blank lines that follow it.
    assert "on two paragraphs.\nId: " in text
    assert "military command.\nId: " in text
    assert "Author's notes, not a card." in text


def test_stamp_ids_counts_and_leaves_stamped_cards_alone() -> None:
    text = "Q: a\nA: b\nId: mine\n\nQ: c\nA: d\n"
    deck = parse_deck(text, Path("x.md"))
    stamped, count = stamp_ids(text, deck)
    assert count == 1
    assert stamped.startswith("Q: a\nA: b\nId: mine\n\nQ: c\nA: d\nId: ")
    assert stamped.endswith("\n")


def test_bad_deck_is_not_stamped(write_deck) -> None:
    path = write_deck("bad.md", "Q: a\nA: b\n\nQ: no answer\n")
    before = path.read_bytes()
    result = CliRunner().invoke(cli, ["check", "--stamp", str(path)])
    assert result.exit_code == 1
    assert path.read_bytes() == before


def test_progress_survives_stamping(write_deck, tmp_path: Path, now: datetime) -> None:
    path = write_deck("norad.md", DECK)
    store = Store.open(tmp_path / "progress.db")
    try:
        store.sync([path], roots=[path.parent], now=now)
        card_id = store.study_queue(now)[0]
        after_answer = store.record_review(card_id, Rating.GOOD, now)
        stamp(path)
        report = store.sync([path], roots=[path.parent], now=now)
        assert report.added_cards == 0 and report.retired_cards == 0
        assert store.study_card(card_id).progress == after_answer
    finally:
        store.close()
