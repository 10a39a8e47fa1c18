"""``evkg qc``: characterisation checklist, purity, release specification, lot comparison."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.api.qc import QcRun

__all__ = ["register"]


def _tables(run: QcRun, detail: bool, machine: bool = False) -> list[Table]:
    """The answer's tables; ``machine`` (TSV, JSON) keeps empty tables so they can be named."""
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
    quiet = {"identity": 0, "contaminants": 0, "spec": 0}  # rows left out of the summary
    for lot in run.lots:
        v, s = lot.values, lot.values.stats
        release = "" if lot.spec is None else ("pass" if lot.spec.passed else "FAIL")
        warned = 0 if lot.spec is None else sum(r.status == "warn" for r in lot.spec.results)
        if warned:
            release += f", {warned} warn"
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
            for row in rows:
                if detail or row.status != "ok":
                    identity.rows.append(
                        [v.id, section, row.marker, row.requirement, row.result, row.status]
                    )
                else:
                    quiet["identity"] += 1
            identity.notes.append(f"{v.id}, {section}: {verdict}")
        for f in v.contaminants:
            if not detail and f.status not in ("fail", "warn"):
                quiet["contaminants"] += 1
                continue
            amount = "" if f.amount is None else f"{f.amount:g} {f.unit or ''}".strip()
            contaminants.rows.append(
                [v.id, f.title, f.analyte, f.result, amount, f.status, f.reason]
            )
        warnings.rows.extend([v.id, w] for w in v.warnings)
        if lot.spec is not None:
            for r in lot.spec.results:
                if detail or r.status != "pass":
                    spec.rows.append([v.id, r.parameter, r.value, r.required, r.status])
                else:
                    quiet["spec"] += 1
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
    if not detail:  # rows and notes the same for several lots are shown once
        names = [lot.values.id for lot in run.lots]
        for table in (items, scores, identity):
            table.rows = _grouped_by_lot(table.rows, names)
        identity.notes = _grouped_notes(identity.notes, names)
    for table, key, what in (
        (identity, "identity", "markers as required"),
        (contaminants, "contaminants", "contaminant tests negative or within limits"),
        (spec, "spec", "specification lines passed"),
    ):
        if quiet[key]:
            table.notes.append(f"{quiet[key]} {what} are not listed (--detail lists them)")
    if not spec.rows and quiet["spec"]:
        spec.title = "Release specification: every line passed for every lot"
    scores.notes.append(
        "Verified = wording read in the source or a review tabulating it (see each item's "
        "'verified against'); the mixed figure is never a completeness claim on its own."
    )
    if run.trend is not None and run.trend.drifting:
        lots.notes.append(
            "Drifting over the series: "
            + ", ".join(a.label for a in run.trend.drifting)
            + " (see 'Lots over time')"
        )
    tables = [lots, scores, items, identity, contaminants]
    if warnings.rows or machine:
        tables.append(warnings)
    else:
        lots.notes.append("No instrument warnings.")
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
        cargo = list(dict.fromkeys(p.cargo_summary for p in run.pairs))
        compare.notes.extend(cargo)
        if len(cargo) == 1:
            compare.wide = [*compare.wide, "cargo"]  # the same for every lot: said once
        tables.append(compare)
    if run.trend is not None:
        tables.extend(_trend_tables(run, detail))
    return tables


def _grouped_notes(notes: list[str], lots: list[str]) -> list[str]:
    """Notes ``"<lot>, <text>"`` that differ only in their lot, as one note naming the lots.

    >>> _grouped_notes(["a, x: ok", "b, x: ok", "a, y: no"], ["a", "b"])
    ['all 2 lots, x: ok', 'a, y: no']
    """
    rows = []
    for note in notes:
        lot = next((name for name in lots if note.startswith(f"{name}, ")), None)
        rows.append([lot, note.removeprefix(f"{lot}, ")] if lot else ["", note])
    return [f"{lot}, {text}" if lot else text for lot, text in _grouped_by_lot(rows, lots)]


def _grouped_by_lot(rows: Sequence[Sequence[Any]], lots: list[str]) -> list[Sequence[Any]]:
    """Rows that differ only in their lot (first column) as one row naming the lots.

    >>> _grouped_by_lot([["a", "x", 1], ["b", "x", 1], ["a", "y", 2]], ["a", "b"])
    [['all 2 lots', 'x', 1], ['a', 'y', 2]]
    """
    groups: dict[tuple[str, ...], list[str]] = {}
    first: dict[tuple[str, ...], Sequence[Any]] = {}
    for row in rows:
        key = tuple(str(cell) for cell in row[1:])
        groups.setdefault(key, []).append(str(row[0]))
        first.setdefault(key, row)
    out: list[Sequence[Any]] = []
    for key, names in groups.items():
        shown = f"all {len(lots)} lots" if len(names) == len(lots) > 1 else ", ".join(names)
        out.append([shown, *first[key][1:]])
    return out


