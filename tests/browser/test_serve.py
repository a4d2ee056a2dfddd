"""`trainer serve` in a real browser: Debian's Chromium, driven headless by Playwright, studies a
card with key presses, and the answer is read back from the database."""

from __future__ import annotations

import shutil
import socket
import sqlite3
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from trainer.cli import cli

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
DECK = "Q: What is the capital of Canada?\nA: Ottawa\n"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A `trainer serve` on a free local port, with one deck; its URL and its database."""
    deck = tmp_path / "capitals.md"
    deck.write_text(DECK, encoding="utf-8")
    db = tmp_path / "progress.db"
    port = free_port()
    command = [sys.executable, "-m", "trainer", "--db", str(db), "--decks", str(deck)]
    server = subprocess.Popen(
        [*command, "serve", "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(url, timeout=1).close()
                break
            except OSError:
                if time.monotonic() > deadline or server.poll() is not None:
                    raise AssertionError("trainer serve did not start") from None
                time.sleep(0.2)
        yield url, db
    finally:
        server.terminate()
        server.wait(timeout=10)


def reviews(db: Path) -> list[tuple[int, str]]:
    if not db.exists():
        return []
    with sqlite3.connect(db) as conn:
        return conn.execute("SELECT rating, mode FROM reviews").fetchall()


def test_a_card_studied_in_the_browser_is_saved(served: tuple[str, Path]) -> None:
    from playwright.sync_api import sync_playwright

    url, db = served
    assert Path(CHROMIUM).exists(), f"{CHROMIUM} is missing: `make test` installs chromium"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_FLAGS
        )
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            page.goto(url)
            # The app has drawn its first frame once the page marks the first byte.
            page.wait_for_selector("body.-first-byte", timeout=30_000)
            page.locator(".xterm-helper-textarea").focus()
            page.wait_for_timeout(2000)  # the home screen loads its decks in a worker
            # enter: study the first row ("All decks"); space: show the answer; 3: Good.
            for key in ("Enter", "Space", "3"):
                page.keyboard.press(key)
                page.wait_for_timeout(1000)
            deadline = time.monotonic() + 15
            while not reviews(db) and time.monotonic() < deadline:
                time.sleep(0.2)
        finally:
            browser.close()
    assert reviews(db) == [(3, "review")]


def test_other_addresses_need_an_explicit_flag(tmp_path: Path) -> None:
    result = CliRunner().invoke(cli, ["--db", str(tmp_path / "p.db"), "serve", "--host", "0.0.0.0"])
    assert result.exit_code == 1
    assert "--allow-remote" in result.output
