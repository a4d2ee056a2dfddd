"""Whatever a deck file holds, the parser returns a deck or raises `DeckError`, never crashes."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trainer.core.cards import Deck
from trainer.core.deckfile import DeckError, parse_deck, parse_deck_bytes

PATH = Path("fuzz.md")

words = st.text(
    alphabet=st.sampled_from(list("abcXYZ 019:,.-_[]()\\*#+x%\t\u00e9\u2019")), max_size=20
)
card_keys = st.sampled_from(
    ["Q:", "A:", "T:", "C:", "True:", "False:", "Tags:", "Source:", "Note:", "Id:", "Reverse:"]
    + ["M:", "XY:", "Q:", "C:"]
)
key_lines = st.builds(
    lambda key, sep, rest: f"{key}{sep}{rest}", card_keys, st.sampled_from(["", " ", "  "]), words
)
special_lines = st.sampled_from(
    [
        "",
        "---",
        "+++",
        "# Heading",
        "- [x] right",
        "- [ ] wrong",
        "- [X] Right",
        "* [x] ",
        "- [x]",
        "C: formed in [1958::year] and [binational]",
        "C: a [link](http://x) and \\[literal\\] and [ ]",
        "C: [::hint] and [a::]",
        "Source: doc.txt:7",
        "Source: doc.txt:9-3",
        "Source: doc.txt:0",
        "Id: abc-123",
        "Id: same",
        "Reverse: yes",
        "Reverse: maybe",
        'name = "Deck"',
        "tags = [",
        'tags = ["a", 1]',
        "[schedule]",
        "desired_retention = 0.5",
        "new_per_day = -1",
        'learning_steps = ["1m", "10x", "99999999999999d"]',
        "relearning_steps = 3",
        "[answers]",
        "strict = 1",
        "schedule = 3",
    ]
)
lines = st.one_of(special_lines, key_lines, words)
deck_texts = st.lists(lines, max_size=30).map("\n".join)
mixed_texts = st.one_of(deck_texts, st.text(max_size=200), deck_texts.map(lambda t: "+++\n" + t))


def parses_or_reports(make_deck) -> None:
    try:
        deck = make_deck()
    except DeckError as error:
        assert error.problems, "a DeckError must carry at least one problem"
        for problem in error.problems:
            assert problem.line >= 0
            assert problem.message
    else:
        assert isinstance(deck, Deck)
        assert len({card.key for card in deck.cards}) == len(deck.cards)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mixed_texts)
def test_any_text_parses_or_raises_deck_error(text: str) -> None:
    parses_or_reports(lambda: parse_deck(text, PATH))


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(st.binary(max_size=200), deck_texts.map(lambda t: t.encode("utf-8", "replace"))))
def test_any_bytes_parse_or_raise_deck_error(raw: bytes) -> None:
    parses_or_reports(lambda: parse_deck_bytes(raw, PATH))
