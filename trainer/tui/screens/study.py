"""Studying: one card at a time, answered from the keyboard, each answer committed at once.

All database work runs in a thread worker; the screen only shows what the worker sends back.
The next card is loaded only after the answer's transaction has committed, so a killed process
never loses an answered card.
"""

from __future__ import annotations

import random
from datetime import datetime

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Input

from trainer import schedule
from trainer.core.cards import Kind
from trainer.core.grading import Rating, Verdict, check_choices, check_typed
from trainer.core.session import StudySession
from trainer.core.sources import find_passage
from trainer.core.study_order import CardTies
from trainer.store import card_flags
from trainer.store.errors import StoreError
from trainer.tui.context import trainer
from trainer.tui.screens.shown_card import VERDICT_LINES, ShownCard, shuffled_order
from trainer.tui.screens.summary import SessionSummary, SummaryScreen
from trainer.tui.widgets.card_face import CardFace
from trainer.tui.widgets.rating_bar import RatingBar
from trainer.tui.widgets.rendering import passage_text
from trainer.tui.widgets.session_bar import SessionBar


class StudyScreen(Screen[None]):
    """Study the due and new cards of some decks, or a given list of cards."""

    BINDINGS = [
        Binding("space", "reveal", "Show answer"),
        Binding("enter", "reveal", "Show answer", show=False),
        Binding("space", "accept", "Accept rating"),
        Binding("enter", "accept", "Accept rating", show=False),
        Binding("1", "rate(1)", "Again"),
        Binding("2", "rate(2)", "Hard"),
        Binding("3", "rate(3)", "Good"),
        Binding("4", "rate(4)", "Easy"),
        # The same number keys pick choices before a multiple-choice card is answered.
        *(Binding(str(n), f"choose({n})", "Choose", show=n == 1) for n in range(1, 10)),
        Binding("t", "truth(True)", "True"),
        Binding("f", "truth(False)", "False"),
        # ctrl+z also works while the answer box has the keyboard (where u is just a letter).
        Binding("ctrl+z", "undo", "Undo"),
        # On the result of a typed card, u means "let me type that again", never "undo the last".
        Binding("u", "retype_or_undo", "Undo (a typed answer: retype it)", show=False),
        Binding("e", "edit", "Edit"),
        Binding("escape", "finish", "End"),
    ]

    def __init__(
        self,
        title: str,
        deck_ids: list[int] | None = None,
        card_ids: list[int] | None = None,
        *,
        reschedule: bool = True,
    ) -> None:
        super().__init__()
        self.reschedule = reschedule
        """Whether answers move the schedule (off: custom study as cramming, logged as quiz)."""
        self.session_title = title
        """Shown above the card: the deck's name, or what is being studied."""
        self.deck_ids = deck_ids
        """The decks studied (None: every deck)."""
        self.card_ids = card_ids
        """A fixed list of cards to study instead of the decks' queue."""
        self.session: StudySession | None = None
        self.shown: ShownCard | None = None
        self.busy = True
        """True while a worker is recording or loading: keys wait for it."""
        self.rng = random.Random()
        """Shuffles choices; seeded from the app's seed so tests see the same orders."""

    def compose(self) -> ComposeResult:
        yield SessionBar()
        yield CardFace()
        yield RatingBar()
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(RatingBar).display = False
        self.query_one(SessionBar).show(self.session_title, 0, 0)
        self.rng = random.Random(trainer(self).seed)
        self.set_interval(1, self.tick)
        self.start()

    @property
    def now(self) -> datetime:
        return trainer(self).clock()

    def tick(self) -> None:
        if self.session is not None:
            self.query_one(SessionBar).show_elapsed(
                (self.now - self.session.started).total_seconds()
            )

    # -- workers: every database call happens here, off the event loop ------------------

    @work(thread=True, exclusive=True, group="study")
    def start(self) -> None:
        store = trainer(self).store
        try:
            now = self.now
            if self.card_ids is not None:
                queue, learning = list(self.card_ids), {}
                ties: dict[int, CardTies] = store.card_ties(queue)
            else:
                plan = store.study_plan(now, self.deck_ids)
                queue, learning, ties = plan.queue, dict(plan.learning), plan.ties
            self.session = StudySession(queue, now, learning, ties=ties)
            self._load_next()
        except StoreError as error:
            self.app.call_from_thread(self.app.notify, str(error), severity="error")

    @work(thread=True, exclusive=True, group="study")
    def answer(self, rating: Rating) -> None:
        store = trainer(self).store
        shown, session = self.shown, self.session
        assert shown is not None and session is not None
        now = self.now
        seconds = (now - shown.shown_at).total_seconds()
        try:
            after = store.record_review(
                shown.study.id,
                rating,
                now,
                duration_ms=int(seconds * 1000),
                mode="review" if self.reschedule else "quiz",
                reschedule=self.reschedule,
                shown=shown.study,
                buttons=shown.buttons,
            )
            leech = after.lapses > shown.study.progress.lapses and card_flags.is_leech(
                store, shown.study.id
            )
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        session.record(shown.study.id, rating, after, seconds, now, shown.order)
        if leech:
            # Suspended now: it must not come back in this session's learning steps.
            session.learning.pop(shown.study.id, None)
            self.app.call_from_thread(
                self.notify,
                "Forgotten too often: tagged leech and suspended. Find it with is:leech in the "
                "browser (b) to rewrite or reset it.",
                title="Leech",
                severity="warning",
                timeout=8,
            )
        self._load_next()

    @work(thread=True, exclusive=True, group="study")
    def undo(self) -> None:
        store = trainer(self).store
        session = self.session
        assert session is not None
        try:
            undone = store.undo_last(self.now, since=session.started) if session.answers else None
        except StoreError as error:
            self.app.call_from_thread(self._failed, str(error))
            return
        if undone is None:
            self.app.call_from_thread(self._failed, "Nothing to undo in this session.")
            return
        answer = session.undo_answer()
        # The same showing comes back: its choices keep the order the learner saw.
        self._load_next(prefer=undone, order=answer.order if answer else None)

    def _load_next(self, prefer: int | None = None, order: tuple[int, ...] | None = None) -> None:
        """Fetch the next card (in the worker) and hand it to the screen, or end the session."""
        store = trainer(self).store
        session = self.session
        assert session is not None
        now = self.now
        card_id = prefer or session.next_card(now)
        if card_id is None:
            self._end_session()
            return
        study = store.study_card(card_id)
        # With the weights the card was read with: the ones its answer is scheduled with.
        weights = study.weights or schedule.DEFAULT_PARAMETERS
        buttons = schedule.buttons(
            schedule.card_seed(study.card.key), study.progress, now, study.schedule, weights
        )
        passage = None
        if study.card.source is not None:
            answers = [study.card.answer, *study.card.correct_choices]
            passage = find_passage(trainer(self).sources, study.card.source, answers)
        if order is None:
            order = shuffled_order(len(study.card.choices), self.rng)
        shown = ShownCard(study, buttons, passage, now, order)
        self.app.call_from_thread(self._show_card, shown, session.done, session.left)

    # -- showing ----------------------------------------------------------------------------

    def _failed(self, message: str) -> None:
        self.busy = False
        self.notify(message, severity="warning")

    def _show_summary(self, summary: SessionSummary) -> None:
        self.app.switch_screen(SummaryScreen(self.session_title, summary))

    def _show_card(self, shown: ShownCard, done: int, left: int) -> None:
        self.shown = shown
        self.busy = False
        card = shown.study.card
        title = self.session_title
        if shown.study.deck_name != title:
            title += f"  ·  {shown.study.deck_name}"
        self.query_one(SessionBar).show(title, done, left)
        self.query_one(RatingBar).display = False
        kind, prompt = shown.question()
        self.query_one(CardFace).ask(
            kind, prompt, options=shown.options, typing=card.kind is Kind.TYPED
        )
        if card.kind is not Kind.TYPED:
            self.set_focus(None)
        self.refresh_bindings()

    def _reveal(self, verdict: Verdict | None = None, given: str = "", closest: str = "") -> None:
        shown = self.shown
        assert shown is not None
        card = shown.study.card
        shown.revealed = True
        shown.proposed = verdict.proposed_rating if verdict else Rating.GOOD
        face = self.query_one(CardFace)
        if card.kind is Kind.CHOICE:
            face.mark_choices(shown.selected, shown.correct)
        face.reveal(
            shown.answer_text(verdict, given, closest),
            verdict=Content.styled(*VERDICT_LINES[verdict]) if verdict else "",
            note=card.note,
            citation=str(card.source) if card.source else "",
            passage=passage_text(shown.passage) if shown.passage else "",
        )
        bar = self.query_one(RatingBar)
        bar.show_intervals(shown.intervals, shown.proposed)
        bar.display = True
        self.set_focus(None)
        self.refresh_bindings()

    # -- keys -------------------------------------------------------------------------------

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Offer only the keys that mean something for the card on screen."""
        shown = self.shown
        if action == "edit":
            return shown is not None and not self.busy
        if action in ("undo", "finish") or shown is None:
            return action in ("undo", "finish")
        return shown.allows(action, parameters)

    def action_accept(self) -> None:
        """Answer with the proposed rating (Good, or what the answer check suggested)."""
        if self.shown is not None:
            self._rate(self.shown.proposed)

    def action_reveal(self) -> None:
        shown = self.shown
        if self.busy or shown is None or shown.revealed:
            return
        card = shown.study.card
        if card.kind is Kind.CHOICE:
            if shown.selected:
                self._reveal(check_choices(shown.selected, set(shown.correct)))
        elif card.kind in (Kind.BASIC, Kind.REVERSED, Kind.CLOZE):
            self._reveal()

    def action_rate(self, number: int) -> None:
        self._rate(Rating(number))

    def action_choose(self, number: int) -> None:
        shown = self.shown
        if self.busy or shown is None or shown.revealed:
            return
        card = shown.study.card
        if card.kind is not Kind.CHOICE or number > len(card.choices):
            return
        index = number - 1  # a place on screen, whatever the author's order
        shown.selected ^= {index}
        correct = set(shown.correct)
        if len(correct) == 1:
            shown.selected = {index}
            self._reveal(check_choices(shown.selected, correct))
            return
        self.query_one(CardFace).mark_choices(shown.selected)
        self.refresh_bindings()

    def action_truth(self, value: bool) -> None:
        shown = self.shown
        if (
            self.busy
            or shown is None
            or shown.revealed
            or shown.study.card.kind is not Kind.TRUE_FALSE
        ):
            return
        right = (shown.study.card.answer == "true") is value
        self._reveal(Verdict.CORRECT if right else Verdict.WRONG)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        shown = self.shown
        if self.busy or shown is None:
            return
        if shown.revealed:
            self._rate(shown.proposed)
            return
        card = shown.study.card
        check = check_typed(
            event.value,
            card.accepted or (card.answer,),
            strict=shown.study.strict_answers,
            question=card.prompt,
        )
        self._reveal(check.verdict, event.value, check.expected)

    def on_rating_bar_rated(self, event: RatingBar.Rated) -> None:
        self._rate(event.rating)

    def _rate(self, rating: Rating) -> None:
        if self.busy or self.shown is None or not self.shown.revealed:
            return
        self.busy = True
        self.answer(rating)

    def action_retype_or_undo(self) -> None:
        """On a typed card's result (not yet rated): type the answer again. Elsewhere: undo."""
        shown = self.shown
        if shown is not None and shown.revealed and shown.study.card.kind is Kind.TYPED:
            if not self.busy:
                self._retype(shown)
            return
        self.action_undo()

    def _retype(self, shown: ShownCard) -> None:
        """Ask the same card again, the answer box empty and focused; nothing is recorded."""
        shown.revealed = False
        shown.proposed = Rating.GOOD
        self.query_one(RatingBar).display = False
        self.query_one(CardFace).ask(*shown.question(), typing=True)
        self.refresh_bindings()

    def action_edit(self) -> None:
        """Open the card's deck file in the learner's editor, then show the card as edited."""
        if self.busy or self.shown is None:
            return
        self.busy = True
        self._edit(self.shown.study.id)

    @work(thread=True, exclusive=True, group="study")
    def _edit(self, card_id: int) -> None:
        from trainer.tui.editor import edit_card

        edit_card(self, card_id, lambda: self._load_next(prefer=card_id), self._failed)

    def action_undo(self) -> None:
        if self.busy or self.session is None:
            return
        self.busy = True
        self.undo()

    def action_finish(self) -> None:
        if self.session is None:
            self.app.pop_screen()
            return
        if self.busy:
            # An answer is being saved: ending now would cancel it out of the summary.
            return
        self.busy = True
        self._finish()

    @work(thread=True, exclusive=True, group="study")
    def _finish(self) -> None:
        self._end_session()

    def _end_session(self) -> None:
        """Sum up the session (in the worker) and show the summary in place of this screen."""
        session = self.session
        assert session is not None
        try:
            next_due = trainer(self).store.next_due(self.deck_ids)
        except StoreError as error:
            # The answers are saved already; only the summary's "next due" cannot be read.
            self.app.call_from_thread(self.app.notify, str(error), severity="error")
            next_due = None
        summary = SessionSummary.of(session, self.now, next_due)
        self.app.call_from_thread(self._show_summary, summary)
