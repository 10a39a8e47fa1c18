"""Cargo-profile analysis and therapy design as services: files and names in, typed results
out (each with ``to_dict()`` for JSON). The CLI, the web app and Python users call these.

Example (needs a store and a file)::

    profile, report = load_profile(Path("ev.csv"), vocabulary=knowledge.vocabulary)
    analysis = analyze(Path("ev.csv"), knowledge=knowledge)
"""

from __future__ import annotations

import logging
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path

from evkg.analysis import (
    AnalysisResources,
    AnalysisSettings,
    CargoProfile,
    NormalisationReport,
    ProfileAnalysis,
    ProfileComparison,
    TherapyDesign,
    analyse_profile,
    compare_profiles,
    design_therapy,
    normalise_profile,
)
from evkg.analysis.pipeline import prepare_collections
from evkg.analysis.targets import GeneIndex, build_target_index, ortholog_names
from evkg.api.service import Knowledge
from evkg.model import EntityKind, Predicate
from evkg.sources.cargo import (
    DEFAULT_MAX_BYTES,
    DEFAULT_MAX_ROWS,
    CargoFileError,
    CargoFileTooLargeError,
    read_cargo_file,
)
from evkg.sources.fetch import default_data_dir, load_cached
from evkg.sources.genesets import GeneSetLibrary, load_gmt, load_go_bp
from evkg.sources.mirtarbase import MtiTable, load_mirtarbase
from evkg.store import ClaimFilter, StoredClaim
from evkg.vocab import Vocabulary
from evkg.vocab.reference_files import REFERENCE_FILES

__all__ = [
    "CargoFileError",
    "CargoFileTooLargeError",
    "analyze",
    "analyze_bytes",
    "claims_for_analysis",
    "compare",
    "design",
    "load_profile",
    "load_resources",
    "reference_data_dir",
]

_log = logging.getLogger(__name__)

_MECHANISM = (
    Predicate.REGULATES_DOWN,
    Predicate.REGULATES_UP,
    Predicate.INHIBITS,
    Predicate.ACTIVATES,
    Predicate.MODULATES,
)
_REGULATION = (Predicate.REGULATES_DOWN, Predicate.REGULATES_UP)
_RESOURCES_FORMAT = 1
#: Reference files the vocabulary (hence the prepared resources) depends on.
_LEXICON_INPUTS = ("hgnc", "ncbi_gene", "orthology", "mirbase_mature", "mirbase_history")
_ANALYSIS_INPUTS = (
    "mirtarbase_hsa", "mirtarbase_mmu", "reactome", "gene2go", "go_terms", "wikipathways_human",
)  # fmt: skip
#: Gene-set collections analyse() reads, by registry name(s).
COLLECTIONS = {
    "reactome": ("Reactome", ("reactome",)),
    "go_bp": ("GO BP", ("gene2go", "go_terms")),
    "wikipathways": ("WikiPathways", ("wikipathways_human",)),
}


def load_profile(
    path: Path,
    *,
    species: str = "hsa",
    vocabulary: Vocabulary,
    name_column: str | None = None,
    abundance_column: str | None = None,
    sample: str | None = None,
    delimiter: str | None = None,
    sheet: str | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    name: str | None = None,
) -> tuple[CargoProfile, NormalisationReport]:
    """Read a cargo file and resolve its names. Raises :class:`CargoFileError` (file, line,
    field) on unreadable input and ``ValueError`` on an unknown species."""
    table = read_cargo_file(
        path,
        name_column=name_column,
        abundance_column=abundance_column,
        sample=sample,
        delimiter=delimiter,
        sheet=sheet,
        max_bytes=max_bytes,
        max_rows=max_rows,
    )
    profile, report = normalise_profile(table, vocabulary, species=species, name=name)
    if not profile.items:
        raise CargoFileError(
            path,
            None,
            table.name_column,
            f"none of the {len(table.rows)} names resolved to a miRNA, gene or cargo "
            f"(species {report.species}); first unmatched: "
            + "; ".join(f"{u.input_name!r} ({u.reason})" for u in report.unmatched[:3]),
        )
    return profile, report


def reference_data_dir(explicit: Path | None = None) -> Path:
    """Where the reference files are: ``explicit``, the configured data directory, else the
    directory ``evkg data fetch`` fills by default."""
    if explicit is not None:
        return Path(explicit)
    from evkg.settings import load_settings

    configured = load_settings().data_dir
    return configured if configured is not None else default_data_dir()


def _locate(data_dir: Path, name: str) -> Path | None:
    return REFERENCE_FILES[name].locate(data_dir) if data_dir.is_dir() else None


