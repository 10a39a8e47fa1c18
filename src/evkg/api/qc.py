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

import dataclasses
import json
import tempfile
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from importlib import resources
from pathlib import Path, PurePosixPath
from typing import Any, TypeVar

import yaml
from pydantic import BaseModel, ValidationError

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
from evkg.analysis.qc.results import LotQc, PairQc
from evkg.model.preparation import Preparation, ReleaseSpecification
from evkg.model.tabular import Rows, Tabular
from evkg.recordfiles import RecordFileError, line_of
from evkg.sources.nta import ParticleExport, SizeStats, read_size_export

__all__ = [
    "NO_CARGO",
    "LoadedPreparation",
    "QcRun",
    "compare_preparations",
    "evaluate_preparation",
    "load_marker_table",
    "load_preparation",
    "load_purity_bands",
    "load_rules",
    "load_specification",
    "lot_values",
    "qc_payload",
    "render_report",
    "report_html",
    "run_qc",
    "run_qc_uploaded",
    "upload_name",
]

NO_CARGO = "cargo comparison: not available (no profile attached)"
M = TypeVar("M", bound=BaseModel)
_MAX_RECORD_BYTES = 5 * 1024 * 1024


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


# ------------------------------------------------------------------ reading files


def _line_of(node: yaml.Node | None, location: Sequence[int | str]) -> int | None:
    return None if node is None else line_of(node, location)


def _read_mapping(path: Path, what: str) -> tuple[dict[str, Any], yaml.Node | None]:
    try:
        if path.stat().st_size > _MAX_RECORD_BYTES:
            raise RecordFileError(path, None, None, f"is too large for a {what} (over 5 MB)")
        text = path.read_text(encoding="utf-8-sig")
    except UnicodeDecodeError as error:
        raise RecordFileError(path, None, None, f"not UTF-8 text ({error.reason})") from error
    except OSError as error:
        raise RecordFileError(path, None, None, f"cannot be read: {error.strerror}") from error
    node: yaml.Node | None = None
    try:
        if path.suffix.lower() == ".json":
            data = json.loads(text)
        else:
            node = yaml.compose(text, Loader=yaml.SafeLoader)
            data = yaml.safe_load(text)
    except json.JSONDecodeError as error:
        raise RecordFileError(path, error.lineno, None, f"not valid JSON: {error.msg}") from error
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        raise RecordFileError(path, line, None, f"not valid YAML: {error}") from error
    if node is None and path.suffix.lower() == ".json":
        try:
            node = yaml.compose(text, Loader=yaml.SafeLoader)  # JSON is YAML: line numbers
        except yaml.YAMLError:
            node = None
    if not isinstance(data, dict):
        raise RecordFileError(path, 1, None, f"expected one {what}: a mapping of field: value")
    return data, node


def _validate(path: Path, model: type[M], what: str) -> tuple[M, yaml.Node | None]:
    data, node = _read_mapping(path, what)
    try:
        return model.model_validate(data), node
    except ValidationError as error:
        errors = error.errors()
        first = errors[0]
        location = [part for part in first["loc"] if isinstance(part, int | str)]
        field = ".".join(str(part) for part in location) or None
        more = f" (and {len(errors) - 1} more problems)" if len(errors) > 1 else ""
        raise RecordFileError(
            path, _line_of(node, location), field, f"{first['msg']}{more}"
        ) from error


#: Finds the file a record names, or raises ``LookupError`` saying why it cannot.
Resolver = Callable[[str], Path]


def _beside(record: Path) -> Resolver:
    def resolve(reference: str) -> Path:
        target = (record.parent / reference).resolve()
        if not target.is_file():
            raise LookupError(f"not found: {target}")
        return target

    return resolve


def load_preparation(path: str | Path, *, resolve: Resolver | None = None) -> LoadedPreparation:
    """Read a preparation record (YAML or JSON) and the instrument exports it names.

    File references are relative to the record unless ``resolve`` finds them otherwise.
    """
    path = Path(path)
    record, node = _validate(path, Preparation, "preparation record")
    resolve = resolve or _beside(path)

    def find(reference: str, location: list[int | str], what: str) -> Path:
        try:
            return resolve(reference)
        except LookupError as error:
            field = ".".join(map(str, location))
            raise RecordFileError(
                path, _line_of(node, location), field, f"{what} {error.args[0]}"
            ) from error

    exports: list[ParticleExport | None] = []
    for k, measurement in enumerate(record.particles):
        if measurement.export is None:
            exports.append(None)
            continue
        target = find(measurement.export, ["particles", k, "export"], "export file")
        exports.append(read_size_export(target))
    cargo = (
        find(record.cargo_profile, ["cargo_profile"], "cargo profile")
        if record.cargo_profile is not None
        else None
    )
    return LoadedPreparation(record=record, path=path, exports=tuple(exports), cargo_path=cargo)


def load_specification(path: str | Path) -> ReleaseSpecification:
    """Read a release specification (YAML or JSON)."""
    return _validate(Path(path), ReleaseSpecification, "release specification")[0]


def _shipped(name: str) -> Path:
    return Path(str(resources.files("evkg") / "data" / "qc" / name))


def _load_rule_file(path: Path | None, name: str, model: type[M]) -> M:
    return _validate(path or _shipped(name), model, name)[0]


def load_rules(path: str | Path | None = None) -> ChecklistRules:
    """The checklist rules: the shipped ``checklist.yaml`` unless ``path`` is given."""
    return _load_rule_file(Path(path) if path else None, "checklist.yaml", ChecklistRules)


