"""Latency of the web explorer's pages (home, cargo, EV source, disease) and of the REST
endpoints ``/api/claims``, ``/api/diseases/{name}`` (and ``/strategies``), ``/api/entities``.

Two stores, measured in the same run: the curated store (what ``evkg serve`` opens on a
fresh machine) and a synthetic store of the curated claims plus 1,000,000 generated claims
(each with one quote) over 5,000 synthetic diseases whose sizes follow a long-tailed
(Zipf-like) distribution, 20,000 cargo, 10,000 genes and 800 pathways (the synthetic diseases
and cargo resolve by name or CURIE, as curated entities do). The server runs in its
own process (``evkg``'s app under uvicorn on 127.0.0.1); a bounded load generator (a fixed
number of client threads with keep-alive connections, loopback only) sends each request
``--requests`` times after a warm-up and reports p50/p95 per request kind.

    python benchmarks/web.py                    # builds the synthetic store once (~2 min)
    python benchmarks/web.py --claims 100000    # a smaller synthetic store
    python benchmarks/web.py --concurrency 4
    python benchmarks/web.py --data-dir /work/shared/data   # search with the full vocabularies

Every server's rows start with ``/api/health``, the floor (a request that does no work),
and include ``/api/stats`` and the autocomplete ``/api/search`` for a word, a word's start, a
misspelling, an exact name, a miRNA, one letter and a name matching nothing; with
``--data-dir`` a third server answers those over the large store with the full reference
vocabularies (the compact vocabulary's rows, same store, same run, are its peer).

The synthetic store is kept (``--workdir``, default ``/tmp/evkg-bench-web``) and built only
when missing (its file name carries ``--claims``); a kept store whose schema is behind the
code's newest migration is migrated in place (new indexes, then ANALYZE) rather than rebuilt.
Target: p95 < 50 ms on the large store.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import socket
import sqlite3
import statistics
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import quote

N_DISEASES, N_CARGO, N_GENES, N_PATHWAYS, N_REFERENCES = 5_000, 20_000, 10_000, 800, 50_000
SEED = 20_240_617
#: The floor of every row: the cheapest request the app answers, in the same run.
FLOOR = ("/api/health (floor: a bare request)", "/api/health")
STATS = [("/api/stats", "/api/stats")]
#: The autocomplete as a person types: a word, a word's start, a misspelling, an exact
#: name, a miRNA, a one-letter start and a name that matches nothing.
SEARCHES = [
    (f"/api/search?q={query}", f"/api/search?q={quote(query)}&limit=10")
    for query in ("kidney", "kidn", "kidny disease", "rheumatoid arthritis", "miR-146a", "a",
                  "zzzzqqq")
]  # fmt: skip


def _disease(i: int) -> str:
    return f"evkg.disease:synth-{i}"


def _synthetic_entities() -> list[tuple[str, str, str]]:
    """(curie, kind, label) of every synthetic node."""
    rows = [(_disease(i), "disease", f"synthetic disease {i}") for i in range(N_DISEASES)]
    rows += [(f"evkg.cargo:synth-{i}", "cargo", f"synthetic cargo {i}") for i in range(N_CARGO)]
    rows += [(f"hgnc:{9_000_000 + i}", "gene", f"SYNG{i}") for i in range(N_GENES)]
    rows += [
        (f"evkg.pathway:synth-{i}", "pathway", f"synthetic pathway {i}") for i in range(N_PATHWAYS)
    ]
    return rows


def build_large_store(path: Path, n_claims: int) -> None:
    """The curated store plus ``n_claims`` synthetic claims, written straight into the
    schema with executemany (the store's own bulk path would assemble them in memory)."""
    from evkg.api import build_curated_bundle
    from evkg.store import SqlStore

    if path.exists():
        path.unlink()
    store = SqlStore(f"sqlite:///{path}")
    store.initialise()
    store.load(build_curated_bundle())
    sources = [e.id for e in store.entities("ev_source")]
    routes = [e.id for e in store.entities("route")] + [None, None]
    models = [e.id for e in store.entities("model")] + [None]
    modifications = [e.id for e in store.entities("modification")]
    store.dispose()

    rng = random.Random(SEED)
    weights = [1 / (rank + 10) for rank in range(N_DISEASES)]
    levels = [("in_vivo", 4, 0.9), ("in_vitro", 2, 0.75), ("review_statement", 1, 0.5),
              ("ex_vivo", 3, 0.8), ("clinical", 6, 0.95)]  # fmt: skip
    level_weights = [45, 35, 12, 5, 3]
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode=WAL")
    connection.execute("PRAGMA synchronous=OFF")
    with connection:
        connection.executemany(
            "INSERT INTO entities (curie, kind, label, synonyms, xrefs, description) "
            "VALUES (?, ?, ?, '[]', '[]', NULL)",
            _synthetic_entities(),
        )
        connection.executemany(
            'INSERT INTO "references" (curie, authors, et_al, year, title, journal) '
            "VALUES (?, ?, 1, ?, ?, 'Synth J')",
            [
                (f"evkg.ref:synth-{i}", json.dumps([f"Author{i} A"]), 2000 + i % 25, f"Study {i}")
                for i in range(N_REFERENCES)
            ],
        )
    batch = 50_000
    for start in range(0, n_claims, batch):
        claims, evidence, mods, chains = [], [], [], []
        for n in range(start, min(start + batch, n_claims)):
            digest = f"{rng.getrandbits(128):032x}"
            disease = _disease(rng.choices(range(N_DISEASES), weights)[0])
            cargo = f"evkg.cargo:synth-{rng.randrange(N_CARGO)}"
            roll = rng.random()
            if roll < 0.3:
                predicate = rng.choice(["treats"] * 8 + ["worsens", "no_effect_on"])
                subject, obj = cargo, disease
                outcome = {"treats": "beneficial", "worsens": "detrimental"}.get(
                    predicate, "no_effect"
                )
            elif roll < 0.7:
                predicate = rng.choice(["regulates_down", "regulates_up"])
                subject, obj, outcome = cargo, f"hgnc:{9_000_000 + rng.randrange(N_GENES)}", None
            elif roll < 0.85:
                predicate, subject, obj, outcome = "carries", rng.choice(sources), cargo, None
            else:
                predicate = rng.choice(["inhibits", "activates", "modulates"])
                subject = f"hgnc:{9_000_000 + rng.randrange(N_GENES)}"
                obj, outcome = f"evkg.pathway:synth-{rng.randrange(N_PATHWAYS)}", None
            level, rank, confidence = rng.choices(levels, level_weights)[0]
            mod = rng.choice(modifications) if rng.random() < 0.2 else None
            reference = f"evkg.ref:synth-{rng.randrange(N_REFERENCES)}"
            claims.append(
                (digest, subject, predicate, obj, outcome, disease, rng.choice(sources),
                 json.dumps([mod] if mod else []), rng.choice(models), "ncbitaxon:10090",
                 rng.choice(routes), level, level, rank, confidence, 2000 + n % 25)
            )  # fmt: skip
            evidence.append(
                (f"{rng.getrandbits(128):032x}", digest, reference,
                 f"Synthetic sentence {n}: {subject} {predicate} {obj}.", level, confidence)
            )  # fmt: skip
            if mod:
                mods.append((digest, mod))
            chains.append((f"synth.chain-{n // 4}", digest))
        with connection:
            connection.executemany(
                "INSERT INTO claims (hash, subject, predicate, object, outcome, disease, "
                "ev_source, modifications, model, species, route, n_evidence, n_references, "
                "best_level, strength, strength_rank, confidence, latest_year) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, 1, ?, ?, ?, ?, ?)",
                claims,
            )
            connection.executemany(
                "INSERT INTO evidence (hash, claim_hash, reference, quote, method, level, "
                "confidence, errata, review_status) "
                "VALUES (?, ?, ?, ?, 'extracted', ?, ?, '[]', 'accepted')",
                evidence,
            )
            connection.executemany(
                "INSERT INTO claim_modifications (claim_hash, modification) VALUES (?, ?)", mods
            )
            connection.executemany(
                "INSERT INTO chain_claims (chain, claim_hash) VALUES (?, ?)", chains
            )
    connection.execute("ANALYZE")
    connection.close()
    store = SqlStore(f"sqlite:///{path}")
    if hasattr(store, "rebuild_counts"):  # the rows above bypassed the store's counts
        store.rebuild_counts()
    store.dispose()


def migrate_if_behind(path: Path) -> None:
    """Bring a kept store to the newest schema (the migrations add indexes; the data stays)."""
    from evkg.store import SqlStore
    from evkg.store.migrate import current_revision, head_revision

    store = SqlStore(f"sqlite:///{path}")
    with store.engine.connect() as connection:
        current = current_revision(connection)
    if current != head_revision():
        started = time.perf_counter()
        print(f"migrating {path} from schema {current} to {head_revision()} …", flush=True)
        store.initialise()
        with sqlite3.connect(path) as connection:
            connection.execute("ANALYZE")
        print(f"migrated in {time.perf_counter() - started:.0f} s", flush=True)
    store.dispose()


def serve(database: Path, port: int, data_dir: Path | None = None) -> None:
    """Run the app (with the synthetic diseases resolvable by name) until killed; with
    ``data_dir``, over the full reference vocabularies."""
    import uvicorn

    from evkg.model import EntityKind
    from evkg.store import SqlStore
    from evkg.vocab import LexiconEntry, Vocabulary, compact_lexicon, load_vocabulary
    from evkg.web import create_app

    if data_dir is None:
        lexicon, fingerprint, cache = compact_lexicon(), "", None
    else:
        full = load_vocabulary(data_dir)
        lexicon, fingerprint = full.lexicon, full.fingerprint + "-benchmark"
        cache = getattr(full, "cache_dir", None)
    lexicon.add_all(
        LexiconEntry(curie, EntityKind(kind), label)
        for curie, kind, label in _synthetic_entities()
        if kind in ("disease", "cargo")
    )
    try:
        vocabulary = Vocabulary(lexicon, fingerprint, cache_dir=cache)
    except TypeError:  # code from before the name index (for "before" runs)
        vocabulary = Vocabulary(lexicon, fingerprint)
    app = create_app(store=SqlStore(f"sqlite:///{database}"), vocabulary=vocabulary)
    uvicorn.run(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _start(database: Path, data_dir: Path | None = None) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    extra = ["--data-dir", str(data_dir)] if data_dir else []
    process = subprocess.Popen(
        [sys.executable, __file__, "--serve", str(database), "--port", str(port), *extra],
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    base = f"http://127.0.0.1:{port}"
    import httpx

    deadline = time.monotonic() + 300  # the full vocabularies load in seconds (minutes cold)
    while time.monotonic() < deadline:
        try:
            if httpx.get(base + "/api/health", timeout=1).status_code == 200:
                return process, base
        except httpx.TransportError:
            time.sleep(0.2)
    process.kill()
    raise SystemExit("the server did not start")


def server_cpu_seconds(pid: int) -> float | None:
    """CPU time (user + system) the server process has used so far, from /proc (Linux);
    None elsewhere. Unlike latency it does not grow when other work shares the cores."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def measure(
    base: str, path: str, requests: int, concurrency: int, budget: float, pid: int = 0
) -> tuple[float, float, int, int, float | None]:
    """p50 and p95 latency (ms) of ``path``, its response size, how many requests were
    timed (fewer than ``requests`` when the row ran out of its ``budget`` of seconds) and
    the server's mean CPU time per timed request (ms; None without /proc)."""
    import httpx

    local = threading.local()
    deadline = time.monotonic() + budget

    def one(index: int) -> tuple[float, int] | None:
        if index >= concurrency and time.monotonic() > deadline:
            return None
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = httpx.Client(base_url=base, timeout=600)
        started = time.perf_counter()
        response = client.get(path)
        elapsed = (time.perf_counter() - started) * 1000
        if response.status_code != 200:
            raise SystemExit(f"{path}: HTTP {response.status_code} {response.text[:200]}")
        return elapsed, len(response.content)

    with ThreadPoolExecutor(concurrency) as pool:
        list(pool.map(one, range(max(concurrency, min(20, requests // 10)))))  # warm-up
        deadline = time.monotonic() + budget
        cpu_before = server_cpu_seconds(pid) if pid else None
        results = [r for r in pool.map(one, range(requests)) if r is not None]
        cpu_after = server_cpu_seconds(pid) if pid else None
    times = sorted(t for t, _ in results)
    p95 = times[max(0, min(len(times) - 1, round(0.95 * len(times)) - 1))]
    cpu = None
    if cpu_before is not None and cpu_after is not None:
        cpu = (cpu_after - cpu_before) * 1000 / len(times)
    return statistics.median(times), p95, results[-1][1], len(times), cpu


def _largest_and_median_disease(database: Path) -> tuple[str, int, str, int]:
    with sqlite3.connect(database) as connection:
        rows = connection.execute(
            "SELECT disease, count(*) FROM claims WHERE disease LIKE 'evkg.disease:synth-%' "
            "GROUP BY disease ORDER BY count(*) DESC"
        ).fetchall()
    largest, median = rows[0], rows[len(rows) // 2]
    return largest[0], largest[1], median[0], median[1]


def _busiest(database: Path, sql: str) -> tuple[str, int]:
    with sqlite3.connect(database) as connection:
        row = connection.execute(sql).fetchone()
    return str(row[0]), int(row[1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--concurrency", type=int, default=1)
    parser.add_argument(
        "--budget", type=float, default=30.0, help="Seconds per row at most (slow rows time fewer)"
    )
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/evkg-bench-web"))
    parser.add_argument("--serve", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--port", type=int, help=argparse.SUPPRESS)
    parser.add_argument(
        "--data-dir", type=Path, help="Reference data: search rows with the full vocabularies too"
    )
    args = parser.parse_args()
    if args.serve:
        serve(args.serve, args.port, args.data_dir)
        return
    from evkg.api import build_curated_bundle
    from evkg.store import SqlStore

    args.workdir.mkdir(parents=True, exist_ok=True)
    curated = args.workdir / "curated.sqlite"
    if not curated.exists():
        store = SqlStore(f"sqlite:///{curated}")
        store.initialise()
        store.load(build_curated_bundle())
        store.dispose()
    migrate_if_behind(curated)
    large = args.workdir / f"synthetic-{args.claims}.sqlite"
    if large.exists():
        migrate_if_behind(large)
    else:
        started = time.perf_counter()
        print(f"building the synthetic store ({args.claims:,} claims) in {large} …", flush=True)
        build_large_store(large, args.claims)
        print(f"built in {time.perf_counter() - started:.0f} s", flush=True)
    ra, aki = "doid:7148", "doid:3021"
    largest, n_largest, median, n_median = _largest_and_median_disease(large)
    cargo, n_cargo = _busiest(
        large,
        "SELECT subject, count(*) FROM claims WHERE subject LIKE 'evkg.cargo:synth-%' "
        "GROUP BY subject ORDER BY count(*) DESC LIMIT 1",
    )
    source, n_source = _busiest(
        large,
        "SELECT ev_source, count(*) FROM claims GROUP BY ev_source ORDER BY count(*) DESC LIMIT 1",
    )
    kinds = [
        ("home page", "/"),
        ("cargo page: miR-146a", "/cargo/miR-146a"),
        (f"EV source page: {source}", f"/entity/{source}"),
        ("disease page: rheumatoid arthritis", f"/disease/{ra}"),
        ("disease page: acute kidney failure", f"/disease/{aki}"),
        ("/api/claims?disease=RA", f"/api/claims?disease={ra}"),
        ("/api/claims (no filter, page 1)", "/api/claims?limit=50"),
        ("/api/claims?cargo=miR-150-5p", "/api/claims?cargo=mirbase.mature:MIMAT0000451"),
        ("/api/claims?outcome=detrimental", "/api/claims?outcome=detrimental&limit=50"),
    ]
    kinds = [FLOOR, *kinds, *STATS, *SEARCHES]
    synthetic = [
        (f"disease page: median synthetic ({n_median} claims)", f"/disease/{median}"),
        (f"disease page: largest synthetic ({n_largest} claims)", f"/disease/{largest}"),
        ("/api/claims?disease=median synthetic", f"/api/claims?disease={quote(median)}"),
        ("/api/claims?disease=largest synthetic", f"/api/claims?disease={quote(largest)}"),
        ("/api/diseases/{largest synthetic}/strategies", f"/api/diseases/{largest}/strategies"),
        ("/api/diseases/{largest synthetic}", f"/api/diseases/{largest}"),
        (f"cargo page: busiest synthetic ({n_cargo} as subject)", f"/cargo/{cargo}"),
        ("cargo page: busiest synthetic, page 2", f"/cargo/{cargo}?page=2"),
        (
            f"EV source page, page 400 ({n_source:,} claims in context)",
            f"/entity/{source}?page=400",
        ),
        ("/api/entities/{EV source}", f"/api/entities/{source}"),
    ]
    rows: list[tuple[str, str, float, float, int, int, float | None]] = []
    load_before = os.getloadavg()[0]
    big = (
        f"{args.claims / 1e6:g}M synthetic" if args.claims >= 1e6 else f"{args.claims:,} synthetic"
    )
    servers: list[tuple[str, Path, list[tuple[str, str]], Path | None]] = [
        ("curated", curated, [], None),
        (big, large, synthetic, None),
    ]
    if args.data_dir:  # the same store and searches with the full reference vocabularies
        full_kinds = [FLOOR, *STATS, *SEARCHES]
        servers.append((f"{big} + full vocabulary", large, full_kinds, args.data_dir))
    for label, database, extra, data_dir in servers:
        process, base = _start(database, data_dir)
        if data_dir is not None:
            kinds_here = extra
            extra = []
        else:
            kinds_here = kinds
        try:
            for name, path in kinds_here + extra:
                p50, p95, size, n, cpu = measure(
                    base, path, args.requests, args.concurrency, args.budget, process.pid
                )
                rows.append((label, name, p50, p95, size, n, cpu))
                print(
                    f"  {label:13} {name:52} p50 {p50:8.1f} ms  p95 {p95:8.1f} ms  "
                    f"cpu {_ms(cpu)} ms/req  n={n}"
                )
        finally:
            process.terminate()
            process.wait(timeout=10)
    with sqlite3.connect(large) as connection:
        total = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(
        f"\nevkg web latency: up to {args.requests} requests ({args.budget:.0f} s) per row "
        "after warm-up, "
        f"{args.concurrency} client thread(s), loopback; large store {total:,} claims; "
        f"{os.cpu_count()} cores, 1-min load average {load_before:.1f} at the start and "
        f"{os.getloadavg()[0]:.1f} at the end (latency grows with other work on the machine; "
        "server CPU per request much less)\n"
    )
    print("| store | request | n | p50 ms | p95 ms | server CPU ms/req | bytes | p95 < 50 ms |")
    print("|---|---|---:|---:|---:|---:|---:|---|")
    for label, name, p50, p95, size, n, cpu in rows:
        verdict = "yes" if p95 < 50 else "NO"
        print(
            f"| {label} | {name} | {n} | {p50:.1f} | {p95:.1f} | {_ms(cpu)} | {size:,} "
            f"| {verdict} |"
        )


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:.1f}"


if __name__ == "__main__":
    main()
