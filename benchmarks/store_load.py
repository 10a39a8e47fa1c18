"""Cost of loading one batch of mined claims, into an empty store and into a large one:
``python benchmarks/store_load.py [--claims 1000000] [--batch 14 1000]``.

Mining loads one transaction per batch, so a batch must cost about the same however large the
store has grown. This loads the same batch of new claims (each with one quote and its own
reference, as mining produces them) into, in the same run:

* the peer: a freshly initialised store holding the curated knowledge only;
* a copy of the synthetic store of ``benchmarks/web.py`` (the curated claims plus
  ``--claims`` generated ones; built once and kept in ``--workdir``, shared with that
  benchmark), copied so the kept store is never changed;

then loads it a second time under another dataset name (every claim and quote already
stored: the re-run case). Batch sizes: 14 claims, what a mining batch of 1,000 MEDLINE
citations yields, and 1,000 claims. It prints seconds per batch and microseconds per claim.
No step of a load reads a whole table (a test enforces it); what still grows with the store
is the writing of the index pages a batch touches, at commit.
"""

from __future__ import annotations

import argparse
import shutil
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import build_large_store, migrate_if_behind  # a sibling benchmark


def _batch(size: int, tag: str) -> tuple[object, object]:
    """Two bundles of the same ``size`` mined-like claims (the second for the re-load);
    batches of different sizes share no claim."""
    from evkg.assemble import assemble
    from evkg.model import Claim, Evidence, Reference
    from evkg.store import LoadBundle

    items, references = [], []
    for i in range(size):
        claim = Claim(
            subject="mirbase.mature:MIMAT0000451",
            predicate="regulates_down",
            object=f"hgnc:{90_000 + 1_000 * size + i}",
            context={"disease": "doid:7148"},
        )
        reference = f"pubmed:{90_000_000 + 1_000 * size + i}"
        references.append(
            Reference(
                id=reference,
                year=2020,
                title=f"Load benchmark {tag} {i}",
                authors=("Bench A",),
                journal="J Bench",
            )
        )
        evidence = Evidence(
            claim_hash=claim.hash,
            reference=reference,
            quote=f"load benchmark {tag} {i}: miR-146a-5p lowered the gene.",
            method="extracted",
            extractor="benchmark 0",
            level="in_vitro",
            confidence=0.6,
        )
        items.append((claim, evidence, None))
    return tuple(
        LoadBundle(name, "benchmark", references=references, assembly=assemble(items))
        for name in (f"bench:{tag}", f"bench:{tag}:again")
    )


def _measure(database: Path, size: int) -> tuple[float, float, int]:
    from evkg.store import SqlStore

    first, again = _batch(size, f"load{size}")
    store = SqlStore(f"sqlite:///{database}")
    started = time.perf_counter()
    report = store.load(first)  # type: ignore[arg-type]
    new_seconds = time.perf_counter() - started
    started = time.perf_counter()
    store.load(again)  # type: ignore[arg-type]
    merged_seconds = time.perf_counter() - started
    total = store.counts()["totals"]["claims"]
    store.dispose()
    assert report.new_claims == size, report
    return new_seconds, merged_seconds, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--batch", type=int, nargs="+", default=[14, 1_000])
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/evkg-bench-web"))
    args = parser.parse_args()
    from evkg.api import build_curated_bundle
    from evkg.store import SqlStore

    args.workdir.mkdir(parents=True, exist_ok=True)
    large = args.workdir / f"synthetic-{args.claims}.sqlite"
    if not large.exists():
        print(f"building the synthetic store {large} (once) …", flush=True)
        build_large_store(large, args.claims)
    migrate_if_behind(large)
    rows = []
    with tempfile.TemporaryDirectory(prefix="evkg-bench-load-") as tmp:
        empty = Path(tmp) / "curated.sqlite"
        store = SqlStore(f"sqlite:///{empty}")
        store.initialise()
        store.load(build_curated_bundle())
        store.dispose()
        copy = Path(tmp) / large.name
        shutil.copyfile(large, copy)
        for size in args.batch:
            for label, database in (
                ("curated store only (peer)", empty),
                (f"synthetic store, {args.claims:,} claims", copy),
            ):
                rows.append((label, size, *_measure(database, size)))
    print("\none batch of new mined claims (each with a quote and a reference), loaded")
    print("and then loaded again under another dataset name (all merged)\n")
    print(
        f"{'store':36} {'batch':>6} {'claims after':>13} {'new s':>7} {'µs/claim':>9} "
        f"{'re-load s':>10}"
    )
    for label, size, new_seconds, merged_seconds, total in rows:
        print(
            f"{label:36} {size:>6,} {total:>13,} {new_seconds:>7.3f} "
            f"{new_seconds / size * 1e6:>9,.0f} {merged_seconds:>10.3f}"
        )


if __name__ == "__main__":
    main()
