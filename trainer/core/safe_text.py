"""Text from files made safe to show on a terminal: nothing in it can steer the terminal.

Deck files, review logs and the database they filled can hold any character. A terminal obeys
some of them: ESC and the C1 controls start escape sequences (set the window title, wipe the
screen, write the clipboard), and bidirectional overrides make text read differently from
what it is. Every string that came from a file passes through `printable` (or `printable_line`)
before it is shown, in the study app and in every command.

Such characters are not removed but shown as visible escapes: C0, DEL and C1 controls as
`\\x1b`, other invisible format characters as `U+202E`, so an author can find and fix them.
Kept as they are: tab and newline where the layout needs them, the zero-width joiner and
non-joiner (emoji sequences, Persian and Indic spelling), the soft hyphen, the Arabic number
signs, and tag characters inside an emoji flag sequence.
"""

from __future__ import annotations

import re
from collections.abc import Callable

# Every control (C0, DEL, C1), the line and paragraph separators, lone surrogates (which cannot
# even be encoded for output), and every format character (Unicode category Cf) except those
# that are ordinary parts of writing: the soft hyphen, the Arabic and Syriac number signs, the
# zero-width non-joiner and joiner. Checked against `unicodedata` by the tests.
_FORMAT = (
    "\u061c\u180e\u200b\u200e\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff"
    "\ufff9-\ufffb\U00013430-\U0001343f\U0001bca0-\U0001bca3\U0001d173-\U0001d17a"
    "\U000e0001\U000e0020-\U000e007f"
)
_FLAG = "\U0001f3f4[\U000e0020-\U000e007e]+\U000e007f"
"""A subdivision flag (England, Scotland, Wales): a black flag, tag letters, a cancel tag."""
_UNSAFE = re.compile(f"{_FLAG}|[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff{_FORMAT}]")


_NAMED = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}


def _escape(char: str) -> str:
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    if code < 0x20 or 0x7F <= code <= 0x9F:
        return f"\\x{code:02x}"
    return f"U+{code:04X}"


def _replacer(keep: str) -> Callable[[re.Match[str]], str]:
    def replace(match: re.Match[str]) -> str:
        found = match.group()
        # A whole flag sequence, or a tab or newline the layout keeps, stays as it is.
        return found if len(found) > 1 or found in keep else _escape(found)

    return replace


_MULTI_LINE = _replacer("\n\t")
_ONE_LINE = _replacer("")


def printable(text: str) -> str:
    """`text` with every character that could steer a terminal shown as a visible escape.

    Newlines and tabs are kept, for text laid out on several lines (a card's question, a note).
    Runs in time linear in the length of `text`; text with nothing to escape is returned as is.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_MULTI_LINE, text)


def printable_line(text: str) -> str:
    """As `printable`, for text shown on one line (a table cell, a title, a message).

    Newlines and tabs are shown as `\\n` and `\\t` too, so one value never spills onto a second
    line or shifts a column.
    """
    if _UNSAFE.search(text) is None:
        return text
    return _UNSAFE.sub(_ONE_LINE, text)


def is_printable(text: str, *, lines: bool = True) -> bool:
    """Whether `text` would be shown unchanged (by `printable`, or `printable_line` if not `lines`)."""
    return (printable(text) if lines else printable_line(text)) == text
