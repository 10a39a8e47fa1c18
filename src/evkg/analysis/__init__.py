"""Analyses over the evidence graph: pure functions (strategies, targets, enrichment, QC)."""

from evkg.analysis.strategies import Strategy, StrategyKey, rank_strategies, strategy_gaps

__all__ = ["Strategy", "StrategyKey", "rank_strategies", "strategy_gaps"]
