"""evkg: a knowledge system for therapeutic extracellular vesicles from mesenchymal stromal cells.

Open the evidence graph (a SQLite store under the user data directory, created and loaded
with the shipped curated knowledge on first use) and ask it questions::

    import evkg
    knowledge = evkg.open_knowledge()
    answer = knowledge.disease("rheumatoid arthritis")
    answer.to_frame()                       # the ranked strategies as a pandas DataFrame
    analysis = evkg.analyze("ev_mirna.csv", knowledge=knowledge)
    analysis.to_frame()                     # indications; .to_frame("pathways") and others
    evkg.qc("lot-07.yaml", "lot-08.yaml").to_frame("items")

Every answer shows as a table in Jupyter. The answers are the bodies the REST API returns
and ``evkg --format json`` prints (:mod:`evkg.api.responses`).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

__version__ = "0.1.0"
__all__ = ["__version__", "analyze", "open_knowledge", "qc"]

if TYPE_CHECKING:
    from evkg.analysis import ProfileAnalysis
    from evkg.api import Knowledge
    from evkg.api.qc import QcRun


def open_knowledge(
    database_url: str | None = None,
    data_dir: str | Path | None = None,
    *,
    load_curated: bool = True,
) -> Knowledge:
    """Open the evidence graph.

    Args:
        database_url: SQLAlchemy URL of the store (``sqlite:///evkg.sqlite``,
            ``postgresql+psycopg://…``). Default: ``EVKG_DATABASE_URL``, the config file, or a
            SQLite file under the user data directory.
        data_dir: reference data directory (HGNC, miRBase, ontologies…) for name resolution
            beyond the shipped lexicon. Default: ``EVKG_DATA_DIR`` or the config file.
        load_curated: load the shipped curated knowledge into the store when it is missing
            or out of date (the first use takes a few seconds).

    Returns:
        A :class:`evkg.api.Knowledge`: ask it ``.disease(name)``, ``.cargo(name)``,
        ``.gene(name)``, ``.reference(id)``, ``.find(text)`` or ``.studies(name)``.
    """
    from evkg.api import open_knowledge as _open

    return _open(
        database_url=database_url,
        data_dir=None if data_dir is None else str(data_dir),
        load_curated=load_curated,
    )


def analyze(
    path: str | Path,
    *,
    knowledge: Knowledge | None = None,
    species: str = "hsa",
    name_column: str | None = None,
    abundance_column: str | None = None,
    sample: str | None = None,
    data_dir: str | Path | None = None,
) -> ProfileAnalysis:
    """Analyse a cargo file: known therapeutic cargo, targets, pathways and indications.

    Args:
        path: a list of names, CSV/TSV/XLSX (name and optional abundance column), a miRDeep2
            or nf-core/smrnaseq count table, or a MaxQuant ``proteinGroups.txt``.
        knowledge: an open knowledge base (default: :func:`open_knowledge` with ``data_dir``).
        species: ``hsa``, ``mmu`` or ``rno`` for bare miRNA names.
        name_column, abundance_column, sample: which columns (or sample) to read, when the
            file's own layout does not say.
        data_dir: reference data directory (miRTarBase, gene sets); default as configured.

    Returns:
        A :class:`evkg.analysis.ProfileAnalysis`; ``.to_frame()`` gives the indications,
        ``.to_frame("pathways")``, ``"targets"``, ``"known_cargo"`` and ``"profile"`` the rest.
    """
    from evkg.api.analysis import analyze as _analyze

    folder = None if data_dir is None else Path(data_dir)
    if knowledge is None:
        knowledge = open_knowledge(data_dir=folder)
    return _analyze(
        Path(path),
        knowledge=knowledge,
        species=species,
        name_column=name_column,
        abundance_column=abundance_column,
        sample=sample,
        data_dir=folder,
    )


def qc(
    *records: str | Path,
    spec: str | Path | None = None,
    rules: str | Path | None = None,
) -> QcRun:
    """Check EV preparation records (YAML/JSON) against MISEV-style guidelines.

    Args:
        records: one or more preparation records; every lot is compared with the first.
        spec: a release specification (YAML/JSON) to check every lot against.
        rules: a checklist rules file instead of the shipped one.

    Returns:
        A :class:`evkg.api.qc.QcRun`; ``.to_frame()`` gives one row per lot,
        ``.to_frame("scores")``, ``"items"`` and ``"comparisons"`` the rest.
    """
    from evkg.api.qc import run_qc

    paths: Sequence[str | Path] = records
    if not paths:
        raise TypeError("qc() needs at least one preparation record")
    return run_qc(paths, spec=spec, rules=rules)
