"""`trainer.core` is the pure domain: importing any of it must not pull in Textual or SQLite."""

from __future__ import annotations

import pkgutil
import subprocess
import sys

import pytest

import trainer.core

FORBIDDEN = ("textual", "sqlite_utils", "sqlite3")
CORE_MODULES = sorted(
    f"trainer.core.{module.name}" for module in pkgutil.iter_modules(trainer.core.__path__)
)


def test_core_has_modules() -> None:
    # Guards against the parametrisation below silently running zero cases.
    assert "trainer.core.deckfile" in CORE_MODULES
    assert "trainer.core.grading" in CORE_MODULES


@pytest.mark.parametrize("module", ["trainer.core", *CORE_MODULES])
def test_importing_core_module_loads_no_ui_or_database(module: str) -> None:
    script = (
        "import importlib, sys\n"
        f"importlib.import_module({module!r})\n"
        f"print(','.join(name for name in {FORBIDDEN!r} if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} imports {result.stdout.strip()}"
