"""The full lexicon: every gene, miRNA, disease, cell type, tissue, process and pathway name
from the reference files of a data directory, built once and cached on disk.

>>> str(data_dir_from_settings(Path("/data/ref")))
'/data/ref'

The cache file name carries :data:`CACHE_FORMAT_VERSION` and a fingerprint of the input files
(path, size, modification time) and of the reader code, so a changed input or reader gives a
new cache file; an unchanged one is loaded instead of re-reading the sources.
"""

from __future__ import annotations

import hashlib
import logging
import os
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path

import platformdirs

from evkg.model import EntityKind
from evkg.vocab.lexicon import Lexicon, LexiconEntry
from evkg.vocab.pickle_cache import read_pickle_cache, write_pickle_cache
from evkg.vocab.reference_files import (
    REFERENCE_FILES,
    entrez_to_hgnc,
    ortholog_entries,
    read_cell_ontology,
    read_disease_ontology,
    read_do_reports,
    read_go,
    read_hgnc,
    read_mesh,
    read_mirbase_history,
    read_mirbase_mature,
    read_mondo,
    read_mondo_cellxgene,
    read_ncbi_gene,
    read_orthology,
    read_reactome_gmt,
    read_uberon,
    read_wikipathways_gmt,
)

__all__ = [
    "CACHE_FORMAT_VERSION",
    "DATA_DIR_ENV",
    "LEXICON_FILES",
    "DataDirError",
    "build_full_lexicon",
    "cache_file_for",
    "data_dir_from_settings",
]

_log = logging.getLogger(__name__)

#: Bump when the pickled layout changes incompatibly.
CACHE_FORMAT_VERSION = 1

#: Environment variable naming the reference data directory.
DATA_DIR_ENV = "EVKG_DATA_DIR"
_CACHE_DIR_ENV = "EVKG_CACHE_DIR"
_CACHE_PREFIX = "full-lexicon"

#: Registry names of the files the full lexicon is built from, in the order they are added
#: (earlier sources give the label when two describe the same CURIE).
LEXICON_FILES: tuple[str, ...] = (
    "hgnc",
    "ncbi_gene",
    "orthology",
    "mirbase_mature",
    "mirbase_history",
    "disease_ontology_reports",
    "disease_ontology",
    "disease_ontology_mesh",
    "disease_ontology_xrefs",
    "mondo_cellxgene",
    "mondo",
    "mesh",
    "cell_ontology",
    "uberon",
    "go_terms",
    "reactome",
    "wikipathways_human",
)

#: Modules whose source is part of the cache fingerprint (a reader change invalidates it).
_CODE_FILES = (
    "full_lexicon.py",
    "lexicon.py",
    "reference_files.py",
    "_readers_common.py",
    "_readers_genes.py",
    "_readers_mirbase.py",
    "_readers_ontologies.py",
    "_readers_pathways.py",
)

Progress = Callable[[str], None]


class DataDirError(RuntimeError):
    """The reference data directory is missing, unreadable or holds no reference files."""


def data_dir_from_settings(explicit: Path | None = None) -> Path | None:
    """The reference data directory: ``explicit`` if given, else ``$EVKG_DATA_DIR``, else None.

    ``~`` is expanded; an empty environment variable counts as unset.
    """
    if explicit is not None:
        return Path(explicit).expanduser()
    value = os.environ.get(DATA_DIR_ENV, "").strip()
    return Path(value).expanduser() if value else None


def _check_data_dir(data_dir: Path) -> Path:
    hint = (
        f"set {DATA_DIR_ENV} (or pass the data directory explicitly) to the directory holding "
        "the reference files (hgnc/, mirbase/, disease_ontology/, … as in shared/data)"
    )
    if not data_dir.exists():
        raise DataDirError(f"reference data directory {data_dir} does not exist; {hint}")
    if not data_dir.is_dir():
        raise DataDirError(f"reference data directory {data_dir} is not a directory; {hint}")
    if not os.access(data_dir, os.R_OK | os.X_OK):
        raise DataDirError(f"reference data directory {data_dir} is not readable; {hint}")
    return data_dir.resolve()


def _present_files(data_dir: Path) -> dict[str, Path]:
    present: dict[str, Path] = {}
    for name in LEXICON_FILES:
        reference = REFERENCE_FILES[name]
        path = reference.locate(data_dir)
        if path is None:
            _log.info(
                "reference file %s (%s) not in %s; skipped", name, reference.relative_path, data_dir
            )
        else:
            present[name] = path
    return present


