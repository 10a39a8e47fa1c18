"""Over-representation analysis: hypergeometric upper tail and Benjamini–Hochberg, vectorised
over every gene set of a collection and over many query lists at once.

Conventions follow Enrichr/GSEApy with an explicit background: the population is the
background, queries and sets are intersected with it, and only sets the query touches
(overlap ≥ 1) are tested and enter the FDR correction.

>>> float(hypergeom_sf(np.array([2]), 20, np.array([5]), np.array([4]))[0])  # doctest: +ELLIPSIS
0.2487...
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np
import numpy.typing as npt

if TYPE_CHECKING:
    from scipy import sparse

__all__ = [
    "EnrichmentHit",
    "GeneSetCollection",
    "OraBatch",
    "benjamini_hochberg",
    "collection_from_sets",
    "hypergeom_sf",
    "ora",
    "ora_batch",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]
_TOLERANCE = 1e-13


def _log_comb(a: IntArray, b: IntArray) -> FloatArray:
    """log C(a, b), accurate to the magnitude of the result (not of log a!)."""
    a_f, b_f = a.astype(np.float64), b.astype(np.float64)
    from scipy.special import betaln  # deferred: start-up time

    return np.asarray(-np.log1p(a_f) - betaln(a_f - b_f + 1.0, b_f + 1.0), dtype=np.float64)


def _tail_sum(
    start: IntArray, stop: IntArray, pop: IntArray, succ: IntArray, n: IntArray, step: int
) -> FloatArray:
    """Σ pmf(x)/pmf(start) for x from ``start`` towards ``stop`` (inclusive) in ``step``
    direction, summing only while terms matter; pmf decreases along the way.

    Works on compact copies of the still-active elements, compressed only when a quarter of
    them has converged, so each pass costs a few vector operations.
    """
    result = np.ones(start.shape, dtype=np.float64)
    ids = np.nonzero(start != stop)[0]
    x = start[ids].astype(np.float64)
    end = stop[ids].astype(np.float64)
    s_a = succ[ids].astype(np.float64)
    n_a = n[ids].astype(np.float64)
    rest = pop[ids].astype(np.float64) - s_a - n_a  # N - K - n
    term = np.ones(ids.size)
    total = np.ones(ids.size)
    live = np.ones(ids.size, dtype=bool)
    while ids.size:
        if step > 0:
            ratio = (s_a - x) * (n_a - x) / ((x + 1.0) * (rest + x + 1.0))
        else:
            ratio = x * (rest + x) / ((s_a - x + 1.0) * (n_a - x + 1.0))
        term *= np.where(live, ratio, 0.0)
        total += term
        x += step
        # remaining terms shrink at least geometrically by ``ratio`` (< 1 past the mode)
        bound = term / np.maximum(1.0 - ratio, 1e-300)
        live &= (x != end) & ((ratio >= 1.0) | (bound > _TOLERANCE * total))
        done = ~live
        if done.all():
            result[ids] = total
            break
        if done.sum() * 4 >= ids.size:
            result[ids[done]] = total[done]
            ids = ids[live]
            x, end, s_a, n_a = x[live], end[live], s_a[live], n_a[live]
            rest, term, total = rest[live], term[live], total[live]
            live = np.ones(ids.size, dtype=bool)
    return result


def hypergeom_sf(
    k: npt.ArrayLike, population: npt.ArrayLike, successes: npt.ArrayLike, n: npt.ArrayLike
) -> FloatArray:
    """P(X ≥ k) for X ~ Hypergeometric(population, successes, n draws), elementwise.

    Same value as ``scipy.stats.hypergeom.sf(k - 1, population, successes, n)`` (relative
    difference below 1e-9), about a hundred times faster: each tail is summed from its first
    term with the pmf recurrence, on the side of the mode where it converges.
    """
    arrays = np.broadcast_arrays(k, population, successes, n)
    shape = arrays[0].shape
    k_a, pop_a, suc_a, n_a = (np.atleast_1d(np.asarray(v, dtype=np.int64)) for v in arrays)
    out = np.empty(k_a.shape, dtype=np.float64)
    low = np.maximum(0, n_a + suc_a - pop_a)
    high = np.minimum(suc_a, n_a)
    out[k_a <= low] = 1.0
    out[k_a > high] = 0.0
    middle = np.nonzero((k_a > low) & (k_a <= high))
    if middle[0].size == 0:
        return out.reshape(shape)
    k_m, pop_m, suc_m, n_m = k_a[middle], pop_a[middle], suc_a[middle], n_a[middle]
    low_m, high_m = low[middle], high[middle]
    mode = ((n_m + 1) * (suc_m + 1)) // (pop_m + 2)
    log_total = _log_comb(pop_m, n_m)
    result = np.empty(k_m.shape, dtype=np.float64)
    upper = k_m > mode
    if upper.any():
        i = np.nonzero(upper)[0]
        start = k_m[i]
        log_first = _log_comb(suc_m[i], start) + _log_comb(pop_m[i] - suc_m[i], n_m[i] - start)
        tail = _tail_sum(start, high_m[i], pop_m[i], suc_m[i], n_m[i], +1)
        result[i] = np.exp(log_first - log_total[i] + np.log(tail))
    if (~upper).any():
        i = np.nonzero(~upper)[0]
        start = k_m[i] - 1
        log_first = _log_comb(suc_m[i], start) + _log_comb(pop_m[i] - suc_m[i], n_m[i] - start)
        tail = _tail_sum(start, low_m[i], pop_m[i], suc_m[i], n_m[i], -1)
        result[i] = 1.0 - np.exp(log_first - log_total[i] + np.log(tail))
    out[middle] = np.clip(result, 0.0, 1.0)
    return out.reshape(shape)


def benjamini_hochberg(p_values: npt.ArrayLike) -> FloatArray:
    """Benjamini–Hochberg adjusted p-values (q-values), in the input order.

    >>> benjamini_hochberg([0.01, 0.04, 0.03]).round(3).tolist()
    [0.03, 0.04, 0.04]
    """
    p = np.asarray(p_values, dtype=np.float64)
    if p.size == 0:
        return p.copy()
    order = np.argsort(p, kind="mergesort")
    ranked = p[order] * p.size / np.arange(1, p.size + 1)
    adjusted = np.minimum.accumulate(ranked[::-1])[::-1]
    q = np.empty_like(p)
    q[order] = np.minimum(adjusted, 1.0)
    return q


@dataclass(frozen=True)
class GeneSetCollection:
    """Gene sets as a sparse membership matrix over a shared gene universe.

    ``matrix[i, j]`` is true when set ``ids[i]`` holds gene ``universe[j]``.
    """

    name: str
    ids: tuple[str, ...]
    names: tuple[str, ...]
    universe: tuple[str, ...]
    matrix: sparse.csr_matrix

    def annotated(self) -> npt.NDArray[np.bool_]:
        """Universe genes that belong to at least one set."""
        return np.asarray(self.matrix.sum(axis=0)).ravel() > 0


def collection_from_sets(
    name: str,
    sets: Iterable[tuple[str, str, Iterable[str]]],
    universe: Mapping[str, int],
    universe_genes: Sequence[str],
) -> GeneSetCollection:
    """A collection from (id, name, genes) triples; genes outside ``universe`` are dropped."""
    ids: list[str] = []
    names: list[str] = []
    rows: list[int] = []
    cols: list[int] = []
    for row, (identifier, label, genes) in enumerate(sets):
        ids.append(identifier)
        names.append(label)
        columns = {universe[g] for g in genes if g in universe}
        rows.extend([row] * len(columns))
        cols.extend(sorted(columns))
    from scipy import sparse  # deferred: scipy costs start-up time

    matrix = sparse.csr_matrix(
        (np.ones(len(rows), dtype=np.int32), (rows, cols)),
        shape=(len(ids), len(universe_genes)),
    )
    return GeneSetCollection(name, tuple(ids), tuple(names), tuple(universe_genes), matrix)


#: Query lists tested together by :func:`ora_batch`.
ORA_CHUNK_LISTS = 64


@dataclass(frozen=True)
class OraBatch:
    """ORA of many query lists against one collection: arrays are sets × lists.

    ``tested`` marks the (set, list) pairs with overlap ≥ 1 whose set passed the size limits;
    ``p``/``q`` are 1 elsewhere.
    """

    collection: str
    set_index: IntArray  # rows of the collection kept by the size limits
    k: IntArray
    set_size: IntArray  # |set ∩ background|
    query_size: IntArray  # |query ∩ background| per list
    background_size: int
    p: FloatArray
    q: FloatArray
    tested: npt.NDArray[np.bool_]


def ora_batch(
    collection: GeneSetCollection,
    queries: sparse.spmatrix | npt.NDArray[np.bool_],
    background: npt.NDArray[np.bool_] | None = None,
    *,
    min_size: int = 1,
    max_size: int | None = None,
    chunk_lists: int = ORA_CHUNK_LISTS,
) -> OraBatch:
    """ORA for every row of ``queries`` (lists × universe, boolean) against ``collection``.

    ``background`` (boolean over the universe) defaults to every gene annotated in the
    collection; sets are kept when ``min_size ≤ |set ∩ background| ≤ max_size``. Lists are
    tested ``chunk_lists`` at a time (the results do not depend on it): beyond the
    sets × lists answer, memory holds one chunk's work.
    """
    if chunk_lists < 1:
        raise ValueError(f"chunk_lists must be at least 1, not {chunk_lists}")
    bg = collection.annotated() if background is None else np.asarray(background, dtype=bool)
    columns = np.nonzero(bg)[0]
    members = collection.matrix[:, columns]
    set_size = np.asarray(members.sum(axis=1)).ravel().astype(np.int64)
    keep = set_size >= min_size
    if max_size is not None:
        keep &= set_size <= max_size
    set_index = np.nonzero(keep)[0]
    members = members[set_index]
    from scipy import sparse  # deferred: scipy costs start-up time

    query = sparse.csr_matrix(queries, dtype=np.int32)[:, columns]
    query_size = np.asarray(query.sum(axis=1)).ravel().astype(np.int64)
    shape = (set_index.size, query.shape[0])
    overlap = np.zeros(shape, dtype=np.int64)
    p = np.ones(shape, dtype=np.float64)
    q = np.ones(shape, dtype=np.float64)
    tested = np.zeros(shape, dtype=bool)
    kept_sizes = set_size[set_index]
    # lists a chunk at a time: the product, the tested pairs and the tail's temporaries
    # stay the size of one chunk, so memory and cost per list do not grow with the lists
    for start in range(0, shape[1], chunk_lists):
        stop = min(start + chunk_lists, shape[1])
        part = np.asarray((members @ query[start:stop].T).todense(), dtype=np.int64)
        overlap[:, start:stop] = part
        rows, lists = np.nonzero(part >= 1)
        tested[rows, lists + start] = True
        p[rows, lists + start] = hypergeom_sf(
            part[rows, lists], columns.size, kept_sizes[rows], query_size[lists + start]
        )
    for column in range(shape[1]):
        mask = tested[:, column]
        q[mask, column] = benjamini_hochberg(p[mask, column])
    return OraBatch(
        collection.name,
        set_index,
        overlap,
        set_size[set_index],
        query_size,
        int(columns.size),
        p,
        q,
        tested,
    )


@dataclass(frozen=True)
class EnrichmentHit:
    """One tested gene set for one query: the 2×2 table, p, q and the genes behind it."""

    collection: str
    set_id: str
    name: str
    k: int  # query genes in the set
    set_size: int  # set genes in the background
    query_size: int  # query genes in the background
    background_size: int
    fold: float  # k / expected
    p: float
    q: float
    genes: tuple[str, ...]


def ora(
    collection: GeneSetCollection,
    genes: Iterable[str],
    background: npt.NDArray[np.bool_] | None = None,
    *,
    min_size: int = 5,
    max_size: int | None = 500,
) -> list[EnrichmentHit]:
    """ORA of one gene list (universe identifiers); hits sorted by p, then set id."""
    index = {gene: i for i, gene in enumerate(collection.universe)}
    columns = sorted({index[g] for g in genes if g in index})
    from scipy import sparse  # deferred: scipy costs start-up time

    query = sparse.csr_matrix(
        (np.ones(len(columns), dtype=np.int32), ([0] * len(columns), columns)),
        shape=(1, len(collection.universe)),
    )
    batch = ora_batch(collection, query, background, min_size=min_size, max_size=max_size)
    bg = collection.annotated() if background is None else np.asarray(background, dtype=bool)
    in_query = np.zeros(len(collection.universe), dtype=bool)
    in_query[columns] = True
    in_query &= bg
    hits = []
    for row in np.nonzero(batch.tested[:, 0])[0]:
        set_row = int(batch.set_index[row])
        members = collection.matrix.indices[
            collection.matrix.indptr[set_row] : collection.matrix.indptr[set_row + 1]
        ]
        overlap = tuple(sorted(collection.universe[j] for j in members if in_query[j]))
        expected = batch.set_size[row] * batch.query_size[0] / max(batch.background_size, 1)
        hits.append(
            EnrichmentHit(
                collection=collection.name,
                set_id=collection.ids[set_row],
                name=collection.names[set_row],
                k=int(batch.k[row, 0]),
                set_size=int(batch.set_size[row]),
                query_size=int(batch.query_size[0]),
                background_size=batch.background_size,
                fold=round(float(batch.k[row, 0] / expected), 4) if expected else 0.0,
                p=float(batch.p[row, 0]),
                q=float(batch.q[row, 0]),
                genes=overlap,
            )
        )
    hits.sort(key=lambda hit: (hit.p, hit.set_id))
    return hits
