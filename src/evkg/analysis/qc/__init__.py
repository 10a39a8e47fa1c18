"""Preparation QC: checklist evaluation, purity, release specification, lot comparison."""

from evkg.analysis.qc._rules import ChecklistRules, MarkerTable, PurityBands, RuleItem
from evkg.analysis.qc.checklist import (
    ChecklistReport,
    GuidelineScore,
    ItemResult,
    evaluate_check,
    evaluate_checklist,
)
from evkg.analysis.qc.lots import (
    LotComparison,
    MarkerDifference,
    compare_lots,
    ks_statistic,
    wasserstein_nm,
)
from evkg.analysis.qc.purity import PurityResult, classify_purity, particles_per_ug
from evkg.analysis.qc.results import LotQc, PairQc
from evkg.analysis.qc.spec import SpecReport, SpecResult, check_specification
from evkg.analysis.qc.values import LotValues

__all__ = [
    "ChecklistReport",
    "ChecklistRules",
    "GuidelineScore",
    "ItemResult",
    "LotComparison",
    "LotQc",
    "LotValues",
    "MarkerDifference",
    "MarkerTable",
    "PairQc",
    "PurityBands",
    "PurityResult",
    "RuleItem",
    "SpecReport",
    "SpecResult",
    "check_specification",
    "classify_purity",
    "compare_lots",
    "evaluate_check",
    "evaluate_checklist",
    "ks_statistic",
    "particles_per_ug",
    "wasserstein_nm",
]
