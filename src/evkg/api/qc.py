"""Preparation QC services: load records, evaluate them, compare lots, render the report.

Example::

    from evkg.api.qc import render_report, run_qc
    run = run_qc(["lot7.yaml", "lot8.yaml"], spec="release.yaml")
    run.lots[0].checklist.score("misev2018").score, run.pairs[0].comparison.wasserstein_nm
    render_report(run, "qc.html")

Every problem a user can fix — a malformed record, a missing or damaged export file, an
unknown field — raises :class:`~evkg.recordfiles.RecordFileError` naming file, line and field.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from evkg.analysis.qc import (
    ChecklistRules,
    LotValues,
    MarkerTable,
    PurityBands,
    check_specification,
    classify_purity,
    compare_lots,
    evaluate_checklist,
    particles_per_ug,
)
from evkg.analysis.qc._rules import ContaminantTable
from evkg.analysis.qc.contaminants import contaminant_findings
from evkg.analysis.qc.identity import identity_report
from evkg.analysis.qc.results import LotQc, PairQc
from evkg.analysis.qc.trend import TrendReport, trend_lots
from evkg.analysis.qc.values import LotProcess, PotencyValue
from evkg.api._qc_files import (
    Resolver,
    beside,
    load_contaminant_table,
    load_marker_table,
    load_purity_bands,
    load_rules,
    load_specification,
    read_mapping,
    validate_mapping,
)
from evkg.model.preparation import Preparation, ReleaseSpecification
from evkg.model.tabular import Rows, Tabular
from evkg.recordfiles import Problem, RecordFileError, RecordProblemsError, line_of
from evkg.sources.nta import ParticleExport, SizeStats, read_size_export

__all__ = [
    "NO_CARGO",
    "LoadedPreparation",
    "QcRun",
    "Upload",
    "compare_preparations",
    "evaluate_preparation",
    "load_contaminant_table",
    "load_marker_table",
    "load_preparation",
    "load_preparations",
    "load_purity_bands",
    "load_rules",
    "load_specification",
    "lot_values",
    "prepare_record",
    "qc_payload",
    "qc_run_of",
    "render_report",
    "report_html",
    "run_qc",
    "run_qc_uploaded",
    "upload_name",
]

NO_CARGO = "cargo comparison: not available (no profile attached)"
SHEET_SUFFIXES = (".xlsx", ".csv", ".tsv")


@dataclass(frozen=True)
class LoadedPreparation:
    """A validated record, where it came from, and its parsed instrument exports."""

    record: Preparation
    path: Path
    exports: tuple[ParticleExport | None, ...]  # one per particle measurement
    cargo_path: Path | None = None  # the cargo profile the record names, found


@dataclass(frozen=True)
class QcRun(Tabular):
    """Everything ``evkg qc`` shows: per-lot QC and comparisons with the first lot.

    ``to_frame()`` gives one row per lot; ``to_frame("scores")``, ``to_frame("items")`` and
    ``to_frame("comparisons")`` the checklist completeness, every checklist item and the lot
    comparisons."""

    lots: tuple[LotQc, ...]
    pairs: tuple[PairQc, ...]
    rules_version: str
    specification: ReleaseSpecification | None
    trend: TrendReport | None = None  # two or more lots

    def frame_title(self) -> str:
        return f"QC of {len(self.lots)} lot(s), checklist {self.rules_version}"

    def frame_tables(self) -> Mapping[str, Rows]:
        return {
            "lots": self._lot_rows,
            "scores": lambda: (
                {"lot": lot.values.id, **score.model_dump(mode="json")}
                for lot in self.lots
                for score in lot.checklist.scores
            ),
            "items": lambda: (
                {"lot": lot.values.id, **item.model_dump(mode="json")}
                for lot in self.lots
                for item in lot.checklist.items
            ),
            "comparisons": lambda: (
                {**pair.comparison.model_dump(mode="json"), "cargo": pair.cargo_summary}
                for pair in self.pairs
            ),
        }

    def _lot_rows(self) -> Iterator[dict[str, Any]]:
        for lot in self.lots:
            v, s = lot.values, lot.values.stats
            yield {
                "lot": v.id,
                "particles_per_ml": v.concentration_per_ml,
                "d10_nm": s.d10_nm,
                "d50_nm": s.d50_nm,
                "d90_nm": s.d90_nm,
                "mean_nm": s.mean_nm,
                "mode_nm": s.mode_nm,
                "protein_ug_per_ml": v.protein_ug_per_ml,
                "particles_per_ug": v.particles_per_ug,
                "purity": v.purity.label if v.purity else None,
                "release": None if lot.spec is None else ("pass" if lot.spec.passed else "fail"),
                "checklist_missing": sum(i.status == "missing" for i in lot.checklist.items),
            }


Locate = Callable[[Sequence[int | str]], int | str | None]


def prepare_record(
    data: dict[str, Any], path: Path, locate: Locate, resolve: Resolver
) -> LoadedPreparation:
    """Validate one record's data and read the files it names; every problem at once."""
    record = validate_mapping(data, Preparation, path, locate)
    problems: list[Problem] = []

    def find(reference: str, location: list[int | str], what: str) -> Path | None:
        try:
            return resolve(reference)
        except LookupError as error:
            field = ".".join(map(str, location))
            problems.append((path, locate(location), field, f"{what} {error.args[0]}"))
            return None

    exports: list[ParticleExport | None] = []
    for k, measurement in enumerate(record.particles):
        target = (
            find(measurement.export, ["particles", k, "export"], "export file")
            if measurement.export is not None
            else None
        )
        try:
            exports.append(read_size_export(target) if target is not None else None)
        except RecordFileError as error:
            problems.append((error.path, error.line, error.field, error.message))
            exports.append(None)
    cargo = (
        find(record.cargo_profile, ["cargo_profile"], "cargo profile")
        if record.cargo_profile is not None
        else None
    )
    if problems:
        raise RecordProblemsError(problems)
    return LoadedPreparation(record=record, path=path, exports=tuple(exports), cargo_path=cargo)


