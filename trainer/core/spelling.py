"""British and American spellings read as one word: `defence` and `defense`, `centre` and `center`.

`american` writes a folded (lower-case, accent-free) word in its American spelling, so two answers
compare equal whichever spelling each uses. It is a handful of rules (-our, -re, -ise/-isation,
-yse, a doubled l before -ed/-ing/-er) with the words each rule must leave alone, plus a small
table of the rest. The one word list on PyPI (breame) has had no release since 2021, and it lacks
forms such as `modernisation` that the rules cover.
"""

from __future__ import annotations

import re

_TABLE = {
    "defence": "defense",
    "defences": "defenses",
    "defenceless": "defenseless",
    "offence": "offense",
    "offences": "offenses",
    "pretence": "pretense",
    "licence": "license",
    "licences": "licenses",
    "practise": "practice",
    "practised": "practiced",
    "practising": "practicing",
    "catalogue": "catalog",
    "catalogues": "catalogs",
    "catalogued": "cataloged",
    "cataloguing": "cataloging",
    "analogues": "analogs",
    "enrols": "enrolls",
    "distils": "distills",
    "instils": "instills",
    "fulfils": "fulfills",
    "dialogue": "dialog",
    "dialogues": "dialogs",
    "analogue": "analog",
    "manoeuvre": "maneuver",
    "manoeuvres": "maneuvers",
    "manoeuvred": "maneuvered",
    "grey": "gray",
    "tyre": "tire",
    "tyres": "tires",
    "plough": "plow",
    "aluminium": "aluminum",
    "sceptic": "skeptic",
    "sceptical": "skeptical",
    "scepticism": "skepticism",
    "mould": "mold",
    "smoulder": "smolder",
    "ageing": "aging",
    "judgement": "judgment",
    "acknowledgement": "acknowledgment",
    "jewellery": "jewelry",
    "artefact": "artifact",
    "artefacts": "artifacts",
    "pyjamas": "pajamas",
    "cosy": "cozy",
    "enrol": "enroll",
    "enrolment": "enrollment",
    "fulfil": "fulfill",
    "fulfilment": "fulfillment",
    "instalment": "installment",
    "skilful": "skillful",
    "wilful": "willful",
    "distil": "distill",
    "instil": "instill",
    "anaemia": "anemia",
    "anaemic": "anemic",
    "anaesthetic": "anesthetic",
    "anaesthesia": "anesthesia",
    "anaesthetist": "anesthetist",
    "paediatrician": "pediatrician",
    "encyclopaedic": "encyclopedic",
    "haemoglobin": "hemoglobin",
    "diarrhoea": "diarrhea",
    "oesophagus": "esophagus",
    "caesarean": "cesarean",
    "paediatric": "pediatric",
    "encyclopaedia": "encyclopedia",
    "haemorrhage": "hemorrhage",
    "leukaemia": "leukemia",
    "oestrogen": "estrogen",
    "foetus": "fetus",
    "orthopaedic": "orthopedic",
    "mediaeval": "medieval",
    "storey": "story",
    "cheque": "check",
}

_OUR = re.compile(
    r"(\w{2,}?)our(s|ed|ing|able|ably|ite|ites|ful|fully|less|er|ers|ist|ists|ism|al|ally|ant|ants"
    r"|y|ies|ry|ries|hood|hoods|ise|ised|ises|ising|ize|ized|izes|izing)?"
)
_NOT_OUR = (
    "hour", "four", "tour", "pour", "your", "sour", "flour", "scour", "devour", "amour", "velour",
    "troubadour", "glamour", "tambour",
)  # fmt: skip
"""Words whose -our is the only spelling; a word ending in one of them is left alone too."""

_RE = re.compile(
    r"(\w*?)(centr|metr|litr|theatr|fibr|calibr|sabr|sombr|spectr|lustr|sceptr|meagr|ochr|mitr"
    r"|goitr|reconnoitr)(e|es|ed|ing)"
)
_RE_ENDINGS = {"e": "", "es": "s", "ed": "ed", "ing": "ing"}

_ISE = re.compile(r"(\w{3,}?)is(e|es|ed|ing|ingly|er|ers|ation|ations|ational|ement)")
_KEEP_ISE = re.compile(r".*(wise|prise|vise|guise|aise|oise|uise)")
_NOT_ISE = (
    "concise", "excise", "precise", "incise",
    "circumcise", "exercise", "demise", "premise", "surmise", "promise", "compromise",
    "merchandise", "paradise", "advertise", "chastise", "expertise", "mortise", "treatise",
    "franchise", "despise", "valise",
)  # fmt: skip
"""Words whose -ise is the only spelling; a word ending in one of them (`imprecise`) too."""
_RISE = {"rise", "arise", "sunrise", "moonrise", "uprise"}
"""Only these: `theorise` and `memorise` end in -rise but are spelt -ize in American English."""

_YSE = re.compile(r"(\w*(?:ana|para|cata|dia|electro|hydro|pyro)l)ys(e|es|ed|ing|er|ers)")

_DOUBLE_L = re.compile(r"(\w+?)l(ed|ing|er|ers|or|ors|ous|est)")
_GRAMME = re.compile(r"(\w*gram)me(s?)")
_ONE_L = {
    "travel", "cancel", "label", "model", "fuel", "signal", "channel", "counsel", "level",
    "marvel", "quarrel", "total", "tunnel", "jewel", "dial", "equal", "duel", "panel", "pencil",
    "shovel", "snorkel", "spiral", "rival", "dishevel", "grovel", "yodel", "funnel", "gravel",
    "initial", "bevel", "chisel", "refuel", "unravel", "ravel", "barrel", "kennel", "libel",
    "pedal", "revel", "swivel", "towel", "tassel", "medal", "council", "cruel", "enamel",
    "drivel", "cudgel", "carol", "devil", "bedevil", "backpedal", "disembowel", "marshal",
    "pummel", "stencil", "trammel", "squirrel", "cavil", "snivel", "bejewel",
}  # fmt: skip


def _spelt_ize(base: str) -> bool:
    """Whether an -ise verb is spelt -ize in American English (`realise`, not `advise`)."""
    return not _KEEP_ISE.fullmatch(base) and base not in _RISE and not base.endswith(_NOT_ISE)


def american(word: str) -> str:
    """The American spelling of a folded word; a word with no other spelling comes back as it is.

    `defence` -> `defense`, `kilometres` -> `kilometers`, `organisation` -> `organization`,
    `travelled` -> `traveled`, `honour` -> `honor`; `defense`, `rise` and `hour` are unchanged.
    """
    word = _TABLE.get(word, word)
    if (match := _OUR.fullmatch(word)) and not (match.group(1) + "our").endswith(_NOT_OUR):
        word = f"{match.group(1)}or{match.group(2) or ''}"
    if match := _RE.fullmatch(word):
        prefix, stem, ending = match.groups()
        word = f"{prefix}{stem[:-1]}er{_RE_ENDINGS[ending]}"
    if match := _GRAMME.fullmatch(word):
        word = match.group(1) + match.group(2)
    if (match := _ISE.fullmatch(word)) and _spelt_ize(match.group(1) + "ise"):
        word = f"{match.group(1)}iz{match.group(2)}"
    if match := _YSE.fullmatch(word):
        word = f"{match.group(1)}yz{match.group(2)}"
    if (match := _DOUBLE_L.fullmatch(word)) and match.group(1) in _ONE_L:
        word = match.group(1) + match.group(2)
    return word
