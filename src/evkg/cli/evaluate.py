"""``evkg eval analysis``: leave-one-study-out ranks of indication prediction (the ``eval``
group itself, with ``eval extract``, lives with the mining commands)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

__all__ = ["register"]


@click.command("analysis")
@click.option(
    "--draws",
    default=100,
    show_default=True,
    help="Random profiles calibrating each case's indications (0: raw ranks only).",
)
@click.option("--limit", type=int, help="Evaluate only the first N cases (by study id).")
@click.option("--cases/--no-cases", default=False, help="List every case with its ranks.")
@click.option(
    "--controls",
    default=0,
    show_default=True,
    help="Also analyse this many random 10-miRNA sets: how many indications pass q < 0.1.",
)
@pass_state
@command_with_errors
def eval_analysis(
    state: CliState, draws: int, limit: int | None, cases: bool, controls: int
) -> None:
    """Indication prediction on curated studies held out one at a time: each study's miRNA
    and protein cargo is analysed without the study's evidence, and the rank of its disease
    is read before (raw score) and after calibration."""
    from evkg.api.analysis_eval import evaluate_controls, evaluate_indications

    knowledge = state.knowledge()
    data_dir = Path(state.data_dir) if state.data_dir else None
    with _bar(state, "held-out studies") as bar:
        task = bar.add_task("cases", total=None)
        summary = evaluate_indications(
            knowledge,
            data_dir=data_dir,
            draws=draws,
            limit=limit,
            progress=lambda done, total: bar.update(task, completed=done, total=total),
        )
    figures = Table(
        f"Leave-one-study-out indication ranks: {len(summary.cases)} cases "
        f"({summary.skipped} studies without miRNA or protein cargo)",
        ["ranking", "cases", "returned", "median rank", "top-1", "top-3", "top-10"],
        key="figures",
    )
    for name, values in summary.figures.items():
        figures.rows.append(
            [
                name,
                values["cases"],
                values["returned"],
                values["median_rank_returned"],
                *(values[f"top{k}"] for k in (1, 3, 10)),
            ]
        )
    figures.notes.append(
        "median rank over the cases whose disease was returned at all; top-k over every case; "
        f"calibrated: {summary.draws} random profiles per case"
    )
    tables = [figures]
    payload = summary.to_dict()
    if controls > 0:
        with _bar(state, "random miRNA sets") as bar:
            task = bar.add_task("controls", total=controls)
            run = evaluate_controls(
                knowledge,
                data_dir=data_dir,
                profiles=controls,
                draws=draws,
                progress=lambda done, total: bar.update(task, completed=done, total=total),
            )
        if run is None:
            figures.notes.append("controls skipped: no miRNA-target table in the reference data")
        else:
            control = Table(
                f"Random miRNA sets ({run.profiles} sets of {run.size}, {run.draws} draws each)",
                [
                    "indications returned",
                    "above random (p < 0.05)",
                    f"q < {run.q_threshold}",
                    "sets with any q < 0.1",
                ],
                [
                    [
                        run.mean_returned,
                        run.mean_above_random,
                        run.mean_significant,
                        run.with_any_significant,
                    ]
                ],
                key="controls",
            )
            control.notes.append(
                "per set, on average: a random set has no reason to treat anything, so the raw "
                "list is noise; calibration should pass (almost) none of it"
            )
            tables.append(control)
            payload["controls"] = run.__dict__
    if cases:
        listing = Table(
            "Cases", ["study", "disease", "raw", "calibrated", "returned", "cargo"], key="cases"
        )
        for case in summary.cases:
            listing.rows.append(
                [
                    case.study,
                    case.disease_label,
                    case.raw_rank,
                    case.calibrated_rank,
                    case.returned,
                    list(case.cargo),
                ]
            )
        tables.append(listing)
    emit(state, tables, payload=payload)


def _bar(state: CliState, title: str) -> Any:
    """A progress bar counting cases (quiet with --quiet or when progress is off)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TimeElapsedColumn

    return Progress(
        title,
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        disable=not state.progress or state.verbosity < 0,
        transient=True,
    )


def register(group: click.Group) -> None:
    """Add ``analysis`` to the ``eval`` group (registered by the mining commands)."""
    evaluation = group.commands.get("eval")
    if not isinstance(evaluation, click.Group):
        raise RuntimeError("the eval group must be registered before evkg.cli.evaluate")
    evaluation.add_command(eval_analysis)
