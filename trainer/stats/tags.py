"""Tags as `tag_sets` stores them (a JSON list), read quickly.

Part of `trainer.stats`: the mastery of each tag counts every card's tags, which on a collection
whose cards nearly all have their own tag set costs more than the queries around it.
"""

from __future__ import annotations

import json
from collections import Counter


def tags_of(stored: str) -> list[str]:
    """The tags of `tag_sets.tags` value.

    A shortcut for what `json.dumps` writes for plain tags (`["a", "b"]`) saves most of the
    time on a collection whose cards nearly all have their own tag set.
    """
    parts = stored[2:-2].split('", "')
    if "\\" in stored or stored.count('"') != 2 * len(parts):
        return json.loads(stored)
    return parts


def tag_counts(tag_sets: dict[int, list[str]]) -> Counter[str]:
    """How many cards carry each tag, of tag sets listed by how many cards share each."""
    counts: Counter[str] = Counter()
    for share, sets in tag_sets.items():
        once = Counter(_all_tags(sets))
        if share == 1:
            counts.update(once)
        else:
            for tag, count in once.items():
                counts[tag] += share * count
    return counts


def _all_tags(tag_sets: list[str]) -> list[str]:
    """The tags of many `tag_sets.tags` values (none empty), one after the other: read as one
    list, as `tags_of` reads one, or each on its own when one is not written as it writes."""
    if not tag_sets:
        return []
    joined = ", ".join(tag_sets).replace('"], ["', '", "')
    if joined.startswith('["') and joined.endswith('"]'):
        parts = joined[2:-2].split('", "')
        if "\\" not in joined and joined.count('"') == 2 * len(parts):
            return parts
    return [tag for stored in tag_sets for tag in json.loads(stored)]
