"""Settings: daily limits, desired retention, learning steps, siblings, fuzz and the theme.

Saved to `config.toml` with ctrl+s. A deck's own front matter still wins for that deck; the
screen lists those overrides so the learner knows why a deck does not follow these values.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Footer, Input, Label, Select, Static, Switch

from trainer.config import THEMES, Preferences, format_steps, preferences_from
from trainer.store.deck_settings import DeckOverride, deck_overrides
from trainer.store.errors import StoreError
from trainer.tui.context import trainer

FIELDS = (
    ("new_per_day", "New cards a day"),
    ("reviews_per_day", "Reviews a day"),
    ("desired_retention", "Desired retention (0.7-0.99)"),
    ("learning_steps", "Learning steps (e.g. 1m 10m)"),
    ("relearning_steps", "Relearning steps"),
    ("leech_lapses", "Lapses that make a leech"),
)


def _value(preferences: Preferences, key: str) -> str:
    value = getattr(preferences.schedule, key)
    if isinstance(value, tuple):
        return format_steps(value)
    return str(value)


def _shown(value: object) -> str:
    if isinstance(value, tuple) and all(isinstance(v, timedelta) for v in value):
        return format_steps(value)
    return str(value)


class SettingsScreen(Screen[None]):
    """Change how every deck is studied, unless a deck says otherwise."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Save"),
        Binding("escape", "back", "Back"),
    ]

    def compose(self) -> ComposeResult:
        preferences = trainer(self).preferences
        with VerticalScroll(id="settings"):
            for key, label in FIELDS:
                with Horizontal(classes="setting"):
                    yield Label(label)
                    yield Input(_value(preferences, key), id=f"setting-{key}")
            for key, label, value in (
                ("bury_siblings", "Bury siblings until tomorrow", preferences.bury_siblings),
                ("fuzz", "Fuzz long intervals", preferences.schedule.fuzz),
            ):
                with Horizontal(classes="setting"):
                    yield Label(label)
                    yield Switch(value, id=f"setting-{key}")
            with Horizontal(classes="setting"):
                yield Label("Theme")
                themes = list(dict.fromkeys([preferences.theme, *THEMES]))
                yield Select(
                    [(name, name) for name in themes],
                    value=preferences.theme,
                    allow_blank=False,
                    id="setting-theme",
                )
            yield Static("", id="settings-problem", classes="error-line", markup=False)
            yield Static("", id="settings-overrides", classes="setting-note", markup=False)
        yield Footer()

    def on_mount(self) -> None:
        self.load_overrides()

    @work(thread=True, exclusive=True, group="settings")
    def load_overrides(self) -> None:
        try:
            overrides = deck_overrides(trainer(self).store)
        except StoreError as error:
            self.app.call_from_thread(self.notify, str(error), severity="error")
            return
        self.app.call_from_thread(self._show_overrides, overrides)

    def _show_overrides(self, overrides: list[DeckOverride]) -> None:
        if not self.is_attached:
            return
        if not overrides:
            text = "No deck sets its own schedule: these settings apply to every deck."
        else:
            lines = ["Set by a deck's own front matter (these win for that deck):"]
            for override in overrides:
                values = ", ".join(f"{k} {_shown(v)}" for k, v in override.settings.items())
                lines.append(f"  {override.name}: {values}")
            text = "\n".join(lines)
        self.query_one("#settings-overrides", Static).update(text)

    def read_form(self) -> tuple[Preferences, list[str]]:
        """The preferences the form holds, checked as `config.toml` is."""
        study: dict[str, object] = {}
        for key, _ in FIELDS:
            raw = self.query_one(f"#setting-{key}", Input).value.strip()
            if key.endswith("steps"):
                study[key] = raw.split()
            else:
                try:
                    study[key] = float(raw) if key == "desired_retention" else int(raw)
                except ValueError:
                    study[key] = raw
        for key in ("bury_siblings", "fuzz"):
            study[key] = self.query_one(f"#setting-{key}", Switch).value
        theme = self.query_one("#setting-theme", Select).value
        document = {"study": study, "theme": theme if isinstance(theme, str) else ""}
        preferences, problems = preferences_from(document, "settings")
        return preferences, [problem.removeprefix("settings: ") for problem in problems]

    def action_save(self) -> None:
        preferences, problems = self.read_form()
        problem = self.query_one("#settings-problem", Static)
        if problems:
            problem.update(problems[0].removesuffix("; using the default"))
            return
        problem.update("")
        app = trainer(self)
        app.save_preferences(replace(preferences))
        self.notify("Settings saved.")

    def action_back(self) -> None:
        self.app.pop_screen()
