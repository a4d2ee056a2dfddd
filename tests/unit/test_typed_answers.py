"""Typed answers graded as a fair teacher would: one row per variant a learner might type.

Each row is (question, accepted answer, what was typed, verdict). The question matters: it lets an
answer carry the question's own unit or noun, and it says when a person is asked for.
"""

from __future__ import annotations

import pytest

from trainer.core.grading import Verdict, check_typed

OK, ALMOST, WRONG = Verdict.CORRECT, Verdict.ALMOST, Verdict.WRONG

YEAR = "In what year was NORAD formed?"
KM = "How far, in kilometres, is it from Ottawa to Toronto?"
PROVINCES = "How many provinces does Canada have?"
OVER = "The two countries have defended North America through NORAD for over how many years?"
MILES = 'How long is the Canada-U.S. land border in miles (the document says "over" this figure)?'
DOLLARS = "Roughly what is Canada's Foreign Military Sales portfolio worth, in U.S. dollars?"
PM = "Which Canadian prime minister released the defence policy update?"
PRESIDENT = "Which U.S. president was a party to the 1958 NORAD agreement?"
CITY = "In which city was the NORAD headquarters to be located?"
OCEAN = "Which ocean lies north of Canada?"
CAPITAL = "Is Ottawa or Toronto the capital of Canada?"
SINCE = "Since what year has Canada been a key nation in NATO's presence in Latvia?"
LAKES = "List the Great Lakes in order from west to east."
MONTH = "In what month and year did the two countries agree to create a NORAD headquarters?"
HOW_MANY = "How many members does NEXUS have?"

