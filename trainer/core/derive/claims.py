"""Claim cards for `trainer derive`: "Why does ...?" with the reason the document gives.

A standalone sentence (see `variants.standalone_sentences`) that states a reason ("because
...", "given ...", "as a means of ...", "in order to ...", or a purpose: "to counter ...") is
split at the reason: the claim before it becomes a "Why ...?" question and the reason its
answer. A claim with no plain shape for a question gives no card.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from trainer.core.cards import Kind
from trainer.core.derive.entities import pools_of
from trainer.core.derive.facts import Document, Draft
from trainer.core.derive.questions import invert
from trainer.core.derive.text import PURPOSES, TAKES_TO
from trainer.core.derive.variants import standalone_sentences

_REASON = re.compile(
    r",?\s+(?P<cue>because\b|(?<=,\s)given (?=the|that|its|their|how|a|an)\b|as a means of\b"
    r"|in order to\b|so that\b|due to\b"
    r"|to (?P<verb>[a-z]+)\b)"
)
MIN_CLAIM_WORDS = 4


def find_claims(document: Document) -> Iterator[Draft]:
    """ "Why ...?" drafts for sentences that give a reason for what they state."""
    pools = pools_of(document)
    for sentence in standalone_sentences(document, pools):
        text = sentence.text
        for match in _REASON.finditer(text):
            verb = match.group("verb")
            if verb is not None and verb not in PURPOSES:
                continue
            claim = text[: match.start()].strip()
            if verb is not None and TAKES_TO.search(claim):
                continue
            if len(claim.split()) < MIN_CLAIM_WORDS or ", " in claim:
                continue
            turned = invert(document.sentence_case(claim).split())
            if turned is None:
                continue
            if verb is not None and turned.split()[0] in ("is", "are", "was", "were"):
                continue  # "X is an organisation established ... to Y": Y is what Y was made for
            reason = text[match.start("cue") :].rstrip(" .")
            answer = reason[0].upper() + reason[1:] + "."
            yield Draft(
                "claims",
                Kind.BASIC,
                f"Why {turned}?",
                sentence.first_line,
                sentence.last_line,
                (sentence.span.lines[0], sentence.span.start),
                answers=(answer,),
            )
            break
