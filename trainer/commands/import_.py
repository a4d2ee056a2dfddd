"""`trainer import FILE...`: bring decks and their history from Anki, Quizlet or CSV files.

Every file is read and checked, and every deck file is composed and read back, before anything
is written: a bad file stops the import with one line and nothing changed. Then the deck files
(with media beside them) are written, synced into the store, and the history is logged in one
transaction.
"""

from __future__ import annotations

import contextlib
import sys
import time
from pathlib import Path
from typing import TYPE_CHECKING

import click

from trainer.commands.common import echo, fail, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings
    from trainer.importing.deck_plan import Plan
    from trainer.importing.records import Collection
    from trainer.store.collection_import import HistoryReport

PROGRESS_AFTER_REVIEWS = 20_000
"""About a second of replaying: larger imports show a progress bar."""


def write_file_atomically(path: Path, data: bytes) -> None:
    """Write `data` to `path` whole or not at all, flushed to the disk (`core.atomic`)."""
    from trainer.core.atomic import write_atomically

    path.parent.mkdir(parents=True, exist_ok=True)
    write_atomically(path, data)


@click.command("import")
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--into",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder to write the decks into (default: decks/ in the data folder).",
)
@click.option("--deck", "deck_name", help="Put every card into this one deck.")
@click.option("--separator", help="Quizlet's custom text between term and definition.")
@click.option("--row-separator", help="Quizlet's custom text between rows.")
@click.pass_obj
def command(
    settings: Settings,
    files: tuple[Path, ...],
    into: Path | None,
    deck_name: str | None,
    separator: str | None,
    row_separator: str | None,
) -> None:
    """Import Anki packages (.apkg, .colpkg), Anki notes text, Quizlet exports or CSV decks.

    Each Anki deck becomes a deck file (A::B becomes A/B.md), every card stamped with an Id
    from its note, so importing again updates the decks instead of adding copies. Reviews come
    along: the cards keep their history and schedule; suspended cards stay suspended.
    """
    from trainer import paths
    from trainer.importing.deck_plan import plan_import
    from trainer.importing.formats import read_foreign_file
    from trainer.importing.records import ImportFileError

    started = time.monotonic()
    target = into or paths.data_dir() / "decks"
    with user_errors():
        try:
            collections = [
                read_foreign_file(
                    path, _shown(path), deck=deck_name, separator=separator,
                    row_separator=row_separator,
                )
                for path in files
            ]  # fmt: skip
            plan = plan_import(collections, ", ".join(path.name for path in files))
            _check_targets(plan, target)
        except ImportFileError as error:
            fail(str(error))
        if not plan.decks:
            fail(f"{_shown(files[0])}: no cards to import")
        try:
            report = _write(settings, plan, collections, target)
        except ImportFileError as error:
            fail(str(error))
    elapsed = time.monotonic() - started
    places = [*paths.default_deck_places(), *settings.deck_places, paths.data_dir() / "decks"]
    echo(_summary(plan, collections, report, target, places, elapsed), lines=True)


def _shown(path: Path) -> str:
    from trainer.core.library import shown_path

    return shown_path(path)


def _check_targets(plan: Plan, target: Path) -> None:
    """Refuse to overwrite a deck file that is not an earlier import of these notes."""
    from trainer.importing.records import ImportFileError

    for deck in plan.decks:
        path = target / deck.path
        if not path.exists():
            continue
        try:
            existing = path.read_text(encoding="utf-8", errors="replace")
        except OSError as error:
            raise ImportFileError(f"{_shown(path)}: cannot read: {error.strerror}") from None
        if not any(f"\nId: {entry.id}\n" in existing + "\n" for entry in deck.entries):
            raise ImportFileError(
                f"{_shown(path)}: a deck file of that name exists and holds none of these "
                "cards; import with --into another folder or --deck another name"
            )


