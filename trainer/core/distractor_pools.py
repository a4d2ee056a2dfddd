"""Small curated pools of wrong options, for a quiz whose deck has too few answers of a kind.

Only kinds that are the same whatever a deck is about: countries and people. Years, dates,
numbers and percentages are made near the right answer instead (`trainer.core.distractors`).
"""

from __future__ import annotations

COUNTRIES = (
    "Argentina", "Australia", "Belgium", "Brazil", "Canada", "Chile", "China", "Denmark",
    "Egypt", "Estonia", "Finland", "France", "Germany", "Greece", "Iceland", "India",
    "Indonesia", "Iran", "Iraq", "Ireland", "Israel", "Italy", "Japan", "Jordan", "Kenya",
    "Latvia", "Lebanon", "Lithuania", "Mexico", "the Netherlands", "New Zealand", "Nigeria", "North Korea", "Norway", "Pakistan",
    "Poland", "Portugal", "Romania", "Russia", "Saudi Arabia", "South Africa", "South Korea",
    "Spain", "Sweden", "Switzerland", "Syria", "Turkey", "Ukraine", "the United Kingdom",
    "the United States", "Afghanistan", "Vietnam", "Korea", "Cuba",
)  # fmt: skip
"""Countries as a sentence names them (`the` where English puts it)."""

REGIONS = (
    "the Arctic", "the Balkans", "the Baltics", "the Caribbean", "the Middle East",
    "the Indo-Pacific", "Eastern Europe", "Central Europe", "Western Europe",
    "Eastern and Central Europe", "North Africa", "Sub-Saharan Africa", "Latin America",
    "Central America", "South America", "North America", "Southeast Asia", "Central Asia",
    "East Asia", "Scandinavia", "the North Atlantic", "the Pacific",
)  # fmt: skip
"""Parts of the world bigger or other than one country."""

COUNTRY_ALIASES = {
    "us": "the United States", "u.s.": "the United States", "usa": "the United States",
    "u.s.a.": "the United States", "united states": "the United States",
    "united states of america": "the United States", "america": "the United States",
    "uk": "the United Kingdom", "u.k.": "the United Kingdom", "britain": "the United Kingdom",
    "great britain": "the United Kingdom", "united kingdom": "the United Kingdom",
    "netherlands": "the Netherlands", "holland": "the Netherlands",
}  # fmt: skip
"""Other ways of writing a country of `COUNTRIES`, by their folded form."""

PEOPLE = (
    ("Prime Minister", "Justin Trudeau"), ("Prime Minister", "Stephen Harper"),
    ("Prime Minister", "Jean Chrétien"), ("Prime Minister", "Brian Mulroney"),
    ("Prime Minister", "Pierre Trudeau"), ("Prime Minister", "Mark Carney"),
    ("Prime Minister", "Margaret Thatcher"), ("Prime Minister", "Tony Blair"),
    ("President", "Dwight D. Eisenhower"), ("President", "John F. Kennedy"),
    ("President", "Ronald Reagan"), ("President", "Bill Clinton"), ("President", "George W. Bush"),
    ("President", "Barack Obama"), ("President", "Joe Biden"), ("President", "Donald Trump"),
    ("Chancellor", "Angela Merkel"), ("President", "Emmanuel Macron"),
)  # fmt: skip
"""People, each with the title a sentence might give them."""

TITLES = (
    "Prime Minister", "President", "Chancellor", "Minister", "Secretary", "Senator", "General",
    "Admiral", "Governor", "Ambassador", "Dr.", "Dr", "Mr.", "Ms.", "Mrs.", "Sir", "Dame",
    "Queen", "King",
)  # fmt: skip
"""Words that, before a name, say the name is a person's."""

GIVEN_NAMES = frozenset(
    """adam alan alexander alice andrew angela anne anthony barack bill brian catherine charles
    chrystia david donald dwight edward elizabeth emily emmanuel franklin george harry helen
    jack james jane jean jennifer jimmy joe john jonathan joseph justin kamala kim lester
    lloyd louis margaret maria mark mary melanie michael mélanie nancy paul peter pierre
    richard robert ronald sarah stephen susan theodore thomas tony walter william""".split()
)
"""Common given names: a capitalised pair starting with one is taken for a person's name."""

ROLES = (
    "Prime Minister", "Deputy Prime Minister", "President", "Vice President",
    "Minister of National Defence", "Minister of Foreign Affairs", "Minister of Public Safety",
    "Minister of Finance", "Secretary of State", "Secretary of Defense",
    "Secretary of Homeland Security", "Chief of the Defence Staff", "Governor General",
)  # fmt: skip
"""Offices a person holds, for an answer that names an office rather than its holder."""
