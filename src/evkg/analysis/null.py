"""A miRNA-aware empirical null for pathway enrichment.

Gene-level ORA over the union of miRNA targets favours large, well-studied pathways: genes
with many validated interactions are over-represented in any target list. Here the unit of
sampling is the miRNA. The statistic of a gene set is the number of miRNA→gene interactions
of the profile that land in it (within the background); the null draws random miRNA sets of
the profile's size from all miRNAs with validated targets, each profile miRNA replaced by one
from its own target-burden bin (quantiles of target count), so random sets carry the same
burden. Draws are seeded and reproducible; chunks run on a thread pool (numpy releases the
GIL in the gather-and-add loop).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

from evkg.analysis.enrichment import benjamini_hochberg

if TYPE_CHECKING:
    from scipy import sparse

__all__ = ["NullResult", "burden_bins", "mirna_null"]

_Floats = npt.NDArray[np.float64]


@dataclass(frozen=True)
class NullResult:
    """Per gene set (rows of the set matrix given): observed statistic, null moments,
    empirical p (``(1 + #null ≥ observed) / (1 + draws)``) and BH q over tested sets."""

    observed: npt.NDArray[np.int64]
    null_mean: npt.NDArray[np.float64]
    null_sd: npt.NDArray[np.float64]
    z: npt.NDArray[np.float64]
    p: npt.NDArray[np.float64]
    q: npt.NDArray[np.float64]
    tested: npt.NDArray[np.bool_]
    draws: int
    seed: int
    bins: int
    universe: int  # miRNAs the draws come from
    profile_mirnas: tuple[str, ...]  # profile miRNAs in the draws (with ≥1 target)
    excluded: tuple[str, ...]  # profile miRNAs without targets in the background


def burden_bins(burden: npt.NDArray[np.int64], n_bins: int) -> npt.NDArray[np.int64]:
    """Bin of each item by rank of its burden: ``n_bins`` quantile bins, ties split stably."""
    ranks = np.argsort(np.argsort(burden, kind="mergesort"), kind="mergesort")
    return np.asarray((ranks * n_bins) // max(len(burden), 1), dtype=np.int64)


def mirna_null(
    mirna_targets: Mapping[str, Sequence[int]],
    profile: Sequence[str],
    set_matrix: sparse.csr_matrix,
    *,
    draws: int = 10_000,
    n_bins: int = 10,
    seed: int = 0,
    workers: int = 2,
    chunk: int = 500,
) -> NullResult:
    """Empirical enrichment of gene sets for a miRNA profile.

    ``mirna_targets`` maps every miRNA of the interaction table to its target genes as
    column indices of ``set_matrix`` (sets × background genes, boolean); ``profile`` lists
    the profile's miRNAs (keys of ``mirna_targets``).
    """
    universe = [m for m in sorted(mirna_targets) if len(mirna_targets[m]) > 0]
    position = {m: i for i, m in enumerate(universe)}
    genes = set_matrix.shape[1]
    rows = np.repeat(np.arange(len(universe)), [len(mirna_targets[m]) for m in universe])
    cols = np.concatenate([np.asarray(mirna_targets[m], dtype=np.int64) for m in universe])
    from scipy import sparse  # deferred: scipy costs start-up time

    targets = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)), shape=(len(universe), genes)
    )
    targets.data[:] = 1  # duplicates summed by the constructor count once
    counts = np.asarray((targets @ set_matrix.T.astype(np.int32)).todense())
    # the narrowest integer types that hold one miRNA's overlap and a draw's sum: the
    # gather-and-add loop is memory-bound, so bytes moved are time
    largest = int(counts.max(initial=0))
    small = np.uint8 if largest <= np.iinfo(np.uint8).max else np.uint16
    wide = largest * max(len(profile), 1) >= np.iinfo(np.uint16).max
    dtype = np.uint32 if wide else np.uint16
    per_mirna = counts.astype(small)
    chosen = [m for m in dict.fromkeys(profile) if m in position]
    excluded = tuple(m for m in dict.fromkeys(profile) if m not in position)
    observed = per_mirna[[position[m] for m in chosen]].sum(axis=0, dtype=np.int64)
    burden = np.asarray(targets.sum(axis=1)).ravel().astype(np.int64)
    bins = burden_bins(burden, n_bins)
    rng = np.random.default_rng(seed)
    # for each bin, the profile miRNAs in it are replaced by distinct random members
    columns: list[npt.NDArray[np.int64]] = []
    for b in range(n_bins):
        wanted = sum(1 for m in chosen if bins[position[m]] == b)
        if not wanted:
            continue
        members = np.nonzero(bins == b)[0]
        keys = rng.random((draws, members.size))
        picks = np.argpartition(keys, wanted - 1, axis=1)[:, :wanted]
        columns.append(members[picks])
    index = np.concatenate(columns, axis=1) if columns else np.zeros((draws, 0), dtype=np.int64)
    n_sets = set_matrix.shape[0]

    def run(start: int) -> tuple[npt.NDArray[np.int64], _Floats, _Floats]:
        block = index[start : start + chunk]
        total = np.zeros((block.shape[0], n_sets), dtype=dtype)
        buffer = np.empty((block.shape[0], n_sets), dtype=small)
        for column in range(block.shape[1]):
            np.take(per_mirna, block[:, column], axis=0, out=buffer)
            np.add(total, buffer, out=total)
        exceed = (total >= observed).sum(axis=0, dtype=np.int64)
        as_float = total.astype(np.float64)
        return exceed, as_float.sum(axis=0), np.square(as_float).sum(axis=0)

    starts = range(0, draws, chunk)
    if workers > 1 and draws > chunk:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            parts = list(pool.map(run, starts))
    else:
        parts = [run(start) for start in starts]
    exceed = np.sum([p[0] for p in parts], axis=0)
    mean = np.sum([p[1] for p in parts], axis=0) / draws
    variance = np.maximum(np.sum([p[2] for p in parts], axis=0) / draws - mean**2, 0.0)
    sd = np.sqrt(variance)
    tested = observed >= 1
    p = np.where(tested, (1.0 + exceed) / (1.0 + draws), 1.0)
    q = np.ones_like(p)
    q[tested] = benjamini_hochberg(p[tested])
    with np.errstate(divide="ignore", invalid="ignore"):
        z = np.where(sd > 0, (observed - mean) / sd, 0.0)
    return NullResult(
        observed=observed,
        null_mean=mean,
        null_sd=sd,
        z=z,
        p=p,
        q=q,
        tested=tested,
        draws=draws,
        seed=seed,
        bins=n_bins,
        universe=len(universe),
        profile_mirnas=tuple(chosen),
        excluded=excluded,
    )