def load_preparation(path: str | Path, *, resolve: Resolver | None = None) -> LoadedPreparation:
    """Read a preparation record (YAML or JSON) and the instrument exports it names.

    File references are relative to the record unless ``resolve`` finds them otherwise.
    Every problem of the record is reported at once (:class:`RecordProblemsError`).
    """
    path = Path(path)
    data, node = read_mapping(path, "preparation record")

    def locate(location: Sequence[int | str]) -> int | None:
        return None if node is None else line_of(node, location)

    return prepare_record(data, path, locate, resolve or beside(path))


def load_preparations(
    path: str | Path, *, resolve: Resolver | None = None
) -> list[LoadedPreparation]:
    """The lots of one file: a record (YAML/JSON) or a spreadsheet (XLSX/CSV/TSV, one row a
    lot). All problems of every row are reported together, each with its cell."""
    path = Path(path)
    resolve = resolve or beside(path)
    if path.suffix.lower() not in SHEET_SUFFIXES:
        return [load_preparation(path, resolve=resolve)]
    from evkg.api.qc_entry import read_lot_sheet

    problems: list[Problem] = []
    loaded = []
    for data, locate in read_lot_sheet(path):
        try:
            loaded.append(prepare_record(data, path, locate, resolve))
        except RecordProblemsError as error:
            problems.extend(error.problems)
    if problems:
        raise RecordProblemsError(problems)
    return loaded


# ------------------------------------------------------------------ evaluating


_Particles = tuple[float | None, SizeStats, Any, str | None, list[str]]