VARIANTS = [
    # Figures: however they are written, the same figure is right and any other is wrong.
    (YEAR, "1958", "1958", OK),
    (YEAR, "1958", "1959", WRONG),
    (YEAR, "1958", "1985", WRONG),
    (YEAR, "1958", "nineteen fifty-eight", OK),
    ("", "1999", "nineteen ninety-nine", OK),
    ("", "2024", "twenty twenty-four", OK),
    ("", "2005", "two thousand and five", OK),
    ("", "2005", "two thousand five", OK),
    ("", "12", "twelve", OK),
    ("", "52", "Fifty-two", OK),
    ("", "52", "fifty two", OK),
    ("", "52", "25", WRONG),
    ("", "1,000", "1000", OK),
    ("", "1,000", "1 000", OK),
    ("", "1,000", "1\u2009000", OK),
    ("", "1,000", "1\u202f000", OK),
    ("", "1,000", "one thousand", OK),
    ("", "1,000", "a thousand", OK),
    ("", "1000", "1,000", OK),
    ("", "8,891", "8891", OK),
    ("", "8,891", "8 891", OK),
    ("", "8,891", "8,819", WRONG),
    ("", "8,891", "eight thousand, eight hundred and ninety-one", OK),
    ("", "2,500,000", "2.5 million", OK),
    ("", "2,500,000", "two and a half million", OK),
    ("", "1.8 million", "one point eight million", OK),
    ("", "2,500,000", "2,500,001", WRONG),
    ("", "3.14", "314", WRONG),
    ("", "the 1990s", "1990s", OK),
    ("", "the 1990s", "1990", WRONG),
    ("", "'58", "58", OK),
    # Percentages and ordinals.
    ("", "40%", "40 percent", OK),
    ("", "40%", "forty per cent", OK),
    ("", "40 percent", "40%", OK),
    ("", "40%", "41%", WRONG),
    ("", "40%", "40", ALMOST),
    ("", "40th", "fortieth", OK),
    ("", "40th", "40", OK),
    ("", "21st", "twenty-first", OK),
    # The question's own unit or noun.
    (KM, "640", "640 km", OK),
    (KM, "640", "640 kilometres", OK),
    (KM, "640", "640 kilometers", OK),
    (KM, "640", "six hundred and forty kilometres", OK),
    (KM, "640", "640 miles", WRONG),
    (KM, "640", "604 km", WRONG),
    ("", "640 km", "640 kilometres", OK),
    ("", "640 km", "640", ALMOST),
    ("", "640 km", "640 mi", WRONG),
    (PROVINCES, "10", "10 provinces", OK),
    (PROVINCES, "10", "ten provinces", OK),
    (PROVINCES, "10", "ten provinces in Canada", OK),
    (PROVINCES, "10", "10 territories", ALMOST),
    (PROVINCES, "10", "11 provinces", WRONG),
    (HOW_MANY, "1.8 million", "1.8 million members", OK),
    (DOLLARS, "$13 billion", "13 billion dollars", OK),
    (DOLLARS, "$13 billion", "13 billion", OK),
    (DOLLARS, "$13 billion", "$13bn", OK),
    (DOLLARS, "$13 billion", "$31 billion", WRONG),
    # Hedges: those that keep the claim pass; those that change it are almost, unless the
    # question makes the same hedge itself.
    (YEAR, "1958", "in 1958", OK),
    (YEAR, "1958", "In 1958.", OK),
    (YEAR, "1958", "about 1958", OK),
    (YEAR, "1958", "around 1958", OK),
    (YEAR, "1958", "c. 1958", OK),
    (YEAR, "1958", "circa 1958", OK),
    (YEAR, "1958", "1958 or so", OK),
    (YEAR, "1958", "in about 1958", OK),
    (HOW_MANY, "100", "roughly a hundred", OK),
    (HOW_MANY, "100", "approximately 100", OK),
    (HOW_MANY, "100", "approx. 100", OK),
    (HOW_MANY, "100", "some 100", OK),
    (HOW_MANY, "100", "over 100", ALMOST),
    (HOW_MANY, "100", "more than 100", ALMOST),
    (HOW_MANY, "100", "nearly 100", ALMOST),
    (HOW_MANY, "100", "at least 100", ALMOST),
    (HOW_MANY, "100", "under 100", ALMOST),
    (HOW_MANY, "100", "over 101", WRONG),
    (OVER, "65", "over 65", OK),
    (OVER, "65", "more than 65 years", OK),
    (OVER, "65", "for over 65 years", OK),
    (MILES, "5,500", "over 5,500 miles", OK),
    (MILES, "5,500", "5500 mi", OK),
    (MILES, "5,500", "5,500 km", WRONG),
    (SINCE, "2017", "since 2017", OK),
    ("", "2017", "since 2017", ALMOST),
    # Dates.
    (MONTH, "September 1957", "Sept 1957", OK),
    (MONTH, "September 1957", "Sept. 1957", OK),
    (MONTH, "September 1957", "in September 1957", OK),
    (MONTH, "September 1957", "Septmber 1957", ALMOST),
    (MONTH, "September 1957", "1957", ALMOST),
    (MONTH, "September 1957", "October 1957", WRONG),
    ("", "May 12, 1958", "12 May 1958", OK),
    ("", "May 12, 1958", "May 12th, 1958", OK),
    ("", "May 12, 1958", "the 12th of May 1958", OK),
    ("", "May 12, 1958", "on May 12, 1958", OK),
    ("", "May 12, 1958", "May 21, 1958", WRONG),
    # People: the surname is what counts when a person is asked for.
    (PM, "Justin Trudeau", "Trudeau", OK),
    (PM, "Justin Trudeau", "Prime Minister Trudeau", OK),
    (PM, "Justin Trudeau", "Mr. Trudeau", OK),
    (PM, "Justin Trudeau", "Canadian Prime Minister Justin Trudeau", OK),
    (PM, "Justin Trudeau", "Trudeau, Justin", OK),
    (PM, "Justin Trudeau", "justin trudeau", OK),
    (PM, "Trudeau", "Justin Trudeau", OK),
    (PM, "Justin Trudeau", "Justin", ALMOST),
    (PM, "Justin Trudeau", "Pierre Trudeau", ALMOST),
    (PM, "Justin Trudeau", "Trudeu", ALMOST),
    (PM, "Justin Trudeau", "Harper", WRONG),
    (PM, "Justin Trudeau", "Stephen Harper", WRONG),
    (PM, "Justin Trudeau", "Justin Harper", WRONG),
    (PRESIDENT, "Dwight Eisenhower", "Dwight D. Eisenhower", OK),
    (PRESIDENT, "Dwight Eisenhower", "President Eisenhower", OK),
    (PRESIDENT, "Dwight Eisenhower", "U.S. President Eisenhower", OK),
    ("", "Justin Trudeau", "Mr. Trudeau", OK),  # the title says a person is meant
    ("", "Justin Trudeau", "Trudeau", WRONG),  # without the question, a name is not assumed
    (CITY, "Colorado Springs", "Springs", WRONG),
    (CITY, "Colorado Springs", "Colorado", WRONG),
    # British and American spellings, both ways.
    ("", "Defence", "defense", OK),
    ("", "defense", "Defence", OK),
    ("", "offence", "offense", OK),
    ("", "centre", "center", OK),
    ("", "metre", "meter", OK),
    ("", "kilometres", "kilometers", OK),
    ("", "travelled", "traveled", OK),
    ("", "labour", "labor", OK),
    ("", "honour", "honor", OK),
    ("", "organisation", "organization", OK),
    ("", "modernisation", "modernization", OK),
    ("", "realise", "realize", OK),
    ("", "programme", "program", OK),
    ("", "analyse", "analyze", OK),
    ("", "catalogue", "catalog", OK),
    ("", "Department of Defence", "Department of Defense", OK),
    ("", "North American Aerospace Defense Command", "North American Aerospace Defence Command", OK),
    # Articles, and, &, spaces, punctuation, lists.
    ("", "Arctic", "the Arctic", OK),
    ("", "G8", "the G8", OK),
    ("", "G8", "G7", WRONG),
    ("", "Ottawa", "Ottawa.", OK),
    ("", "Ottawa", "  Ottawa  ", OK),
    ("", "Colorado Springs", "Colorado   Springs", OK),
    ("", "U.S.A.", "USA", OK),
    ("", "NATO", "N.A.T.O.", OK),
    ("", "cooperation", "co-operation", OK),
    ("", "Strong, Secure, Engaged", "strong secure engaged", OK),
    ("", "Canada and the United States", "the United States and Canada", OK),
    ("", "Canada and the United States", "Canada & the United States", OK),
    ("", "Canada and the United States", "Canada, United States", OK),
    ("", "Canada and the United States", "Canada", WRONG),
    (LAKES, "Superior, Michigan, Huron, Erie, Ontario", "Superior, Michigan, Huron, Erie, and Ontario", OK),
    (LAKES, "Superior, Michigan, Huron, Erie, Ontario", "Ontario, Erie, Huron, Michigan, Superior", ALMOST),
    # The question's common nouns may be echoed; its names may not.
    (OCEAN, "Arctic", "the Arctic Ocean", OK),
    (CAPITAL, "Ottawa", "Ottawa or Toronto", WRONG),
    # Near misses in words are almost; short words must be exact.
    ("", "Ottawa", "Ottowa", ALMOST),
    ("", "Ottawa", "Washington", WRONG),
    ("", "NATO", "NATA", WRONG),
    ("", "Plan A", "Plan B", WRONG),
    ("", "Plan A", "Plan", WRONG),
    ("", "Five Eyes", "5 eyes", OK),
    ("", "Five Eyes", "Four Eyes", WRONG),
    ("", "Montréal", "montreal", OK),
    ("", "Ottawa", "", WRONG),
]  # fmt: skip


