"""How many facts of the hand-written bundled decks `trainer derive` recovers from the documents.

Runs `draft_deck` on each document in `shared/seeds/` (next to the repository) and compares the
drafts with the cards of `decks/*.md` that cite those documents. A hand-written card's fact is
recovered when some draft card of the same document cites a line range overlapping the card's
and contains the card's answer evidence (`citations.answer_evidence`: the answer, or for true or
false the statement's numbers and names) in its text, compared after `normalise` as whole words.
A fact is one hand-written card; the two sides of a reversed entry count once.

Also reported, stricter: the evidence stands in what the draft asks the learner to recall (its
answer side), not merely in its question or cloze text.

With `--max N` each document gets N drafts instead of `trainer derive`'s default (about one
per 60 words), to see how recall grows with the deck.

    .venv/bin/python bench/derive_recall.py [--seeds DIR] [--decks DIR] [--max N]
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from trainer.core.cards import Card, Deck, Kind
from trainer.core.citations import answer_evidence, check_citations, contains_evidence
from trainer.core.deckfile import load_deck, parse_deck
from trainer.core.derive.document import draft_deck

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
DEFAULT_DECKS = REPO / "decks"
KINDS = [Kind.REVERSED, Kind.CLOZE, Kind.TYPED, Kind.CHOICE, Kind.TRUE_FALSE, Kind.BASIC]
_MONTHS = re.compile(
    r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b", re.IGNORECASE
)
_NUMBER_WORDS = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty"
    r"|fifty|sixty|seventy|eighty|ninety|hundred)\b",
    re.IGNORECASE,
)


@dataclass(frozen=True)
class Fact:
    """One hand-written card's fact: where it is, what it cites and the evidence it rests on."""

    where: str
    card: Card
    evidence: tuple[str, ...]


def main() -> int:
    """Print the draft counts, the recall and the most common kinds of missed facts."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--decks", type=Path, default=DEFAULT_DECKS)
    parser.add_argument(
        "--max", type=int, default=None, help="drafts per document (default: derive's own)"
    )
    args = parser.parse_args()
    documents = sorted(args.seeds.glob("*.txt"))
    if not documents:
        print(f"no documents in {args.seeds}", file=sys.stderr)
        return 1
    drafts = {path.name: draft(path, args.max) for path in documents}
    facts = hand_written_facts(args.decks, set(drafts))
    print(
        f"{len(documents)} documents, {len(facts)} hand-written facts in {args.decks.name}/*.md\n"
    )
    print_draft_counts(drafts, args.seeds)
    recovered = [fact for fact in facts if found(fact, drafts[fact.card.source.document], False)]
    answered = [fact for fact in facts if found(fact, drafts[fact.card.source.document], True)]
    print()
    print(f"recall: {len(recovered)}/{len(facts)} = {percent(len(recovered), len(facts))}")
    for name in drafts:
        mine = [fact for fact in facts if fact.card.source.document == name]
        got = [fact for fact in recovered if fact.card.source.document == name]
        print(f"  {name}  {len(got):>3}/{len(mine):<3} = {percent(len(got), len(mine))}")
    print(
        f"stricter, evidence in the draft's answer: {len(answered)}/{len(facts)} = "
        f"{percent(len(answered), len(facts))}"
    )
    missed = [fact for fact in facts if fact not in recovered]
    print("\nmost common kinds of missed facts:")
    kinds = Counter(miss_kind(fact, drafts[fact.card.source.document]) for fact in missed)
    for kind, count in kinds.most_common(10):
        example = next(f for f in missed if miss_kind(f, drafts[f.card.source.document]) == kind)
        shown = ", ".join(repr(piece) for piece in example.evidence)[:70]
        print(f"  {count:>3}  {kind:<58} e.g. {example.where} {shown}")
    return 0


def draft(path: Path, max_cards: int | None = None) -> Deck:
    """The draft deck of one document (at most `max_cards` drafts), parsed."""
    text = path.read_text(encoding="utf-8")
    return parse_deck(draft_deck(text, path.name, max_cards), Path(f"draft-{path.stem}.md"))


def hand_written_facts(decks: Path, documents: set[str]) -> list[Fact]:
    """Every card of the bundled decks citing one of `documents`, reversed pairs once."""
    facts, seen = [], set()
    for path in sorted(decks.glob("*.md")):
        for card in load_deck(path).cards:
            if card.source is None or card.source.document not in documents:
                continue
            evidence = tuple(answer_evidence(card))
            identity = (path.name, card.line, frozenset(evidence))
            if identity in seen:
                continue
            seen.add(identity)
            facts.append(Fact(f"{path.parent.name}/{path.name}:{card.line}", card, evidence))
    return facts


def print_draft_counts(drafts: dict[str, Deck], seeds: Path) -> None:
    """Per document: draft cards by kind and by finder, and whether every citation checks."""
    header = "".join(f"{kind.value:>10}" for kind in KINDS)
    print(
        f"{'document':<26}{'cards':>6}{header}   citations   finders (a merged cloze counts for each)"
    )
    totals: Counter[str] = Counter()
    for name, deck in drafts.items():
        kinds = Counter(card.kind for card in deck.cards)
        finders = Counter(tag for card in deck.cards for tag in card.tags if tag != "draft")
        totals.update({kind.value: kinds[kind] for kind in KINDS})
        totals["cards"] += len(deck.cards)
        problems = check_citations(deck, seeds)
        cited = "ok" if not problems else f"{len(problems)} bad"
        row = "".join(f"{kinds[kind]:>10}" for kind in KINDS)
        detail = ", ".join(f"{tag} {count}" for tag, count in sorted(finders.items()))
        print(f"{name:<26}{len(deck.cards):>6}{row}   {cited:<11} {detail}")
    row = "".join(f"{totals[kind.value]:>10}" for kind in KINDS)
    print(f"{'total':<26}{totals['cards']:>6}{row}")


def found(fact: Fact, deck: Deck, answer_only: bool) -> bool:
    """Whether some draft card cites an overlapping line and holds the fact's evidence."""
    return any(
        overlaps(card, fact.card)
        and all(contains_evidence(text(card, answer_only), piece) for piece in fact.evidence)
        for card in deck.cards
    )


