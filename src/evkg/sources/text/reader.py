"""Plain-text and Markdown reader: paragraphs under their headings become sections."""

from __future__ import annotations

import hashlib
import re
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

from evkg.sources.text._tables import find_text_tables
from evkg.sources.text.document import (
    Bibliography,
    CitedReference,
    Document,
    ReadProblem,
    Section,
    Table,
)
from evkg.sources.text.metadata import TextMetadata, read_sidecar

__all__ = ["document_from_text", "read_text_file"]

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_NOT_HEADING_END = (".", ",", ";", ":", "]", ")")
_REFERENCES_HEADING = re.compile(
    r"^(?:\d+\.?\s*)?(?:references?|bibliography|literature\s+cited|works\s+cited|"
    r"reference\s+list)\s*$",
    re.IGNORECASE,
)
_REFERENCE_ENTRY = re.compile(r"^\[?(?P<number>\d{1,4})[.\])]?\s+(?P<entry>\S.*)$")
#: The author list of a Vancouver-style entry ends at the first full stop after an initial
#: or "et al" ("Zhang Y, Li X, et al. Title…").
_AUTHORS_END = re.compile(r"^.{0,600}?(?:\bet al|\b[A-Z][A-Za-z]?\b|\b[A-Z]{1,3})\.\s+")
_APA_YEAR = re.compile(r"^.{0,600}?\((?:19|20)\d\d[a-z]?\)\.\s+")
_TITLE_END = re.compile(r"(?<=[\w)\]'’\"])[.?!](?=\s+[A-Z0-9])")
#: Lines of a web page's frame that text saved from a browser starts with: never a title.
_PAGE_FRAME = re.compile(
    r"^(?:skip\s+to\s+(?:main\s+)?(?:content|navigation)|main\s+menu|menu|search|"
    r"sign\s+in|log\s*in|register|cookies?(?:\s+\w+){0,4}|accept(?:\s+all)?(?:\s+cookies)?|"
    r"open\s+access|view\s+pdf|download\s+pdf|advertisement)$",
    re.IGNORECASE,
)


def _is_heading(block: str) -> bool:
    """A one-line block short enough and without sentence punctuation at its end."""
    if "\n" in block or len(block) > 80 or not re.search(r"[A-Za-z]", block):
        return False
    return not block.endswith(_NOT_HEADING_END) and len(block.split()) <= 10


def document_from_text(
    text: str,
    *,
    name: str,
    document_id: str | None = None,
    year: int | None = None,
    metadata: TextMetadata | None = None,
) -> Document:
    """Split ``text`` into sections: Markdown headings (``#``) or short stand-alone lines
    start a section; blank lines separate paragraphs.

    A heading line seen before (a running page header of text taken from a PDF) does not
    start a section. Under a reference-list heading
    (``References``, ``Bibliography``…), numbered entries (``12. …``, ``[12] …``) become
    :class:`CitedReference` records and their titles become sections named
    ``"<heading> [<number>]"``.

    ``metadata`` (a sidecar's or the user's) gives the reference its PMID, DOI, title,
    authors, year and journal; with a PMID the document is ``pubmed:<pmid>``, else with a
    DOI ``doi:<doi>``. Without a title, the first heading or paragraph is the title, never
    a line of a web page's frame ("Skip to main content").

    Tables (a ``Table N`` caption, or a header naming sources, cargo, targets…, and rows
    below it) are read back into cells (:mod:`evkg.sources.text._tables`) and become the
    document's ``tables``, not sections.
    """
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    text, found_tables = _without_tables(text.replace("\r\n", "\n"))
    tables: list[Table] = []
    sections: list[Section] = []
    cited: list[CitedReference] = []
    heading = "Text"
    in_references = False
    seen_headings: set[str] = set()
    blocks = re.split(r"\n\s*\n", text)
    title = ""
    for raw in blocks:
        block = raw.strip()
        if not block:
            continue
        if block in found_tables:
            tables.append(replace(found_tables[block], section=heading))
            continue
        markdown = _MARKDOWN_HEADING.match(block) if "\n" not in block else None
        if markdown or _is_heading(block):
            found = markdown["title"] if markdown else block
            if found in seen_headings:
                continue  # a running page header repeated in the text, not a new section
            seen_headings.add(found)
            heading = found
            in_references = bool(_REFERENCES_HEADING.match(heading))
            title = title or ("" if _PAGE_FRAME.match(heading) else heading)
            continue
        if in_references:
            entries = _reference_entries(block)
            if entries:
                for entry in entries:
                    cited.append(entry)
                    sections.append(Section(f"{heading} [{entry.number}]", entry.title))
                continue
        rows = block.split("\n")
        if _is_table(rows):
            sections.extend(Section(heading, " ".join(r.split())) for r in rows if r.strip())
            continue
        paragraph = " ".join(block.split())
        title = title or paragraph[:200]
        glossary = _GLOSSARY.search(paragraph)
        if glossary:  # "…injury. p53: tumor protein p53; BAK1: …" (a figure legend)
            sections.append(Section(heading, paragraph[: glossary.start()].rstrip()))
            glossed = paragraph[glossary.start() :].strip()
            sections.append(Section(f"{heading} (abbreviations)", glossed))
            continue
        sections.append(Section(heading, paragraph))
    given = metadata or TextMetadata()
    curie = document_id or (
        f"pubmed:{given.pmid}"
        if given.pmid
        else f"doi:{given.doi}"
        if given.doi
        else f"evkg.ref:doc-{digest}"
    )
    unknown = [w for w, v in (("authors", given.authors), ("year", given.year)) if v is None]
    bibliography = Bibliography(
        authors=given.authors or ("[unknown]",),
        year=given.year or year or datetime.now(UTC).year,
        title=given.title or title or name,
        journal=given.journal or "local text file",
        pmid=given.pmid,
        doi=given.doi,
        note=f"mined from the text file {name}"
        + (f"; {' and '.join(unknown)} not recorded in the file" if unknown else ""),
    )
    return Document(
        curie,
        tuple(sections),
        bibliography,
        origin=name,
        cited=tuple(cited),
        tables=tuple(tables),
    )


