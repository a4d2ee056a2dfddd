"""Reading numbers as people write them, in figures or in words."""

from __future__ import annotations

from decimal import Decimal

import pytest

from trainer.core.numbers import figure_value, number_text, read_number


def read(text: str) -> tuple[str, int] | None:
    """The number at the start of `text` (folded words) and how many words it took."""
    words = text.split()
    figures = {i: value for i, word in enumerate(words) if (value := figure_value(word))}
    number = read_number(words, 0, figures)
    return None if number is None else (number_text(number.value), number.length)


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("zero", "0"),
        ("twelve", "12"),
        ("sixty five", "65"),
        ("one hundred", "100"),
        ("a hundred and ten", "110"),
        ("one hundred and one", "101"),
        ("three hundred forty two", "342"),
        ("a thousand", "1000"),
        ("one thousand", "1000"),
        ("two thousand and five", "2005"),
        ("two thousand five", "2005"),
        ("eight thousand , eight hundred and ninety one", "8891"),
        ("nineteen hundred", "1900"),
        ("two million three thousand", "2003000"),
        ("a million", "1000000"),
        ("two and a half million", "2500000"),
        ("one point eight million", "1800000"),
        ("2.5 million", "2500000"),
        ("9 thousand", "9000"),
        ("13 bn", "13000000000"),
    ],
)
def test_number_words_and_scales(words: str, value: str) -> None:
    assert read(words) == (value, len(words.split()))


@pytest.mark.parametrize(
    ("words", "value"),
    [
        ("nineteen ninety nine", "1999"),
        ("nineteen fifty eight", "1958"),
        ("twenty twenty four", "2024"),
        ("twenty ten", "2010"),
        ("nineteen oh five", "1905"),
    ],
)
def test_years_said_in_pairs(words: str, value: str) -> None:
    assert read(words) == (value, len(words.split()))


def test_ordinals_read_as_their_figure() -> None:
    words = ["twenty", "first"]
    number = read_number(words, 0, {})
    assert number is not None and (number.value, number.ordinal) == (21, True)
    number = read_number(["fortieth"], 0, {})
    assert number is not None and (number.value, number.ordinal) == (40, True)


@pytest.mark.parametrize(
    ("words", "first"),
    [
        ("five six", ("5", 1)),  # two numbers, not fifty-six
        ("one second", ("1", 1)),
        ("ten provinces", ("10", 1)),
        ("a", None),
        ("and", None),
        ("provinces", None),
    ],
)
def test_a_number_ends_where_the_grammar_does(words: str, first: tuple[str, int] | None) -> None:
    assert read(words) == first


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("1,000", Decimal(1000)),
        ("1 000", Decimal(1000)),
        ("1\u2009000", Decimal(1000)),
        ("2.5", Decimal("2.5")),
        ("1,000.50", Decimal("1000.50")),
        ("x", None),
        ("1.2.3", None),
    ],
)
def test_figures(text: str, value: Decimal | None) -> None:
    assert figure_value(text) == value


def test_numbers_are_written_one_way() -> None:
    assert number_text(Decimal("2500000.0")) == "2500000"
    assert number_text(Decimal("0.50")) == "0.5"
    assert number_text(Decimal("1E+3")) == "1000"
