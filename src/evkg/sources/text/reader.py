"""Plain-text and Markdown reader: paragraphs under their headings become sections."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path

from evkg.sources.text.document import Bibliography, Document, ReadProblem, Section

__all__ = ["document_from_text", "read_text_file"]

_MARKDOWN_HEADING = re.compile(r"^#{1,6}\s+(?P<title>.+?)\s*#*\s*$")
_NOT_HEADING_END = (".", ",", ";", ":", "]", ")")


def _is_heading(block: str) -> bool:
    """A one-line block short enough and without sentence punctuation at its end."""
    if "\n" in block or len(block) > 80 or not re.search(r"[A-Za-z]", block):
        return False
    return not block.endswith(_NOT_HEADING_END) and len(block.split()) <= 10


def document_from_text(
    text: str, *, name: str, document_id: str | None = None, year: int | None = None
) -> Document:
    """Split ``text`` into sections: Markdown headings (``#``) or short stand-alone lines
    start a section; blank lines separate paragraphs."""
    sections: list[Section] = []
    heading = "Text"
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    title = ""
    for raw in blocks:
        block = raw.strip()
        if not block:
            continue
        markdown = _MARKDOWN_HEADING.match(block) if "\n" not in block else None
        if markdown or _is_heading(block):
            heading = markdown["title"] if markdown else block
            title = title or heading
            continue
        paragraph = " ".join(block.split())
        title = title or paragraph[:200]
        sections.append(Section(heading, paragraph))
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]
    curie = document_id or f"evkg.ref:doc-{digest}"
    bibliography = Bibliography(
        authors=("[unknown]",),
        year=year or datetime.now(UTC).year,
        title=title or name,
        journal="local text file",
        note=f"mined from the text file {name}; authors and year not recorded in the file",
    )
    return Document(curie, tuple(sections), bibliography, origin=name)


def read_text_file(path: Path, document_id: str | None = None) -> Document | ReadProblem:
    """Read a UTF-8 text or Markdown file as one document."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        return ReadProblem(
            f"{path.name} byte {error.start}", "not UTF-8 text; convert the file to UTF-8"
        )
    year = datetime.fromtimestamp(path.stat().st_mtime, UTC).year
    document = document_from_text(text, name=path.name, document_id=document_id, year=year)
    if not document.sections:
        return ReadProblem(path.name, "no text")
    return document
