"""Checking typed answers the way a fair marker would."""

from __future__ import annotations

import pytest

from trainer.core.grading import (
    Rating,
    Verdict,
    char_diff,
    check_choices,
    check_typed,
    normalise,
    typed_marks,
)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Ottawa", "  OTTAWA "),
        ("Montréal", "montreal"),
        ("Québec City", "quebec   city"),
        ("U.S.A.", "u s a"),
        ("NATO's mission", "natos mission"),
        ("NATO\u2019s mission", "NATO's mission"),
        ("Hello, world!", "hello world"),
        ("9,000", "9000"),
        ("9 thousand", "9000"),
        ("1.8 million", "1,800,000"),
        ("2 billion", "2,000,000,000"),
        ("2 percent", "2%"),
        ("2 per cent", "2 %"),
        ("0.50", "0.5"),
        ("1,000.50", "1000.5"),
        ("In 1958.", "in 1958"),
    ],
)
def test_normalise_folds_what_should_not_count(one: str, other: str) -> None:
    assert normalise(one) == normalise(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("3.14", "314"),
        ("1.5", "15"),
        ("1.5 million", "15 million"),
        ("1958", "1959"),
        ("2%", "2"),
        ("Canada", "Canadas"),
    ],
)
def test_normalise_keeps_what_changes_the_answer(one: str, other: str) -> None:
    assert normalise(one) != normalise(other)


def test_normalise_keeps_decimal_points() -> None:
    assert normalise("3.14") == "3.14"
    assert normalise("version 1.2.3") == "version 1.2.3"


def test_strict_normalise_only_trims() -> None:
    assert normalise("  Montréal, QC  ", strict=True) == "Montréal, QC"


def test_correct_answer_and_accepted_alternatives() -> None:
    check = check_typed("ottawa", ["Ottawa"])
    assert (check.verdict, check.expected) == (Verdict.CORRECT, "Ottawa")
    check = check_typed("Nine Thousand", ["9,000", "nine thousand"])
    assert (check.verdict, check.expected) == (Verdict.CORRECT, "nine thousand")
    assert check_typed("9000", ["9,000", "nine thousand"]).verdict is Verdict.CORRECT
    assert check_typed("1,800,000", ["1.8 million"]).verdict is Verdict.CORRECT


def test_near_miss_is_almost_and_names_the_closest_answer() -> None:
    check = check_typed("Ottowa", ["Ottawa"])
    assert (check.verdict, check.expected) == (Verdict.ALMOST, "Ottawa")
    check = check_typed("Tornto", ["Ottawa", "Toronto"])
    assert (check.verdict, check.expected) == (Verdict.ALMOST, "Toronto")
    # Longer answers allow more typos.
    long_answer = "North American Aerospace Defense Command"
    typo = "North Amercan Aerospace Defence Command"
    assert check_typed(typo, [long_answer]).verdict is Verdict.ALMOST


def test_wrong_answer_shows_the_canonical_answer() -> None:
    check = check_typed("Washington", ["Ottawa", "Bytown"])
    assert (check.verdict, check.expected) == (Verdict.WRONG, "Ottawa")
    assert check_typed("", ["Ottawa"]).verdict is Verdict.WRONG


@pytest.mark.parametrize(
    ("given", "accepted"),
    [("1959", "1958"), ("9001", "9,000"), ("1.9 million", "1.8 million"), ("3%", "2%")],
)
def test_numbers_are_never_almost(given: str, accepted: str) -> None:
    assert check_typed(given, [accepted]).verdict is Verdict.WRONG


def test_short_answers_allow_no_typo() -> None:
    assert check_typed("NATA", ["NATO"]).verdict is Verdict.WRONG


def test_strict_mode_counts_case_accents_punctuation_and_typos() -> None:
    assert check_typed("Montréal", ["Montréal"], strict=True).verdict is Verdict.CORRECT
    assert check_typed("  Montréal ", ["Montréal"], strict=True).verdict is Verdict.CORRECT
    for given in ("montréal", "Montreal", "Montréal.", "Montréall"):
        assert check_typed(given, ["Montréal"], strict=True).verdict is Verdict.WRONG, given


def test_a_typed_card_needs_an_answer() -> None:
    with pytest.raises(ValueError):
        check_typed("anything", [])


