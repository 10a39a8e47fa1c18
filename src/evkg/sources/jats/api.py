"""Public verbs of the JATS source (PMC full-text XML)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.jats.reader import iter_jats
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["read_jats"]


def read_jats(path: Path) -> Iterator[Document | ReadProblem]:
    """The articles of a JATS XML file (``<article>`` or ``<pmc-articleset>``), ``.xml`` or
    ``.xml.gz``: sections of text and tables read cell by cell."""
    return iter_jats(path)
