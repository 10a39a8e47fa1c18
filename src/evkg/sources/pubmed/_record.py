"""One PubMed/MEDLINE record element → :class:`Document` (or why it was skipped).

Fields are collected in one pass over the children of each element on the way (the DTD
allows at most one ``Journal``, ``JournalIssue``, ``PubDate``, ``Abstract`` and ``AuthorList``
each, so the first one is the one ElementPath would pick), rather than with one ElementPath
search per field: reading fields is most of the reader's own cost.
"""

from __future__ import annotations

import re
from typing import Any

from evkg.sources.text.document import Bibliography, Document, ReadProblem, Section

__all__ = ["article_from_element"]

_YEAR = re.compile(r"(1[89]\d\d|20\d\d|2100)")
_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


def _text(element: Any) -> str:
    """All text under ``element`` (inline markup such as <i> or <sup> flattened)."""
    if element is None:
        return ""
    if len(element) == 0:  # no markup inside: its own text is all there is
        return " ".join((element.text or "").split())
    return " ".join("".join(element.itertext()).split())


def _find(element: Any, *path: str) -> Any:
    """``element.find("A/B/C")`` for a path of plain tags (first match in document order)."""
    if element is None:
        return None
    head, rest = path[0], path[1:]
    for child in element.iterchildren(head):
        found = _find(child, *rest) if rest else child
        if found is not None:
            return found
    return None


def _findtext(element: Any, *path: str) -> str | None:
    """``element.findtext("A/B")``: the text of the first match ("" if it has none)."""
    found = _find(element, *path)
    return None if found is None else (found.text or "")


def _first(element: Any, tags: frozenset[str]) -> dict[str, Any]:
    """The first child of ``element`` with each of ``tags``, in one pass."""
    found: dict[str, Any] = {}
    if element is not None:
        for child in element:
            tag = child.tag
            if tag in tags and tag not in found:
                found[tag] = child
    return found


def _own_text(element: Any) -> str | None:
    return None if element is None else (element.text or "")


_ARTICLE_TAGS = frozenset(["Journal", "ArticleTitle", "VernacularTitle", "Pagination"])
_JOURNAL_TAGS = frozenset(["JournalIssue", "ISOAbbreviation", "Title"])
_ISSUE_TAGS = frozenset(["Volume", "PubDate"])
_DATE_TAGS = frozenset(["Year", "MedlineDate"])
_AUTHOR_TAGS = frozenset(["LastName", "Initials", "CollectiveName"])


def _year(citation: Any, article: Any, pub_date: dict[str, Any]) -> int | None:
    for tag in ("Year", "MedlineDate"):
        found = _own_text(pub_date.get(tag))
        if found:
            match = _YEAR.search(found)
            if match:
                return int(match.group(1))
    found = _findtext(article, "ArticleDate", "Year")
    if found:
        match = _YEAR.search(found)
        if match:
            return int(match.group(1))
    for name in ("DateCompleted", "DateCreated", "DateRevised"):
        found = _findtext(citation, name, "Year")
        if found and _YEAR.fullmatch(found.strip()):
            return int(found.strip())
    return None


def _authors(article: Any) -> tuple[str, ...]:
    names = []
    for author_list in article.iterchildren("AuthorList"):
        for author in author_list.iterchildren("Author"):
            parts = _first(author, _AUTHOR_TAGS)
            last = _own_text(parts.get("LastName"))
            if last:
                initials = _own_text(parts.get("Initials")) or ""
                names.append(f"{last} {initials}".strip())
            else:
                collective = _own_text(parts.get("CollectiveName"))
                if collective:
                    names.append(" ".join(collective.split()))
    return tuple(names)


def _doi(record: Any, article: Any) -> str | None:
    candidates: list[str] = [
        str(e.text or "")
        for data in record.iterchildren("PubmedData")
        for ids in data.iterchildren("ArticleIdList")
        for e in ids.iterchildren("ArticleId")
        if e.get("IdType") == "doi"
    ]
    candidates += [
        str(e.text or "") for e in article.iterchildren("ELocationID") if e.get("EIdType") == "doi"
    ]
    for value in candidates:
        if value and _DOI.match(value.strip()):
            return str(value.strip())
    return None


def article_from_element(record: Any, origin: str) -> Document | ReadProblem:
    """Turn one ``PubmedArticle`` or ``MedlineCitation`` element into a :class:`Document`."""
    citation = record if record.tag == "MedlineCitation" else _find(record, "MedlineCitation")
    if citation is None:
        if record.tag == "PubmedBookArticle":
            return ReadProblem(origin, "book record (PubmedBookArticle) skipped")
        return ReadProblem(origin, "no MedlineCitation element")
    pmid = (_findtext(citation, "PMID") or "").strip()
    if not pmid.isdigit():
        return ReadProblem(origin, f"PMID missing or not a number ({pmid[:30]!r})")
    where = f"{origin} (PMID {pmid})"
    article = _find(citation, "Article")
    if article is None:
        return ReadProblem(where, "no Article element")
    parts = _first(article, _ARTICLE_TAGS)
    title = _text(parts.get("ArticleTitle")) or _text(parts.get("VernacularTitle"))
    sections = [Section("Title", title)] if title else []
    for abstract in article.iterchildren("Abstract"):
        for part in abstract.iterchildren("AbstractText"):
            text = _text(part)
            if text:
                label = part.get("Label") or part.get("NlmCategory") or "Abstract"
                sections.append(Section(label.strip().capitalize(), text))
    if not sections:
        return ReadProblem(where, "neither title nor abstract")
    journal_parts = _first(parts.get("Journal"), _JOURNAL_TAGS)
    issue = _first(journal_parts.get("JournalIssue"), _ISSUE_TAGS)
    year = _year(citation, article, _first(issue.get("PubDate"), _DATE_TAGS))
    if year is None:
        return ReadProblem(where, "no usable publication year")
    journal = (
        _own_text(journal_parts.get("ISOAbbreviation"))
        or _own_text(journal_parts.get("Title"))
        or _findtext(citation, "MedlineJournalInfo", "MedlineTA")
        or "unknown journal"
    )
    volume = _own_text(issue.get("Volume")) or ""
    pages = _findtext(parts.get("Pagination"), "MedlinePgn") or ""
    return Document(
        id=f"pubmed:{pmid}",
        sections=tuple(sections),
        bibliography=Bibliography(
            authors=_authors(article) or ("[no authors listed]",),
            year=year,
            title=title or "[no title]",
            journal=" ".join(journal.split()),
            volume=volume.strip()[:50] or None,
            pages=pages.strip()[:50] or None,
            pmid=pmid,
            doi=_doi(record, article),
        ),
        origin=where,
    )