def test_verdicts_propose_ratings() -> None:
    assert Verdict.CORRECT.proposed_rating is Rating.GOOD
    assert Verdict.ALMOST.proposed_rating is Rating.HARD
    assert Verdict.WRONG.proposed_rating is Rating.AGAIN


def test_choices_must_match_exactly() -> None:
    assert check_choices({0, 1}, {0, 1}) is Verdict.CORRECT
    assert check_choices({0}, {0, 1}) is Verdict.WRONG
    assert check_choices({0, 1, 2}, {0, 1}) is Verdict.WRONG


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Ottowa", "Ottawa"), ("Otawa", "Ottawa"), ("Ottawas", "Ottawa"), ("", "Ottawa"), ("x", "")],
)
def test_char_diff_rebuilds_both_answers(given: str, expected: str) -> None:
    runs = char_diff(given, expected)
    assert "".join(text for kind, text in runs if kind in ("same", "extra")) == given
    assert "".join(text for kind, text in runs if kind in ("same", "missing")) == expected
    assert all(text for _, text in runs)


def test_char_diff_marks_the_differing_characters() -> None:
    assert char_diff("Ottowa", "Ottawa") == [
        ("same", "Ott"),
        ("extra", "o"),
        ("missing", "a"),
        ("same", "wa"),
    ]
    assert char_diff("Ottawa", "Ottawa") == [("same", "Ottawa")]


def test_the_question_lets_an_answer_carry_its_own_unit() -> None:
    question = "How far, in kilometres, is it from Ottawa to Toronto?"
    assert check_typed("640 km", ["640"], question=question).verdict is Verdict.CORRECT
    assert check_typed("640 km", ["640"]).verdict is Verdict.ALMOST  # callers that pass no question


def test_of_several_matching_answers_the_one_written_like_the_typed_one_is_named() -> None:
    assert check_typed("nine thousand", ["9,000", "nine thousand"]).expected == "nine thousand"
    assert check_typed("9000", ["9,000", "nine thousand"]).expected == "9,000"
    check = check_typed("Tornto", ["Toronto", "Toronta"])
    assert (check.verdict, check.expected) == (Verdict.ALMOST, "Toronto")


def marked(runs: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [(kind, text) for kind, text in runs if kind != "same"]


def test_typed_marks_show_nothing_when_the_answer_is_right() -> None:
    assert typed_marks("OTTAWA!", "Ottawa") == [("same", "OTTAWA!")]
    assert typed_marks("in 1958", "1958") == [("same", "in 1958")]
    assert typed_marks("Mr. Trudeau", "Justin Trudeau", question="Who?") == [
        ("same", "Mr. Trudeau")
    ]
    assert typed_marks("", "Ottawa") == [("missing", "Ottawa")]


def test_typed_marks_mark_only_what_counts() -> None:
    # Case and punctuation are not marked; the letter that is wrong is.
    assert typed_marks("OTTOWA!", "Ottawa") == [
        ("same", "OTT"),
        ("extra", "O"),
        ("missing", "a"),
        ("same", "WA!"),
    ]
    # A wrong figure is marked digit by digit; the article before it is not.
    assert typed_marks("the 1959", "1958") == [
        ("same", "the 195"),
        ("extra", "9"),
        ("missing", "8"),
    ]
    # A word unlike the right one is replaced whole, not letter by letter.
    assert marked(typed_marks("October 1957", "September 1957")) == [
        ("extra", "October"),
        ("missing", "September"),
    ]
    assert marked(typed_marks("1957", "September 1957")) == [("missing", "September ")]
    assert marked(typed_marks("over 100", "100")) == [("extra", "over")]
    assert marked(typed_marks("640 miles", "640", question="How far, in km?")) == [
        ("extra", "miles")
    ]


def test_strict_marks_count_everything() -> None:
    assert marked(typed_marks("montreal", "Montréal", strict=True)) == [
        ("extra", "m"),
        ("missing", "M"),
        ("extra", "e"),
        ("missing", "é"),
    ]


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ("Ottowa", "Ottawa"),
        ("1,985", "1958"),
        ("  the  Arctik ocean. ", "Arctic"),
        ("[bold]x[/bold]", "Ottawa"),
        ("Pierre Trudeau", "Justin Trudeau"),
        ("", "Ottawa"),
    ],
)
def test_typed_marks_keep_every_typed_character_in_place(given: str, expected: str) -> None:
    runs = typed_marks(given, expected)
    assert "".join(text for kind, text in runs if kind != "missing") == given
    assert all(text for _, text in runs)
