"""Proposed EV strategies for a disease: combinations no study has tested, built from parts
that have beneficial evidence in that disease.

A tested strategy fixes four choices: the producing cells, how they or their EVs were
changed (preconditioning, engineering, or nothing), what acts (whole EVs or a credited
cargo) and the route. Each choice that worked somewhere for the disease is a candidate part;
a proposal is a combination of candidate parts that no study of the disease has tested as
such. It ranks by the evidence behind its parts (the best tier and the number of primary
studies of each part, weakest part first, as a chain is as strong as its weakest link) and
by how close the nearest tested strategy is (sharing three of four parts is a small step).
Each proposal says what supports each part, what has never been tested, and the nearest
tested evidence. Nothing here predicts efficacy: it lays out the untested neighbourhood of
what the evidence supports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import product

from evkg.analysis.provenance import is_engineering
from evkg.analysis.strategies import TIER_LABELS, Strategy
from evkg.model import Outcome

__all__ = ["Part", "Proposal", "propose_strategies"]

_DIMENSIONS = ("source", "modification", "agent", "route")
_PARTS_PER_DIMENSION = 4
#: A proposal names something to make and give: an unstated source or route, MSCs of
#: unstated tissue, or "EV miRNAs" in general are not choices (no modification and whole
#: EVs are).
_NOT_A_CHOICE: dict[str, set[str | None]] = {
    "source": {None, "evkg.source:msc"},
    "route": {None},
    "agent": {"evkg.cargo:ev-mirna"},
}


@dataclass(frozen=True)
class Part:
    """One choice of a proposal with its best supporting tested strategy."""

    dimension: str  # source | modification | agent | route
    value: str | None  # CURIE, "+"-joined modification CURIEs, or None (unmodified / unstated)
    label: str
    strength: str  # best evidence tier of tested strategies using it
    n_studies: int  # primary studies of beneficial strategies using it
    example: str  # the best tested strategy using it, as a summary
    citations: tuple[str, ...]


@dataclass(frozen=True)
class Proposal:
    rank: int
    summary: str
    parts: tuple[Part, ...]
    weakest: str  # the dimension with the least evidence
    untested: str  # what no study has done
    nearest: str  # the closest tested strategy and what differs
    nearest_citations: tuple[str, ...]
    shared_with_nearest: int  # parts in common (of 4)
    score: float  # sort key only


def _parts_of(strategy: Strategy) -> tuple[str | None, ...]:
    key = strategy.key
    agent = None if key.agent == key.ev_source else key.agent
    return (key.ev_source, "+".join(key.modifications) or None, agent, key.route)


def _strength_rank(strength: str) -> int:
    order = list(TIER_LABELS)  # strongest first
    return len(order) - order.index(strength) if strength in order else 0


def propose_strategies(
    strategies: Iterable[Strategy],
    *,
    disease_label: str,
    label: Callable[[str | None], str],
    summary: Callable[[Strategy], str],
    cite: Callable[[str], str] = lambda curie: curie,
    limit: int = 10,
) -> tuple[Proposal, ...]:
    """Untested combinations of the parts of beneficial ``strategies`` (see module doc)."""
    beneficial = [s for s in strategies if s.direction == Outcome.BENEFICIAL and s.is_ev]
    if len(beneficial) < 2:
        return ()
    tested = [_parts_of(s) for s in strategies]
    candidates: list[list[Part]] = []
    for position, dimension in enumerate(_DIMENSIONS):
        by_value: dict[str | None, list[Strategy]] = {}
        for strategy in beneficial:
            by_value.setdefault(_parts_of(strategy)[position], []).append(strategy)
        parts = []
        for value, using in by_value.items():
            if value in _NOT_A_CHOICE.get(dimension, set()):
                continue
            best = max(using, key=lambda s: (_strength_rank(s.strength), s.n_references))
            studies = {r for s in using for r in s.references}
            parts.append(
                Part(
                    dimension,
                    value,
                    _part_label(dimension, value, label),
                    best.strength,
                    len(studies),
                    summary(best),
                    tuple(cite(r) for r in best.references[:3]),
                )
            )
        parts.sort(key=lambda p: (-_strength_rank(p.strength), -p.n_studies, p.label))
        candidates.append(parts[:_PARTS_PER_DIMENSION])
    proposals = []
    if not all(candidates):
        return ()
    for combination in product(*candidates):
        values = tuple(part.value for part in combination)
        engineered = values[1] is not None and any(is_engineering(m) for m in values[1].split("+"))
        if engineered and values[2] is None:
            continue  # overexpression or loading is of a cargo: never "engineered whole EVs"
        if any(_may_be(values, known) for known in tested):
            continue  # tested, or maybe tested by a study that did not report source or route
        nearest, shared = _nearest(values, beneficial)
        if shared < 2:
            continue  # too far from anything tested to be a next step
        weakest = min(combination, key=lambda p: (_strength_rank(p.strength), p.n_studies))
        score = (
            _strength_rank(weakest.strength) * 10
            + min(weakest.n_studies, 9)
            + shared * 3
            + sum(_strength_rank(p.strength) for p in combination) / 10
        )
        differs = [
            f"{dimension}: {_part_label(dimension, mine, label)} instead of "
            f"{_part_label(dimension, theirs, label)}"
            for dimension, mine, theirs in zip(_DIMENSIONS, values, _parts_of(nearest), strict=True)
            if mine != theirs
        ]
        text = " × ".join(p.label for p in combination)
        proposals.append(
            Proposal(
                0,
                text,
                combination,
                weakest.dimension,
                f"no study of {text} in {disease_label}",
                f"{summary(nearest)} ({'; '.join(differs)})",
                tuple(cite(r) for r in nearest.references[:3]),
                shared,
                round(score, 3),
            )
        )
    proposals.sort(key=lambda p: (-p.score, p.summary))
    return tuple(
        Proposal(rank, *(getattr(p, f) for f in list(Proposal.__dataclass_fields__)[1:]))
        for rank, p in enumerate(proposals[:limit], start=1)
    )


_UNKNOWN_WHEN_NONE = (True, False, False, True)  # source and route: None means unreported


def _may_be(values: Sequence[str | None], tested: Sequence[str | None]) -> bool:
    return all(
        mine == theirs or (theirs is None and unknown)
        for mine, theirs, unknown in zip(values, tested, _UNKNOWN_WHEN_NONE, strict=True)
    )


def _nearest(values: Sequence[str | None], tested: Sequence[Strategy]) -> tuple[Strategy, int]:
    def shared(strategy: Strategy) -> int:
        return sum(1 for a, b in zip(values, _parts_of(strategy), strict=True) if a == b)

    best = max(tested, key=lambda s: (shared(s), _strength_rank(s.strength), s.n_references))
    return best, shared(best)


def _part_label(dimension: str, value: str | None, label: Callable[[str | None], str]) -> str:
    if value is None:
        return {
            "source": "EVs of unstated source",
            "modification": "unmodified",
            "agent": "whole EVs",
            "route": "route not reported",
        }[dimension]
    if dimension == "modification":
        return " + ".join(label(m) for m in value.split("+"))
    return label(value)
