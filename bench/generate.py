"""Build the scale-benchmark data: 50 deck files holding 100,000 cards, and a progress database
with two years of history (1,000,000 reviews) for them.

Everything is derived from a fixed seed, so two runs write the same decks and the same history.
The history is anchored at `--end` (default: midnight UTC today) so that the database looks like
one in daily use when the benchmark runs; `bench/data/meta.json` records the anchor.

Each card's history is replayed with the real scheduler (`trainer.schedule.next_progress`), one
answer after another, so every review's `*_before` columns are exactly the state the previous
answer left, and each card's stored state is the state its last answer left. Cards are introduced
deck by deck in file order, a few a day, until the history holds exactly 1,000,000 reviews; the
cards never reached stay new.

    python bench/generate.py            # decks + database into bench/data/
    python bench/generate.py --decks-only
    python bench/generate.py --cards 10000    # a tenth of everything, into bench/data-10k/

`--cards` scales the collection (10,000, 100,000 or 1,000,000 cards, always 50 decks), each
size in its own folder. Up to 100,000 cards the history scales with it (ten reviews a card); at
1,000,000 cards it is the 100,000-card learner's (the same new cards and answers a day, so again
1,000,000 reviews), and the cards it never reached stay new (see `configure`).
"""

from __future__ import annotations

import argparse
import functools
import json
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from trainer import schedule  # noqa: E402
from trainer.core.grading import Rating  # noqa: E402
from trainer.core.library import find_deck_files  # noqa: E402
from trainer.core.progress import Progress, State, to_millis  # noqa: E402
from trainer.store.log_codec import encode_float, encode_times  # noqa: E402
from trainer.store.review_log import MODE_KINDS, time_key  # noqa: E402
from trainer.store.rows import schedule_from_settings  # noqa: E402
from trainer.store.store import Store  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"
DECKS = DATA / "decks"
DB = DATA / "progress.db"
META = DATA / "meta.json"

SIZES = {10_000: "data-10k", 100_000: "data", 1_000_000: "data-1m"}
"""Collection sizes the benchmark knows, and the folder of `bench/` each one's data lives in."""

SEED = 20_240_601
DECK_COUNT = 50
CARDS_PER_DECK = 2_000
REVIEW_COUNT = 1_000_000
HISTORY_DAYS = 730
INTRODUCED_PER_DAY = 110.0
"""New cards started per day, over all decks; tuned so the history reaches 1M reviews near its end."""

# Entry kinds with their weights; a reversed entry gives two cards, a cloze one per deletion.
KINDS = [
    ("basic", 34),
    ("typed", 27),
    ("cloze", 12),
    ("choice", 10),
    ("truefalse", 10),
    ("reversed", 7),
]
TOPICS = [
    "Air defence", "Arctic sovereignty", "Border security", "Procurement", "Cyber policy",
    "Maritime patrol", "Space surveillance", "Logistics", "Alliances", "Intelligence sharing",
    "Emergency management", "Treaty law", "Radar networks", "Budgets", "Training doctrine",
    "Search and rescue", "Peacekeeping", "Climate and security", "Trade corridors", "Energy grids",
    "Critical minerals", "Telecommunications", "Health security", "Infrastructure", "Aviation",
    "Naval shipbuilding", "Reserve forces", "Veterans affairs", "Export controls", "Sanctions",
    "Counter-terrorism", "Migration", "Customs", "Ports", "Railways", "Pipelines", "Fisheries",
    "Polar research", "Satellites", "Weather services", "Geography", "History", "Parliament",
    "Courts", "Provinces", "Languages", "Currency", "Statistics", "Diplomacy", "Elections",
]  # fmt: skip


def configure(cards: int) -> None:
    """Point this module at the data of a collection of `cards` cards (one of `SIZES`)."""
    global DATA, DECKS, DB, META, CARDS_PER_DECK, REVIEW_COUNT, INTRODUCED_PER_DAY
    # Up to 100,000 cards the history grows with the collection (ten reviews a card); above,
    # the learner's day stays what it is at 100,000 cards (110 new cards, about 1,400 answers),
    # so two years of it are the same 1,000,000 reviews and the other cards stay new.
    scale = min(cards, 100_000) / 100_000
    DATA = Path(__file__).resolve().parent / SIZES[cards]
    DECKS, DB, META = DATA / "decks", DATA / "progress.db", DATA / "meta.json"
    CARDS_PER_DECK = cards // DECK_COUNT
    REVIEW_COUNT = round(1_000_000 * scale)
    INTRODUCED_PER_DAY = 110.0 * scale


