"""Whatever a deck file holds, the parser returns a deck or raises `DeckError`, never crashes."""

from __future__ import annotations

import re
import time
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


# -- hostile input: control characters, long runs of brackets and digits -----------------------

CONTROL_CHARACTERS = [chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0)]]
BIDI_AND_SEPARATORS = list(
    "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff"
)
hostile_alphabet = st.sampled_from(
    CONTROL_CHARACTERS + BIDI_AND_SEPARATORS + list("abcXYZ 019:,.-_[]()\\*#+x{}=\"'")
)
runs = st.builds(
    lambda piece, count: piece * count,
    st.sampled_from(
        ["[", "]", "[x", "[x]", "\\[", "\\", "9", "0", "[[", "{", "::", ":1", "- [x] "]
    ),
    st.integers(min_value=1, max_value=20_000),
)
hostile_words = st.lists(st.one_of(st.text(hostile_alphabet, max_size=12), runs), max_size=4).map(
    "".join
)
hostile_lines = st.one_of(
    special_lines,
    key_lines,
    st.builds(lambda key, rest: f"{key} {rest}", card_keys, hostile_words),
    st.builds(lambda rest: f"Source: doc.txt:{rest}", hostile_words),
    st.builds(lambda rest: f"a = {rest}", hostile_words),
    hostile_words,
)
hostile_decks = st.lists(hostile_lines, max_size=12).map("\n".join)
PROBLEM_LINE = re.compile(r"^fuzz\.md(?::[0-9]+)?: \S")


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(hostile_decks, hostile_decks.map(lambda t: "+++\n" + t)))
def test_hostile_text_parses_or_reports_each_problem_with_its_line_in_bounded_time(
    text: str,
) -> None:
    start = time.perf_counter()
    try:
        deck = parse_deck(text, PATH)
    except DeckError as error:
        line_count = text.count("\n") + 1
        for problem in error.problems:
            assert PROBLEM_LINE.match(str(problem)), str(problem)
            assert 0 <= problem.line <= line_count
            assert "\n" not in problem.message
    else:
        assert len({card.key for card in deck.cards}) == len(deck.cards)
    # Linear time: the longest text here (a few hundred thousand characters) takes milliseconds;
    # the quadratic regular expression this replaced took minutes on such runs.
    assert time.perf_counter() - start < 5.0
