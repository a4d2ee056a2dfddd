"""The footer of the home screen: rebuilt when the keys it shows change, and only then."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Label
from textual.widgets._footer import FooterKey

from trainer.tui.widgets.key_footer import KeyFooter

from .conftest import wait_until


class Arrows(Widget, can_focus=True):
    """A widget whose keys the footer does not show (as the deck table's arrows)."""

    BINDINGS = [Binding("up", "up", "Up", show=False), Binding("down", "down", "Down", show=False)]


class Keys(Screen[None]):
    BINDINGS = [Binding("s", "study", "Study"), Binding("q", "quiz", "Quiz")]

    def __init__(self) -> None:
        super().__init__()
        self.quiz_allowed = True

    def compose(self) -> ComposeResult:
        yield Label("keys")
        yield Arrows()
        yield KeyFooter()

    AUTO_FOCUS = ""  # the arrows take the focus when a test gives it

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # None: the key is shown, dimmed (False would hide it).
        return None if action == "quiz" and not self.quiz_allowed else True


class KeysApp(App[None]):
    def get_default_screen(self) -> Screen:
        return Keys()


def footer_keys(app: App[None]) -> list[FooterKey]:
    return list(app.screen.query(FooterKey))


def quiz_key(app: App[None]) -> FooterKey | None:
    return next((key for key in footer_keys(app) if key.description == "Quiz"), None)


def dimmed(key: FooterKey | None) -> bool:
    """Whether the footer shows `key` as not available now."""
    return key is not None and key.has_class("-disabled")


async def test_the_footer_follows_keys_that_change() -> None:
    app = KeysApp()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: quiz_key(app), "the footer's keys")
        assert not dimmed(quiz_key(app))
        screen = app.screen
        assert isinstance(screen, Keys)
        screen.quiz_allowed = False
        screen.refresh_bindings()
        screen.refresh()  # the footer rebuilds after the screen's next refresh
        await wait_until(pilot, lambda: dimmed(quiz_key(app)), "Quiz dimmed")


async def test_the_footer_keeps_its_keys_when_nothing_changed() -> None:
    app = KeysApp()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: quiz_key(app), "the footer's keys")
        before = footer_keys(app)
        assert [key.description for key in before][:2] == ["Study", "Quiz"]
        app.screen.refresh_bindings()
        app.screen.refresh()
        await pilot.pause()
        await pilot.pause()
        assert footer_keys(app) == before  # the very same widgets: not rebuilt


async def test_the_footer_keeps_its_keys_when_a_widget_with_hidden_keys_takes_the_focus() -> None:
    app = KeysApp()
    async with app.run_test() as pilot:
        await wait_until(pilot, lambda: quiz_key(app), "the footer's keys")
        before = footer_keys(app)
        app.screen.query_one(Arrows).focus()
        await pilot.pause()
        assert "down" in app.screen.active_bindings  # the focused widget's keys are active...
        app.screen.refresh()
        await pilot.pause()
        await pilot.pause()
        assert footer_keys(app) == before  # ...but the footer, which does not show them, stays
