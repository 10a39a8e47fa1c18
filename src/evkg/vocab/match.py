"""The result of normalising a name."""

from __future__ import annotations

from dataclasses import dataclass

from evkg.model import EntityKind

__all__ = ["Match"]


@dataclass(frozen=True, slots=True)
class Match:
    """A name resolved to identifier(s).

    ``curies`` has more than one member when a name legitimately denotes several entities
    (an arm-less miRNA name maps to both arms; a cluster to its members); ``curie`` is the
    first. ``flags`` say what was unusual (``armless``, ``precursor``, ``star``, ``cluster``,
    ``previous_name``, ``ortholog``, ``fuzzy``…).
    """

    curies: tuple[str, ...]
    kind: EntityKind
    label: str
    matched_text: str
    score: float
    how: str
    flags: tuple[str, ...] = ()

    @property
    def curie(self) -> str:
        return self.curies[0]

    @property
    def ambiguous(self) -> bool:
        return len(self.curies) > 1
