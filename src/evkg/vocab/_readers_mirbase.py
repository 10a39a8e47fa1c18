"""Readers for miRBase: mature sequences (FASTA) and the release-by-release name history."""

from __future__ import annotations

import logging
import re
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path

from evkg.model import EntityKind
from evkg.vocab._readers_common import ReadStats, ReferenceDataError, iter_lines, iter_tsv
from evkg.vocab.lexicon import LexiconEntry

__all__ = [
    "MIRNA_HISTORY_COLUMNS",
    "read_mirbase_history",
    "read_mirbase_mature",
]

_log = logging.getLogger(__name__)

MIRNA_HISTORY_COLUMNS: tuple[str, ...] = (
    "release",
    "type",
    "accession",
    "name",
    "hairpin_accession",
    "hairpin_status",
)

_MIMAT = re.compile(r"MIMAT\d{7}")
_MI = re.compile(r"MI\d{7}")
_SEQUENCE = re.compile(r"[ACGUTNacgutn]+")


def read_mirbase_mature(
    path: Path, species: Collection[str] | None = None
) -> Iterator[LexiconEntry]:
    """Mature miRNAs from miRBase ``mature.fa`` as ``MIRNA`` entries.

    Header lines look like ``>hsa-miR-21-5p MIMAT0000076 Homo sapiens miR-21-5p``. CURIE:
    ``mirbase.mature:MIMAT…``; label: the name; attributes ``species`` (the three-letter code,
    e.g. ``hsa``), ``accession`` and ``organism``. With ``species`` only those codes are kept
    (the others are counted as skipped).
    """
    stats = ReadStats(path, _log)
    in_record = False
    for lineno, line in iter_lines(path):
        if line.startswith(">"):
            fields = line[1:].split()
            if len(fields) < 2 or not _MIMAT.fullmatch(fields[1]):
                raise ReferenceDataError(
                    path, lineno, f"malformed FASTA header {line!r} (expected '>name MIMAT… …')"
                )
            name, accession = fields[0], fields[1]
            code = name.split("-", 1)[0]
            in_record = True
            if species is not None and code not in species:
                stats.skip(lineno, "species not selected", name)
                continue
            # organism: the words between the accession and the trailing short name
            organism = " ".join(fields[2:-1]) if len(fields) > 3 else ""
            attributes = [("species", code), ("accession", accession)]
            if organism:
                attributes.append(("organism", organism))
            stats.entries += 1
            yield LexiconEntry(
                curie=f"mirbase.mature:{accession}",
                kind=EntityKind.MIRNA,
                label=name,
                attributes=tuple(attributes),
            )
        elif not line.strip():
            stats.skip(lineno, "blank line")
        elif not in_record:
            raise ReferenceDataError(path, lineno, "sequence line before the first '>' header")
        elif not _SEQUENCE.fullmatch(line.strip()):
            raise ReferenceDataError(path, lineno, f"not a nucleotide sequence: {line[:40]!r}")
    stats.finish()


def read_mirbase_history(
    path: Path, current_names: Mapping[str, str] | None = None
) -> Iterator[LexiconEntry]:
    """Earlier names of mature miRNAs (miRBase releases 6-15), as synonyms of the accession.

    Yields one ``MIRNA`` entry per mature accession whose names changed, with the earlier
    names as synonyms and as ``previous`` attributes (e.g. ``hsa-miR-21*`` for MIMAT0004494,
    now ``hsa-miR-21-3p``). With ``current_names`` (accession -> current name, e.g. from
    :func:`read_mirbase_mature`) the label is the current name, the current name is not listed
    as previous, and accessions no longer in miRBase are skipped and counted; without it the
    label is the name in the latest release listed. Hairpin rows are counted as skipped.

    Quirk: a few hairpin rows hold two tab-separated statuses (``SEQUENCE<TAB>NAME``); the
    surplus cell is folded into ``hairpin_status``.
    """
    stats = ReadStats(path, _log)
    names: dict[str, list[str]] = {}
    rows = iter_tsv(path, header=MIRNA_HISTORY_COLUMNS, stats=stats, overflow_into_last=True)
    for lineno, cells in rows:
        _release, row_type, accession, name = (cell.strip() for cell in cells[:4])
        if row_type == "hairpin":
            if not _MI.fullmatch(accession):
                raise ReferenceDataError(path, lineno, f"malformed hairpin accession {accession!r}")
            stats.skip(lineno, "hairpin row (only mature names are used)")
            continue
        if row_type != "mature":
            raise ReferenceDataError(
                path, lineno, f"unknown row type {row_type!r} (expected 'hairpin' or 'mature')"
            )
        if not _MIMAT.fullmatch(accession):
            raise ReferenceDataError(path, lineno, f"malformed mature accession {accession!r}")
        if not name:
            stats.skip(lineno, "mature row without a name", accession)
            continue
        seen = names.setdefault(accession, [])
        if name in seen:
            seen.remove(name)  # keep the order of last appearance
        seen.append(name)
    for accession, history in names.items():
        if current_names is not None:
            current = current_names.get(accession)
            if current is None:
                stats.skip(None, "accession not in current miRBase", accession)
                continue
        else:
            current = history[-1]
        previous = tuple(name for name in history if name != current)
        if not previous:
            continue
        stats.entries += 1
        yield LexiconEntry(
            curie=f"mirbase.mature:{accession}",
            kind=EntityKind.MIRNA,
            label=current,
            synonyms=previous,
            attributes=tuple(("previous", name) for name in previous),
        )
    stats.finish()
