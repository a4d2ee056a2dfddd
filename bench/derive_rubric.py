"""A rubric check of `trainer derive`'s drafts: fragments, dangling references and kinds.

For each document (the seed documents next to the repository, and the test documents in
`tests/data/derive/`), drafts a deck and checks every card as a learner would meet it:

- fragment: its text does not start a clause with its subject (a lowercase word, a conjunction
  or a participle first), ends mid-clause, or was cut inside a parenthesis or quotation;
- dangling: it leans on something it does not name ("this", "it", "their", "our", "the two
  countries", a bare "the operation");
- kinds: how many cards of each kind, and the share of true statements.

The detectors are `trainer.core.derive.quality`'s, which the drafter also uses to turn drafts
away, so this run shows they hold on every document; grading by hand is still the real test.
Run it from an older checkout to measure that code's drafts the same way.

A draft is one entry of the deck (a reversed pair or a cloze with several gaps counts once).
`--decks DIR` judges the decks already in DIR instead (one `.md` per document, as `trainer
derive -o` writes them), so drafts of an older version can be judged the same way.

    .venv/bin/python bench/derive_rubric.py [--seeds DIR] [--decks DIR] [--show N]
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from pathlib import Path

from trainer.core.cards import Card, Kind
from trainer.core.deckfile import parse_deck
from trainer.core.derive.document import draft_deck
from trainer.core.derive.quality import dangling_reason, fragment_reason
from trainer.core.derive.variants import blank_sentence

REPO = Path(__file__).resolve().parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
TEST_DOCUMENTS = REPO / "tests" / "data" / "derive"


def shown_text(card: Card) -> tuple[str, bool]:
    """What the learner reads of the card, and whether it is a question the drafter wrote."""
    if card.kind is Kind.CLOZE:
        return card.text, False
    sentence = blank_sentence(card.prompt)
    if sentence is not None:
        return sentence, False
    return card.prompt, card.kind not in (Kind.TRUE_FALSE,)


def check(card: Card) -> list[str]:
    """The rubric's findings for one card (none when it passes)."""
    if card.kind is Kind.REVERSED:
        return []  # an acronym and its long form
    text, question = shown_text(card)
    found = []
    if fragment_reason(text, question=question):
        found.append("fragment")
    if dangling_reason(text):
        found.append("dangling")
    if card.kind is Kind.CHOICE and len(card.choices) < 3:
        found.append("fewer than three options")
    return found


def main() -> int:
    """Print one line per document and the totals."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    parser.add_argument("--decks", type=Path, help="judge these drafted decks instead")
    parser.add_argument("--show", type=int, default=0, help="print N flagged drafts per document")
    args = parser.parse_args()
    if args.decks is not None:
        decks = [
            (path.name, parse_deck(path.read_text(encoding="utf-8"), path))
            for path in sorted(args.decks.glob("*.md"))
        ]
    else:
        documents = sorted(args.seeds.glob("*.txt")) + sorted(TEST_DOCUMENTS.glob("*.txt"))
        decks = [
            (path.name, parse_deck(draft_deck(path.read_text("utf-8"), path.name), Path("d.md")))
            for path in documents
        ]
    if not decks:
        print("no documents or decks to judge", file=sys.stderr)
        return 1
    header = f"{'document':<28} {'drafts':>6} {'frag':>4} {'dangl':>5} {'pass':>5}  kinds"
    print(header)
    totals: Counter[str] = Counter()
    for name, deck in decks:
        # One draft per entry: the two sides of a reversed pair and the gaps of one cloze share
        # the entry's line.
        cards = list({card.line: card for card in reversed(deck.cards)}.values())[::-1]
        findings = [check(card) for card in cards]
        kinds = Counter(card.kind.value for card in cards)
        statements = [card for card in cards if card.kind is Kind.TRUE_FALSE]
        true = sum(card.answer == "true" for card in statements)
        fragments = sum("fragment" in found for found in findings)
        dangling = sum("dangling" in found for found in findings)
        passing = sum(not found for found in findings)
        share = passing / len(cards) if cards else 0.0
        kind_text = ", ".join(f"{kind} {count}" for kind, count in sorted(kinds.items()))
        if statements:
            kind_text += f" (true {true}/{len(statements)})"
        print(
            f"{name[:28]:<28} {len(cards):>6} {fragments:>4} {dangling:>5} {share:>5.0%}"
            f"  {kind_text}"
        )
        for card, found in [(c, f) for c, f in zip(cards, findings, strict=True) if f][: args.show]:
            print(f"    {', '.join(found)}: {shown_text(card)[0]}")
        totals.update(cards=len(cards), fragments=fragments, dangling=dangling, passing=passing)
        totals.update(f"kind {kind}" for kind in kinds.elements())
    share = totals["passing"] / totals["cards"] if totals["cards"] else 0.0
    print(
        f"{'all':<28} {totals['cards']:>6} {totals['fragments']:>4} {totals['dangling']:>5}"
        f" {share:>5.0%}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
