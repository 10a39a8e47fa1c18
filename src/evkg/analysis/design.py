"""Therapy design for a disease: the ranked strategies of :func:`rank_strategies`, each with
its score decomposed, its mechanism chains spelled out step by step, the genes and pathways
it works through, and its gaps; what the evidence as a whole lacks; and proposed
combinations no study has tested, each with its support and nearest tested evidence
(:mod:`evkg.analysis.proposals`)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from evkg.analysis._json import to_jsonable
from evkg.analysis.proposals import Proposal, propose_strategies
from evkg.analysis.strategies import Strategy, rank_strategies, score_components
from evkg.model import Predicate
from evkg.store import Chain, StoredClaim

__all__ = ["DesignedStrategy", "MechanismStep", "TherapyDesign", "design_therapy"]

_GENE_STEPS = {Predicate.REGULATES_DOWN, Predicate.REGULATES_UP}
_PATHWAY_STEPS = {Predicate.INHIBITS, Predicate.ACTIVATES, Predicate.MODULATES}


@dataclass(frozen=True)
class MechanismStep:
    subject: str
    subject_label: str
    predicate: str
    object: str
    object_label: str
    strength: str
    citations: tuple[str, ...]


@dataclass(frozen=True)
class DesignedStrategy:
    rank: int
    summary: str  # "source × modifications × agent × route"
    ev_source: str | None
    modifications: tuple[str, ...]
    agent: str
    route: str | None
    direction: str
    strength: str
    score: float
    score_components: dict[str, float]
    n_references: int
    references: tuple[str, ...]
    citations: tuple[str, ...]
    consistency: float
    latest_year: int | None
    models: tuple[str, ...]
    species: tuple[str, ...]
    mechanism: tuple[tuple[MechanismStep, ...], ...]  # one tuple of steps per chain
    genes: tuple[str, ...]  # labels of genes the chains regulate
    pathways: tuple[str, ...]  # labels of pathways/processes the chains affect
    gaps: tuple[str, ...]
    quote: str | None


@dataclass(frozen=True)
class TherapyDesign:
    disease: str
    label: str
    strategies: tuple[DesignedStrategy, ...]
    evidence: dict[str, int]  # strategies by strength
    common_gaps: tuple[tuple[str, int], ...]  # gap and how many strategies have it
    notes: tuple[str, ...]
    proposals: tuple[Proposal, ...] = ()  # untested combinations of supported parts

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def _steps(
    chain: Chain, label: Callable[[str | None], str], cite: Callable[[str], str]
) -> tuple[MechanismStep, ...]:
    return tuple(
        MechanismStep(
            stored.claim.subject,
            label(stored.claim.subject),
            stored.claim.predicate.value,
            stored.claim.object,
            label(stored.claim.object),
            stored.strength,
            tuple(cite(r) for r in stored.references),
        )
        for stored in chain.claims
    )


def strategy_summary(strategy: Strategy, label: Callable[[str | None], str]) -> str:
    """ "source × modifications × agent × route" as a person reads it."""
    key = strategy.key
    parts = [label(key.ev_source) or "EVs of unstated source"]
    parts.append(" + ".join(label(m) for m in key.modifications) or "unmodified")
    parts.append(label(key.agent) if key.agent != key.ev_source else "whole EVs")
    parts.append(label(key.route) or "route not reported")
    return " × ".join(parts)


def design_therapy(
    disease: str,
    claims: Iterable[StoredClaim],
    chains: Iterable[Chain],
    *,
    label: Callable[[str | None], str] = lambda curie: curie or "",
    cite: Callable[[str], str] = lambda curie: curie,
    limit: int | None = None,
) -> TherapyDesign:
    """Rank the strategies for ``disease`` from its claims and chains and explain each."""
    claims = list(claims)
    chains = list(chains)
    ranked = rank_strategies(claims, chains)
    designed: list[DesignedStrategy] = []
    for rank, strategy in enumerate(ranked[:limit] if limit else ranked, start=1):
        key = strategy.key
        steps = [
            s for chain in strategy.chains for s in chain.claims if s.claim.predicate in _GENE_STEPS
        ]
        pathway_steps = [
            s
            for chain in strategy.chains
            for s in chain.claims
            if s.claim.predicate in _PATHWAY_STEPS
        ]
        evidence = strategy.outcome_claims[0].evidence if strategy.outcome_claims else ()
        designed.append(
            DesignedStrategy(
                rank=rank,
                summary=strategy_summary(strategy, label),
                ev_source=key.ev_source,
                modifications=key.modifications,
                agent=key.agent,
                route=key.route,
                direction=strategy.direction.value,
                strength=strategy.strength,
                score=strategy.score,
                score_components=score_components(
                    strategy.strength,
                    strategy.n_references,
                    strategy.consistency,
                    strategy.latest_year,
                ),
                n_references=strategy.n_references,
                references=strategy.references,
                citations=tuple(cite(r) for r in strategy.references),
                consistency=strategy.consistency,
                latest_year=strategy.latest_year,
                models=strategy.models,
                species=strategy.species,
                mechanism=tuple(_steps(chain, label, cite) for chain in strategy.chains),
                genes=tuple(dict.fromkeys(label(s.claim.object) for s in steps)),
                pathways=tuple(dict.fromkeys(label(s.claim.object) for s in pathway_steps)),
                gaps=strategy.gaps,
                quote=evidence[0].quote if evidence else None,
            )
        )
    gap_counts = Counter(gap for strategy in ranked for gap in strategy.gaps)
    notes: list[str] = []
    if not ranked:
        notes.append("no outcome claims for this disease yet: nothing to rank")
    elif all(s.direction.value != "beneficial" for s in ranked):
        notes.append("no strategy has beneficial evidence")
    harmful = [s for s in ranked if s.direction.value == "detrimental"]
    if harmful:
        notes.append(f"{len(harmful)} strategy(ies) have detrimental evidence (ranked last)")
    proposals = propose_strategies(
        ranked,
        disease_label=label(disease),
        label=label,
        summary=lambda strategy: strategy_summary(strategy, label),
        cite=cite,
    )
    return TherapyDesign(
        disease=disease,
        label=label(disease),
        strategies=tuple(designed),
        evidence=dict(Counter(s.strength for s in ranked)),
        common_gaps=tuple(gap_counts.most_common()),
        notes=tuple(notes),
        proposals=proposals,
    )
