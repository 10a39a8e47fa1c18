"""Where a piece of cargo evidence comes from, and whether it is about the profile's cargo.

A profile names molecules found in one preparation: a gene in it is protein cargo, a miRNA a
mature miRNA. Evidence counts for it only in the same form (an mRNA delivered by EVs says
nothing of the protein the EVs carry), and counts less when it comes from vesicles unlike
the preparation: EVs of non-MSC producer cells, or EVs engineered to carry the cargo
(overexpression, loading, display), where the amount studied may be far from what
unmodified MSC-EVs hold.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from evkg.model import CargoType, Context, EntityKind

__all__ = [
    "ENGINEERED_FACTOR",
    "NON_MSC_FACTOR",
    "Provenance",
    "cargo_form_matches",
    "is_engineering",
    "is_msc_source",
    "provenance",
]

NON_MSC_FACTOR = 0.5
ENGINEERED_FACTOR = 0.5
#: Cargo forms evidence may take for each profile item kind (None: form not recorded).
_FORMS: dict[str, frozenset[CargoType | None]] = {
    EntityKind.MIRNA.value: frozenset({None, CargoType.MIRNA}),
    EntityKind.GENE.value: frozenset({None, CargoType.PROTEIN, CargoType.PEPTIDE}),
}
_ENGINEERING_SUFFIXES = ("-overexpression", "-loading", "-knockdown", "-display", "-conjugation")
_ENGINEERING_TERMS = {"evkg.mod:liposome-hybrid"}


def cargo_form_matches(kind: str, cargo_type: CargoType | None) -> bool:
    """Whether evidence about cargo in form ``cargo_type`` counts for a profile item of
    ``kind`` (other kinds, e.g. drugs, match any form).

    >>> cargo_form_matches("gene", CargoType.MRNA)
    False
    """
    forms = _FORMS.get(kind)
    return forms is None or cargo_type in forms


def is_msc_source(source: str, label: Callable[[str], str] = lambda curie: curie) -> bool:
    """Whether an ``evkg.source:`` term names mesenchymal stem/stromal or progenitor cells
    (by identifier or label: MSC, mesenchymal, stromal), as opposed to other producer cells
    such as HEK293.

    >>> is_msc_source("evkg.source:uc-msc"), is_msc_source("evkg.source:hek293")
    (True, False)
    """
    name = source.rsplit(":", 1)[-1]
    if name == "msc" or name.endswith("-msc") or "stromal" in name:
        return True
    text = label(source)
    return "MSC" in text or any(word in text.lower() for word in ("mesenchymal", "stromal"))


def is_engineering(modification: str) -> bool:
    """Whether a modification changes what the EVs carry (overexpression, loading, display,
    conjugation, knock-down, hybrids), as opposed to preconditioning or formulation."""
    return modification in _ENGINEERING_TERMS or modification.endswith(_ENGINEERING_SUFFIXES)


@dataclass(frozen=True)
class Provenance:
    factor: float  # multiplies the evidence weight
    note: str  # "" when the evidence is from unmodified MSC-EVs (or says nothing)


def provenance(context: Context, label: Callable[[str], str]) -> Provenance:
    """Weight factor and a note for evidence recorded in ``context``."""
    factor = 1.0
    notes = []
    if context.ev_source is not None and not is_msc_source(context.ev_source, label):
        factor *= NON_MSC_FACTOR
        notes.append(f"EVs of {label(context.ev_source)}, not MSCs")
    engineered = [m for m in context.modifications if is_engineering(m)]
    if engineered:
        factor *= ENGINEERED_FACTOR
        notes.append("engineered EVs: " + ", ".join(label(m) for m in engineered))
    return Provenance(factor, "; ".join(notes))