def _trend_tables(run: QcRun, detail: bool) -> list[Table]:
    from evkg.model.release import Range

    trend = run.trend
    assert trend is not None
    summary = Table(
        f"Lots over time: control limits and drift (ordered by {trend.ordered_by}; "
        f"{trend.basis_rule})",
        [
            "attribute",
            "unit",
            "lots",
            "mean",
            "SD",
            "LCL",
            "UCL",
            "spec",
            "drift",
            "limits from",
            "flags",
        ],
        key="trend",
        wide=["lots", "limits from", "flags"],
    )
    points = Table(
        "Lots over time: each attribute by lot" + ("" if detail else " (flagged values only)"),
        ["attribute", "lot", "date", "value", "flags"],
        key="trend_points",
    )
    unflagged = 0
    for a in trend.attributes:
        spec_range = ""
        if a.spec_min is not None or a.spec_max is not None:
            spec_range = Range(min=a.spec_min, max=a.spec_max).text()
        summary.rows.append(
            [
                a.label,
                a.unit,
                sum(p.value is not None for p in a.points),
                a.mean,
                a.sd,
                a.lcl,
                a.ucl,
                spec_range,
                "DRIFT" if a.drifting else "",
                a.limits_rule,
                list(a.flags),
            ]
        )
        for p in a.points:
            if detail or p.flags:
                points.rows.append([a.label, p.lot, p.date, p.value, list(p.flags)])
            else:
                unflagged += 1
        if a.flags and not detail:
            summary.notes.append(f"{a.label}: " + "; ".join(a.flags))
    if not detail:
        summary.notes.extend(
            f"{a.label}: {a.limits_rule}" for a in trend.attributes if "SD 0" in a.limits_rule
        )
    basis = list(dict.fromkeys(lot for a in trend.attributes for lot in a.basis))
    if basis:
        summary.notes.append("Control-limit basis: " + ", ".join(basis))
    drifting = [a.label for a in trend.drifting]
    summary.notes.append("Drifting: " + (", ".join(drifting) if drifting else "none"))
    if unflagged:
        points.notes.append(f"{unflagged} values without a flag are not listed (--detail)")
    warnings = Table("Series warnings", ["aspect", "warning"], key="series_warnings")
    warnings.rows.extend([w.aspect, w.text] for w in trend.warnings)
    if not warnings.rows:
        summary.notes.append("No series warnings: the lots agree in tissue, donor and process.")
        return [summary, points]
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
    (XLSX and CSV) that `evkg qc` reads back. `evkg qc criteria` lists each criterion set
    with how many of its items are verified and against what (`--detail`: every item).
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
    if str(records[0]) == "criteria":
        if len(records) > 1:
            raise click.UsageError("'evkg qc criteria' takes no records")
        _show_criteria(state, rules)
        return
    from evkg.api.qc import qc_payload, render_report, run_qc

    run = run_qc(records, spec=spec, rules=rules)
    payload: Any = qc_payload(run) if state.output_format == "json" else None
    detail = state.detail and not missing_only
    if state.output_format == "tsv":
        detail = not missing_only  # a file gets every item unless asked otherwise
    emit(state, _tables(run, detail, machine=state.output_format != "table"), payload)
    if report is not None:
        written_report = render_report(run, report)
        state.info(f"Report written to {written_report}")


def _show_criteria(state: CliState, rules: Path | None) -> None:
    """Each criterion set: items, verified, level read, the texts read; items with --detail."""
    from evkg.analysis.qc.criteria_coverage import criteria_coverage
    from evkg.api.qc import load_rules

    loaded = load_rules(rules) if rules else load_rules()
    coverage = criteria_coverage(loaded)
    sets = Table(
        f"Criterion sets (checklist {loaded.version}): verified items and what they were read in",
        ["criterion set", "items", "verified", "level read", "verified against"],
        key="criteria",
        wide=["verified against"],  # long citations: in full below the table
    )
    sets.rows = [
        [c.title, c.items, c.verified, c.level_verified, list(c.verified_against)] for c in coverage
    ]
    sets.notes += [
        f"{c.title} read in: " + "; ".join(c.verified_against) for c in coverage if c.verified
    ]
    sets.notes.append("Every item with what was checked, or why not: docs/qc-criteria.md")
    items = Table(
        "Checklist items and their verification",
        ["item", "level", "verified", "level read", "checked or why not"],
        key="criteria_items",
        detail=True,
    )
    items.rows = [
        [
            i.id,
            i.level,
            "yes" if i.verified else "no",
            "yes" if i.level_verified else "no",
            (i.checked if i.verified else i.note) or "",
        ]
        for i in loaded.items
    ]
    payload = {
        "version": loaded.version,
        "criteria": [c.model_dump(mode="json") for c in coverage],
        "items": [i.model_dump(mode="json", exclude={"check", "applies_if", "fail_if", "warn_if"})
                  for i in loaded.items],
    }  # fmt: skip
    emit(state, [sets, items], payload)


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    group.add_command(qc)