# -- deck files ---------------------------------------------------------------------------


def _vocabulary(rng: random.Random, size: int = 4_000) -> list[str]:
    """Pronounceable made-up words, so texts have realistic lengths without any real content."""
    onsets = ["b", "c", "d", "f", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t", "v", "w",
              "br", "ch", "cl", "dr", "fr", "gr", "pl", "pr", "sh", "st", "th", "tr"]  # fmt: skip
    vowels = ["a", "e", "i", "o", "u", "ai", "ea", "ou", "io"]
    codas = ["", "", "n", "r", "s", "t", "l", "nd", "st", "rk", "m"]
    words: set[str] = set()
    while len(words) < size:
        syllables = rng.choice((1, 1, 2, 2, 2, 3))
        words.add("".join(rng.choice(onsets) + rng.choice(vowels) + rng.choice(codas)
                          for _ in range(syllables)))  # fmt: skip
    return sorted(words)


@dataclass
class _Writer:
    """Writes the entries of all decks, keeping every question unique across the collection."""

    rng: random.Random
    words: list[str]
    seen: set[str] = field(default_factory=set)
    ids: int = 0

    def phrase(self, low: int, high: int) -> str:
        return " ".join(self.rng.choice(self.words) for _ in range(self.rng.randint(low, high)))

    def unique(self, make) -> str:
        while True:
            text = make()
            folded = " ".join(text.casefold().split())
            if folded not in self.seen:
                self.seen.add(folded)
                return text

    def question(self) -> str:
        openers = ["What is the", "Which", "Who leads the", "In what year did the", "Where is the",
                   "How many", "Why does the", "What does the", "Name the"]  # fmt: skip
        text = f"{self.rng.choice(openers)} {self.phrase(4, 12)}?"
        if self.rng.random() < 0.08:
            # Questions may span several lines.
            text = f"{self.phrase(6, 12)},\n{text}"
        return text.capitalize()

    def answer(self) -> str:
        roll = self.rng.random()
        if roll < 0.3:
            return self.phrase(1, 3).title()
        if roll < 0.85:
            return self.phrase(3, 14).capitalize() + "."
        return self.phrase(10, 20).capitalize() + ".\n" + self.phrase(8, 16).capitalize() + "."

    def number(self) -> str:
        value = self.rng.choice([self.rng.randint(2, 99), self.rng.randint(1900, 2030),
                                 self.rng.randint(1, 999) * 1000])  # fmt: skip
        return f"{value:,}"

    def fields(self, deck_no: int) -> list[str]:
        lines = []
        if self.rng.random() < 0.35:
            lines.append(
                f"Tags: {' '.join(self.rng.sample(self.words[:40], self.rng.randint(1, 3)))}"
            )
        if self.rng.random() < 0.6:
            first = self.rng.randint(1, 900)
            span = self.rng.choice((0, 0, 0, 1, 2, 4))
            cite = f"{first}-{first + span}" if span else f"{first}"
            lines.append(f"Source: doc_{deck_no:02d}_{self.rng.randint(1, 6)}.txt:{cite}")
        if self.rng.random() < 0.15:
            lines.append(f"Note: {self.answer()}")
        if self.rng.random() < 0.05:
            self.ids += 1
            lines.append(f"Id: b{deck_no:02d}-{self.ids:06d}")
        self.rng.shuffle(lines)
        return lines

    def entry(self, kind: str, deck_no: int) -> tuple[list[str], int]:
        """The lines of one entry and how many cards it gives."""
        rng = self.rng
        if kind in ("basic", "reversed"):
            lines = [f"Q: {self.unique(self.question)}", f"A: {self.answer()}"]
            if kind == "reversed":
                # The answer becomes a question too, so it must be unique.
                lines[1] = f"A: {self.unique(lambda: self.phrase(2, 6).title())}"
                lines.append("Reverse: yes")
            cards = 2 if kind == "reversed" else 1
        elif kind == "typed":
            lines = [f"Q: {self.unique(self.question)}"]
            if rng.random() < 0.4:
                lines.append(f"T: {self.number()}")
            else:
                lines.append(f"T: {self.phrase(1, 3)}")
            if rng.random() < 0.3:
                lines.append(f"T: {self.phrase(1, 3)}")
            cards = 1
        elif kind == "cloze":
            deletions = rng.choice((1, 1, 2, 2, 3))

            def cloze() -> str:
                parts = [self.phrase(3, 8)]
                for _ in range(deletions):
                    hidden = self.phrase(1, 3)
                    if rng.random() < 0.2:
                        hidden += f"::{rng.choice(('year', 'name', 'place', 'number'))}"
                    parts.append(f"[{hidden}]")
                    parts.append(self.phrase(2, 8))
                return " ".join(parts).capitalize() + "."

            lines = [f"C: {self.unique(cloze)}"]
            cards = deletions
        elif kind == "choice":
            lines = [f"Q: {self.unique(self.question)}"]
            options = rng.randint(3, 5)
            right = set(rng.sample(range(options), rng.choice((1, 1, 1, 2))))
            texts: list[str] = []
            while len(texts) < options:
                text = self.phrase(1, 4)
                if text not in texts:
                    texts.append(text)
            lines += [f"- [{'x' if i in right else ' '}] {t}" for i, t in enumerate(texts)]
            cards = 1
        else:
            truth = rng.random() < 0.5
            statement = self.unique(lambda: self.phrase(6, 16).capitalize() + ".")
            lines = [f"{'True' if truth else 'False'}: {statement}"]
            if not truth:
                lines.append(f"Note: {self.answer()}")
            cards = 1
        extra = self.fields(deck_no)
        if kind == "truefalse" and not truth:
            extra = [line for line in extra if not line.startswith("Note:")]
        return lines + extra, cards


