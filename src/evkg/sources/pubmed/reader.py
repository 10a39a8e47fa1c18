"""Streaming reader of PubMed/MEDLINE XML (``MedlineCitationSet`` and ``PubmedArticleSet``).

Records are parsed one at a time with ``lxml.etree.iterparse`` and cleared as soon as they
are read, so memory stays flat however large the file. Entity resolution, DTD loading and
network access are off; a malformed record is reported and skipped, never fatal.
"""

from __future__ import annotations

import gzip
import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any, cast

from lxml import etree

from evkg.sources.text.document import Bibliography, Document, ReadProblem, Section

__all__ = [
    "article_from_element",
    "iter_pubmed",
    "iter_pubmed_bytes",
    "iter_pubmed_stream",
    "iter_records",
    "open_maybe_gzip",
]

_log = logging.getLogger(__name__)


_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def open_maybe_gzip(path: Path) -> IO[bytes]:
    """Open ``path`` for binary reading, decompressing gzip by its magic bytes."""
    handle = path.open("rb")
    magic = handle.read(2)
    handle.seek(0)
    if magic == b"\x1f\x8b":
        handle.close()
        return cast("IO[bytes]", gzip.open(path, "rb"))
    return handle


def _text(element: Any) -> str:
    """All text under ``element`` (inline markup such as <i> or <sup> flattened)."""
    if element is None:
        return ""
    return " ".join("".join(element.itertext()).split())


def _year(citation: Any, article: Any) -> int | None:
    for path in (
        "Journal/JournalIssue/PubDate/Year",
        "Journal/JournalIssue/PubDate/MedlineDate",
        "ArticleDate/Year",
    ):
        found = article.findtext(path) if article is not None else None
        if found:
            match = _YEAR.search(found)
            if match:
                return int(match.group(1))
    for path in ("DateCompleted/Year", "DateCreated/Year", "DateRevised/Year"):
        found = citation.findtext(path)
        if found and _YEAR.fullmatch(found.strip()):
            return int(found.strip())
    return None


def _authors(article: Any) -> tuple[str, ...]:
    names = []
    for author in article.iterfind("AuthorList/Author"):
        last = author.findtext("LastName")
        if last:
            initials = author.findtext("Initials") or ""
            names.append(f"{last} {initials}".strip())
        else:
            collective = author.findtext("CollectiveName")
            if collective:
                names.append(" ".join(collective.split()))
    return tuple(names)


def _doi(record: Any, article: Any) -> str | None:
    candidates: list[str] = [
        str(e.text or "")
        for e in record.iterfind("PubmedData/ArticleIdList/ArticleId")
        if e.get("IdType") == "doi"
    ]
    if article is not None:
        candidates += [
            str(e.text or "") for e in article.iterfind("ELocationID") if e.get("EIdType") == "doi"
        ]
    for value in candidates:
        if value and _DOI.match(value.strip()):
            return str(value.strip())
    return None


def article_from_element(record: Any, origin: str) -> Document | ReadProblem:
    """Turn one ``PubmedArticle`` or ``MedlineCitation`` element into a :class:`Document`."""
    citation = record if record.tag == "MedlineCitation" else record.find("MedlineCitation")
    if citation is None:
        if record.tag == "PubmedBookArticle":
            return ReadProblem(origin, "book record (PubmedBookArticle) skipped")
        return ReadProblem(origin, "no MedlineCitation element")
    pmid = (citation.findtext("PMID") or "").strip()
    if not pmid.isdigit():
        return ReadProblem(origin, f"PMID missing or not a number ({pmid[:30]!r})")
    where = f"{origin} (PMID {pmid})"
    article = citation.find("Article")
    if article is None:
        return ReadProblem(where, "no Article element")
    title = _text(article.find("ArticleTitle")) or _text(article.find("VernacularTitle"))
    sections = [Section("Title", title)] if title else []
    for part in article.iterfind("Abstract/AbstractText"):
        text = _text(part)
        if text:
            label = part.get("Label") or part.get("NlmCategory") or "Abstract"
            sections.append(Section(label.strip().capitalize(), text))
    if not sections:
        return ReadProblem(where, "neither title nor abstract")
    journal = (
        article.findtext("Journal/ISOAbbreviation")
        or article.findtext("Journal/Title")
        or citation.findtext("MedlineJournalInfo/MedlineTA")
        or "unknown journal"
    )
    year = _year(citation, article)
    if year is None:
        return ReadProblem(where, "no usable publication year")
    authors = _authors(article) or ("[no authors listed]",)
    doi = _doi(record, article)
    return Document(
        id=f"pubmed:{pmid}",
        sections=tuple(sections),
        bibliography=Bibliography(
            authors=authors,
            year=year,
            title=title or "[no title]",
            journal=" ".join(journal.split()),
            volume=(article.findtext("Journal/JournalIssue/Volume") or "").strip()[:50] or None,
            pages=(article.findtext("Pagination/MedlinePgn") or "").strip()[:50] or None,
            pmid=pmid,
            doi=doi,
        ),
        origin=where,
    )


