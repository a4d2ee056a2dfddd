"""Drafting a deck from a plain-text document.

`document.draft_deck` is the entry point: `text` splits the document into sentences and
clauses, the fact finders (`facts`, `names`, `statements`, `lists`) propose cloze, typed and
reversed cards, `variants` and `claims` ask about a sentence's figures, years, names and reasons
in other ways (multiple choice, true or false, typed, "Why ...?"), with wrong answers from
`entities`; `quality` turns away fragments and dangling references, `ranking` keeps the best,
`questions` words the questions and `rendering` writes the deck.
"""
