"""Public verbs of the PubTator source."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from evkg.sources.pubtator.reader import iter_pubtator
from evkg.sources.text.document import Document, ReadProblem

__all__ = ["read_pubtator"]


def read_pubtator(path: Path) -> Iterator[Document | ReadProblem]:
    """Documents (title and abstract) of a PubTator file."""
    return iter_pubtator(path)