_PARSER_OPTIONS = {
    "resolve_entities": False,
    "no_network": True,
    "load_dtd": False,
    "huge_tree": False,
    "recover": False,
}
_CHUNK = 1 << 20
_STARTS = (b"<PubmedArticle>", b"<PubmedArticle ", b"<PubmedBookArticle>", b"<PubmedBookArticle ")
_MEDLINE_STARTS = (b"<MedlineCitation>", b"<MedlineCitation ")
_ENDS = {
    b"<PubmedArticle": b"</PubmedArticle>",
    b"<PubmedBookArticle": b"</PubmedBookArticle>",
    b"<MedlineCitation": b"</MedlineCitation>",
}


class _Finder:
    """Next occurrence of any of several tags in a buffer, remembering earlier searches so
    that a tag absent from the buffer is not searched for again."""

    def __init__(self, buffer: bytes, tags: tuple[bytes, ...]) -> None:
        self.buffer = buffer
        self.cached = dict.fromkeys(tags, -2)

    def next(self, position: int) -> int:
        best = -1
        for tag, found in self.cached.items():
            if found == -1 or (found >= position):
                pass
            else:
                found = self.buffer.find(tag, position)
                self.cached[tag] = found
            if found >= position and (best < 0 or found < best):
                best = found
        return best


def _record_key(buffer: bytes, begin: int) -> bytes:
    for key in _ENDS:
        if buffer.startswith(key, begin):
            return key
    raise AssertionError("a start tag always begins with a known record tag")


def iter_records(handle: IO[bytes], name: str) -> Iterator[tuple[int, bytes] | ReadProblem]:
    """(line, bytes) of each record of a PubMed/MEDLINE XML stream, read chunk by chunk.

    Records are cut at their start and end tags, so a record with broken markup is
    returned on its own (and fails alone when parsed) while the rest of the file is read.
    """
    buffer = b""
    line = 1  # line number at buffer[0]
    starts: tuple[bytes, ...] | None = None
    eof = False
    while not eof:
        chunk = handle.read(_CHUNK)
        eof = not chunk
        buffer += chunk
        if starts is None:
            if b"<PubmedArticle" in buffer:
                starts = _STARTS
            elif b"<MedlineCitationSet" in buffer or b"<MedlineCitation " in buffer:
                starts = _MEDLINE_STARTS
            elif eof and buffer.strip():
                yield ReadProblem(
                    name,
                    "not PubMed/MEDLINE XML (no PubmedArticle or MedlineCitation element)",
                )
                return
            else:
                continue
        finder = _Finder(buffer, starts)
        position = 0
        while True:
            begin = finder.next(position)
            if begin < 0:
                break
            end_tag = _ENDS[_record_key(buffer, begin)]
            end = buffer.find(end_tag, begin)
            following = finder.next(begin + 1)
            if end < 0 and following < 0 and not eof:
                break  # the record continues in the next chunk
            line += buffer.count(b"\n", position, begin)
            if end >= 0 and (following < 0 or end < following):
                stop = end + len(end_tag)
                yield line, buffer[begin:stop]
            else:
                stop = following if following >= 0 else len(buffer)
                yield ReadProblem(
                    f"{name} line {line}", f"record has no closing {end_tag.decode()} tag"
                )
            line += buffer.count(b"\n", begin, stop)
            position = stop
        buffer = buffer[position:]


def iter_pubmed_stream(handle: IO[bytes], name: str) -> Iterator[Document | ReadProblem]:
    """Documents (and problems) of a PubMed/MEDLINE XML byte stream."""
    parser = etree.XMLParser(**_PARSER_OPTIONS)
    for item in iter_records(handle, name):
        if isinstance(item, ReadProblem):
            _log.warning("skipped %s", item)
            yield item
            continue
        line, data = item
        origin = f"{name} line {line}"
        try:
            element = etree.fromstring(data, parser)
        except etree.XMLSyntaxError as error:
            where = line + max(0, (error.lineno or 1) - 1)
            message = error.msg.split(", line ")[0]
            problem = ReadProblem(
                f"{name} line {where}", f"malformed XML, record skipped: {message}"
            )
            _log.warning("skipped %s", problem)
            yield problem
            continue
        result = article_from_element(element, origin)
        if isinstance(result, ReadProblem):
            _log.warning("skipped %s", result)
        yield result


def iter_pubmed_bytes(data: bytes, name: str) -> Iterator[Document | ReadProblem]:
    """Documents of PubMed XML held in memory (an E-utilities ``efetch`` answer)."""
    return iter_pubmed_stream(io.BytesIO(data), name)


def iter_pubmed(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents (and problems) of a PubMed/MEDLINE XML file, ``.xml`` or ``.xml.gz``.

    A broken record is skipped with a :class:`ReadProblem` naming the line and the reason;
    the other records of the file are still read.
    """
    try:
        with open_maybe_gzip(path) as handle:
            yield from iter_pubmed_stream(handle, path.name)
    except (OSError, EOFError) as error:
        problem = ReadProblem(path.name, f"cannot be read to the end ({error})")
        _log.warning("%s", problem)
        yield problem
