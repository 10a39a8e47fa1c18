"""Analyses over the evidence graph: pure functions (strategies, cargo profiles, targets,
enrichment, the miRNA-aware null, indications, therapy design, comparison)."""

from evkg.analysis.compare import ProfileComparison, compare_profiles
from evkg.analysis.design import TherapyDesign, design_therapy
from evkg.analysis.enrichment import benjamini_hochberg, hypergeom_sf, ora, ora_batch
from evkg.analysis.indications import Contribution, Indication, rank_indications
from evkg.analysis.null import NullResult, mirna_null
from evkg.analysis.pipeline import (
    AnalysisResources,
    AnalysisSettings,
    ProfileAnalysis,
    analyse_profile,
)
from evkg.analysis.profile import (
    CargoProfile,
    NormalisationReport,
    ProfileItem,
    normalise_profile,
)
from evkg.analysis.strategies import (
    Strategy,
    StrategyKey,
    rank_strategies,
    score_components,
    strategy_gaps,
)
from evkg.analysis.targets import TargetMap, map_targets

__all__ = [
    "AnalysisResources",
    "AnalysisSettings",
    "CargoProfile",
    "Contribution",
    "Indication",
    "NormalisationReport",
    "NullResult",
    "ProfileAnalysis",
    "ProfileComparison",
    "ProfileItem",
    "Strategy",
    "StrategyKey",
    "TargetMap",
    "TherapyDesign",
    "analyse_profile",
    "benjamini_hochberg",
    "compare_profiles",
    "design_therapy",
    "hypergeom_sf",
    "map_targets",
    "mirna_null",
    "normalise_profile",
    "ora",
    "ora_batch",
    "rank_indications",
    "rank_strategies",
    "score_components",
    "strategy_gaps",
]