@pytest.mark.parametrize(("question", "answer", "typed", "verdict"), VARIANTS)
def test_typed_variants(question: str, answer: str, typed: str, verdict: Verdict) -> None:
    assert check_typed(typed, [answer], question=question).verdict is verdict


@pytest.mark.parametrize(
    ("typed", "answer"),
    [("1959", "1958"), ("8,819", "8,891"), ("9001", "9,000"), ("1,900,000", "1.8 million")],
)
def test_a_wrong_figure_is_never_almost_even_one_keystroke_away(typed: str, answer: str) -> None:
    assert check_typed(typed, [answer]).verdict is WRONG
    assert check_typed(f"about {typed}", [answer], question=YEAR).verdict is WRONG


def test_without_the_question_the_unit_left_out_or_added_is_only_almost() -> None:
    assert check_typed("640 km", ["640"]).verdict is ALMOST
    assert check_typed("640 km", ["640"], question=KM).verdict is OK


def test_strict_decks_still_count_everything() -> None:
    assert check_typed("1,000", ["1000"], strict=True).verdict is WRONG
    assert check_typed("defense", ["defence"], strict=True).verdict is WRONG
    assert check_typed(" defence ", ["defence"], strict=True).verdict is OK


def test_answers_of_only_small_words_are_compared_as_they_are() -> None:
    assert check_typed("and", ["and"]).verdict is OK
    assert check_typed("The The", ["the the"]).verdict is OK
    assert check_typed("or", ["and"]).verdict is WRONG
