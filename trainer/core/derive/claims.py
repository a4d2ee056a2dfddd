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
from trainer.core.derive.variants import standalone_sentences

# Verbs that say what something is for when "to" comes before them ("to counter", "to monitor").
_PURPOSES = frozenset(
    """monitor counter defend protect prevent provide address enhance help support guide ensure
    strengthen deter detect track promote improve reduce build maintain secure train develop
    modernize modernise respond coordinate combat fight control centralize centralise
    facilitate avoid increase expand keep create allow enable encourage bolster safeguard
    assist preserve defeat stop limit study explore find save carry feed grow escape reach mark
    honour honor celebrate record measure map warn prepare attract drain irrigate power feed
    store shelter trade link connect replace serve guard patrol""".split()
)
_REASON = re.compile(
    r",?\s+(?P<cue>because\b|(?<=,\s)given (?=the|that|its|their|how|a|an)\b|as a means of\b"
    r"|in order to\b|so that\b|due to\b"
    r"|to (?P<verb>[a-z]+)\b)"
)
# Verbs after which "to" completes them rather than giving a purpose ("agreed to create").
_TAKES_TO = re.compile(
    r"(?:agreed|agree|agrees|continue|continues|continued|began|begin|want|wants|wanted|need"
    r"|needs|needed|able|likely|used|going|committed|decided|tried|plan|plans|planned|aims"
    r"|aim|aimed|seeks|sought|expected|designed|intended|set|ready|has|have|had)$"
)
MIN_CLAIM_WORDS = 4


def find_claims(document: Document) -> Iterator[Draft]:
    """ "Why ...?" drafts for sentences that give a reason for what they state."""
    pools = pools_of(document)
    for sentence in standalone_sentences(document, pools):
        text = sentence.text
        for match in _REASON.finditer(text):
            verb = match.group("verb")
            if verb is not None and verb not in _PURPOSES:
                continue
            claim = text[: match.start()].strip()
            if verb is not None and _TAKES_TO.search(claim):
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