def _particle_source(loaded: LoadedPreparation) -> _Particles:
    """Concentration, statistics, histogram, source label and notes of the first measurement."""
    notes: list[str] = []
    for measurement, export in zip(loaded.record.particles, loaded.exports, strict=True):
        if export is not None:
            name = Path(export.path).name
            notes.extend(f"{name}: {w.text()}" for w in export.warnings if w.severity == "warning")
            concentration = export.concentration_per_ml
            if export.status == "no_particles":
                notes.append(f"{name}: no particles measured")
            if concentration is not None and measurement.dilution_factor:
                if export.dilution_factor is None:
                    concentration *= measurement.dilution_factor
                    notes.append(
                        f"{name}: dilution 1:{measurement.dilution_factor:g} from the "
                        "record applied (the export records none)"
                    )
                elif abs(export.dilution_factor - measurement.dilution_factor) > 1e-9:
                    notes.append(
                        f"{name}: record dilution {measurement.dilution_factor:g} "
                        f"ignored; the export records {export.dilution_factor:g}"
                    )
            elif concentration is not None and export.dilution_factor is None:
                notes.append(
                    f"{name}: no dilution recorded in the export or the record; "
                    "concentration taken as measured"
                )
            return concentration, export.stats, export.histogram, f"export {name}", notes
        if measurement.values is not None:
            v = measurement.values
            stats = SizeStats(
                mean_nm=v.mean_nm,
                mode_nm=v.mode_nm,
                d10_nm=v.d10_nm,
                d50_nm=v.d50_nm,
                d90_nm=v.d90_nm,
            )
            return v.concentration_per_ml, stats, None, "values in the record", notes
    return None, SizeStats(), None, None, notes


def _protein_ug_per_ml(record: Preparation) -> float | None:
    protein = record.protein
    if protein is None:
        return None
    if protein.concentration_ug_per_ml is not None:
        return protein.concentration_ug_per_ml
    if protein.total_ug is not None and record.final_volume_ml:
        return protein.total_ug / record.final_volume_ml
    return None


def lot_values(
    loaded: LoadedPreparation,
    *,
    bands: PurityBands | None = None,
    spec: ReleaseSpecification | None = None,
    markers: MarkerTable | None = None,
    contaminants: ContaminantTable | None = None,
) -> LotValues:
    """The lot's particle, protein, purity, marker, potency, safety and contaminant values."""
    bands = bands or load_purity_bands()
    record = loaded.record
    concentration, stats, histogram, source, notes = _particle_source(loaded)
    protein = _protein_ug_per_ml(record)
    ratio = particles_per_ug(concentration, protein)
    return LotValues(
        id=record.id,
        label=record.name,
        concentration_per_ml=concentration,
        concentration_source=source,
        stats=stats,
        protein_ug_per_ml=protein,
        particles_per_ug=ratio,
        purity=classify_purity(ratio, bands) if ratio is not None else None,
        markers={m.name: m.result for m in record.markers},
        freeze_thaw_cycles=record.storage.freeze_thaw_cycles if record.storage else None,
        date=record.date,
        qualified=record.qualified,
        process=_process(record),
        potency=tuple(
            PotencyValue(
                assay=a.name, value=a.value, unit=a.unit, reference_standard=a.reference_standard
            )
            for a in record.functional_assays
            if a.kind == "potency"
        ),
        safety=record.safety,
        contaminants=contaminant_findings(
            record.markers,
            record.impurities,
            table=contaminants or load_contaminant_table(),
            marker_table=markers or load_marker_table(),
            spec=spec,
        ),
        histogram=histogram,
        warnings=tuple(notes),
    )


def _process(record: Preparation) -> LotProcess:
    cells = record.source_cells
    return LotProcess(
        tissue=cells.tissue,
        donor=(
            cells.donor.id
            if cells.donor and cells.donor.id
            else (f"{cells.donor.pooled_donors} pooled donors" if cells.donor and
                  cells.donor.pooled_donors and cells.donor.pooled_donors > 1 else None)
        ),
        cell_type=cells.cell_type,
        culture_mode=cells.culture_mode,
        serum=cells.serum,
        process_version=record.process_version,
        steps=tuple(step.method for step in record.separation),
    )  # fmt: skip