def overlaps(one: Card, other: Card) -> bool:
    """Whether the two cards cite overlapping lines of the same document."""
    a, b = one.source, other.source
    return (
        a is not None
        and b is not None
        and a.document == b.document
        and a.first_line <= b.last_line
        and b.first_line <= a.last_line
    )


def text(card: Card, answer_only: bool) -> str:
    """What a draft card shows: all of it, or only what it asks the learner to recall."""
    if card.kind is Kind.CHOICE:
        recalled = list(card.correct_choices)
    elif card.kind is Kind.TYPED:
        recalled = list(card.accepted)
    elif card.kind in (Kind.REVERSED, Kind.TRUE_FALSE):
        recalled = [card.prompt, card.answer]
    else:
        recalled = [card.answer]
    if answer_only:
        return " ".join(recalled)
    return " ".join([card.prompt, card.text, card.note, *recalled])


def miss_kind(fact: Fact, deck: Deck) -> str:
    """A missed fact described by its card kind, the shape of its evidence and why it was missed."""
    cited = any(overlaps(card, fact.card) for card in deck.cards)
    why = "a draft cites the line, lacks the answer" if cited else "no draft cites the line"
    return f"{fact.card.kind.value} · {shape(fact.evidence)} · {why}"


def shape(evidence: tuple[str, ...]) -> str:
    """What the evidence is: a year, a date, a number, an acronym, a name, a phrase or several."""
    shapes = set()
    for piece in evidence:
        if _MONTHS.search(piece) and re.search(r"\d", piece):
            shapes.add("date")
        elif re.fullmatch(r"(1[6-9]|20)\d\d", piece.strip()):
            shapes.add("year")
        elif re.search(r"\d", piece) or _NUMBER_WORDS.fullmatch(piece.strip().split("-")[0]):
            shapes.add("number")
        elif re.fullmatch(r"[A-Z][A-Z0-9.&-]+s?", piece.strip()):
            shapes.add("acronym")
        elif piece[:1].isupper():
            shapes.add("name")
        else:
            shapes.add("phrase")
    return "+".join(sorted(shapes)) if len(shapes) <= 2 else "several"


def percent(part: int, whole: int) -> str:
    """`part` of `whole` as a percentage with one decimal."""
    return f"{100 * part / whole:.1f}%" if whole else "n/a"


if __name__ == "__main__":
    sys.exit(main())
