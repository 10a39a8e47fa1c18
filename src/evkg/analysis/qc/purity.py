"""Purity as particles per µg protein, classified by cited bands (``data/qc/purity.yaml``)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc._rules import PurityBands

__all__ = ["PurityResult", "classify_purity", "particles_per_ug"]


class PurityResult(BaseModel):
    """A purity ratio with its class and where the class bands come from."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    particles_per_ug: float
    label: str
    citation: str
    verified: bool
    note: str | None = None


def particles_per_ug(
    concentration_per_ml: float | None, protein_ug_per_ml: float | None
) -> float | None:
    """Particles per µg protein from two concentrations of the same (undiluted) preparation.

    >>> particles_per_ug(6.0e10, 20.0)
    3000000000.0
    >>> particles_per_ug(None, 20.0) is None
    True
    """
    if concentration_per_ml is None or not protein_ug_per_ml:
        return None
    return concentration_per_ml / protein_ug_per_ml


def classify_purity(ratio: float, bands: PurityBands) -> PurityResult:
    """The band ``ratio`` falls in (bounds inclusive), or 'between published bands'."""
    label = next(
        (
            band.label
            for band in bands.classes
            if (band.min is None or ratio >= band.min) and (band.max is None or ratio <= band.max)
        ),
        "between published bands",
    )
    note = None if bands.verified else "band thresholds unverified (see purity.yaml)"
    return PurityResult(
        particles_per_ug=ratio,
        label=label,
        citation=bands.citation,
        verified=bands.verified,
        note=note,
    )