def _context(loaded: LoadedPreparation, values: LotValues, markers: MarkerTable) -> dict[str, Any]:
    record = loaded.record
    context = record.model_dump(mode="json")
    enriched = []
    for m in context["markers"]:
        entry = markers.entry(m["name"])
        enriched.append(
            {
                **m,
                "category": m["category"] or (entry.category if entry else None),
                "msc_identity": entry.msc_identity if entry else None,
            }
        )
    context["markers"] = enriched
    methods = []
    if values.concentration_per_ml is not None:
        methods.append("particle_number")
    if values.protein_ug_per_ml is not None or record.protein is not None:
        methods.append("protein")
    methods.extend(q.analyte for q in record.other_quantification)
    context["derived"] = {
        "quantification_methods": sorted(set(methods)),
        "ratios": ["particles/µg protein"] if values.particles_per_ug is not None else [],
        "concentration_per_ml": values.concentration_per_ml,
        "contaminant_failures": sorted(
            {f.contaminant_class for f in values.contaminants if f.status == "fail"}
        ),
        "contaminant_warnings": sorted(
            {f.contaminant_class for f in values.contaminants if f.status == "warn"}
        ),
    }
    return context


def evaluate_preparation(
    loaded: LoadedPreparation,
    *,
    spec: ReleaseSpecification | None = None,
    rules: ChecklistRules | None = None,
    bands: PurityBands | None = None,
    markers: MarkerTable | None = None,
    contaminants: ContaminantTable | None = None,
) -> LotQc:
    """Checklist, identity, contaminants and (with ``spec``) the release check for one lot."""
    markers = markers or load_marker_table()
    values = lot_values(loaded, bands=bands, spec=spec, markers=markers, contaminants=contaminants)
    context = _context(loaded, values, markers)
    record = loaded.record
    return LotQc(
        values=values,
        identity=identity_report(record.markers, record.source_cells.identity, markers),
        checklist=evaluate_checklist(context, rules or load_rules()),
        spec=check_specification(values, spec) if spec else None,
        record_path=str(loaded.path),
        exports=tuple(Path(e.path).name for e in loaded.exports if e is not None),
    )


_CARGO_SPECIES = {
    "ncbitaxon:9606": "hsa", "human": "hsa", "homo sapiens": "hsa",
    "ncbitaxon:10090": "mmu", "mouse": "mmu", "mus musculus": "mmu",
    "ncbitaxon:10116": "rno", "rat": "rno", "rattus norvegicus": "rno",
}  # fmt: skip


def _cargo_comparison(reference: LoadedPreparation, lot: LoadedPreparation) -> tuple[str, Any]:
    """The cargo-analysis comparison of the two lots' profiles, when both have one."""
    a, b = reference.cargo_path, lot.cargo_path
    if a is None or b is None:
        return NO_CARGO, None
    try:
        from evkg.analysis.compare import compare_profiles
        from evkg.api.analysis import load_profile
    except ImportError:
        return "cargo comparison: not available (cargo analysis is not part of this build)", None
    from evkg.vocab import load_vocabulary

    vocabulary = load_vocabulary()
    profiles = []
    for loaded, name in ((reference, a), (lot, b)):
        species = _CARGO_SPECIES.get(loaded.record.source_cells.species.casefold(), "hsa")
        profile, _ = load_profile(
            name, species=species, vocabulary=vocabulary, name=loaded.record.id
        )
        profiles.append(profile)
    # one profile per lot: fold changes between single samples, said as such
    result = compare_profiles(profiles, single_sample_folds=True)
    changed = [f"{c.label} {c.status}" for c in result.cargo if c.status != "unchanged"][:5]
    summary = (
        f"cargo comparison: {result.shared} shared of {result.n_items[0]} / {result.n_items[1]}"
        f" items, Spearman {result.spearman[0][1]:.2f}"
        + (
            f"; changed (single lots, no replicates): {', '.join(changed)}"
            if changed
            else "; no cargo changed two-fold"
        )
    )
    return summary, result.to_dict()


