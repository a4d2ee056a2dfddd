"""Anki's HTML fields as plain Markdown text: `<b>` as `**`, `<br>` as a line break, entities
decoded, pictures and sounds kept as visible references to the media files copied beside the deck.

Read with the standard library's `html.parser`, which never fails on broken markup: a field with
an unclosed tag still gives its text.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser

MEDIA_FOLDER = "media"
"""The folder, beside a deck file, that holds the media its cards refer to."""

_BLOCKS = {"div", "p", "li", "tr", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "ul"}
_BLOCKS |= {"ol", "table", "section", "article", "header", "footer", "dd", "dt"}
_EMPHASIS = {"b": "**", "strong": "**", "i": "*", "em": "*"}
_DROPPED = {"script", "style", "head", "title"}
_SOUND = re.compile(r"\[sound:([^\]\n]+)\]")
_CLOZE = re.compile(r"\{\{c(\d+)::(.*?)\}\}", re.DOTALL)
_SENTINEL = re.compile(r"\x00([is])([^\x00]*)\x00")
_CONTROLS = re.compile(r"[\x01-\x08\x0b-\x1f\x7f-\x9f]")  # \x00 marks media here
_BLOCK_BREAK = "\x01"
_LINE_BREAK = "\x02"
_SPACES = re.compile(r"[ \t\r\n\f\v\u00a0\u200b]+")


class _TextMaker(HTMLParser):
    """Collects the text of an HTML fragment, with Markdown emphasis and line breaks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.dropping = 0
        self.list_depth = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _DROPPED:
            self.dropping += 1
        elif tag == "br":
            self.parts.append(_LINE_BREAK)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_BREAK)
            if tag == "li":
                self.parts.append("- ")
        elif tag in _EMPHASIS:
            self.parts.append(_EMPHASIS[tag])
        elif tag == "img":
            source = dict(attrs).get("src") or ""
            if source:
                # A sentinel, not text: the brackets of the reference must not be escaped later.
                self.parts.append(f"\x00i{source}\x00")

    def handle_endtag(self, tag: str) -> None:
        if tag in _DROPPED:
            self.dropping = max(0, self.dropping - 1)
        elif tag in _BLOCKS:
            self.parts.append(_BLOCK_BREAK)
        elif tag in _EMPHASIS:
            marker = _EMPHASIS[tag]
            while self.parts and not self.parts[-1].strip():
                self.parts.pop()  # spaces before a closing marker would break the emphasis
            if self.parts and self.parts[-1] == marker:
                self.parts.pop()  # emphasis around nothing would show as stars
            else:
                self.parts.append(marker)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)

    def handle_data(self, data: str) -> None:
        if not self.dropping:
            self.parts.append(
                data.replace("\x00", "").replace(_BLOCK_BREAK, "").replace(_LINE_BREAK, "")
            )


def _lines(html: str, is_html: bool) -> str:
    """The fragment's text with sentinels for media, whitespace collapsed, lines kept."""
    if not is_html:
        text = html.replace("\x00", "").replace("\r\n", "\n")
    elif "<" not in html and "&" not in html:
        # No markup: skip the parser (most fields of a large collection are plain words).
        text = _SPACES.sub(" ", html.replace("\x00", ""))
    else:
        maker = _TextMaker()
        maker.feed(html)
        maker.close()
        # HTML whitespace is one space; only the line breaks made above are real ones, and
        # the end of one block and the start of the next are one break, not two.
        joined = _SPACES.sub(" ", "".join(maker.parts))
        text = re.sub(f"{_BLOCK_BREAK}+", "\n", joined).replace(_LINE_BREAK, "\n")
    # Control characters (terminal escapes among them) have no place in a card's text.
    text = _CONTROLS.sub("", text.replace("\t", " "))
    text = _SOUND.sub(lambda match: f"\x00s{match.group(1).strip()}\x00", text)
    lines = [line.strip() for line in text.split("\n")]
    # At most one blank line in a row, none at either end.
    out: list[str] = []
    for line in lines:
        if line or (out and out[-1]):
            out.append(line)
    while out and not out[-1]:
        out.pop()
    return "\n".join(out)


def media_reference(name: str, sound: bool) -> str:
    """How a picture or sound shows in a card: a Markdown link to its copy beside the deck.

    A bracket followed by `(` is a link to the deck parser, never a cloze deletion, so the
    reference reads literally in every kind of card.
    """
    label = re.sub(r"[\[\]\n]", "", name) or "file"
    target = f"{MEDIA_FOLDER}/{name}"
    if re.search(r"[\s()<>]", target):
        target = f"<{target.replace('<', '%3C').replace('>', '%3E')}>"
    return f"[sound: {label}]({target})" if sound else f"![{label}]({target})"


def _resolve_media(text: str, used: set[str]) -> str:
    def reference(match: re.Match[str]) -> str:
        name = match.group(2)
        used.add(name)
        return media_reference(name, match.group(1) == "s")

    return _SENTINEL.sub(reference, text)


def field_text(html: str, used_media: set[str], *, is_html: bool = True) -> str:
    """One field's HTML as Markdown text; the media it refers to are added to `used_media`."""
    return _resolve_media(_lines(html, is_html), used_media)


def cloze_text(html: str, used_media: set[str], *, is_html: bool = True) -> tuple[str, list[int]]:
    """A cloze field as our cloze text (`[answer::hint]`), with each deletion's Anki number.

    Brackets that are not deletions are escaped (`\\[`), so they read literally.
    """
    text = _lines(html, is_html).replace("[", "\\[").replace("]", "\\]")
    numbers: list[int] = []

    def deletion(match: re.Match[str]) -> str:
        numbers.append(int(match.group(1)))
        answer, _, hint = match.group(2).partition("::")
        answer = answer.strip() or "..."
        return f"[{answer}::{hint.strip()}]" if hint.strip() else f"[{answer}]"

    text = _CLOZE.sub(deletion, text)
    return _resolve_media(text, used_media), numbers


def plain_tags(raw: str) -> tuple[str, ...]:
    """Anki's space-separated tags as ours (Anki's `::` hierarchy kept in the tag's name)."""
    tags = _CONTROLS.sub("", raw).replace(",", " ").split()
    return tuple(dict.fromkeys(tag for tag in tags if tag))
