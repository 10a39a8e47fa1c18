"""Bibliographic metadata of a plain-text file, which the text itself does not carry: from a
sidecar file ``<file>.meta.json`` beside it, or given on the command line for one file.

A sidecar is a JSON object with any of the keys ``pmid``, ``doi``, ``title``, ``authors``
(a list of names), ``year`` and ``journal``::

    {"pmid": "31234567", "doi": "10.1000/example.1", "title": "Exosomes from ..."}
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, fields, replace
from pathlib import Path

from evkg.sources.text.document import ReadProblem

__all__ = ["SIDECAR_SUFFIX", "TextMetadata", "read_sidecar", "sidecar_of"]

SIDECAR_SUFFIX = ".meta.json"
_PMID = re.compile(r"^(?:pmid:?\s*)?(?P<value>\d{1,9})$", re.IGNORECASE)
_DOI = re.compile(
    r"^(?:doi:\s*|https?://(?:dx\.)?doi\.org/)?(?P<value>10\.\d{4,9}/\S+)$", re.IGNORECASE
)
_MIN_YEAR, _MAX_YEAR = 1800, 2100


@dataclass(frozen=True, slots=True)
class TextMetadata:
    """What is known of a text file's work; ``None`` for what is not."""

    pmid: str | None = None
    doi: str | None = None
    title: str | None = None
    authors: tuple[str, ...] | None = None
    year: int | None = None
    journal: str | None = None

    @classmethod
    def checked(
        cls,
        *,
        pmid: str | None = None,
        doi: str | None = None,
        title: str | None = None,
        where: str = "metadata",
    ) -> TextMetadata:
        """Metadata from given strings, normalised (``PMID:123``, ``https://doi.org/10.…``).

        >>> TextMetadata.checked(pmid="PMID: 123", doi="https://doi.org/10.1000/x.1").doi
        '10.1000/x.1'

        :raises ValueError: a PMID or DOI that is not one, or an empty title, naming the
            field and ``where`` it came from.
        """
        return cls(
            pmid=_matched(_PMID, pmid, where, "pmid", "a PubMed id is digits (PMID:123 or 123)"),
            doi=_matched(_DOI, doi, where, "doi", "a DOI starts with 10. and a registrant code"),
            title=_text(title, where, "title"),
        )

    def overridden_by(self, other: TextMetadata | None) -> TextMetadata:
        """These fields, with those ``other`` gives in their place."""
        if other is None:
            return self
        given = {f.name: getattr(other, f.name) for f in fields(other)}
        return replace(self, **{name: value for name, value in given.items() if value is not None})

    def describe(self) -> str:
        """The fields given, for a fingerprint or a note (``pmid=123; title=…``)."""
        parts = [f"{f.name}={getattr(self, f.name)}" for f in fields(self)]
        return "; ".join(p for p in parts if not p.endswith("=None"))


def sidecar_of(path: Path) -> Path:
    """Where the sidecar of ``path`` is (``paper.txt`` → ``paper.txt.meta.json``)."""
    return path.with_name(path.name + SIDECAR_SUFFIX)


def read_sidecar(path: Path) -> TextMetadata | ReadProblem | None:
    """The metadata in the sidecar of text file ``path``; ``None`` when there is none, a
    :class:`ReadProblem` naming the sidecar and field when it is malformed."""
    sidecar = sidecar_of(path)
    if not sidecar.is_file():
        return None
    try:
        raw = json.loads(sidecar.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        return ReadProblem(sidecar.name, f"not a JSON object ({error})", stops_reading=True)
    try:
        return _from_json(raw, sidecar.name)
    except ValueError as error:
        return ReadProblem(sidecar.name, str(error), stops_reading=True)


def _from_json(raw: object, where: str) -> TextMetadata:
    if not isinstance(raw, dict):
        raise ValueError("a sidecar holds one JSON object of pmid, doi, title, authors, year")
    known = {f.name for f in fields(TextMetadata)}
    unknown = sorted(set(raw) - known)
    if unknown:
        raise ValueError(f"field {unknown[0]!r}: unknown (known: {', '.join(sorted(known))})")
    strings = {}
    for name in ("pmid", "doi", "title", "journal"):
        value = raw.get(name)
        if isinstance(value, int) and name == "pmid":
            value = str(value)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"field {name!r}: expected a string, got {type(value).__name__}")
        strings[name] = value
    authors = raw.get("authors")
    if authors is not None and (
        not isinstance(authors, list)
        or not authors
        or not all(isinstance(a, str) and a.strip() for a in authors)
    ):
        raise ValueError("field 'authors': expected a non-empty list of names")
    year = raw.get("year")
    if year is not None and (
        isinstance(year, bool) or not isinstance(year, int) or not _MIN_YEAR <= year <= _MAX_YEAR
    ):
        raise ValueError(f"field 'year': expected a year between {_MIN_YEAR} and {_MAX_YEAR}")
    checked = TextMetadata.checked(
        pmid=strings["pmid"], doi=strings["doi"], title=strings["title"], where=where
    )
    return replace(
        checked,
        authors=tuple(a.strip() for a in authors) if authors else None,
        year=year,
        journal=_text(strings["journal"], where, "journal"),
    )


def _matched(
    pattern: re.Pattern[str], value: str | None, where: str, name: str, hint: str
) -> str | None:
    if value is None:
        return None
    found = pattern.match(value.strip())
    if found is None:
        raise ValueError(f"field {name!r}: {value!r} is not valid in {where} ({hint})")
    return found["value"]


def _text(value: str | None, where: str, name: str) -> str | None:
    if value is None:
        return None
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValueError(f"field {name!r}: empty in {where}")
    return cleaned
