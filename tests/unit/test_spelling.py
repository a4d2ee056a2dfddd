"""British and American spellings read as the same word, and other words left alone."""

from __future__ import annotations

import pytest

from trainer.core.spelling import american

PAIRS = [
    ("defence", "defense"),
    ("offence", "offense"),
    ("licence", "license"),
    ("centre", "center"),
    ("centres", "centers"),
    ("centred", "centered"),
    ("metre", "meter"),
    ("kilometres", "kilometers"),
    ("theatre", "theater"),
    ("fibre", "fiber"),
    ("travelled", "traveled"),
    ("travelling", "traveling"),
    ("traveller", "traveler"),
    ("cancelled", "canceled"),
    ("counsellor", "counselor"),
    ("labour", "labor"),
    ("honour", "honor"),
    ("honourable", "honorable"),
    ("favourite", "favorite"),
    ("neighbourhood", "neighborhood"),
    ("behavioural", "behavioral"),
    ("colourise", "colorize"),
    ("organisation", "organization"),
    ("organise", "organize"),
    ("organised", "organized"),
    ("modernisation", "modernization"),
    ("realise", "realize"),
    ("recognising", "recognizing"),
    ("criticise", "criticize"),
    ("theorise", "theorize"),
    ("programme", "program"),
    ("programmes", "programs"),
    ("kilogramme", "kilogram"),
    ("analyse", "analyze"),
    ("paralysed", "paralyzed"),
    ("catalogue", "catalog"),
    ("dialogue", "dialog"),
    ("manoeuvre", "maneuver"),
    ("grey", "gray"),
    ("ageing", "aging"),
    ("judgement", "judgment"),
]


@pytest.mark.parametrize(("british", "us"), PAIRS)
def test_both_spellings_read_as_one(british: str, us: str) -> None:
    assert american(british) == american(us) == us


@pytest.mark.parametrize(
    "word",
    [
        # -ise is the only spelling of these, in American English too.
        "advise", "advertise", "exercise", "surprise", "enterprise", "compromise", "promise",
        "precise", "imprecise", "otherwise", "rise", "arise", "sunrise", "raise", "praise",
        "noise", "cruise", "disguise", "televise", "improvisation", "premises", "franchise",
        # -our, -re and -ll- that are not British spellings.
        "hour", "four", "your", "tour", "detour", "contour", "flour", "devour", "acre", "genre",
        "massacre", "mediocre", "ogre", "called", "installed", "compelled", "controlled",
        # Words that only look like it.
        "disable", "analysis", "basis", "crisis", "journal", "tourist", "geyser", "metric",
        "canada", "ottawa", "norad",
    ],
)  # fmt: skip
def test_words_with_one_spelling_are_left_alone(word: str) -> None:
    assert american(word) == word
