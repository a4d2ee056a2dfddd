"""`trainer optimize`: fit the scheduler's parameters to the learner's own review log."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import TYPE_CHECKING

import click

from trainer.commands.common import fail, open_store, user_errors

if TYPE_CHECKING:
    from trainer.config import Settings


@click.command("optimize")
@click.option(
    "--holdout",
    type=click.FloatRange(0.05, 0.5),
    default=0.2,
    show_default=True,
    help="Share of the latest reviews kept out of the fit, to judge it on.",
)
@click.option("--dry-run", is_flag=True, help="Compare the parameters but adopt nothing.")
@click.pass_obj
def command(settings: Settings, holdout: float, dry_run: bool) -> None:
    """Fit FSRS parameters to your reviews; adopt them only if they predict better.

    The latest reviews are held out: both the parameters in use and the fitted ones predict
    them, scored by log loss and RMSE (bins) as in the FSRS benchmark.
    """
    from trainer.optimize import NotEnoughReviews, optimize
    from trainer.schedule import DEFAULT_PARAMETERS

    with user_errors():
        store = open_store(settings, sync=False)
        try:
            outcome = optimize(store, now=datetime.now(UTC), holdout=holdout, adopt=not dry_run)
        except NotEnoughReviews as error:
            fail(f"cannot optimize yet: {error}")
        finally:
            store.close()
    current = "default" if outcome.current == tuple(DEFAULT_PARAMETERS) else "current"
    click.echo(
        f"Fitted to {outcome.training_reviews:,} reviews before "
        f"{outcome.split.astimezone():%Y-%m-%d %H:%M}; scored on the "
        f"{outcome.current_score.reviews:,} held-out reviews a day or more after the previous one."
    )
    click.echo(f"{'parameters':<12}{'log loss':>10}{'RMSE (bins)':>13}")
    for name, score in ((current, outcome.current_score), ("fitted", outcome.fitted_score)):
        click.echo(f"{name:<12}{score.log_loss:>10.4f}{score.rmse_bins:>13.4f}")
    click.echo("fitted: " + ", ".join(f"{w:.4f}" for w in outcome.fitted))
    if outcome.adopted:
        click.echo(
            f"The fitted parameters predict better: adopted. "
            f"Recomputed the state of {outcome.recomputed_cards:,} cards."
        )
    elif outcome.better:
        click.echo("The fitted parameters predict better; not adopted (--dry-run).")
    else:
        click.echo(f"The fitted parameters do not predict better: keeping the {current} ones.")