def _fingerprint(files: Mapping[str, Path]) -> str:
    digest = hashlib.sha256(f"evkg full lexicon v{CACHE_FORMAT_VERSION}\n".encode())
    for name, path in files.items():
        stat = path.stat()
        digest.update(f"{name}\t{path}\t{stat.st_size}\t{stat.st_mtime_ns}\n".encode())
    here = Path(__file__).parent
    for module in _CODE_FILES:
        try:
            digest.update(module.encode() + b"\0" + (here / module).read_bytes())
        except OSError:  # pragma: no cover - e.g. running from a zip
            digest.update(f"{module}: unreadable\n".encode())
    return digest.hexdigest()


def default_cache_dir() -> Path:
    """Where derived vocabularies are cached: ``$EVKG_CACHE_DIR`` or the user cache dir."""
    value = os.environ.get(_CACHE_DIR_ENV, "").strip()
    if value:
        return Path(value).expanduser()
    return Path(platformdirs.user_cache_dir("evkg"))


def cache_file_for(data_dir: Path, cache_dir: Path | None = None) -> Path:
    """The cache file :func:`build_full_lexicon` reads and writes for ``data_dir`` now.

    Raises :class:`DataDirError` like :func:`build_full_lexicon`.
    """
    files = _present_files(_check_data_dir(data_dir))
    return _cache_path(files, cache_dir)


def _cache_path(files: Mapping[str, Path], cache_dir: Path | None) -> Path:
    directory = cache_dir if cache_dir is not None else default_cache_dir()
    return directory / f"{_CACHE_PREFIX}-v{CACHE_FORMAT_VERSION}-{_fingerprint(files)[:24]}.pickle"


#: One pickled entry: (curie, kind value, label, synonyms, xrefs, attributes).
_Row = tuple[str, str, str, tuple[str, ...], tuple[str, ...], tuple[tuple[str, str], ...]]


def lexicon_payload(lexicon: Lexicon) -> dict[str, object]:
    """Plain tuples and dicts: about twice as fast to unpickle as the dataclasses."""
    rows: list[_Row] = [
        (e.curie, e.kind.value, e.label, e.synonyms, e.xrefs, e.attributes)
        for e in lexicon.entries.values()
    ]
    return {"format": CACHE_FORMAT_VERSION, "rows": rows, "index": dict(lexicon._index)}


def lexicon_from_payload(payload: object) -> Lexicon | None:
    if not isinstance(payload, dict) or payload.get("format") != CACHE_FORMAT_VERSION:
        return None
    rows, index = payload.get("rows"), payload.get("index")
    if not isinstance(rows, list) or not isinstance(index, dict):
        return None
    kinds = {kind.value: kind for kind in EntityKind}
    entries = {
        curie: LexiconEntry(curie, kinds[kind], label, synonyms, xrefs, attributes)
        for curie, kind, label, synonyms, xrefs, attributes in rows
    }
    # The folded-name index is stored as built, so loading need not re-fold every name.
    return Lexicon(entries=entries, _index=defaultdict(dict, index))


def _load_cache(path: Path) -> Lexicon | None:
    return read_pickle_cache(path, "lexicon", lexicon_from_payload)


def _save_cache(lexicon: Lexicon, path: Path) -> None:
    write_pickle_cache(path, lexicon_payload(lexicon), "lexicon")


def build_full_lexicon(
    data_dir: Path,
    *,
    cache_dir: Path | None = None,
    progress: Progress | None = None,
) -> Lexicon:
    """One :class:`Lexicon` from all lexicon-relevant reference files in ``data_dir``.

    Files missing from ``data_dir`` are skipped (logged). The result is cached under
    ``cache_dir`` (default: ``$EVKG_CACHE_DIR`` or the user cache directory) and loaded from
    there while the inputs are unchanged. Raises :class:`DataDirError` when ``data_dir`` is
    missing, unreadable or holds none of the files, and ``ReferenceDataError`` on malformed
    content.
    """
    report = progress or (lambda message: None)
    directory = _check_data_dir(Path(data_dir))
    files = _present_files(directory)
    if not files:
        expected = ", ".join(REFERENCE_FILES[name].relative_path for name in LEXICON_FILES[:3])
        raise DataDirError(
            f"reference data directory {directory} holds none of the reference files "
            f"(expected e.g. {expected}); set {DATA_DIR_ENV} to the right directory"
        )
    cache_path = _cache_path(files, cache_dir)
    started = time.perf_counter()
    cached = _load_cache(cache_path)
    if cached is not None:
        elapsed = time.perf_counter() - started
        _log.info(
            "full lexicon: %d entries loaded from %s in %.2f s", len(cached), cache_path, elapsed
        )
        report(f"loaded cached lexicon ({len(cached)} entries) from {cache_path}")
        return cached
    lexicon = _build_lexicon(files, report)
    elapsed = time.perf_counter() - started
    _log.info(
        "full lexicon: %d entries built from %d files in %.1f s", len(lexicon), len(files), elapsed
    )
    _save_cache(lexicon, cache_path)
    report(f"built lexicon ({len(lexicon)} entries) in {elapsed:.1f} s; cached at {cache_path}")
    return lexicon