def load_resources(
    vocabulary: Vocabulary,
    data_dir: Path,
    *,
    species: str = "hsa",
    collections: Sequence[str] = ("reactome", "go_bp", "wikipathways"),
    cache_dir: Path | None = None,
) -> AnalysisResources:
    """Gene sets and validated interactions from ``data_dir``, prepared for analysis (cached
    while the reference files are unchanged); what is missing is skipped and said in
    ``notes``."""
    names = (*_LEXICON_INPUTS, *_ANALYSIS_INPUTS)
    inputs = [path for name in names if (path := _locate(data_dir, name)) is not None]
    if not inputs:
        return _build_resources(vocabulary, data_dir, species, collections, cache_dir)
    # keyed by the vocabulary too: a table built over the compact lexicon must not serve
    # a run with the full one (or another version of the shipped files)
    kind = (
        f"analysis-resources-v{_RESOURCES_FORMAT}-{species}-{'-'.join(collections)}"
        f"-{vocabulary.fingerprint}"
    )
    return load_cached(
        kind,
        inputs,
        lambda: _build_resources(vocabulary, data_dir, species, collections, cache_dir),
        cache_dir,
        AnalysisResources,
    )


def _build_resources(
    vocabulary: Vocabulary,
    data_dir: Path,
    species: str,
    collections: Sequence[str],
    cache_dir: Path | None,
) -> AnalysisResources:
    notes: list[str] = []
    genes = GeneIndex.from_lexicon(vocabulary.lexicon)
    if len(genes.symbols) < 1000:
        notes.append(
            "the vocabulary has only the compact gene list: set EVKG_DATA_DIR (or --data-dir) "
            "to the reference data so genes and miRNAs resolve fully"
        )
    tables: list[MtiTable] = []
    wanted = ["mirtarbase_hsa"] + (["mirtarbase_mmu"] if species != "hsa" else [])
    for name in wanted:
        path = _locate(data_dir, name)
        if path is None:
            notes.append(f"{REFERENCE_FILES[name].relative_path} not in {data_dir}: skipped")
            continue
        tables.append(load_mirtarbase(path, cache_dir))

    def mirna_curie(label: str) -> str | None:
        match = vocabulary.mirna(label)
        return match.curie if match is not None and not match.ambiguous else None

    index = build_target_index(tables, genes, mirna_curie) if tables else None
    if index is not None and index.unmapped_mirnas:
        notes.append(f"{index.unmapped_mirnas} miRTarBase miRNA names not in miRBase 22: skipped")
    libraries: list[GeneSetLibrary] = []
    for key in collections:
        title, files = COLLECTIONS[key]
        paths = [_locate(data_dir, name) for name in files]
        if any(p is None for p in paths):
            notes.append(f"{title}: reference file(s) {', '.join(files)} not found; skipped")
            continue
        found = [p for p in paths if p is not None]
        if key == "go_bp":
            libraries.append(load_go_bp(found[0], found[1], cache_dir))
        else:
            libraries.append(load_gmt(found[0], title, cache_dir=cache_dir))
    extra = {gene for links in (index.by_mirna.values() if index else ()) for gene, *_ in links}
    prepared = prepare_collections(libraries, genes, extra) if libraries else ()
    return AnalysisResources(genes, prepared, index, tuple(notes))


def orthologs(profile: CargoProfile, vocabulary: Vocabulary) -> dict[str, tuple[str, ...]]:
    """The same miRNA in the other species (by mature name), for each profile miRNA."""
    found: dict[str, tuple[str, ...]] = {}
    for item in profile.items:
        if item.kind != EntityKind.MIRNA.value:
            continue
        others = []
        for name in ortholog_names(item.label):
            match = vocabulary.mirna(name)
            if match is not None and not match.ambiguous:
                others.append(match.curie)
        if others:
            found[item.curie] = tuple(others)
    return found


def claims_for_analysis(knowledge: Knowledge, curies: Iterable[str]) -> list[StoredClaim]:
    """What an analysis draws on: claims about the cargo, every gene-regulation claim (the
    curated targets of any miRNA, for the random profiles calibrating the indications),
    mechanism claims made in a disease context and every outcome claim."""
    store = knowledge.store
    by_hash = {c.hash: c for c in store.claims(ClaimFilter(cargo=tuple(curies)))}
    for predicate in _MECHANISM:
        for stored in store.claims(ClaimFilter(predicate=predicate.value)):
            if stored.claim.context.disease is not None or predicate in _REGULATION:
                by_hash.setdefault(stored.hash, stored)
    for predicate in (Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON):
        for stored in store.claims(ClaimFilter(predicate=predicate.value)):
            by_hash.setdefault(stored.hash, stored)
    return sorted(by_hash.values(), key=lambda c: c.hash)


