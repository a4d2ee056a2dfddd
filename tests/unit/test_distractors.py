"""Wrong quiz options: of the right answer's kind and form, from its deck first, then a pool."""

from __future__ import annotations

import random

import pytest

from trainer.core.answer_kinds import kind_of
from trainer.core.distractor_pools import COUNTRIES, PEOPLE, ROLES
from trainer.core.distractors import Candidate, pick_distractors
from trainer.core.grading import normalise

SEEDS = range(20)

EXPANSIONS = [
    Candidate("North American Aerospace Defense Command", "NORAD"),
    Candidate("Foreign Military Sales", "FMS"),
    Candidate("Integrated Border Enforcement Team", "IBET"),
    Candidate("North Atlantic Treaty Organization", "NATO"),
    Candidate("Permanent Joint Board on Defence", "PJBD"),
]
ACRONYMS = [Candidate(c.question, c.text) for c in EXPANSIONS]
MIXED_DECK = [
    *EXPANSIONS,
    *ACRONYMS,
    Candidate("1958"), Candidate("1981"), Candidate("2006"), Candidate("1940"), Candidate("1775"),
    Candidate("Canada"), Candidate("Latvia"), Candidate("Mexico"),
    Candidate("Justin Trudeau"), Candidate("Bill Blair"),
    Candidate("9,000 km"), Candidate("8,891 km"), Candidate("12 km"), Candidate("6,400 km"),
    Candidate("18 nations"),
    Candidate("to watch the skies over the continent"),
    Candidate("sovereignty"), Candidate("interoperability"),
    Candidate("Operation IMPACT"), Candidate("Operation NEON"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("answer", "question", "kind"),
    [
        ("1958", "", "year"),
        ("in 1958", "", "year"),
        ("12 May 1958", "", "date"),
        ("8%", "", "percent"),
        ("9,000 km", "", "number"),
        ("3.5 million", "", "number"),
        ("sixty-five", "", "number"),
        ("NORAD", "", "acronym"),
        ("eFP", "", "acronym"),
        ("G8", "", "acronym"),
        ("North American Aerospace Defense Command", "NORAD", "expansion"),
        ("Foreign Military Sales", "What does FMS stand for?", "expansion"),
        ("Airborne Warning and Control System", "What does AWACS stand for?", "expansion"),
        ("Canada", "", "country"),
        ("the United States", "", "country"),
        ("U.S.", "", "country"),
        ("Eastern and Central Europe", "", "region"),
        ("the Arctic", "", "region"),
        ("Justin Trudeau", "", "person"),
        ("Prime Minister Justin Trudeau", "", "person"),
        ("Minister of National Defence", "", "role"),
        ("US Coast Guard", "", "organisation"),
        ("Operation IMPACT", "", "series"),
        ("Operation NEON", "Which operation backs the sanctions on North Korea?", "series"),
        ("Colorado Springs", "", "name"),
        ("Second World War", "", "event"),
        ("post-Cold War years", "", "event"),
        ("arms control", "", "phrase"),
    ],
)
def test_kind_of(answer: str, question: str, kind: str) -> None:
    assert kind_of(answer, question).name == kind


def options(answer: str, pool: list[Candidate], question: str = "", **extra) -> list[list[str]]:
    return [
        pick_distractors(answer, pool, 3, random.Random(seed), question=question, **extra)
        for seed in SEEDS
    ]


def test_an_acronyms_expansion_gets_other_expansions() -> None:
    for chosen in options("North American Aerospace Defense Command", MIXED_DECK, "NORAD"):
        assert len(chosen) == 3
        assert set(chosen) <= {c.text for c in EXPANSIONS[1:]}


def test_an_acronym_gets_other_acronyms() -> None:
    for chosen in options("NORAD", MIXED_DECK, "North American Aerospace Defense Command"):
        assert set(chosen) <= {"FMS", "IBET", "NATO", "PJBD"}
        assert len(chosen) == 3


def test_a_year_gets_years_near_it() -> None:
    for chosen in options("1958", MIXED_DECK):
        assert len(chosen) == 3
        assert all(c.isdigit() and abs(int(c) - 1958) <= 40 for c in chosen), chosen
        assert "1775" not in chosen


def test_a_number_gets_numbers_of_its_unit_and_magnitude() -> None:
    for chosen in options("9,000 km", MIXED_DECK):
        assert len(chosen) == 3
        for option in chosen:
            figure, unit = option.split()
            assert unit == "km" and 1_000 <= int(figure.replace(",", "")) < 100_000, option


def test_a_country_gets_countries_from_the_deck_then_the_pool() -> None:
    for chosen in options("Canada", MIXED_DECK):
        assert len(chosen) == 3
        assert {"Latvia", "Mexico"} <= set(chosen)
        assert set(chosen) <= {c.removeprefix("the ") for c in COUNTRIES} - {"Canada"}


def test_a_person_gets_people_with_the_same_title() -> None:
    for chosen in options("Justin Trudeau", MIXED_DECK):
        assert "Bill Blair" in chosen
        assert set(chosen) <= {"Bill Blair", *(name for _, name in PEOPLE)} - {"Justin Trudeau"}
    for chosen in options("Prime Minister Stephen Harper", []):
        assert all(option.startswith("Prime Minister ") for option in chosen)
        assert len(chosen) == 3


def test_a_region_is_not_offered_among_countries() -> None:
    pool = [Candidate("Lebanon"), Candidate("Jordan"), Candidate("Syria"), Candidate("the Balkans")]
    for chosen in options("Eastern and Central Europe", pool):
        assert len(chosen) == 3
        assert not {"Lebanon", "Jordan", "Syria"} & set(chosen)
        assert "the Balkans" in chosen and "Balkans" not in chosen


def test_a_place_is_not_offered_among_wars() -> None:
    pool = [Candidate(text) for text in ("First World War", "Cold War", "Colorado Springs",
                                         "Ottawa", "Peterson Space Force Base")]  # fmt: skip
    question = "It stretches from the [...] and the Middle East to Ukraine."
    for chosen in options("Caribbean", [], question):
        assert len(chosen) == 3 and "Middle East" not in chosen
    for chosen in options("Canadian Embassy in Washington D.C.", pool):
        assert "D.C." not in chosen  # an abbreviation keeps its full stop: the answer does too
        assert not {"First World War", "Cold War"} & set(chosen)


def test_an_office_gets_other_offices() -> None:
    for chosen in options("Minister of National Defence", MIXED_DECK):
        assert len(chosen) == 3 and set(chosen) <= set(ROLES)


def test_a_series_gets_others_of_its_series() -> None:
    for chosen in options("Operation REASSURANCE", MIXED_DECK):
        assert sorted(chosen) == ["Operation IMPACT", "Operation NEON"]


def test_phrases_come_from_the_same_topic_first() -> None:
    pool = [
        Candidate("deterrence", topic="arctic.txt"),
        Candidate("surveillance", topic="arctic.txt"),
        Candidate("icebreakers", topic="arctic.txt"),
        Candidate("tariffs", topic="trade.txt"),
        Candidate("dairy quotas", topic="trade.txt"),
    ]
    for chosen in options("sovereignty", pool, topic="arctic.txt"):
        assert sorted(chosen) == ["deterrence", "icebreakers", "surveillance"]


def test_options_look_alike_a_long_official_name_is_not_put_among_short_ones() -> None:
    pool = [
        Candidate("Ottawa"), Candidate("Toronto"), Candidate("Montreal"), Candidate("Halifax"),
        Candidate("The Regional Municipality of Wood Buffalo in Northern Alberta"),
    ]  # fmt: skip
    for chosen in options("Winnipeg", pool):
        assert all(len(option) < 12 for option in chosen)


def test_never_the_answer_a_spelling_of_it_or_what_the_question_names() -> None:
    pool = [
        Candidate("North American Aerospace Defence Command"),  # the Canadian spelling: right too
        Candidate("north american aerospace defense command."),
        *EXPANSIONS[1:],
    ]
    for chosen in options("North American Aerospace Defense Command", pool, "NORAD"):
        folded = [normalise(option) for option in chosen]
        assert len(set(folded)) == len(folded) == 3
        assert not any("aerospace" in option for option in folded)
    for chosen in options(
        "counterterrorism",
        [Candidate("cybersecurity"), Candidate("peacekeeping"), Candidate("procurement")],
        "The intelligence shared covers domains from cybersecurity to [...].",
    ):
        assert "cybersecurity" not in chosen


def test_a_small_deck_is_filled_from_made_options_of_the_same_kind() -> None:
    for chosen in options("1958", [Candidate("Ottawa")]):
        assert len(chosen) == 3 and all(abs(int(c) - 1958) <= 12 for c in chosen)
    for chosen in options("71%", []):
        assert len(chosen) == 3 and all(c.endswith("%") and int(c[:-1]) <= 100 for c in chosen)
    assert options("Colorado Springs", [Candidate("1958")])[0] == []  # no pool of places
