"""Cargo analysis commands: ``analyze``, ``design``, ``compare``."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Any

import click

from evkg.cli._state import CliState, Table, command_with_errors, emit, pass_state

if TYPE_CHECKING:
    from evkg.analysis import ProfileAnalysis

__all__ = ["register"]

_TIERS = {"strong": ("curated", "self", "strong"), "all": ("curated", "self", "strong", "weak")}


def _species(context: click.Context, parameter: click.Parameter, value: str) -> str:
    from evkg.analysis.profile import species_code

    try:
        return species_code(value)
    except ValueError as error:
        raise click.BadParameter(str(error)) from error


def _options(function: Any) -> Any:
    for decorator in reversed(
        [
            click.option(
                "--species",
                default="hsa",
                show_default=True,
                callback=_species,
                help="hsa, mmu or rno.",
            ),
            click.option("--name-column", help="Column holding the names (header or number)."),
            click.option("--abundance-column", help="Column holding abundances."),
            click.option("--sample", help="Sample to use from a multi-sample count table."),
            click.option(
                "--evidence",
                type=click.Choice(sorted(_TIERS)),
                default="strong",
                show_default=True,
                help="Targets: curated + functional assays (strong), or also high-throughput.",
            ),
            click.option(
                "--draws", default=10_000, show_default=True, help="Null draws (0: skip the null)."
            ),
            click.option(
                "--indication-draws",
                default=200,
                show_default=True,
                help="Random profiles calibrating the indications (0: raw scores only).",
            ),
            click.option("--seed", default=0, show_default=True, help="Seed of the nulls."),
            click.option("--min-size", default=10, show_default=True, help="Smallest gene set."),
            click.option("--max-size", default=500, show_default=True, help="Largest gene set."),
            click.option(
                "--max-file-mb", default=20, show_default=True, help="Largest input file (MB)."
            ),
        ]
    ):
        function = decorator(function)
    return function


def _settings(
    evidence: str, draws: int, indication_draws: int, seed: int, min_size: int, max_size: int
) -> Any:
    from evkg.analysis import AnalysisSettings

    return AnalysisSettings(
        tiers=_TIERS[evidence],
        draws=draws,
        indication_draws=indication_draws,
        seed=seed,
        min_size=min_size,
        max_size=max_size,
    )


def _tables(analysis: ProfileAnalysis, top: int, label: Any) -> list[Table]:
    report = analysis.normalisation
    tables = []
    if report is not None:
        summary = Table(
            f"{analysis.profile.name}: {len(report.matched)} matched, {len(report.ambiguous)} "
            f"ambiguous, {len(report.unmatched)} unmatched, {len(report.skipped)} skipped "
            f"({report.format}, species {report.species})",
            ["line", "name", "status", "identifier / reason", "candidates / suggestions"],
        )
        for a in report.ambiguous:
            summary.rows.append(
                [
                    a.line,
                    a.input_name,
                    "ambiguous",
                    a.chosen,
                    [f"{name} ({c})" for c, name in a.candidates],
                ]
            )
        for u in report.unmatched:
            summary.rows.append([u.line, u.input_name, "unmatched", u.reason, list(u.suggestions)])
        for line, name, reason in report.skipped[:top]:
            summary.rows.append([line, name, "skipped", reason, ""])
        if not summary.rows:
            summary.notes.append("every name resolved to exactly one identifier")
        summary.notes.extend(report.notes)
        tables.append(summary)
    tables.append(
        Table(
            "Known therapeutic cargo carried",
            ["cargo", "share", "claims", "best evidence", "diseases (outcome)", "via"],
            [
                [
                    k.label,
                    f"{100 * k.abundance:.2f}%",
                    k.n_claims,
                    k.best_strength,
                    [f"{label(d)} ({o})" for d, o, _ in k.diseases],
                    k.via or "",
                ]
                for k in analysis.known_cargo
            ],
        )
    )
    tables.append(
        Table(
            f"Top targets ({len(analysis.targets.genes)} genes; evidence "
            f"{', '.join(analysis.settings.tiers)})",
            ["gene", "weight", "best evidence", "cargo"],
            [
                [g.symbol, round(g.weight, 3), g.best_tier, len(g.cargo)]
                for g in analysis.targets.genes[:top]
            ],
        )
    )
    pathways = Table(
        "Pathways: ORA and the miRNA-aware null side by side",
        ["collection", "gene set", "k/set", "fold", "ORA q", "null obs", "null z", "null q"],
        [
            [
                p.collection,
                p.name,
                f"{p.k}/{p.set_size}",
                p.fold,
                p.q,
                p.null_observed,
                p.null_z,
                p.null_q,
            ]
            for p in analysis.pathways[:top]
        ],
    )
    sizes = ", ".join(f"{n} {s}" for n, s in analysis.background_sizes)
    pathways.notes.append(f"background: {analysis.settings.background} ({sizes} genes)")
    pathways.notes.extend(analysis.notes)
    tables.append(pathways)
    tables.append(_indication_table(analysis, top))
    return tables


def calibrated_text(draws: int) -> str:
    return f"{draws} random profiles (same size, target burden and abundances)"


def _indication_table(analysis: ProfileAnalysis, top: int) -> Table:
    calibration = analysis.calibration
    if calibration is None:
        indications = Table(
            "Indications (raw scores, not calibrated)",
            ["#", "disease", "score", "evidence", "mechanism", "for/against", "refs"],
        )
    else:
        indications = Table(
            f"Indications, calibrated against {calibration.draws} random profiles",
            ["#", "disease", "p", "q", "score", "random mean", "for/against", "refs"],
        )
    for rank, i in enumerate(analysis.indications[:top], start=1):
        if calibration is None:
            figures: list[Any] = [i.score, i.evidence_score, i.mechanism_score]
        else:
            figures = [i.null_p, i.null_q, i.score, i.null_mean]
        indications.rows.append(
            [rank, i.label, *figures, f"{i.beneficial}/{i.detrimental}", i.n_references]
        )
        if rank <= 5:
            indications.notes.append(
                f"\n[bold]{rank}. {i.label}[/bold] — score {i.score} (evidence "
                f"{i.evidence_score}, mechanism {i.mechanism_score})"
            )
            for c in i.contributions[:6]:
                cited = "; ".join(c.citations)
                indications.notes.append(f"   {c.weight:+.3f} {c.kind}: {c.explanation} [{cited}]")
    if calibration is not None:
        indications.notes.append(
            f"\np: share of {calibrated_text(calibration.draws)} scoring the disease at least "
            "as high; q: Benjamini-Hochberg over the indications. Diseases above random "
            f"(p < {analysis.settings.alpha:g}) come first, each group by score: a well-studied "
            "disease collects some evidence from any cargo list, so its score alone says little."
        )
        if calibration.kept:
            indications.notes.append(
                "kept in every random profile (neither miRNA nor gene): "
                + ", ".join(calibration.kept)
            )
    harmful = [i for i in analysis.indications if i.score < 0]
    for i in harmful:
        indications.notes.append(
            f"[red]against {i.label} ({i.score}):[/red] "
            + "; ".join(f"{c.explanation} [{'; '.join(c.citations)}]" for c in i.contributions)
        )
    return indications


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@_options
@click.option("--background", type=click.Path(path_type=Path), help="File of background genes.")
@click.option("--top", default=15, show_default=True, help="Rows per table.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Write HTML here.")
@pass_state
@command_with_errors
def analyze(
    state: CliState,
    files: tuple[Path, ...],
    species: str,
    name_column: str | None,
    abundance_column: str | None,
    sample: str | None,
    evidence: str,
    draws: int,
    indication_draws: int,
    seed: int,
    min_size: int,
    max_size: int,
    max_file_mb: int,
    background: Path | None,
    top: int,
    report_path: Path | None,
) -> None:
    """Analyse cargo files: known therapeutic cargo, targets, pathways, indications.

    FILE: a list of names, CSV/TSV/XLSX (name and optional abundance column), a miRDeep2 or
    nf-core/smrnaseq count table, or a MaxQuant proteinGroups.txt.
    """
    from evkg.api.analysis import analyze as run
    from evkg.api.analysis import load_resources, reference_data_dir

    knowledge = state.knowledge()
    settings = _settings(evidence, draws, indication_draws, seed, min_size, max_size)
    data_dir = reference_data_dir(Path(state.data_dir) if state.data_dir else None)
    state.info(f"reference data: {data_dir}")
    resources = load_resources(knowledge.vocabulary, data_dir, species=species)
    payload = []
    for path in files:
        analysis = run(
            path,
            knowledge=knowledge,
            species=species,
            name_column=name_column,
            abundance_column=abundance_column,
            sample=sample,
            background=background,
            settings=settings,
            resources=resources,
            max_bytes=max_file_mb * 1024 * 1024,
        )
        payload.append(analysis.to_dict(limit=top * 10))
        if state.output_format != "json":
            emit(state, _tables(analysis, top, knowledge.label))
        if report_path is not None:
            from evkg.report.cargo import analysis_report, write_report

            target = report_path
            if len(files) > 1:
                target = report_path.with_name(
                    f"{report_path.stem}-{path.stem}{report_path.suffix}"
                )
            write_report(analysis_report(analysis), target)
            state.info(f"report written to {target}")
    if state.output_format == "json":
        emit(state, [], payload=payload[0] if len(payload) == 1 else payload)


@click.command()
@click.argument("disease")
@click.option("--limit", default=15, show_default=True, help="Most strategies to show.")
@pass_state
@command_with_errors
def design(state: CliState, disease: str, limit: int) -> None:
    """EV strategies for a disease (source × modification × cargo × route), ranked by
    evidence level, independent studies, consistency and recency, with mechanism and gaps."""
    from evkg.api.analysis import design as run

    knowledge = state.knowledge()
    result = run(disease, knowledge=knowledge, limit=limit)
    table = Table(
        f"Therapy design for {result.label} ({result.disease})",
        [
            "#",
            "strategy",
            "direction",
            "strength",
            "refs",
            "score",
            "level/studies/consistency/recency",
        ],
    )
    for s in result.strategies:
        parts = "/".join(f"{v:g}" for v in s.score_components.values())
        table.rows.append(
            [s.rank, s.summary, s.direction, s.strength, s.n_references, s.score, parts]
        )
        table.notes.append(f"\n[bold]{s.rank}. {s.summary}[/bold] — {s.direction}, {s.strength}")
        for chain in s.mechanism:
            steps = "; ".join(f"{x.subject_label} -{x.predicate}-> {x.object_label}" for x in chain)
            table.notes.append(f"   mechanism: {steps}")
        for cited in s.citations:
            table.notes.append(f"   cites: {cited}")
        if s.quote:
            table.notes.append(f'   evidence: "{s.quote}"')
        if s.gaps:
            table.notes.append(f"   gaps: {'; '.join(s.gaps)}")
    table.notes.extend(result.notes)
    gaps = Table(
        "What the evidence lacks", ["gap", "strategies"], [list(g) for g in result.common_gaps]
    )
    emit(state, [table, gaps], payload=result.to_dict())


@click.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(path_type=Path))
@click.option(
    "--species", default="hsa", show_default=True, callback=_species, help="hsa, mmu or rno."
)
@click.option("--no-analysis", is_flag=True, help="Compare cargo only (no targets/pathways).")
@click.option("--draws", default=10_000, show_default=True, help="Null draws per profile.")
@click.option("--top", default=20, show_default=True, help="Rows per table.")
@click.option("--report", "report_path", type=click.Path(path_type=Path), help="Write HTML here.")
@pass_state
@command_with_errors
def compare(
    state: CliState,
    files: tuple[Path, ...],
    species: str,
    no_analysis: bool,
    draws: int,
    top: int,
    report_path: Path | None,
) -> None:
    """Compare two or more preparations: correlation, differential cargo, and the change in
    targets, pathways and indications (the first file is the reference)."""
    from evkg.analysis import AnalysisSettings
    from evkg.api.analysis import compare as run

    if len(files) < 2:
        raise click.UsageError("compare needs at least two files")
    knowledge = state.knowledge()
    data_dir = Path(state.data_dir) if state.data_dir else None
    comparison, analyses = run(
        list(files),
        knowledge=knowledge,
        species=species,
        settings=AnalysisSettings(draws=draws),
        analyse=not no_analysis,
        data_dir=data_dir,
    )
    names = list(comparison.names)
    correlation = Table(
        f"Correlation ({comparison.shared} cargo shared)",
        ["profile", *names],
        [[n, *row] for n, row in zip(names, comparison.spearman, strict=True)],
        key="correlation",
    )
    correlation.notes.append("Spearman over the union of cargo (absent = 0)")
    cargo = Table(
        "Differential cargo (log2 fold vs the first)",
        ["cargo", *names, "log2 fold", "status"],
        [
            [c.label, *(f"{100 * v:.2f}%" for v in c.abundances), list(c.log2_fold[1:]), c.status]
            for c in comparison.cargo[:top]
        ],
        key="cargo",
    )
    tables = [correlation, cargo]
    for title, rows in (
        ("Indications (score)", comparison.indications),
        ("Pathways (−log10 ORA q)", comparison.pathways),
        ("Target genes (weight)", comparison.targets),
    ):
        if rows:
            tables.append(
                Table(
                    title,
                    ["item", *names, "change"],
                    [[r.label, *r.values, r.change] for r in rows[:top]],
                )
            )
    emit(state, tables, payload=comparison.to_dict())
    if report_path is not None:
        from evkg.report.cargo import comparison_report, write_report

        write_report(comparison_report(comparison, analyses), report_path)
        state.info(f"report written to {report_path}")


def register(group: click.Group) -> None:
    """Add this module's commands to the ``evkg`` group."""
    for command in (analyze, design, compare):
        group.add_command(command)
