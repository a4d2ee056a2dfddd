"""Drafting a deck from a plain-text document.

`document.draft_deck` is the entry point: `text` splits the document into sentences, the fact
finders (`facts`, `names`, `statements`, `lists`) propose cards, and `questions` words them.
"""
