"""Finding references: by PMID, DOI or PMCID through their indexes (a DOI in any case
through the ``lower(doi)`` index), and by words of the title or authors for suggestions,
bounded by a limit."""

from __future__ import annotations

from sqlalchemy import Connection, String, cast, func, or_, select

from evkg.model import Reference
from evkg.store import _rows
from evkg.store import schema as t

__all__ = ["by_identifier", "named"]


def by_identifier(connection: Connection, identifier: str) -> Reference | None:
    """The reference with this PMID, DOI or PMCID: one index probe per kind, most specific
    first."""
    refs = t.references.c
    text = identifier.strip()
    tests = [refs.pmid == text, refs.pmcid == text.upper(), refs.doi == text]
    if text.startswith("10."):
        tests.append(func.lower(refs.doi) == text.lower())
    for test in tests:
        found = connection.execute(select(t.references).where(test).limit(1)).mappings().first()
        if found:
            return _rows.reference_from_row(found)
    return None


def named(connection: Connection, text: str, limit: int) -> list[Reference]:
    """References whose title or author list holds ``text`` (any case), at most ``limit``;
    nothing for text shaped like an identifier (a PMID, DOI or PMCID not found is no word
    of a title)."""
    words = text.strip().lower()
    if not words or words.isdigit() or words.startswith(("10.", "pmc", "evkg.ref:", "doi:")):
        return []
    pattern = "%" + words.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    refs = t.references.c
    query = (
        select(t.references)
        .where(
            or_(
                func.lower(refs.title).like(pattern, escape="\\"),
                func.lower(cast(refs.authors, String)).like(pattern, escape="\\"),
            )
        )
        .order_by(refs.curie)
        .limit(limit)
    )
    return [_rows.reference_from_row(row) for row in connection.execute(query).mappings()]
