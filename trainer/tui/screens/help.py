"""Every key binding of every screen, on one page."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

_KEY_NAMES = {"space": "space", "enter": "enter", "escape": "esc", "question_mark": "?"}


def binding_lines(title: str, bindings: list[Binding]) -> list[str]:
    """`title` then one `key  description` line per distinct action."""
    seen: dict[str, list[str]] = {}
    descriptions: dict[str, str] = {}
    for binding in bindings:
        key = _KEY_NAMES.get(binding.key, binding.key)
        if binding.action.startswith("number(") and binding.description == "Choose":
            seen.setdefault("choose", []).append(key)
            descriptions["choose"] = "Pick a choice (multiple choice, before answering)"
            continue
        seen.setdefault(binding.action, []).append(key)
        descriptions.setdefault(binding.action, binding.description)
    lines = [title]
    for action, keys in seen.items():
        shown = (
            keys[0]
            if len(keys) == 1
            else f"{keys[0]}-{keys[-1]}"
            if action == "choose"
            else " / ".join(keys)
        )
        lines.append(f"  {shown:<14} {descriptions[action]}")
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
