"""Textual's footer, rebuilt only when the keys it shows have changed."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.widgets import Footer

if TYPE_CHECKING:
    from textual.screen import Screen

Shown = tuple[tuple[str, str, str, object, bool, str], ...]


def shown_keys(screen: Screen) -> Shown:
    """What the footer draws: each shown binding's key, action, label, group, whether it is
    enabled, and its tooltip, and the command palette's key, which it draws though hidden. The
    hidden keys of a widget that takes the focus (the deck table's arrows) change nothing."""
    palette = screen.app.COMMAND_PALETTE_BINDING
    return tuple(
        (key, binding.action, binding.description, binding.group, enabled, tooltip)
        for key, (_, binding, enabled, tooltip) in screen.active_bindings.items()
        if binding.show or key == palette
    )


class KeyFooter(Footer):
    """The keys of the screen, as `Footer` shows them.

    `Footer` rebuilds all its keys each time the screen's bindings are refreshed: three times
    as the home screen starts (on its first refresh, when the deck table comes and takes the
    focus, when the deck list fills it), each time with the same keys, and each rebuild costs
    more than painting the rest of the screen. This one rebuilds when what it would show is
    different.
    """

    def __init__(self) -> None:
        super().__init__()
        self._built_for: Shown | None = None

    def bindings_changed(self, screen: Screen) -> None:
        shown = shown_keys(screen)
        if shown == self._built_for:
            return
        if screen.app.app_focus and self.is_attached and screen is self.screen:
            self._built_for = shown  # the rebuild below is scheduled for exactly these keys
        super().bindings_changed(screen)
