"""Hostile deck text shared by the unit and TUI tests: every character that could steer a terminal.

A deck holding these in its name, description, tags, every card kind and every field, and the
checks that what the app or a command writes to the terminal holds none of them raw.
"""

from __future__ import annotations

BIDI = [*range(0x202A, 0x202F), *range(0x2066, 0x206A)]
"""The bidirectional embeddings, overrides and isolates."""
CONTROLS = "".join(chr(code) for code in [*range(0x20), 0x7F, *range(0x80, 0xA0), *BIDI])
"""Every C0 control, DEL, every C1 control and the bidi controls."""
IN_A_LINE = CONTROLS.replace("\n", "")
"""What can sit inside one line of a deck file (a newline would end the line)."""
MARKUP = "[/] [bold]bold[/bold] [red"
"""Rich and Textual markup, to be shown as typed."""


def toml_escaped(text: str) -> str:
    """`text` as the inside of a TOML basic string (controls as \\uXXXX escapes)."""
    return "".join(
        f"\\u{ord(char):04x}" if ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F else char
        for char in text.replace("\\", "\\\\").replace('"', '\\"')
    )


def hostile_deck() -> str:
    """A deck of every card kind with every control character in every piece of text."""
    bad = IN_A_LINE
    return f"""+++
name = "Evil {toml_escaped(MARKUP + CONTROLS)}"
description = "Described {toml_escaped(CONTROLS)}"
tags = ["tag{toml_escaped(CONTROLS)}"]
+++

Q: Basic {MARKUP} {bad} end
A: Answer {bad} end
Note: Note {bad} end
Tags: t{bad.replace(",", "")}x

Q: Typed {bad} end
T: typed{bad}answer

C: Cloze {bad} [deleted{bad}::hint{bad}] and [second{bad}] end

Q: Choice {bad} end
- [x] right {bad} end
- [ ] wrong {bad} end
- [ ] other {bad} end

True: Statement {bad} end
Note: Note {bad} end

False: Falsehood {bad} end
Note: Correction {bad} end
"""


def raw_characters(text: str, *, allowed: str = "") -> list[str]:
    """The characters of `text` a terminal would obey (besides those `allowed`), as escapes."""
    return sorted(
        {
            f"U+{ord(char):04X}"
            for char in text
            if char not in allowed
            and (ord(char) < 0x20 or 0x7F <= ord(char) <= 0x9F or ord(char) in BIDI)
        }
    )
