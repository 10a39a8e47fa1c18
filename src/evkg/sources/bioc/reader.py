"""BioC readers (PMC BioC XML and JSON): documents of titled passages.

XML is streamed document by document (lxml iterparse, entities and network off, elements
cleared once read); JSON is read incrementally by :mod:`evkg.sources.bioc.json_stream`.
Supplied annotations are ignored; evkg runs its own recognition.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from lxml import etree

from evkg.sources.bioc._tables import TableParts, is_table_passage
from evkg.sources.pubmed.reader import READ_ERRORS, iter_tagged, open_maybe_gzip, unreadable
from evkg.sources.text.document import Bibliography, Document, ReadProblem, Section

__all__ = ["document_from_bioc", "iter_bioc_xml"]

_log = logging.getLogger(__name__)
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_SKIP_TYPES = {"ref", "table_foot", "footnote", "fig_caption_title"}
_SKIP_SECTIONS = {"REF", "COMP_INT", "AUTH_CONT", "ACK_FUND", "SUPPL"}


def _document_id(raw_id: str, infons: Mapping[str, str]) -> str | None:
    pmid = infons.get("article-id_pmid", "").strip()
    if pmid.isdigit():
        return f"pubmed:{pmid}"
    value = raw_id.strip()
    if value.isdigit():
        return f"pubmed:{value}"
    if re.fullmatch(r"PMC\d+", value):
        return f"pmc:{value}"
    if re.fullmatch(r"\d+", value.removeprefix("PMC")):
        return f"pmc:PMC{value.removeprefix('PMC')}"
    return None


def _authors(infons: Mapping[str, str]) -> tuple[str, ...]:
    names = []
    for key in sorted((k for k in infons if k.startswith("name_")), key=lambda k: int(k[5:] or 0)):
        parts = dict(part.split(":", 1) for part in infons[key].split(";") if ":" in part)
        surname = parts.get("surname", "").strip()
        given = parts.get("given-names", "").strip()
        if surname:
            initials = "".join(w[0] for w in given.replace("-", " ").split() if w)
            names.append(f"{surname} {initials}".strip())
    return tuple(names)


def document_from_bioc(
    raw_id: str, passages: Sequence[tuple[Mapping[str, str], str]], origin: str
) -> Document | ReadProblem:
    """A document from BioC passages given as (infons, text); table passages (caption,
    XHTML, footnotes) become the document's tables, read cell by cell."""
    front: Mapping[str, str] = passages[0][0] if passages else {}
    curie = _document_id(raw_id, front)
    if curie is None:
        return ReadProblem(origin, f"document id {raw_id[:40]!r} is neither a PMID nor a PMCID")
    sections: list[Section] = []
    tables = TableParts()
    title = ""
    for infons, text in passages:
        if is_table_passage(infons):
            tables.add(infons, text)
            continue
        kind = infons.get("type", "").lower()
        section = infons.get("section_type", "")
        if kind in _SKIP_TYPES or section in _SKIP_SECTIONS or not text.strip():
            continue
        if kind in {"front", "title"} and not title:
            title = text.strip()
        if kind.startswith("title") and kind != "title":
            continue  # section headings: their text names the next passages
        name = section.title() if section else (kind.capitalize() or "Text")
        sections.append(Section("Title" if kind in {"front", "title"} else name, text.strip()))
    found_tables = tuple(tables.tables())
    if not sections and not found_tables:
        return ReadProblem(f"{origin} ({curie})", "no passage with text")
    year_match = _YEAR.search(front.get("year", ""))
    bibliography = None
    if year_match and title:
        bibliography = Bibliography(
            authors=_authors(front) or ("[no authors listed]",),
            year=int(year_match.group(1)),
            title=title,
            journal=front.get("source", "").strip() or "unknown journal",
            volume=front.get("volume") or None,
            pages=front.get("fpage") or None,
            pmid=curie.split(":", 1)[1] if curie.startswith("pubmed:") else None,
        )
    return Document(
        curie, tuple(sections), bibliography, origin=f"{origin} ({curie})", tables=found_tables
    )


def _infons(element: Any) -> dict[str, str]:
    return {i.get("key", ""): (i.text or "") for i in element.iterfind("infon")}


def iter_bioc_xml(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents of a BioC XML collection, streamed."""
    number = 0
    try:
        with open_maybe_gzip(path) as handle:
            for element in iter_tagged(handle, "document"):
                number += 1
                passages = [
                    (_infons(p), str(p.findtext("text") or "")) for p in element.iterfind("passage")
                ]
                origin = f"{path.name} document {number} (line {element.sourceline})"
                yield document_from_bioc(element.findtext("id") or "", passages, origin)
    except etree.XMLSyntaxError as error:
        yield ReadProblem(
            f"{path.name} line {error.lineno}",
            f"malformed BioC XML ({error.msg}); documents after this point were not read",
            stops_reading=True,
        )
    except READ_ERRORS as error:
        yield unreadable(path.name, error)
