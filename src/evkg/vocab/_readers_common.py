"""Shared plumbing for the reference-file readers: errors, transparent gzip, TSV/JSON parsing,
skip accounting and cross-reference normalisation. Private: import from
``evkg.vocab.reference_files``."""

from __future__ import annotations

import gzip
import io
import json
import logging
import zlib
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = [
    "ReadStats",
    "ReferenceDataError",
    "iter_lines",
    "iter_tsv",
    "load_json",
    "normalise_xref",
    "str_list",
]

_GZIP_MAGIC = b"\x1f\x8b"
_BOM = b"\xef\xbb\xbf"


class ReferenceDataError(ValueError):
    """A reference file's content is not what its reader expects.

    The message names the file and, where known, the 1-based line number.
    """

    def __init__(self, path: Path | str, line: int | None, message: str) -> None:
        self.path = Path(path)
        self.line = line
        self.message = message
        where = f"{self.path}" if line is None else f"{self.path}, line {line}"
        super().__init__(f"{where}: {message}")

    def __reduce__(self) -> tuple[Any, ...]:
        return (type(self), (self.path, self.line, self.message))


@dataclass
class ReadStats:
    """Counts of what one reader produced and skipped; skipped rows are logged at DEBUG and the
    totals at INFO when the reader finishes."""

    path: Path
    logger: logging.Logger
    entries: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def skip(self, line: int | None, reason: str, detail: str = "") -> None:
        """Record one skipped row (or record) and why."""
        self.skipped[reason] += 1
        if self.logger.isEnabledFor(logging.DEBUG):
            where = "" if line is None else f", line {line}"
            self.logger.debug("%s%s: skipped (%s) %s", self.path.name, where, reason, detail)

    def finish(self) -> None:
        """Log the totals."""
        if self.skipped:
            detail = "; ".join(f"{n} {reason}" for reason, n in self.skipped.most_common())
            self.logger.info(
                "%s: %d entries, %d skipped (%s)",
                self.path.name,
                self.entries,
                sum(self.skipped.values()),
                detail,
            )
        else:
            self.logger.info("%s: %d entries, none skipped", self.path.name, self.entries)


def _open_binary(path: Path) -> io.BufferedIOBase:
    with path.open("rb") as raw:
        is_gzip = raw.read(2) == _GZIP_MAGIC
    if is_gzip:
        return gzip.open(path, "rb")
    return path.open("rb")


def iter_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(1-based line number, line without its line break) for a text file, gzip or not.

    Decoding is strict UTF-8, line by line, so an undecodable byte is reported on its own
    line; a leading byte-order mark (miRTarBase exports) is dropped. Undecodable bytes and
    corrupt gzip streams raise :class:`ReferenceDataError`.
    """
    lineno = 0
    try:
        with _open_binary(path) as stream:
            for lineno, raw in enumerate(stream, start=1):
                if lineno == 1 and raw.startswith(_BOM):
                    raw = raw[len(_BOM) :]
                yield lineno, raw.rstrip(b"\r\n").decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ReferenceDataError(
            path,
            lineno,
            f"undecodable bytes at column {exc.start + 1} (file is not valid UTF-8): {exc.reason}",
        ) from exc
    except (gzip.BadGzipFile, EOFError, zlib.error) as exc:
        raise ReferenceDataError(
            path, lineno + 1 if lineno else None, f"corrupt gzip data: {exc}"
        ) from exc


def iter_tsv(
    path: Path,
    *,
    header: Sequence[str] | None,
    columns: int | None = None,
    separator: str = "\t",
    stats: ReadStats | None = None,
    overflow_into_last: bool = False,
) -> Iterator[tuple[int, list[str]]]:
    """(line number, cells) for every data row of a delimited file.

    With ``header`` the first line must equal it exactly; every row must then have
    ``len(header)`` cells (or ``columns`` cells when the file has no header). Blank lines are
    skipped and counted in ``stats``. With ``overflow_into_last`` a row with too many cells
    has the surplus joined (with ``separator``) into its last cell, for files whose last
    column holds unescaped separators.
    """
    expected = len(header) if header is not None else columns
    lines = iter_lines(path)
    if header is not None:
        first = next(lines, None)
        if first is None:
            raise ReferenceDataError(path, 1, "file is empty; expected a header line")
        found = first[1].split(separator)
        if found != list(header):
            raise ReferenceDataError(
                path, 1, f"unexpected header: expected {list(header)!r}, found {found!r}"
            )
    for lineno, line in lines:
        if not line.strip():
            if stats is not None:
                stats.skip(lineno, "blank line")
            continue
        cells = line.split(separator)
        if overflow_into_last and expected is not None and len(cells) > expected:
            cells[expected - 1 :] = [separator.join(cells[expected - 1 :])]
        if expected is not None and len(cells) != expected:
            raise ReferenceDataError(
                path, lineno, f"expected {expected} columns, found {len(cells)}"
            )
        yield lineno, cells


def load_json(path: Path) -> Any:
    """Parse a (possibly gzipped) JSON file; syntax errors become :class:`ReferenceDataError`."""
    text = "\n".join(line for _, line in iter_lines(path))
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise ReferenceDataError(path, exc.lineno, f"invalid JSON: {exc.msg}") from exc


def str_list(value: Any, path: Path, where: str) -> list[str]:
    """``value`` as a list of strings (``None`` -> empty); anything else is an error."""
    if value is None:
        return []
    if isinstance(value, list) and all(isinstance(item, str) for item in value):
        return value
    raise ReferenceDataError(path, None, f"{where}: expected a list of strings, got {value!r}")


#: Upper-cased source namespace -> Bioregistry-style lowercase prefix. Namespaces not listed
#: are lower-cased as they are.
_XREF_PREFIXES: dict[str, str] = {
    "MESH": "mesh",
    "MSH": "mesh",
    "DOID": "doid",
    "MONDO": "mondo",
    "OMIM": "omim",
    "MIM": "omim",
    "OMIMPS": "omim.ps",
    "UMLS": "umls",
    "UMLS_CUI": "umls",
    "NCI": "ncit",
    "NCIT": "ncit",
    "SCTID": "snomedct",
    "ORDO": "orphanet",
    "ORPHANET": "orphanet",
    "ICD9": "icd9",
    "ICD9CM": "icd9cm",
    "ICD10CM": "icd10cm",
    "ICD10WHO": "icd10",
    "ICD11": "icd11",
    "ICDO": "icdo",
    "PMID": "pubmed",
    "HGNC": "hgnc",
    "MEDDRA": "meddra",
    "EFO": "efo",
    "GARD": "gard",
    "HP": "hp",
}


def normalise_xref(namespace: str, identifier: str) -> str:
    """``MESH``/``D001172`` -> ``mesh:D001172``; ``SNOMEDCT_US_2023_03_01`` -> ``snomedct``.

    An identifier that repeats its namespace (``MESH:D001172``) is accepted too.
    """
    upper = namespace.upper()
    if upper.startswith("SNOMEDCT"):
        prefix = "snomedct"
    else:
        prefix = _XREF_PREFIXES.get(upper, namespace.lower())
    head, sep, tail = identifier.partition(":")
    if sep and head.upper() == upper:
        identifier = tail
    return f"{prefix}:{identifier}"
