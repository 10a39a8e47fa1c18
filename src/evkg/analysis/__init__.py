"""Analyses over the evidence graph: pure functions (strategies, cargo profiles, targets,
enrichment, the miRNA-aware null, indications, therapy design, comparison)."""

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

#: Each public name -> the module defining it, imported on first use: the CLI's queries
#: need the strategies only, not SciPy and NumPy (about 0.4 s of every start).
_MODULE_OF = {
    "AnalysisResources": "evkg.analysis.pipeline",
    "AnalysisSettings": "evkg.analysis.pipeline",
    "CargoProfile": "evkg.analysis.profile",
    "Contribution": "evkg.analysis.indications",
    "Indication": "evkg.analysis.indications",
    "NormalisationReport": "evkg.analysis.profile",
    "NullResult": "evkg.analysis.null",
    "ProfileAnalysis": "evkg.analysis.pipeline",
    "ProfileComparison": "evkg.analysis.compare",
    "ProfileItem": "evkg.analysis.profile",
    "Strategy": "evkg.analysis.strategies",
    "StrategyKey": "evkg.analysis.strategies",
    "TargetMap": "evkg.analysis.targets",
    "TherapyDesign": "evkg.analysis.design",
    "analyse_profile": "evkg.analysis.pipeline",
    "benjamini_hochberg": "evkg.analysis.enrichment",
    "compare_profiles": "evkg.analysis.compare",
    "design_therapy": "evkg.analysis.design",
    "hypergeom_sf": "evkg.analysis.enrichment",
    "map_targets": "evkg.analysis.targets",
    "mirna_null": "evkg.analysis.null",
    "normalise_profile": "evkg.analysis.profile",
    "ora": "evkg.analysis.enrichment",
    "ora_batch": "evkg.analysis.enrichment",
    "rank_indications": "evkg.analysis.indications",
    "rank_strategies": "evkg.analysis.strategies",
    "score_components": "evkg.analysis.strategies",
    "strategy_gaps": "evkg.analysis.strategies",
}

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


def __getattr__(name: str) -> Any:
    module = _MODULE_OF.get(name)
    if module is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value
