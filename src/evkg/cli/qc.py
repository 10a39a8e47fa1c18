"""``evkg qc``: characterisation checklist, purity, release specification, lot comparison."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.api.qc import QcRun

__all__ = ["register"]


def _tables(run: QcRun, detail: bool) -> list[Table]:
    lots = Table(
        "Lots",
        key="lots",
        wide=["D10", "D90", "span", "mean", "mode"],
        columns=[
            "lot",
            "particles/ml",
            "D10",
            "D50",
            "D90",
            "span",
            "mean",
            "mode",
            "protein µg/ml",
            "particles/µg",
            "purity",
            "release",
        ],
    )
    scores = Table(
        "Checklist completeness (met / applicable)",
        key="scores",
        wide=["n/a", "verified only", "unverified items"],
        columns=[
            "lot",
            "guideline",
            "met",
            "missing",
            "n/a",
            "score",
            "mandatory",
            "verified only",
            "unverified items",
        ],
    )
    items = Table(
        "Checklist items" if detail else "Checklist items not met",
        ["lot", "item", "level", "status", "why", "verified"],
        key="items",
        wide=["verified"] if detail else ["verified", "status"],
    )
    warnings = Table("Instrument warnings and notes", ["lot", "warning"], key="warnings")
    spec = Table(
        "Release specification",
        ["lot", "parameter", "value", "required", "result"],
        key="spec",
    )
    hidden = 0
    for lot in run.lots:
        v, s = lot.values, lot.values.stats
        release = "" if lot.spec is None else ("pass" if lot.spec.passed else "FAIL")
        lots.rows.append(
            [
                v.id,
                v.concentration_per_ml,
                s.d10_nm,
                s.d50_nm,
                s.d90_nm,
                v.span,
                s.mean_nm,
                s.mode_nm,
                v.protein_ug_per_ml,
                v.particles_per_ug,
                v.purity.label if v.purity else "",
                release,
            ]
        )
        for g in lot.checklist.scores:
            scores.rows.append(
                [
                    v.id,
                    g.title,
                    g.met,
                    g.missing,
                    g.not_applicable,
                    _pct(g.score),
                    _pct(g.mandatory_score),
                    _pct(g.verified_score),
                    g.unverified_items,
                ]
            )
        for i in lot.checklist.items:
            if not detail and i.status != "missing":
                hidden += 1
                continue
            items.rows.append(
                [v.id, i.id, i.level, i.status, i.reason, "yes" if i.verified else "no"]
            )
        warnings.rows.extend([v.id, w] for w in v.warnings)
        if lot.spec is not None:
            spec.rows.extend(
                [v.id, r.parameter, r.value, r.required, r.status] for r in lot.spec.results
            )
    purity = next((lot.values.purity for lot in run.lots if lot.values.purity), None)
    if purity is not None:
        lots.notes.append(
            f"Purity bands: {purity.citation}"
            + ("" if purity.verified else " — thresholds unverified")
        )
    if hidden:
        items.notes.append(
            f"{hidden} items met or not applicable are not listed (--detail lists every item)"
        )
    tables = [lots, scores, items, warnings]
    if run.specification is not None:
        tables.append(spec)
    if run.pairs:
        compare = Table(
            f"Lot comparison (against {run.lots[0].values.id})",
            key="comparison",
            wide=["KS", "Δmean nm", "conc. ratio"],
            columns=[
                "lot",
                "Wasserstein nm",
                "KS",
                "ΔD50 nm",
                "Δmean nm",
                "conc. ratio",
                "purity ratio",
                "marker differences",
                "cargo",
            ],
        )
        for pair in run.pairs:
            c = pair.comparison
            compare.rows.append(
                [
                    c.lot,
                    c.wasserstein_nm,
                    c.ks_statistic,
                    c.d50_difference_nm,
                    c.mean_difference_nm,
                    c.concentration_ratio,
                    c.purity_ratio,
                    [f"{d.marker}: {d.reference} → {d.lot}" for d in c.marker_differences],
                    pair.cargo_summary,
                ]
            )
        compare.notes.extend(dict.fromkeys(p.cargo_summary for p in run.pairs))
        tables.append(compare)
    return tables


def _pct(value: float | None) -> str:
    return "" if value is None else f"{100 * value:.0f}%"


@click.command()
@click.argument("records", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--spec",
    "spec",
    type=click.Path(path_type=Path),
    help="Release specification (YAML or JSON) to check every lot against.",
)
@click.option(
    "--report",
    "report",
    type=click.Path(path_type=Path, dir_okay=False),
    help="Also write a self-contained HTML report here.",
)
@click.option(
    "--rules",
    type=click.Path(path_type=Path),
    help="Checklist rules file to use instead of the shipped one.",
)
@click.option(
    "--missing-only",
    is_flag=True,
    hidden=True,
    help="List only the checklist items not met (the default unless --detail is given).",
)
@pass_state
@command_with_errors
def qc(
    state: CliState,
    records: tuple[Path, ...],
    spec: Path | None,
    report: Path | None,
    rules: Path | None,
    missing_only: bool,
) -> None:
    """Check EV preparation records (RECORD...: YAML/JSON) against MISEV-style guidelines.

    Reads the instrument exports each record names (NanoSight ExperimentSummary CSV, ZetaView
    size txt), computes purity, checks the release specification and compares every lot with
    the first one.
    """
    from evkg.api.qc import qc_payload, render_report, run_qc

    run = run_qc(records, spec=spec, rules=rules)
    payload: Any = qc_payload(run) if state.output_format == "json" else None
    detail = state.detail and not missing_only
    if state.output_format == "tsv":
        detail = not missing_only  # a file gets every item unless asked otherwise
    emit(state, _tables(run, detail), payload)
    if report is not None:
        written = render_report(run, report)
        state.info(f"Report written to {written}")


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(qc)