class _Citations:
    def __init__(self, knowledge: Knowledge) -> None:
        self.knowledge = knowledge
        self.cache: dict[str, str] = {}

    def __call__(self, curie: str) -> str:
        if curie not in self.cache:
            reference = self.knowledge.store.reference(curie)
            self.cache[curie] = reference.citation() if reference else curie
        return self.cache[curie]


def analyze(
    path: Path,
    *,
    knowledge: Knowledge,
    species: str = "hsa",
    name_column: str | None = None,
    abundance_column: str | None = None,
    sample: str | None = None,
    background: Path | None = None,
    settings: AnalysisSettings | None = None,
    resources: AnalysisResources | None = None,
    data_dir: Path | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    max_rows: int = DEFAULT_MAX_ROWS,
    name: str | None = None,
) -> ProfileAnalysis:
    """Analyse one cargo file end to end. ``background`` is a file of gene names (any layout
    :func:`load_profile` reads) replacing the default background."""
    vocabulary = knowledge.vocabulary
    profile, report = load_profile(
        Path(path),
        species=species,
        vocabulary=vocabulary,
        name_column=name_column,
        abundance_column=abundance_column,
        sample=sample,
        max_bytes=max_bytes,
        max_rows=max_rows,
        name=name,
    )
    if resources is None:
        resources = load_resources(
            vocabulary, reference_data_dir(data_dir), species=profile.species
        )
    genes: list[str] | None = None
    if background is not None:
        universe, _ = load_profile(
            Path(background), species="hsa", vocabulary=vocabulary, max_bytes=max_bytes
        )
        genes = [i.curie for i in universe.items if i.kind == EntityKind.GENE.value]
    related = orthologs(profile, vocabulary)
    curies = {c for item in profile.items for c in (item.curie, *related.get(item.curie, ()))}
    return analyse_profile(
        profile,
        resources,
        claims_for_analysis(knowledge, curies),
        settings=settings,
        background=genes,
        orthologs=related,
        label=knowledge.label,
        cite=_Citations(knowledge),
        normalisation=report,
    )


def analyze_bytes(
    content: bytes, filename: str, *, knowledge: Knowledge, **options: object
) -> ProfileAnalysis:
    """:func:`analyze` for uploaded bytes (a web form): written to a private temporary file
    named like the upload, then analysed; the size limit applies before writing."""
    limit = options.get("max_bytes", DEFAULT_MAX_BYTES)
    assert isinstance(limit, int)
    safe = Path(filename).name or "upload.txt"
    if len(content) > limit:
        raise CargoFileError(
            safe, None, None, f"upload is {len(content) / 1048576:.1f} MB, over the limit"
        )
    with tempfile.TemporaryDirectory(prefix="evkg-upload-") as folder:
        path = Path(folder) / safe
        path.write_bytes(content)
        options.setdefault("name", Path(safe).stem)
        return analyze(path, knowledge=knowledge, **options)  # type: ignore[arg-type]


def design(disease: str, *, knowledge: Knowledge, limit: int | None = None) -> TherapyDesign:
    """Ranked EV strategies for a disease (by name), each explained; unknown names raise
    :class:`~evkg.api.UnknownNameError` with suggestions."""
    match = knowledge.disease_match(disease)
    where = ClaimFilter(disease=match.curie)
    return design_therapy(
        match.curie,
        knowledge.store.claims(where),
        knowledge.store.chains(where),
        label=knowledge.label,
        cite=_Citations(knowledge),
        limit=limit,
    )


def compare(
    paths: Sequence[Path],
    *,
    knowledge: Knowledge,
    species: str = "hsa",
    settings: AnalysisSettings | None = None,
    analyse: bool = True,
    data_dir: Path | None = None,
    **options: object,
) -> tuple[ProfileComparison, list[ProfileAnalysis]]:
    """Compare two or more cargo files (the first is the reference)."""
    if len(paths) < 2:
        raise ValueError("compare needs at least two files")
    analyses: list[ProfileAnalysis] = []
    profiles: list[CargoProfile] = []
    resources: AnalysisResources | None = None
    for path in paths:
        if analyse:
            if resources is None:
                resources = load_resources(
                    knowledge.vocabulary, reference_data_dir(data_dir), species=species
                )
            result = analyze(
                Path(path),
                knowledge=knowledge,
                species=species,
                settings=settings,
                resources=resources,
                **options,  # type: ignore[arg-type]
            )
            analyses.append(result)
            profiles.append(result.profile)
        else:
            profile, _ = load_profile(Path(path), species=species, vocabulary=knowledge.vocabulary)
            profiles.append(profile)
    comparison = compare_profiles(profiles, analyses=analyses if analyse else None)
    return comparison, analyses
