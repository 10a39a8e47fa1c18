"""The CLI's ``disease``, ``cargo``, ``search`` and ``export`` beside the web pages that
answer the same question, on the 1M-claim synthetic store of ``benchmarks/web.py``, in one
run (the export: the largest synthetic disease's claims as TSV, beside ``/api/export/tsv``
for the same disease).

The CLI and the pages call the same bounded services; the CLI pays its start-up (Python,
imports, opening the store) on every call. The target: each CLI call within twice the page's
server time plus the start-up, where start-up is the wall time of a CLI call that does no
work: a ``search`` for a name that matches nothing.

    python benchmarks/cli.py                 # reuses /tmp/evkg-bench-web/synthetic-1000000.sqlite
    python benchmarks/cli.py --claims 100000 --runs 3

The synthetic diseases and cargo resolve by name in both (the lexicon is extended the same
way as the benchmark server's). Each CLI call is a fresh process, timed wall-clock; pages are
timed as server CPU per request (``/proc``), which other work on the machine does not inflate.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import web


def run_cli(database: Path, arguments: list[str]) -> None:
    """Run ``evkg`` in this process with the synthetic names in its lexicon."""
    import evkg.vocab
    from evkg.cli import main
    from evkg.model import EntityKind
    from evkg.vocab import LexiconEntry

    original = evkg.vocab.compact_lexicon

    def extended() -> evkg.vocab.Lexicon:
        lexicon = original()
        lexicon.add_all(
            LexiconEntry(curie, EntityKind(kind), label)
            for curie, kind, label in web._synthetic_entities()
            if kind in ("disease", "cargo")
        )
        return lexicon

    fingerprint = evkg.vocab.compact_fingerprint()
    evkg.vocab.compact_lexicon = extended  # type: ignore[assignment]
    # the extended lexicon's derived caches (name index…) must not pass for the shipped one's
    evkg.vocab.compact_fingerprint = lambda: f"{fingerprint}-synthetic"  # type: ignore[assignment]
    sys.argv = ["evkg", "--database-url", f"sqlite:///{database}", *arguments]
    main()


def time_cli(database: Path, arguments: list[str], runs: int) -> float:
    """Median wall seconds of ``runs`` fresh CLI processes."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, __file__, "--cli", str(database), "--", *arguments],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            env={**os.environ, "PYTHONWARNINGS": "ignore", "COLUMNS": "100"},
            check=False,
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise SystemExit(f"evkg {' '.join(arguments)}: {done.stderr.decode()[-400:]}")
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=5, help="CLI processes per row")
    parser.add_argument("--requests", type=int, default=50, help="Page requests per row")
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/evkg-bench-web"))
    parser.add_argument("--cli", type=Path, help=argparse.SUPPRESS)
    args, rest = parser.parse_known_args()
    if args.cli:
        run_cli(args.cli, [a for a in rest if a != "--"])
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    large = args.workdir / f"synthetic-{args.claims}.sqlite"
    if large.exists():
        web.migrate_if_behind(large)
    else:
        print(f"building the synthetic store ({args.claims:,} claims) in {large} …", flush=True)
        web.build_large_store(large, args.claims)
    largest, n_largest, _, _ = web._largest_and_median_disease(large)
    cargo, n_cargo = web._busiest(
        large,
        "SELECT subject, count(*) FROM claims WHERE subject LIKE 'evkg.cargo:synth-%' "
        "GROUP BY subject ORDER BY count(*) DESC LIMIT 1",
    )
    disease_name = f"synthetic disease {largest.rsplit('-', 1)[1]}"
    cargo_name = f"synthetic cargo {cargo.rsplit('-', 1)[1]}"
    questions = [
        (f"disease: largest synthetic ({n_largest:,} claims)", ["disease", disease_name],
         f"/disease/{largest}"),
        (f"cargo: busiest synthetic ({n_cargo:,} claims)", ["cargo", cargo_name],
         f"/cargo/{cargo}"),
        ("search: 'kidney'", ["search", "kidney"], "/search?q=kidney"),
        (f"export TSV: largest synthetic disease ({n_largest:,} claims)",
         ["export", "--format", "tsv", "--disease", disease_name],
         f"/api/export/tsv?disease={largest}"),
    ]  # fmt: skip
    startup = time_cli(large, ["search", "zzzz-no-such-name-qq"], args.runs)
    version_started = time.perf_counter()
    subprocess.run([Path(sys.executable).parent / "evkg", "--version"], capture_output=True)
    version = time.perf_counter() - version_started
    process, base = web._start(large)
    rows = []
    try:
        for name, arguments, path in questions:
            _, _, _, n, cpu = web.measure(base, path, args.requests, 1, 30.0, process.pid)
            cli = time_cli(large, arguments, args.runs)
            rows.append((name, cli, cpu, n))
    finally:
        process.terminate()
        process.wait(timeout=10)
    print(
        f"\nevkg CLI beside the web page, store {large.name}; CLI median of {args.runs} fresh "
        f"processes (wall), page server CPU per request (mean of up to {args.requests}); "
        f"CLI start-up (a search matching nothing) {startup * 1000:.0f} ms, "
        f"`evkg --version` {version * 1000:.0f} ms; {os.cpu_count()} cores, "
        f"load average {os.getloadavg()[0]:.1f}\n"
    )
    print("| question | CLI ms | page server ms | CLI − start-up ms | target ms | within |")
    print("|---|---:|---:|---:|---:|---|")
    for name, cli, cpu, _n in rows:
        page = (cpu or 0.0) / 1000
        target = 2 * page + startup
        verdict = "yes" if cli <= target else "NO"
        print(
            f"| {name} | {cli * 1000:.0f} | {page * 1000:.1f} | {(cli - startup) * 1000:.0f} "
            f"| {target * 1000:.0f} | {verdict} |"
        )


if __name__ == "__main__":
    main()
