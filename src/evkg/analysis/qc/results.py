"""Results of QC for a run: one :class:`LotQc` per lot, one :class:`PairQc` per comparison."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict

from evkg.analysis.qc.checklist import ChecklistReport
from evkg.analysis.qc.identity import IdentityReport
from evkg.analysis.qc.lots import LotComparison
from evkg.analysis.qc.spec import SpecReport
from evkg.analysis.qc.values import LotValues

__all__ = ["LotQc", "PairQc"]


class LotQc(BaseModel):
    """The QC of one lot: values, MSC identity, checklist findings and release check."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    values: LotValues
    identity: IdentityReport
    checklist: ChecklistReport
    spec: SpecReport | None = None
    record_path: str | None = None
    exports: tuple[str, ...] = ()


class PairQc(BaseModel):
    """A lot compared with the reference lot, with the cargo comparison when available."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    comparison: LotComparison
    cargo_summary: str
    cargo: Any = None
