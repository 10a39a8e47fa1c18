"""Leave-one-study-out cases for indication prediction.

A curated study that names its miRNA or protein cargo is a test of the analysis: give the
study's cargo as a profile to a knowledge graph from which the study itself has been
removed, and see where the study's disease ranks among the indications. Pure: the caller
supplies the studies, the claims and the analysis to run.
"""

from __future__ import annotations

import statistics
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from typing import Any

from evkg.analysis._json import to_jsonable
from evkg.analysis.indications import Indication
from evkg.analysis.profile import CargoProfile, ProfileItem
from evkg.model import CargoType, EntityKind, StudyRecord
from evkg.model.tabular import Rows, Tabular, records
from evkg.store import StoredClaim

__all__ = [
    "HeldOutCase",
    "HeldOutSummary",
    "case_profile",
    "rank_of",
    "raw_order",
    "summarise",
    "without_reference",
]

_SPECIES = {"ncbitaxon:9606": "hsa", "ncbitaxon:10090": "mmu", "ncbitaxon:10116": "rno"}
_TOP = (1, 3, 10)


def case_profile(
    study: StudyRecord, label: Callable[[str], str] = lambda curie: curie
) -> CargoProfile | None:
    """The study's miRNA and protein cargo as an equal-abundance profile (None without any).

    mRNA, siRNA and other forms of a gene are left out: the analysis reads a gene in a
    profile as protein cargo."""
    items = []
    for cargo in study.cargo:
        if cargo.type == CargoType.MIRNA and cargo.id.startswith("mirbase.mature:"):
            kind = EntityKind.MIRNA.value
        elif cargo.type == CargoType.PROTEIN and cargo.id.startswith("hgnc:"):
            kind = EntityKind.GENE.value
        else:
            continue
        items.append((cargo.id, kind))
    unique = list(dict.fromkeys(items))
    if not unique:
        return None
    species = _SPECIES.get(study.ev.species or "", "hsa")
    return CargoProfile(
        study.id,
        species,
        tuple(
            ProfileItem(curie, label(curie), kind, 1.0 / len(unique), curie)
            for curie, kind in unique
        ),
    )


def without_reference(claims: Iterable[StoredClaim], reference: str) -> list[StoredClaim]:
    """``claims`` with the evidence of ``reference`` removed (claims left without evidence
    dropped). Derived support (strength, confidence) is kept as stored: a claim that other
    papers also support keeps its strength, so the figures slightly favour the knowledge."""
    kept = []
    for stored in claims:
        evidence = tuple(e for e in stored.evidence if e.reference != reference)
        if len(evidence) == len(stored.evidence):
            kept.append(stored)
        elif evidence:
            kept.append(replace(stored, evidence=evidence, n_references=len(evidence)))
    return kept


def raw_order(indications: Sequence[Indication]) -> list[Indication]:
    """Indications in the order of their raw score (the order before calibration)."""
    return sorted(indications, key=lambda i: (-i.score, i.label))


def rank_of(
    indications: Sequence[Indication], disease: str, canonical: Callable[[str], str]
) -> int | None:
    """1-based rank of the first indication with ``disease``'s identity (None: not returned).
    Only indications with a positive score count as predictions."""
    wanted = canonical(disease)
    rank = 0
    for indication in indications:
        if indication.score <= 0:
            continue
        rank += 1
        if canonical(indication.disease) == wanted:
            return rank
    return None


@dataclass(frozen=True)
class HeldOutCase:
    study: str
    disease: str
    disease_label: str
    cargo: tuple[str, ...]
    raw_rank: int | None
    calibrated_rank: int | None
    returned: int  # indications with a positive score


@dataclass(frozen=True)
class HeldOutSummary(Tabular):
    """Ranks of the true indication over every case, before and after calibration."""

    cases: tuple[HeldOutCase, ...]
    skipped: int  # studies without miRNA or protein cargo
    draws: int
    figures: Mapping[str, Mapping[str, float | int | None]]

    def frame_title(self) -> str:
        return f"Held-out studies: {len(self.cases)} cases ({self.skipped} without cargo)"

    def frame_tables(self) -> Mapping[str, Rows]:
        fields = ("study", "disease_label", "raw_rank", "calibrated_rank", "returned", "cargo")
        return {
            "figures": lambda: [{"ranking": k, **v} for k, v in self.figures.items()],
            "cases": lambda: records(self.cases, fields),
        }

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def _figures(ranks: Sequence[int | None]) -> dict[str, float | int | None]:
    found = [r for r in ranks if r is not None]
    n = len(ranks)
    figures: dict[str, float | int | None] = {
        "cases": n,
        "returned": len(found),
        "median_rank_returned": statistics.median(found) if found else None,
    }
    for k in _TOP:
        figures[f"top{k}"] = round(sum(1 for r in found if r <= k) / n, 4) if n else None
    return figures


def summarise(cases: Sequence[HeldOutCase], *, skipped: int, draws: int) -> HeldOutSummary:
    """Median rank (cases where the disease was returned) and top-k rates (all cases)."""
    return HeldOutSummary(
        tuple(cases),
        skipped,
        draws,
        {
            "raw": _figures([c.raw_rank for c in cases]),
            "calibrated": _figures([c.calibrated_rank for c in cases]),
        },
    )