def deck_text(writer: _Writer, deck_no: int) -> str:
    """One deck file of exactly `CARDS_PER_DECK` cards."""
    rng = writer.rng
    topic = TOPICS[deck_no % len(TOPICS)]
    out = ["+++", f'name = "{topic}"', f'description = "Benchmark deck {deck_no:02d}: {topic}."',
           f'tags = ["bench", "deck{deck_no:02d}"]',
           f'sources = [{", ".join(f"{chr(34)}doc_{deck_no:02d}_{i}.txt{chr(34)}" for i in range(1, 7))}]']  # fmt: skip
    if deck_no % 5 != 4:
        out += ["", "[schedule]",
                f"desired_retention = {rng.choice((0.85, 0.9, 0.9, 0.92))}",
                f"new_per_day = {rng.choice((10, 20, 20, 30))}"]  # fmt: skip
        if deck_no % 7 == 0:
            out.append('learning_steps = ["1m", "10m", "1h"]')
    if deck_no % 9 == 0:
        out += ["", "[answers]", "strict = true"]
    out += ["+++", "", f"Cards for the benchmark on {topic.lower()}. Text here is ignored.", ""]
    kinds, weights = zip(*KINDS)
    cards = 0
    section = 0
    while cards < CARDS_PER_DECK:
        if cards // 80 >= section:
            section += 1
            out += [f"# Section {section}: {writer.phrase(1, 4)}", ""]
        kind = rng.choices(kinds, weights)[0]
        lines, count = writer.entry(kind, deck_no)
        if cards + count > CARDS_PER_DECK:
            continue
        cards += count
        out += lines
        out.append("---" if rng.random() < 0.1 else "")
        if out[-1] == "---":
            out.append("")
    return "\n".join(out) + "\n"


def write_decks(folder: Path | None = None) -> list[Path]:
    """Write the 50 deck files (replacing any there) and return their paths."""
    folder = folder or DECKS
    rng = random.Random(SEED)
    writer = _Writer(rng, _vocabulary(rng))
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    paths = []
    for deck_no in range(DECK_COUNT):
        slug = TOPICS[deck_no % len(TOPICS)].lower().replace(" ", "-")
        path = folder / f"{deck_no:02d}-{slug}.md"
        path.write_text(deck_text(writer, deck_no), encoding="utf-8")
        paths.append(path)
    return paths


# -- history ------------------------------------------------------------------------------


def _session_start(day: int, start: datetime) -> datetime | None:
    """When the learner sits down on history day `day` (None: a day off, about one in ten)."""
    hour = _session_hour(day)
    return None if hour is None else start + timedelta(days=day, hours=hour)


@functools.cache
def _session_hour(day: int) -> int | None:
    rng = random.Random(SEED * 31 + day)
    if rng.random() < 0.1:
        return None
    return rng.choice((6, 7, 12, 17, 18, 19, 20))


