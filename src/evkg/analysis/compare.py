"""Comparing preparations (2D vs 3D culture, lot A vs lot B, naive vs primed): how alike their
cargo is, which cargo changed, and — given their analyses — how targets, pathways and
indications moved. The first profile is the reference; changes are later minus first."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np

from evkg.analysis._json import to_jsonable
from evkg.analysis.profile import CargoProfile

if TYPE_CHECKING:
    from evkg.analysis.pipeline import ProfileAnalysis

__all__ = ["CargoChange", "ProfileComparison", "ScoreChange", "compare_profiles"]


@dataclass(frozen=True)
class CargoChange:
    curie: str
    label: str
    abundances: tuple[float, ...]  # relative abundance in each profile (0 when absent)
    log2_fold: tuple[float, ...]  # each profile against the first (pseudocount added)
    status: str  # up | down | gained | lost | unchanged | mixed


@dataclass(frozen=True)
class ScoreChange:
    """A target gene, pathway or disease with its value in each profile."""

    id: str
    label: str
    values: tuple[float, ...]
    change: float  # last minus first


@dataclass(frozen=True)
class ProfileComparison:
    names: tuple[str, ...]
    n_items: tuple[int, ...]
    shared: int  # cargo present in every profile
    spearman: tuple[tuple[float, ...], ...]  # over the union, absent = 0
    pearson_log: tuple[tuple[float, ...], ...]  # log10 abundance with pseudocount
    cargo: tuple[CargoChange, ...]  # largest change first
    targets: tuple[ScoreChange, ...] = ()
    pathways: tuple[ScoreChange, ...] = ()  # −log10 q of ORA
    indications: tuple[ScoreChange, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return to_jsonable(self)  # type: ignore[no-any-return]


def _status(values: Sequence[float], folds: Sequence[float], threshold: float) -> str:
    first, rest = values[0], values[1:]
    if first == 0 and all(v > 0 for v in rest):
        return "gained"
    if first > 0 and all(v == 0 for v in rest):
        return "lost"
    ups = [f >= threshold for f in folds[1:]]
    downs = [f <= -threshold for f in folds[1:]]
    if all(ups):
        return "up"
    if all(downs):
        return "down"
    if any(ups) or any(downs):
        return "mixed"
    return "unchanged"


def _stats() -> Any:
    """``scipy.stats``, imported when a comparison runs (it costs ~1 s at start-up)."""
    from scipy import stats

    return stats


def _matrix(function: Any, columns: np.ndarray) -> tuple[tuple[float, ...], ...]:
    size = columns.shape[1]
    result = np.eye(size)
    for i in range(size):
        for j in range(i + 1, size):
            a, b = columns[:, i], columns[:, j]
            flat = np.ptp(a) == 0 or np.ptp(b) == 0
            value = math.nan if flat else float(function(a, b)[0])
            result[i, j] = result[j, i] = value
    return tuple(
        tuple(round(float(v), 4) if not math.isnan(v) else math.nan for v in row) for row in result
    )


def _changes(tables: Sequence[dict[str, tuple[str, float]]], limit: int) -> tuple[ScoreChange, ...]:
    keys = sorted({key for table in tables for key in table})
    changes = []
    for key in keys:
        values = tuple(round(table.get(key, ("", 0.0))[1], 4) for table in tables)
        label = next(table[key][0] for table in tables if key in table)
        changes.append(ScoreChange(key, label, values, round(values[-1] - values[0], 4)))
    changes.sort(key=lambda c: (-abs(c.change), c.label))
    return tuple(changes[:limit])


def compare_profiles(
    profiles: Sequence[CargoProfile],
    *,
    analyses: Sequence[ProfileAnalysis] | None = None,
    fold_threshold: float = 1.0,
    pseudocount: float = 1e-4,
    limit: int = 50,
) -> ProfileComparison:
    """Compare two or more profiles (the first is the reference).

    A cargo is ``up``/``down`` when its log2 fold change of relative abundance (with
    ``pseudocount``) reaches ``fold_threshold`` against the first profile in every other one.
    """
    if len(profiles) < 2:
        raise ValueError("comparing needs at least two profiles")
    if analyses is not None and len(analyses) != len(profiles):
        raise ValueError("give one analysis per profile, in the same order")
    abundance = [p.abundance() for p in profiles]
    labels = {item.curie: item.label for p in profiles for item in p.items}
    union = sorted(labels, key=lambda c: labels[c])
    matrix = np.array([[a.get(c, 0.0) for a in abundance] for c in union], dtype=np.float64)
    changes = []
    for curie, row in zip(union, matrix, strict=True):
        folds = tuple(round(math.log2((v + pseudocount) / (row[0] + pseudocount)), 4) for v in row)
        values = tuple(round(float(v), 9) for v in row)
        changes.append(
            CargoChange(curie, labels[curie], values, folds, _status(values, folds, fold_threshold))
        )
    changes.sort(key=lambda c: (-max(abs(f) for f in c.log2_fold), c.label))
    shared = int(np.sum(np.all(matrix > 0, axis=1)))
    comparison = ProfileComparison(
        names=tuple(p.name for p in profiles),
        n_items=tuple(len(p.items) for p in profiles),
        shared=shared,
        spearman=_matrix(_stats().spearmanr, matrix),
        pearson_log=_matrix(_stats().pearsonr, np.log10(matrix + pseudocount)),
        cargo=tuple(changes),
    )
    if analyses is None:
        return comparison
    targets = [{g.gene: (g.symbol, g.weight) for g in a.targets.genes} for a in analyses]
    pathways = [
        {f"{r.collection}:{r.set_id}": (r.name, -math.log10(max(r.q, 1e-300))) for r in a.pathways}
        for a in analyses
    ]
    indications = [{i.disease: (i.label, i.score) for i in a.indications} for a in analyses]
    return ProfileComparison(
        **{
            **comparison.__dict__,
            "targets": _changes(targets, limit),
            "pathways": _changes(pathways, limit),
            "indications": _changes(indications, limit),
        }
    )
