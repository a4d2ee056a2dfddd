"""The layers stay apart: each lower package, imported alone, loads no Textual or Rich, and
`trainer.core` loads no SQLite either. Checked in a fresh interpreter per module, as only a new
process shows what one import pulls in."""

from __future__ import annotations

import ast
import os
import pkgutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

import trainer

UI = ("textual", "rich")
DATABASE = ("sqlite3", "sqlite_utils")
LOWER_PACKAGES = ("core", "importing", "store", "stats")
LOWER_MODULES = (
    "trainer.schedule",
    "trainer.recompute",
    "trainer.fuzz",
    "trainer.fitting",
    "trainer.config",
    "trainer.paths",
    "trainer.journal",
)


def modules_of(package: str) -> list[str]:
    """`trainer.<package>` and every module below it."""
    path = [str(Path(trainer.__file__).parent / package)]
    found = [f"trainer.{package}"]
    for module in pkgutil.walk_packages(path, prefix=f"trainer.{package}."):
        found.append(module.name)
    return sorted(found)


def forbidden(module: str) -> tuple[str, ...]:
    return UI + DATABASE if module.startswith("trainer.core") else UI


CASES = [m for package in LOWER_PACKAGES for m in modules_of(package)] + list(LOWER_MODULES)


def loaded_after(code: str) -> set[str]:
    """Top-level module names in `sys.modules` after running `code` in a fresh interpreter."""
    script = (
        f"import sys\n{code}\nprint(','.join(sorted({{n.split('.')[0] for n in sys.modules}})))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    return set(result.stdout.strip().splitlines()[-1].split(","))


def test_every_layer_has_modules() -> None:
    # Guards against the parametrisation below silently running zero cases.
    for expected in (
        "trainer.core.deckfile",
        "trainer.core.derive.document",
        "trainer.importing.review_log",
        "trainer.store.store",
        "trainer.stats.figures",
    ):
        assert expected in CASES


@pytest.mark.parametrize("module", CASES)
def test_lower_module_loads_no_ui(module: str) -> None:
    loaded = loaded_after(f"import importlib; importlib.import_module({module!r})")
    assert not loaded & set(forbidden(module)), f"{module} loads {loaded & set(forbidden(module))}"


@pytest.mark.parametrize("command", ["check", "decks"])
def test_commands_that_print_load_no_textual(command: str, tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("Q: What is two and two?\nA: four\n", encoding="utf-8")
    argv = ["trainer", "--db", str(tmp_path / "p.db"), "--decks", str(deck), command]
    code = (
        "from trainer.cli import main\n"
        f"sys.argv = {argv!r}\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code"
    )
    loaded = loaded_after(code)
    assert "textual" not in loaded
    assert "trainer" in loaded  # the command did run in this interpreter


def import_graph() -> dict[str, set[str]]:
    """Which of trainer's modules each module imports, read from the source (lazy imports and
    imports for type checking included: a cycle through either still ties the modules together)."""
    root = Path(trainer.__file__).parent
    names = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        names[".".join(parts[:-1] if parts[-1] == "__init__" else parts)] = path
    graph: dict[str, set[str]] = {name: set() for name in names}
    for name, path in names.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    prefix = package.split(".")[: len(package.split(".")) - node.level + 1]
                    base = ".".join([*prefix, *([node.module] if node.module else [])])
                targets = [base, *(f"{base}.{alias.name}" for alias in node.names)]
            else:
                continue
            graph[name].update(t for t in targets if t in graph and t != name)
    return graph


def test_no_module_imports_itself_back() -> None:
    graph = import_graph()
    assert "trainer.store.store" in graph

    def reaches(start: str, goal: str) -> bool:
        seen, todo = set(), list(graph[start])
        while todo:
            module = todo.pop()
            if module == goal:
                return True
            if module not in seen:
                seen.add(module)
                todo.extend(graph[module])
        return False

    cycles = sorted(m for m in graph if reaches(m, m))
    assert cycles == [], f"modules in an import cycle: {cycles}"


# What the home screen never needs, neither for its first frame nor for its deck list: each is
# imported when the screen or the step that uses it first runs.
DEFERRED = (
    "fsrs_rs_python",  # scheduling: the first answer
    "sqlite_utils",  # writes through the store: a sync that changed something, a migration
    "rapidfuzz",  # grading typed answers
    "textual_plotext",  # the statistics screen's charts
    "rich.markdown",
    "trainer.schedule",
    "trainer.recompute",
    "trainer.core.grading",
    "trainer.core.quiz",
    "trainer.stats",
    "trainer.tui.screens.study",
    "trainer.tui.screens.quiz",
    "trainer.tui.screens.stats",
    "trainer.tui.screens.browse",
    "trainer.tui.screens.settings",
    "trainer.tui.screens.help",
    "trainer.commands.decks",  # every subcommand but the one that opens the app
    "trainer.commands.stats",
    "trainer.commands.import_",
)
SHOWN_WITH_THE_COUNTS = (
    "textual.widgets._data_table",  # the deck table, mounted when the counts are read
    "trainer.core.cards",  # the deck parser's: the learner's settings need only `Schedule`
)
"""Loaded by the worker that reads the deck counts, not by what paints the first frame."""

# Runs `trainer --db DB --decks DECKS` headless and prints the modules loaded when the first
# frame was painted, then those loaded when the deck list had been painted.
WATCH_FRAMES = """
import sys
from textual.app import App

run, display = App.run, App._display
App.run = lambda self, *args, **kwargs: run(self, *args, headless=True, **kwargs)
frames = []

def watch(app, screen, renderable):
    display(app, screen, renderable)
    if renderable is not None and (not frames or getattr(screen, "summaries", None)):
        frames.append(",".join(sorted(sys.modules)))
        if len(frames) == 2:
            App._display = display
            app.exit()

App._display = watch
from trainer.cli import main

sys.argv = ["trainer", *sys.argv[1:]]
try:
    main()
finally:
    print("\\n".join(frames))
"""


def test_home_paints_without_the_modules_it_does_not_show(tmp_path: Path) -> None:
    deck = tmp_path / "deck.md"
    deck.write_text("Q: What is two and two?\nA: four\n", encoding="utf-8")
    # Written an hour ago: a file changed in the last seconds is read again at every start.
    os.utime(deck, (time.time() - 3600, time.time() - 3600))
    argv = ["--db", str(tmp_path / "p.db"), "--decks", str(deck)]
    env = {**os.environ, "TRAINER_HOME": str(tmp_path)}  # no config.toml to read

    def frames() -> list[set[str]]:
        result = subprocess.run(
            [sys.executable, "-c", WATCH_FRAMES, *argv],
            capture_output=True, text=True, check=False, timeout=60, env=env,
        )  # fmt: skip
        assert result.returncode == 0, result.stderr
        return [set(line.split(",")) for line in result.stdout.strip().splitlines()[-2:]]

    frames()  # the first start syncs the deck (a write); the second finds nothing changed
    first, listed = frames()
    assert "trainer.tui.screens.home" in first and "trainer.store.queue" in listed
    assert not first & set(DEFERRED), sorted(first & set(DEFERRED))
    assert "textual.widgets._data_table" not in first
    assert set(SHOWN_WITH_THE_COUNTS) <= listed
    assert not listed & set(DEFERRED), sorted(listed & set(DEFERRED))


def test_what_paints_the_first_frame_loads_neither_the_deck_table_nor_the_cards() -> None:
    # The modules the app's start imports on the event loop, without the worker's (which may
    # run alongside): in one thread, so that the answer does not depend on timing.
    script = (
        "import sys, trainer.cli, trainer.commands.study_app, trainer.tui.app\n"
        f"print(sorted(set(sys.modules) & {set(SHOWN_WITH_THE_COUNTS)!r}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
