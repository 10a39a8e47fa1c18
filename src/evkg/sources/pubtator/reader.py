"""PubTator format: ``PMID|t|title``, ``PMID|a|abstract`` and tab-separated annotation lines,
documents separated by blank lines. Supplied annotations are ignored (evkg recognises
entities itself); only the text is read."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.pubmed.reader import READ_ERRORS, open_maybe_gzip, unreadable
from evkg.sources.text.document import Document, ReadProblem, Section

__all__ = ["iter_pubtator"]


def _finish(
    pmid: str | None, parts: dict[str, str], origin: str
) -> Iterator[Document | ReadProblem]:
    if pmid is None:
        return
    sections = []
    if parts.get("t"):
        sections.append(Section("Title", parts["t"]))
    if parts.get("a"):
        sections.append(Section("Abstract", parts["a"]))
    if not pmid.isdigit():
        yield ReadProblem(origin, f"PMID {pmid[:30]!r} is not a number")
    elif not sections:
        yield ReadProblem(origin, "no title or abstract line")
    else:
        yield Document(f"pubmed:{pmid}", tuple(sections), None, origin=origin)


def iter_pubtator(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents of a PubTator file."""
    pmid: str | None = None
    parts: dict[str, str] = {}
    start = 0
    try:
        with open_maybe_gzip(path) as handle:
            for number, raw in enumerate(handle, start=1):
                try:
                    line = raw.decode("utf-8").rstrip("\r\n")
                except UnicodeDecodeError:
                    yield ReadProblem(f"{path.name} line {number}", "not UTF-8; line skipped")
                    continue
                if not line.strip():
                    yield from _finish(pmid, parts, f"{path.name} line {start}")
                    pmid, parts = None, {}
                    continue
                head = line.split("|", 2)
                if len(head) == 3 and head[1] in {"t", "a"} and "\t" not in head[0]:
                    if pmid is not None and head[0] != pmid:
                        yield from _finish(pmid, parts, f"{path.name} line {start}")
                        parts = {}
                    if pmid is None or head[0] != pmid:
                        pmid, start = head[0], number
                    parts[head[1]] = head[2].strip()
                elif "\t" in line:
                    continue  # an annotation or relation line
                else:
                    yield ReadProblem(
                        f"{path.name} line {number}",
                        "neither 'PMID|t|…', 'PMID|a|…' nor a tab-separated annotation",
                    )
    except READ_ERRORS as error:
        yield unreadable(path.name, error)
        return
    yield from _finish(pmid, parts, f"{path.name} line {start}")