def load_purity_bands(path: str | Path | None = None) -> PurityBands:
    """Particles-per-µg bands with their citation (shipped ``purity.yaml``)."""
    return _load_rule_file(Path(path) if path else None, "purity.yaml", PurityBands)


def load_marker_table(path: str | Path | None = None) -> MarkerTable:
    """Marker → MISEV2018 category (shipped ``markers.yaml``)."""
    return _load_rule_file(Path(path) if path else None, "markers.yaml", MarkerTable)


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


def lot_values(loaded: LoadedPreparation, *, bands: PurityBands | None = None) -> LotValues:
    """The lot's particle, protein, purity and marker values."""
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
        histogram=histogram,
        warnings=tuple(notes),
    )


def _context(loaded: LoadedPreparation, values: LotValues, markers: MarkerTable) -> dict[str, Any]:
    record = loaded.record
    context = record.model_dump(mode="json")
    context["markers"] = [
        {**m, "category": m["category"] or markers.category(m["name"])} for m in context["markers"]
    ]
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
    }
    return context


def evaluate_preparation(
    loaded: LoadedPreparation,
    *,
    spec: ReleaseSpecification | None = None,
    rules: ChecklistRules | None = None,
    bands: PurityBands | None = None,
    markers: MarkerTable | None = None,
) -> LotQc:
    """Checklist, purity and (with ``spec``) the release check for one preparation."""
    values = lot_values(loaded, bands=bands)
    context = _context(loaded, values, markers or load_marker_table())
    return LotQc(
        values=values,
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
    result = compare_profiles(profiles)
    changed = [f"{c.label} {c.status}" for c in result.cargo if c.status != "unchanged"][:5]
    summary = (
        f"cargo comparison: {result.shared} shared of {result.n_items[0]} / {result.n_items[1]}"
        f" items, Spearman {result.spearman[0][1]:.2f}"
        + (f"; changed: {', '.join(changed)}" if changed else "; no cargo changed")
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
    """Load every record (all errors before any work), evaluate each, compare with the first."""
    loaded = [load_preparation(path) for path in records]
    specification = (
        spec
        if isinstance(spec, ReleaseSpecification) or spec is None
        else (load_specification(spec))
    )
    return _run(loaded, specification, rules)


def _run(
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
    lots = tuple(
        evaluate_preparation(
            item, spec=specification, rules=checklist, bands=bands, markers=markers
        )
        for item in loaded
    )
    return QcRun(
        lots=lots,
        pairs=compare_preparations(loaded, lots),
        rules_version=checklist.version,
        specification=specification,
    )


Upload = tuple[str, bytes]  # (file name as the user named it, content)


def upload_name(name: str) -> str:
    """The file name an upload or a reference is known by: its last path part.

    >>> upload_name("../../data/nta/run 1-ExperimentSummary.csv"), upload_name("C:/x/a.txt")
    ('run 1-ExperimentSummary.csv', 'a.txt')
    """
    return PurePosixPath(name.replace("\\", "/")).name


def _hidden(error: RecordFileError, root: Path) -> RecordFileError:
    """``error`` naming the uploaded file instead of its temporary copy."""
    path = error.path.name if error.path.is_relative_to(root) else error.path
    message = error.message.replace(str(root) + "/", "").replace(str(root), "")
    return type(error)(path, error.line, error.field, message)


def run_qc_uploaded(
    records: Sequence[Upload], files: Sequence[Upload] = (), *, spec: Upload | None = None
) -> QcRun:
    """QC of records sent as content (a web upload) rather than as paths.

    A record's file references (``particles[].export``, ``cargo_profile``) are found among
    ``files`` by file name alone, never on this machine's filesystem. Errors name the
    uploaded file, line and field, never a temporary path.
    """
    names = [upload_name(name) for name, _ in [*records, *files]]
    for name in names:
        if name in {"", ".", ".."} or len(name) > 200 or any(ord(c) < 32 for c in name):
            raise RecordFileError(name or "(unnamed upload)", None, None, "unusable file name")
    named = [upload_name(name) for name, _ in files]
    twice = sorted({name for name in named if named.count(name) > 1})
    if twice:
        raise RecordFileError(twice[0], None, None, "uploaded twice: file names must differ")
    with tempfile.TemporaryDirectory(prefix="evkg-qc-") as folder:
        root = Path(folder).resolve()

        def stored(group: str, k: int, name: str, content: bytes) -> Path:
            target = root / group / str(k) / upload_name(name)
            target.parent.mkdir(parents=True)
            target.write_bytes(content)
            return target

        available = {
            upload_name(name): stored("files", k, name, content)
            for k, (name, content) in enumerate(files)
        }

        def resolve(reference: str) -> Path:
            name = upload_name(reference)
            if name in available:
                return available[name]
            sent = ", ".join(sorted(available)[:5]) or "none"
            raise LookupError(
                f"{name!r} was not uploaded (references are matched by file name among the "
                f"uploaded files; uploaded: {sent})"
            )

        try:
            loaded = [
                load_preparation(stored("records", k, name, content), resolve=resolve)
                for k, (name, content) in enumerate(records)
            ]
            specification = (
                load_specification(stored("spec", 0, *spec)) if spec is not None else None
            )
            loaded = [dataclasses.replace(i, path=Path(i.path.name)) for i in loaded]
            return _run(loaded, specification)
        except RecordFileError as error:
            raise _hidden(error, root) from error


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