def compare_preparations(
    loaded: Sequence[LoadedPreparation], lots: Sequence[LotQc]
) -> tuple[PairQc, ...]:
    """Each lot against the first (the reference), with the cargo comparison when possible."""
    pairs = []
    for other, qc in zip(loaded[1:], lots[1:], strict=True):
        summary, cargo = _cargo_comparison(loaded[0], other)
        pairs.append(
            PairQc(
                comparison=compare_lots(lots[0].values, qc.values),
                cargo_summary=summary,
                cargo=cargo,
            )
        )
    return tuple(pairs)


def run_qc(
    records: Sequence[str | Path],
    *,
    spec: str | Path | ReleaseSpecification | None = None,
    rules: str | Path | None = None,
) -> QcRun:
    """Load every record (every problem of every file before any work), evaluate each lot,
    compare each with the first and trend the series.

    ``records`` are YAML/JSON records or spreadsheets (XLSX/CSV/TSV, one row a lot).
    """
    loaded: list[LoadedPreparation] = []
    problems: list[Problem] = []
    for path in records:
        try:
            loaded.extend(load_preparations(path))
        except RecordProblemsError as error:
            problems.extend(error.problems)
        except RecordFileError as error:
            problems.append((error.path, error.line, error.field, error.message))
    specification = None
    try:
        specification = (
            spec
            if isinstance(spec, ReleaseSpecification) or spec is None
            else load_specification(spec)
        )
    except RecordProblemsError as error:
        problems.extend(error.problems)
    if problems:
        raise RecordProblemsError(problems)
    return qc_run_of(loaded, specification, rules)


def qc_run_of(
    loaded: Sequence[LoadedPreparation],
    specification: ReleaseSpecification | None,
    rules: str | Path | None = None,
) -> QcRun:
    ids = [item.record.id for item in loaded]
    duplicated = sorted({i for i in ids if ids.count(i) > 1})
    if duplicated:
        raise RecordFileError(
            loaded[ids.index(duplicated[0], ids.index(duplicated[0]) + 1)].path,
            None,
            "id",
            f"lot id {duplicated[0]!r} given twice",
        )
    checklist, bands, markers = load_rules(rules), load_purity_bands(), load_marker_table()
    contaminants = load_contaminant_table()
    lots = tuple(
        evaluate_preparation(
            item,
            spec=specification,
            rules=checklist,
            bands=bands,
            markers=markers,
            contaminants=contaminants,
        )
        for item in loaded
    )
    passed = {lot.values.id: lot.spec.passed for lot in lots if lot.spec is not None}
    return QcRun(
        lots=lots,
        pairs=compare_preparations(loaded, lots),
        rules_version=checklist.version,
        specification=specification,
        trend=trend_lots([lot.values for lot in lots], specification, passed)
        if len(lots) > 1
        else None,
    )


def qc_payload(run: QcRun) -> dict[str, Any]:
    """The run as JSON-ready data (histograms left out)."""
    return {
        "rules_version": run.rules_version,
        "specification": (
            run.specification.model_dump(mode="json", exclude_none=True)
            if run.specification
            else None
        ),
        "lots": [
            lot.model_dump(mode="json", exclude={"values": {"histogram"}}) for lot in run.lots
        ],
        "comparisons": [pair.model_dump(mode="json") for pair in run.pairs],
        "trend": run.trend.model_dump(mode="json") if run.trend is not None else None,
    }


def report_html(run: QcRun) -> str:
    """The self-contained HTML report as text."""
    from evkg.report.qc import render_qc_html

    histograms = [
        (lot.values.id, lot.values.histogram)
        for lot in run.lots
        if lot.values.histogram is not None
    ]
    return render_qc_html(qc_payload(run), histograms)


def render_report(run: QcRun, output: str | Path) -> Path:
    """Write the self-contained HTML report (written to a temporary file, then renamed)."""
    output = Path(output)
    html = report_html(run)
    partial = output.with_name(output.name + ".partial")
    try:
        partial.write_text(html, encoding="utf-8")
        partial.replace(output)
    except OSError as error:
        partial.unlink(missing_ok=True)
        raise RecordFileError(output, None, None, f"cannot be written: {error.strerror}") from error
    return output


from evkg.api._qc_upload import Upload, run_qc_uploaded, upload_name  # noqa: E402
