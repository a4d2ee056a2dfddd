"""Every key binding of every screen, on one page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

_KEY_NAMES = {"space": "space", "enter": "enter", "escape": "esc", "question_mark": "?"}


def binding_lines(title: str, bindings: list[Binding]) -> list[str]:
    """`title` then one `keys  description` line per distinct action."""
    keys_of: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in bindings:
        action = binding.action
        if action.startswith("number(") or action.startswith("choose("):
            # The number keys pick choices before answering, whatever else they do after.
            keys_of.setdefault("choose", ["1-9"])
            descriptions["choose"] = "Pick a choice (multiple choice)"
            if binding.description == "Choose":
                continue
        for key in binding.key.split(","):
            keys_of.setdefault(action, []).append(_KEY_NAMES.get(key.strip(), key.strip()))
        descriptions.setdefault(action, binding.description)
    lines = [title]
    for action, keys in keys_of.items():
        lines.append(f"  {' / '.join(dict.fromkeys(keys)):<14} {descriptions[action]}")
    return lines


class HelpScreen(ModalScreen[None]):
    """The keys of the app and of each screen."""

    BINDINGS = [Binding("escape,question_mark,q", "dismiss", "Close")]

    def __init__(
        self, sections: list[tuple[str, type[Screen]]], app_bindings: list[Binding]
    ) -> None:
        super().__init__()
        self.sections = sections
        """Screens whose keys are listed, with their titles."""
        self.app_bindings = app_bindings
        """Keys that work everywhere."""

    def compose(self) -> ComposeResult:
        lines = ["Keys  (esc closes this page)", ""]
        lines += binding_lines("Everywhere", self.app_bindings) + [""]
        for title, screen in self.sections:
            lines += binding_lines(
                title, [b for b in screen.BINDINGS if isinstance(b, Binding)]
            ) + [""]
        with VerticalScroll(id="help"):
            yield Static("\n".join(lines), markup=False)
