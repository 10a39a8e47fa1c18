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
        "Checklist completeness, verified and unverified items apart (met / applicable)",
        key="scores",
        wide=[
            "verified items",
            "unverified items",
            "flagged",
            "all items (mixes verified and unverified)",
        ],
        columns=[
            "lot",
            "guideline",
            "verified items",
            "verified score",
            "unverified items",
            "unverified score",
            "flagged",
            "all items (mixes verified and unverified)",
        ],
    )
    items = Table(
        "Checklist items" if detail else "Checklist items not met",
        ["lot", "item", "level", "status", "why", "verified"],
        key="items",
        wide=["verified"] if detail else ["verified", "status"],
    )
    identity = Table(
        "MSC identity on the vesicles (MSC-sEV) and of the producing cells (ISCT), apart",
        ["lot", "section", "marker", "expected", "result", "status"],
        key="identity",
    )
    contaminants = Table(
        "Contaminants (present ones fail or warn; never met)",
        ["lot", "class", "analyte", "result", "amount", "status", "why"],
        key="contaminants",
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
                    f"{g.verified_met}/{g.verified_applicable}",
                    _pct(g.verified_score),
                    f"{g.unverified_met}/{g.unverified_applicable}",
                    _pct(g.unverified_score),
                    g.flagged,
                    f"{_pct(g.all_items_score)} (mixed)" if g.all_items_score is not None else "",
                ]
            )
        for i in lot.checklist.items:
            if not detail and i.status != "missing":
                hidden += 1
                continue
            status = f"{i.status} ({i.flag})" if i.flag else i.status
            items.rows.append(
                [v.id, i.id, i.level, status, i.reason, "yes" if i.verified else "no"]
            )
        ident = lot.identity
        for section, rows, verdict in (
            ("vesicles", ident.ev_rows, f"{ident.ev_verdict}: {ident.ev_summary}"),
            ("producing cells", ident.cell_rows, f"{ident.cell_verdict}: {ident.cell_summary}"),
        ):
            identity.rows.extend(
                [v.id, section, r.marker, r.requirement, r.result, r.status] for r in rows
            )
            identity.notes.append(f"{v.id}, {section}: {verdict}")
        contaminants.rows.extend(
            [
                v.id,
                f.title,
                f.analyte,
                f.result,
                "" if f.amount is None else f"{f.amount:g} {f.unit or ''}".strip(),
                f.status,
                f.reason,
            ]
            for f in v.contaminants
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
    scores.notes.append(
        "Verified = wording read in the source or a review tabulating it (see each item's "
        "'verified against'); the mixed figure is never a completeness claim on its own."
    )
    tables = [lots, scores, items, identity, contaminants, warnings]
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
    if run.trend is not None:
        tables.extend(_trend_tables(run))
    return tables


def _trend_tables(run: QcRun) -> list[Table]:
    trend = run.trend
    assert trend is not None
    summary = Table(
        f"Lots over time: control limits and drift ({trend.basis_rule}; ordered by "
        f"{trend.ordered_by})",
        ["attribute", "unit", "lots", "mean", "SD", "LCL", "UCL", "drifting", "flags"],
    )
    points = Table(
        "Lots over time: each attribute by lot",
        ["attribute", "lot", "date", "value", "flags"],
    )
    for a in trend.attributes:
        summary.rows.append(
            [
                a.label,
                a.unit,
                sum(p.value is not None for p in a.points),
                a.mean,
                a.sd,
                a.lcl,
                a.ucl,
                "DRIFT" if a.drifting else "",
                list(a.flags),
            ]
        )
        points.rows.extend([a.label, p.lot, p.date, p.value, list(p.flags)] for p in a.points)
    drifting = [a.label for a in trend.drifting]
    summary.notes.append("Drifting: " + (", ".join(drifting) if drifting else "none"))
    warnings = Table("Series warnings", ["aspect", "warning"])
    warnings.rows.extend([w.aspect, w.text] for w in trend.warnings)
    return [summary, points, warnings]


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
@click.option(
    "--out",
    "out",
    type=click.Path(path_type=Path, file_okay=False),
    default=Path("."),
    show_default=True,
    help="With 'template': the folder to write the templates into.",
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
    out: Path,
) -> None:
    """Check EV preparation records against MISEV-style guidelines and a release spec.

    RECORD... are YAML/JSON records (one lot each) or lot spreadsheets (XLSX/CSV/TSV, one
    row a lot). Reads the instrument exports each record names (NanoSight ExperimentSummary
    CSV, ZetaView size txt), computes purity, checks MSC identity on the vesicles and the
    producing cells, flags contaminants, checks the release specification (potency, safety,
    procoagulant activity), compares every lot with the first and trends the series.

    `evkg qc template [--out DIR]` writes an annotated YAML record and a lot spreadsheet
    (XLSX and CSV) that `evkg qc` reads back.
    """
    if str(records[0]) == "template":
        from evkg.api.qc_entry import write_lot_template

        if len(records) > 1:
            raise click.UsageError("'evkg qc template' takes no records; use --out DIR")
        written = write_lot_template(out)
        emit(
            state,
            [Table("Templates written", ["file"], rows=[[str(p)] for p in written])],
            {"written": [str(p) for p in written]},
        )
        return
    from evkg.api.qc import qc_payload, render_report, run_qc

    run = run_qc(records, spec=spec, rules=rules)
    payload: Any = qc_payload(run) if state.output_format == "json" else None
    detail = state.detail and not missing_only
    if state.output_format == "tsv":
        detail = not missing_only  # a file gets every item unless asked otherwise
    emit(state, _tables(run, detail), payload)
    if report is not None:
        written_report = render_report(run, report)
        state.info(f"Report written to {written_report}")


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(qc)