def _write(
    settings: Settings, plan: Plan, collections: list[Collection], target: Path
) -> HistoryReport:
    from trainer.core.library import find_deck_files
    from trainer.importing.html_text import MEDIA_FOLDER
    from trainer.store.collection_import import ForeignReview, import_history
    from trainer.store.store import Store

    store = Store.open(settings.db_path)
    written: list[tuple[Path, bytes | None]] = []
    """Each file written, with what it held before (None: it did not exist), to undo."""

    folders: list[Path] = []
    """Folders made for them, to remove again."""

    def write(path: Path, data: bytes) -> None:
        missing = [folder for folder in path.parents if not folder.exists()]
        folders.extend(reversed(missing))
        old = path.read_bytes() if path.exists() else None
        if old != data:
            written.append((path, old))
            write_file_atomically(path, data)

    try:
        try:
            for deck in plan.decks:
                path = target / deck.path
                write(path, deck.text.encode("utf-8"))
                for name, media in deck.media.items():
                    write(path.parent / MEDIA_FOLDER / name, media[name])
            places = [*settings.deck_places, target]
            store.sync(find_deck_files(places), roots=[place.resolve() for place in places])
        except BaseException:
            # A damaged media file, another deck file that does not parse, a locked database:
            # leave the files as they were, so a failed import changes nothing.
            for path, old in reversed(written):
                if old is None:
                    path.unlink(missing_ok=True)
                else:
                    write_file_atomically(path, old)
            for folder in reversed(folders):
                with contextlib.suppress(OSError):
                    folder.rmdir()
            raise
        reviews = [
            ForeignReview(key, review.at_ms, review.rating, review.duration_ms)
            for collection in collections
            for review in collection.reviews
            for key in plan.keys_of.get((collection.source, review.foreign_card), [])
        ]
        if len(reviews) < PROGRESS_AFTER_REVIEWS or not sys.stderr.isatty():
            return import_history(store, reviews, plan.suspended, flags=kept_flags(plan))
        cards = len({review.key for review in reviews})
        with click.progressbar(length=cards, label="Carrying over reviews", file=sys.stderr) as bar:
            return import_history(
                store, reviews, plan.suspended, bar.update, flags=kept_flags(plan)
            )
    finally:
        store.close()


def kept_flags(plan: Plan) -> dict[str, int]:
    """The Anki flags trainer keeps, by card key: red, orange, green and blue are its 1-4."""
    return {key: color for key, color in plan.flagged.items() if 1 <= color <= 4}


def _summary(
    plan: Plan,
    collections: list[Collection],
    report: HistoryReport,
    target: Path,
    places: list[Path],
    seconds: float,
) -> str:
    kinds = ", ".join(f"{count:,} {kind}" for kind, count in sorted(plan.kinds.items()))
    cards = sum(plan.kinds.values())
    decks = len(plan.decks)
    parts = [
        f"Imported {decks:,} deck{'s' * (decks != 1)} into {_shown(target)}: "
        f"{cards:,} cards ({kinds}), {report.reviews:,} reviews"
    ]
    if not any(target.resolve() == place.resolve() for place in places):
        parts.append(f"study them with --decks {_shown(target)}")
    if report.already:
        parts.append(f"{report.already:,} reviews already imported")
    if report.suspended or plan.suspended:
        parts.append(f"{len(plan.suspended):,} suspended")
    if kept_flags(plan):
        parts.append(f"{len(kept_flags(plan)):,} flagged")
    approximated = {}
    for collection in collections:
        approximated.update(collection.approximated)
    for name, count in sorted(approximated.items()):
        parts.append(f"{count:,} {name!r} notes as question and answer (their first two fields)")
    skipped = dict(plan.skipped)
    if report.older:
        skipped["reviews older than the card's history here"] = report.older
    if plan.buried:
        skipped["buried marks (a bury lasts until the next study day)"] = len(plan.buried)
    if len(plan.flagged) > len(kept_flags(plan)):
        skipped["pink, turquoise or purple flags (trainer has red, orange, green and blue)"] = len(
            plan.flagged
        ) - len(kept_flags(plan))
    if skipped:
        parts.append(
            "skipped " + "; ".join(f"{count:,} {why}" for why, count in sorted(skipped.items()))
        )
    return "; ".join(parts) + f" ({seconds:.1f} s)."