def _when_reviewed(due: datetime, last: datetime, rng: random.Random, start, end) -> datetime:
    """When a card due at `due` is actually answered: soon within a session, else next session."""
    if due - last < timedelta(hours=2):
        return due + timedelta(seconds=rng.randint(5, 120))
    day = max(0, (due - start) // timedelta(days=1))
    while True:
        session = _session_start(day, start)
        if session is not None and session >= due - timedelta(hours=8):
            return max(session, due) + timedelta(seconds=rng.randint(0, 2_700))
        day += 1
        if start + timedelta(days=day) > end:
            return end


def _rating(progress: Progress, now: datetime, hardness: float, rng: random.Random) -> Rating:
    """A plausible answer: recalled with the model's probability, skewed by the card's hardness."""
    if progress.state is State.NEW:
        recall = 0.65
    else:
        recall = schedule.retrievability(progress, now) ** hardness
        if progress.state is not State.REVIEW:
            recall = max(recall, 0.6)
    if rng.random() >= recall:
        return Rating.AGAIN
    return rng.choices((Rating.HARD, Rating.GOOD, Rating.EASY), (15, 75, 10))[0]


@dataclass
class _Row:
    """One review row before ids are given; `undoes_at` names the undone answer by its time."""

    card_id: int
    rating: int | None
    at: int
    duration: int
    mode: str
    before: Progress
    undoes_at: int | None = None


def card_history(card_id: int, sched, intro: datetime, start: datetime, end: datetime):
    """Replay one card's answers from `intro` to `end`; return its rows and its final progress."""
    rng = random.Random(SEED ^ (card_id * 2_654_435_761))
    hardness = rng.uniform(0.5, 1.4)
    progress = Progress()
    rows: list[_Row] = []
    now = intro
    while now < end:
        rating = _rating(progress, now, hardness, rng)
        after = schedule.next_progress(card_id, progress, rating, now, sched)
        at = to_millis(now)
        rows.append(_Row(card_id, int(rating), at, rng.randint(1_500, 25_000), "review", progress))
        if rng.random() < 0.003:
            # The learner pressed the wrong button, undid it and answered again.
            rows.append(_Row(card_id, None, at + 3_000, 0, "undo", after, undoes_at=at))
            now += timedelta(seconds=6)
            rating = Rating.GOOD if rating is Rating.AGAIN else Rating.AGAIN
            after = schedule.next_progress(card_id, progress, rating, now, sched)
            rows.append(_Row(card_id, int(rating), to_millis(now), 4_000, "review", progress))
        progress = after
        following = _when_reviewed(after.due, now, rng, start, end)
        if rng.random() < 0.01:
            # A quiz answer between two reviews: logged, schedule untouched.
            quiz = now + timedelta(hours=rng.randint(1, 30))
            if quiz < min(following, end):
                rows.append(_Row(card_id, rng.randint(1, 4), to_millis(quiz), 6_000, "quiz", after))
        now = following
    return rows, progress


def build_history(store: Store, start: datetime, end: datetime) -> tuple[int, int]:
    """Add exactly `REVIEW_COUNT` reviews and the matching card states; return (reviews, cards)."""
    db = store.db
    schedules = {deck_id: schedule_from_settings(json.loads(settings))
                 for deck_id, settings in db.execute("SELECT id, settings FROM decks")}  # fmt: skip
    cards = db.execute("SELECT id, deck_id FROM cards ORDER BY deck_id, position").fetchall()
    # Interleave decks: each day a few cards of each deck in its file order, as the queue would.
    by_deck: dict[int, list[int]] = {}
    for card_id, deck_id in cards:
        by_deck.setdefault(deck_id, []).append(card_id)
    order = [
        (ids[i], deck_id)
        for i in range(CARDS_PER_DECK)
        for deck_id, ids in by_deck.items()
        if i < len(ids)
    ]
    rows: list[_Row] = []
    states: list[tuple] = []
    for index, (card_id, deck_id) in enumerate(order):
        day = int(index / INTRODUCED_PER_DAY)
        if day >= HISTORY_DAYS:
            break
        session = _session_start(day, start) or start + timedelta(days=day, hours=19)
        intro = session + timedelta(seconds=(index - int(day * INTRODUCED_PER_DAY)) * 20)
        history, progress = card_history(card_id, schedules[deck_id], intro, start, end)
        if len(rows) + len(history) >= REVIEW_COUNT:
            history = history[: REVIEW_COUNT - len(rows)]
            while history and history[-1].mode != "review":
                history.pop()
            progress = _progress_after(history, card_id, schedules[deck_id])
        if not history:
            continue
        rows.extend(history)
        states.append((progress, card_id))
        if len(rows) >= REVIEW_COUNT:
            break
    if len(rows) < REVIEW_COUNT:
        raise SystemExit(f"history too short ({len(rows)} reviews): raise INTRODUCED_PER_DAY")
    rows.sort(key=lambda row: (row.at, row.card_id))
    # The log is keyed by time (`trainer.store.review_log`): answers of one millisecond are
    # told apart by the low bits of their ids.
    ids: dict[tuple[int, int], int] = {}
    taken: set[int] = set()
    for row in rows:
        key = time_key(row.at)
        while key in taken:
            key += 1
        taken.add(key)
        ids[(row.card_id, row.at)] = key

    def values():
        for row in rows:
            before = row.before
            undoes = ids[(row.card_id, row.undoes_at)] if row.undoes_at is not None else None
            yield (
                ids[(row.card_id, row.at)], row.card_id, row.rating, row.duration,
                MODE_KINDS[row.mode], undoes, int(before.state), before.step,
                encode_float(before.stability), encode_float(before.difficulty),
                *encode_times(row.at, to_millis(before.due), to_millis(before.last_review)),
            )  # fmt: skip

    with db.atomic():
        db.conn.executemany(
            """
            INSERT INTO reviews (id, card_id, rating, duration_ms, kind, undoes, state_before,
                step_before, stability_code, difficulty_code, late_ms, interval_code)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
            values(),
        )
        db.conn.executemany(
            """
            UPDATE cards SET state = ?, step = ?, stability = ?, difficulty = ?, due = ?,
                last_review = ?, reps = ?, lapses = ?
            WHERE id = ?
            """,
            [
                (
                    int(p.state),
                    p.step,
                    p.stability,
                    p.difficulty,
                    to_millis(p.due),
                    to_millis(p.last_review),
                    p.reps,
                    p.lapses,
                    card_id,
                )
                for p, card_id in states
            ],
        )
    return len(rows), len(states)


def _progress_after(history: list[_Row], card_id: int, sched) -> Progress:
    """The state a truncated history leaves: replay its review-mode answers that stand."""
    undone = {row.undoes_at for row in history if row.mode == "undo"}
    progress = Progress()
    for row in history:
        if row.mode == "review" and row.at not in undone:
            progress = schedule.next_progress(
                card_id, progress, Rating(row.rating), _from_ms(row.at), sched
            )
    return progress


def _from_ms(millis: int) -> datetime:
    return datetime(1970, 1, 1, tzinfo=UTC) + timedelta(milliseconds=millis)


def build_database(end: datetime, path: Path | None = None, decks: Path | None = None) -> dict:
    """Sync the decks into a fresh database at `path` and add the history ending at `end`."""
    path, decks = path or DB, decks or DECKS
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    start = end - timedelta(days=HISTORY_DAYS)
    store = Store.open(path)
    files = find_deck_files([decks])
    report = store.sync(files, roots=[decks.resolve()], now=start - timedelta(days=1))
    reviews, studied = build_history(store, start, end)
    store.db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    store.close()
    return {"end": end.isoformat(), "cards": report.added_cards, "reviews": reviews,
            "studied_cards": studied, "decks": len(files)}  # fmt: skip


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--end", help="when the history ends (ISO date-time; default: midnight UTC today)"
    )
    parser.add_argument("--decks-only", action="store_true", help="write the deck files only")
    parser.add_argument(
        "--cards", type=int, default=100_000, choices=sorted(SIZES), help="collection size"
    )
    args = parser.parse_args(argv)
    configure(args.cards)
    end = (
        datetime.fromisoformat(args.end).astimezone(UTC)
        if args.end
        else datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    )
    began = time.perf_counter()
    paths = write_decks()
    print(f"wrote {len(paths)} deck files to {DECKS} ({time.perf_counter() - began:.1f} s)")
    if args.decks_only:
        return
    meta = build_database(end)
    META.write_text(json.dumps(meta, indent=2) + "\n")
    print(
        f"built {DB}: {meta['cards']:,} cards, {meta['reviews']:,} reviews of "
        f"{meta['studied_cards']:,} cards, history ending {meta['end']} "
        f"({time.perf_counter() - began:.1f} s)"
    )


if __name__ == "__main__":
    main()