def _without_tables(text: str) -> tuple[str, dict[str, Table]]:
    """``text`` with each table's lines replaced by a block of its own that names it, and
    the tables by those names."""
    lines = text.split("\n")
    found = find_text_tables(lines)
    if not found:
        return text, {}
    kept: list[str] = []
    tables: dict[str, Table] = {}
    position = 0
    for number, item in enumerate(found):
        marker = f"\x00table {number}\x00"
        kept += [*lines[position : item.start], "", marker, ""]
        tables[marker] = item.table
        position = item.end
    kept += lines[position:]
    return "\n".join(kept), tables


#: A run of abbreviation definitions after a sentence ("p53: tumor protein p53; BAK1: …").
_GLOSSARY = re.compile(r"(?<=[.)\]])\s+(?=(?:[^\s:;]{1,20}(?: \d)?: [^:;]{2,120}; ){2,})")


def _is_table(lines: list[str]) -> bool:
    """Rows of a table pasted as text: several lines, none ending a sentence (wrapped
    prose ends its paragraph with a full stop). Each row is then read on its own, so that
    entities of different rows are never related.

    >>> _is_table(["Disease Cargo Effect", "RA miR-135b Repair[18]", "AD GDF-15 Less apoptosis"])
    True
    >>> _is_table(["EVs were given to", "mice with colitis.", "Fibrosis fell."])
    False
    """
    kept = [line.strip() for line in lines if line.strip()]
    return len(kept) >= 3 and not any(line.endswith((".", "!", "?")) for line in kept)


def _reference_entries(block: str) -> list[CitedReference]:
    """The numbered entries of one block of a reference list (one entry per line or per
    block); an empty list when the block is not made of numbered entries.

    >>> [(e.number, e.title) for e in _reference_entries(
    ...     "3. Li J, Wu X. Exosomes heal the heart. Cell 2020;1:2-3.")]
    [('3', 'Exosomes heal the heart')]
    """
    entries: list[CitedReference] = []
    for line in block.split("\n"):
        line = " ".join(line.split())
        if not line:
            continue
        match = _REFERENCE_ENTRY.match(line)
        if match is None:
            if not entries:
                return []
            previous = entries[-1]  # an entry wrapped over several lines
            whole = f"{previous.text} {line}"
            entries[-1] = CitedReference(previous.number, _cited_title(whole), whole)
            continue
        entries.append(
            CitedReference(match["number"], _cited_title(match["entry"]), match["entry"])
        )
    return entries


def _cited_title(entry: str) -> str:
    """The title of a reference entry: after the author list (Vancouver or APA style),
    up to the journal; the whole entry when that layout is not recognisable.

    >>> _cited_title("Zhang Y, Zhangdi H, et al. Exosomes mitigate fibrosis. Cells 2022;11:4.")
    'Exosomes mitigate fibrosis'
    >>> _cited_title("Ding, D. C., & Shyu, W. C. (2011). Mesenchymal stem cells. Cell Transplant.")
    'Mesenchymal stem cells'
    """
    apa = _APA_YEAR.search(entry)
    rest = entry[apa.end() :] if apa else None
    if rest is None:
        authors = _AUTHORS_END.search(entry)
        rest = entry[authors.end() :] if authors else entry
    end = _TITLE_END.search(rest)
    title = (rest[: end.start() + 1] if end else rest).strip().rstrip(".")
    return title or entry


def read_text_file(
    path: Path, document_id: str | None = None, metadata: TextMetadata | None = None
) -> Document | ReadProblem:
    """Read a UTF-8 text or Markdown file as one document, with the metadata of its sidecar
    (``<file>.meta.json``) where there is one, fields of ``metadata`` taking precedence."""
    sidecar = read_sidecar(path)
    if isinstance(sidecar, ReadProblem):
        return sidecar
    given = (sidecar or TextMetadata()).overridden_by(metadata)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return ReadProblem(
            f"{path.name} byte {error.start}",
            "not UTF-8 text; convert the file to UTF-8",
            stops_reading=True,
        )
    year = datetime.fromtimestamp(path.stat().st_mtime, UTC).year
    document = document_from_text(
        text, name=path.name, document_id=document_id, year=year, metadata=given
    )
    if not document.sections and not document.tables:
        return ReadProblem(path.name, "no text")
    return document
