"""JATS full-text articles (PMC's ``<article>``, one per file or several in a
``<pmc-articleset>``): title, abstract and body paragraphs under their section titles, and
every ``<table-wrap>`` read cell by cell (:mod:`evkg.sources.tables`).

Articles are streamed (lxml iterparse, entities, DTD and network off, each article cleared
once read); a file over :data:`MAX_FILE_BYTES` is refused before it is parsed.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from evkg.sources.pubmed.reader import READ_ERRORS, iter_tagged, open_maybe_gzip, unreadable
from evkg.sources.tables import table_from_element
from evkg.sources.text.document import Bibliography, Document, ReadProblem, Section, Table

__all__ = ["MAX_FILE_BYTES", "article_document", "iter_jats"]

#: Largest JATS file read (PMC's largest articles are a few MiB).
MAX_FILE_BYTES = 64 * 1024 * 1024
_YEAR = re.compile(r"(1[89]\d\d|20\d\d)")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
#: Elements whose text is no part of the paragraph around them.
_APART = {
    "table-wrap",
    "fig",
    "disp-formula",
    "table-wrap-group",
    "fig-group",
    "supplementary-material",
}


def _local(tag: Any) -> str:
    return tag.rsplit("}", 1)[-1] if isinstance(tag, str) else ""


def _paragraph(element: Any) -> str:
    """The text of a paragraph, floats inside it (tables, figures) left out."""
    parts: list[str] = []

    def walk(node: Any) -> None:
        if _local(node.tag) in _APART and node is not element:
            if node.tail:
                parts.append(node.tail)
            return
        if node.text:
            parts.append(node.text)
        for child in node:
            walk(child)
        if node.tail and node is not element:
            parts.append(node.tail)

    walk(element)
    return " ".join("".join(parts).split())


def _section_title(element: Any) -> str:
    """The title of the innermost ``<sec>`` holding ``element`` ("Body" when none)."""
    parent = element.getparent()
    while parent is not None:
        if _local(parent.tag) == "sec":
            title = parent.find("title")
            if title is not None and _paragraph(title):
                return _paragraph(title)
        if _local(parent.tag) in {"abstract", "trans-abstract"}:
            return "Abstract"
        parent = parent.getparent()
    return "Body"


def _identifier(meta: Any) -> tuple[str | None, str | None, str | None]:
    """(PMID, PMCID, DOI) of an article's ``<article-meta>``."""
    ids: dict[str, str] = {}
    for found in meta.iterfind("article-id") if meta is not None else ():
        kind = (found.get("pub-id-type") or "").lower()
        ids.setdefault(kind, " ".join((found.text or "").split()))
    pmid = ids.get("pmid") if ids.get("pmid", "").isdigit() else None
    pmc = ids.get("pmcid") or ids.get("pmc") or ""
    pmc = pmc if pmc.startswith("PMC") else (f"PMC{pmc}" if pmc.isdigit() else "")
    doi = ids.get("doi") if _DOI.match(ids.get("doi", "")) else None
    return pmid, pmc or None, doi


def _authors(meta: Any) -> tuple[str, ...]:
    names = []
    for contrib in meta.iter("contrib") if meta is not None else ():
        if contrib.get("contrib-type", "author") != "author":
            continue
        surname = " ".join((contrib.findtext("name/surname") or "").split())
        given = contrib.findtext("name/given-names") or ""
        initials = "".join(w[0] for w in given.replace("-", " ").split() if w)
        if surname:
            names.append(f"{surname} {initials}".strip())
    return tuple(names[:200])


def article_document(article: Any, origin: str) -> Document | ReadProblem:
    """A document from one ``<article>`` element."""
    front = article.find("front")
    meta = front.find("article-meta") if front is not None else None
    pmid, pmcid, doi = _identifier(meta)
    curie = f"pubmed:{pmid}" if pmid else f"pmc:{pmcid}" if pmcid else f"doi:{doi}" if doi else None
    if curie is None:
        return ReadProblem(origin, "article has no PMID, PMCID or DOI")
    title_element = meta.find("title-group/article-title") if meta is not None else None
    title = _paragraph(title_element) if title_element is not None else ""
    sections: list[Section] = [Section("Title", title)] if title else []
    holders = [*(meta.iter("abstract") if meta is not None else ()), article.find("body")]
    for holder in (h for h in holders if h is not None):
        for paragraph in holder.iter("p"):
            if any(_local(a.tag) in _APART for a in paragraph.iterancestors()):
                continue  # a table's or a figure's own paragraph
            text = _paragraph(paragraph)
            if text:
                sections.append(Section(_section_title(paragraph), text))
    tables: list[Table] = []
    for wrap in article.iter("table-wrap"):
        table = table_from_element(wrap, section=_section_title(wrap))
        if table is not None:
            tables.append(table)
    if not sections and not tables:
        return ReadProblem(f"{origin} ({curie})", "article has no text")
    year_text = meta.findtext("pub-date/year") if meta is not None else None
    year = _YEAR.search(year_text or "")
    journal_meta = front.find("journal-meta") if front is not None else None
    journal = ""
    if journal_meta is not None:
        journal = journal_meta.findtext("journal-title-group/journal-title") or (
            journal_meta.findtext("journal-title") or ""
        )
    bibliography = None
    if year and title:
        bibliography = Bibliography(
            authors=_authors(meta) or ("[no authors listed]",),
            year=int(year.group(1)),
            title=title,
            journal=" ".join(journal.split()) or "unknown journal",
            volume=(meta.findtext("volume") or None) if meta is not None else None,
            pages=(meta.findtext("fpage") or None) if meta is not None else None,
            pmid=pmid,
            doi=doi,
        )
    return Document(
        curie, tuple(sections), bibliography, origin=f"{origin} ({curie})", tables=tuple(tables)
    )


def iter_jats(
    path: Path, *, max_file_bytes: int = MAX_FILE_BYTES
) -> Iterator[Document | ReadProblem]:
    """Documents of a JATS XML file, article by article."""
    try:
        size = path.stat().st_size
    except OSError as error:
        yield unreadable(path.name, error)
        return
    if size > max_file_bytes:
        yield ReadProblem(
            path.name,
            f"larger than {max_file_bytes // (1024 * 1024)} MiB, more than a JATS file of "
            "articles needs; not read",
            stops_reading=True,
        )
        return
    number = 0
    try:
        with open_maybe_gzip(path) as handle:
            for element in iter_tagged(handle, "article"):
                number += 1
                origin = f"{path.name} article {number} (line {element.sourceline})"
                yield article_document(element, origin)
    except etree.XMLSyntaxError as error:
        yield ReadProblem(
            f"{path.name} line {error.lineno}",
            f"malformed JATS XML ({error.msg}); articles after this point were not read",
            stops_reading=True,
        )
    except READ_ERRORS as error:
        yield unreadable(path.name, error)
