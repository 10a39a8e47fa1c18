"""Enrichment speed: evkg against GSEApy's offline ``enrich`` and a plain SciPy loop, on the
same inputs in one run, plus the miRNA-aware null.

    python benchmarks/enrichment.py              # 100 lists of 300 genes, 10,000 null draws
    python benchmarks/enrichment.py --lists 10   # quicker

Inputs: Reactome + GO BP (propagated) + WikiPathways from the reference data directory
(``EVKG_DATA_DIR`` or ``../shared/data``), all in HGNC symbols over one background (every
gene annotated in any of the three); query lists are seeded random draws of 300 genes with a
validated miRNA interaction. Every method gets the same background, so p-values must agree;
the table prints the largest relative difference from GSEApy's.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

import numpy as np
from scipy import sparse, stats

REPO = Path(__file__).resolve().parents[1]


def _data_dir() -> Path:
    explicit = os.environ.get("EVKG_DATA_DIR")
    path = Path(explicit) if explicit else REPO.parent / "shared" / "data"
    if not (path / "reactome").is_dir():
        sys.exit(f"reference data not found at {path}: set EVKG_DATA_DIR")
    return path


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lists", type=int, default=100)
    parser.add_argument("--size", type=int, default=300)
    parser.add_argument("--draws", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()

    import gseapy

    from evkg.analysis.enrichment import ora_batch
    from evkg.analysis.null import mirna_null
    from evkg.analysis.profile import normalise_profile
    from evkg.api.analysis import load_resources
    from evkg.sources.cargo import read_cargo_file
    from evkg.vocab import load_vocabulary

    data_dir = _data_dir()
    started = time.perf_counter()
    vocabulary = load_vocabulary(data_dir)
    resources = load_resources(vocabulary, data_dir)
    assert resources.genes is not None
    assert resources.targets is not None
    print(f"reference data loaded in {time.perf_counter() - started:.1f} s", file=sys.stderr)
    collections = resources.collections
    universe = collections[0].universe
    symbol = [resources.genes.label(g) for g in universe]
    annotated = np.zeros(len(universe), dtype=bool)
    for collection in collections:
        annotated |= collection.annotated()
    targetable = {g for links in resources.targets.by_mirna.values() for g, *_ in links}
    pool = np.array([i for i, g in enumerate(universe) if g in targetable and annotated[i]])
    rng = np.random.default_rng(args.seed)
    lists = [np.sort(rng.choice(pool, args.size, replace=False)) for _ in range(args.lists)]
    queries = sparse.csr_matrix(
        (
            np.ones(args.lists * args.size, dtype=np.int32),
            (np.repeat(np.arange(args.lists), args.size), np.concatenate(lists)),
        ),
        shape=(args.lists, len(universe)),
    )
    background = [symbol[i] for i in np.nonzero(annotated)[0]]
    libraries = [
        {
            c.ids[row]: [
                symbol[j] for j in c.matrix.indices[c.matrix.indptr[row] : c.matrix.indptr[row + 1]]
            ]
            for row in range(len(c.ids))
        }
        for c in collections
    ]
    n_sets = sum(len(c.ids) for c in collections)
    print(
        f"{args.lists} lists x {args.size} genes against {n_sets} sets "
        f"({', '.join(f'{c.name} {len(c.ids)}' for c in collections)}); background "
        f"{len(background)} genes",
        file=sys.stderr,
    )

    # evkg: all lists at once, per collection
    started = time.perf_counter()
    ours = [ora_batch(c, queries, annotated, min_size=1) for c in collections]
    evkg_time = time.perf_counter() - started

    # plain scipy loop: python sets, one scipy call per (list, set) with overlap >= 1
    started = time.perf_counter()
    bg = set(background)
    scipy_p: dict[tuple[int, str], float] = {}
    for number, genes in enumerate(lists):
        query = {symbol[i] for i in genes} & bg
        for library in libraries:
            for term, members in library.items():
                in_bg = set(members) & bg
                hits = len(query & in_bg)
                if hits:
                    scipy_p[(number, term)] = float(
                        stats.hypergeom.sf(hits - 1, len(bg), len(in_bg), len(query))
                    )
    scipy_time = time.perf_counter() - started

    # gseapy offline enrich, one call per list with the three libraries
    started = time.perf_counter()
    gseapy_p: dict[tuple[int, str], float] = {}
    for number, genes in enumerate(lists):
        result = gseapy.enrich(
            gene_list=[symbol[i] for i in genes],
            gene_sets=libraries,
            background=background,
            outdir=None,
            no_plot=True,
        )
        for term, p in zip(result.results["Term"], result.results["P-value"], strict=True):
            gseapy_p[(number, term)] = float(p)
    gseapy_time = time.perf_counter() - started

    evkg_p: dict[tuple[int, str], float] = {}
    for collection, batch in zip(collections, ours, strict=True):
        rows, columns = np.nonzero(batch.tested)
        for row, column in zip(rows, columns, strict=True):
            term = collection.ids[batch.set_index[row]]
            evkg_p[(int(column), term)] = float(batch.p[row, column])

    def worst(ours: dict[tuple[int, str], float]) -> float:
        """Largest relative difference from GSEApy's p-values (same pairs tested)."""
        assert ours.keys() == gseapy_p.keys(), "different (list, set) pairs tested"
        return max(
            abs(ours[key] - value) / value for key, value in gseapy_p.items() if value > 1e-300
        )

    # the miRNA-aware null: a 30-miRNA profile, 10,000 draws, 2 worker threads
    table = read_cargo_file(REPO / "examples" / "profiles" / "msc_ev_mirna_30.csv")
    profile, _ = normalise_profile(table, vocabulary)
    columns = np.nonzero(annotated)[0]
    position = {int(c): i for i, c in enumerate(columns)}
    index = {g: i for i, g in enumerate(universe)}
    matrix = sparse.vstack(
        [
            c.matrix[np.nonzero((sizes >= 10) & (sizes <= 500))[0]][:, columns]
            for c in collections
            for sizes in [np.asarray(c.matrix[:, columns].sum(axis=1)).ravel()]
        ]
    ).tocsr()
    mirna_targets = {
        mirna: [
            position[index[g]] for g, tier, *_ in links if tier == "strong" and index[g] in position
        ]
        for mirna, links in resources.targets.by_mirna.items()
    }
    started = time.perf_counter()
    null = mirna_null(mirna_targets, profile.curies(), matrix, draws=args.draws, seed=1, workers=2)
    null_time = time.perf_counter() - started

    tested = len(evkg_p)
    rows = [
        (
            "evkg ora_batch",
            evkg_time,
            gseapy_time / evkg_time,
            worst(evkg_p),
        ),
        ("scipy loop", scipy_time, gseapy_time / scipy_time, worst(scipy_p)),
        ("gseapy.enrich (offline)", gseapy_time, 1.0, 0.0),
    ]
    print()
    print(f"ORA: {args.lists} lists x {args.size} genes, {n_sets} gene sets, {tested} tested pairs")
    print(f"{'method':<26}{'total s':>10}{'ms/list':>10}{'vs gseapy':>11}{'max rel. diff p':>18}")
    for name, seconds, speedup, difference in rows:
        print(
            f"{name:<26}{seconds:>10.3f}{1000 * seconds / args.lists:>10.1f}"
            f"{speedup:>10.0f}x{difference:>18.2e}"
        )
    print()
    print(
        f"miRNA-aware null: {len(null.profile_mirnas)} miRNAs, {args.draws} draws, "
        f"{matrix.shape[0]} gene sets, 2 threads: {null_time:.2f} s"
    )


if __name__ == "__main__":
    main()