def _only_current(
    entries: Iterable[LexiconEntry], current: set[str] | None, what: str
) -> Iterator[LexiconEntry]:
    """Drop entries whose CURIE a newer release no longer lists (obsolete since)."""
    dropped = 0
    for entry in entries:
        if current is not None and entry.curie not in current:
            dropped += 1
            _log.debug(
                "%s: %s (%s) not in the newer release; skipped", what, entry.curie, entry.label
            )
            continue
        yield entry
    if dropped:
        _log.info("%s: %d terms absent from the newer release skipped", what, dropped)


def _build_lexicon(files: Mapping[str, Path], report: Progress) -> Lexicon:
    """Read the present files in :data:`LEXICON_FILES` order into one lexicon."""
    lexicon = Lexicon()

    def add(name: str, entries: Iterable[LexiconEntry]) -> list[str]:
        started = time.perf_counter()
        before = len(lexicon)
        curies: list[str] = []
        for entry in entries:
            lexicon.add(entry)
            curies.append(entry.curie)
        report(
            f"{name}: {len(curies)} records, {len(lexicon) - before} new identifiers "
            f"({time.perf_counter() - started:.1f} s)"
        )
        return curies

    def start(name: str) -> Path | None:
        path = files.get(name)
        if path is not None:
            report(f"{name}: reading {path}")
        return path

    if (path := start("hgnc")) is not None:
        genes = list(read_hgnc(path))
        add("hgnc", genes)
        if (ncbi := start("ncbi_gene")) is not None:
            add("ncbi_gene", read_ncbi_gene(ncbi, entrez_to_hgnc(genes)))
        if (links := start("orthology")) is not None:
            add("orthology", ortholog_entries(read_orthology(links), lexicon.entries))
    else:
        for name in ("ncbi_gene", "orthology"):
            if name in files:
                _log.warning("%s needs the HGNC file to key its genes; skipped", name)

    current_mirnas: dict[str, str] | None = None
    if (path := start("mirbase_mature")) is not None:
        mature = list(read_mirbase_mature(path))
        add("mirbase_mature", mature)
        current_mirnas = {entry.curie.partition(":")[2]: entry.label for entry in mature}
    if (path := start("mirbase_history")) is not None:
        add("mirbase_history", read_mirbase_history(path, current_mirnas))

    current_doids: set[str] | None = None
    if (path := start("disease_ontology_reports")) is not None:
        current_doids = set(add("disease_ontology_reports", read_do_reports(path)))
    if (path := start("disease_ontology")) is not None:
        add(
            "disease_ontology",
            _only_current(read_disease_ontology(path), current_doids, "disease_ontology"),
        )
    for name in ("disease_ontology_mesh", "disease_ontology_xrefs"):
        if (path := start(name)) is not None:
            add(name, _only_current(read_do_reports(path), current_doids, name))

    current_mondo: set[str] | None = None
    if (path := start("mondo_cellxgene")) is not None:
        current_mondo = set(add("mondo_cellxgene", read_mondo_cellxgene(path)))
    if (path := start("mondo")) is not None:
        add("mondo", _only_current(read_mondo(path), current_mondo, "mondo"))

    simple: tuple[tuple[str, Callable[[Path], Iterable[LexiconEntry]]], ...] = (
        ("mesh", read_mesh),
        ("cell_ontology", read_cell_ontology),
        ("uberon", read_uberon),
        ("go_terms", read_go),
        ("reactome", read_reactome_gmt),
        ("wikipathways_human", read_wikipathways_gmt),
    )
    for name, reader in simple:
        if (path := start(name)) is not None:
            add(name, reader(path))
    return lexicon
