"""``evkg export`` in every format on the 1M-claim synthetic store of ``benchmarks/web.py``,
each beside its peer measured in the same run: a bare streaming script (sqlite3 and the
standard library) that SELECTs the same rows in the same order and writes them in the same
format, without evkg's models, labels' fallbacks or Biolink identifiers.

    python benchmarks/export.py            # reuses /tmp/evkg-bench-web/synthetic-1000000.sqlite
    python benchmarks/export.py --claims 100000 --formats jsonl kgx

Each row is a fresh process (``evkg export`` through its CLI, the peer through this file),
timed wall-clock, with its peak resident memory (GNU ``time``) and a digest of the files
evkg wrote (the same digest before and after a change: the same bytes). Targets: each export within
twice its peer's time and under 200 MB.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from pathlib import Path
from typing import Any, TextIO
from xml.sax.saxutils import quoteattr

sys.path.insert(0, str(Path(__file__).resolve().parent))

from web import build_large_store, migrate_if_behind  # a sibling benchmark

FORMATS = ("jsonl", "tsv", "kgx", "graphml", "bibtex")
_CLAIMS = (
    "SELECT hash, subject, predicate, object, outcome, disease, ev_source, modifications, "
    "cargo_type, model, species, route, strength, n_references, confidence, "
    "(SELECT label FROM entities WHERE curie = subject), "
    "(SELECT label FROM entities WHERE curie = object) "
    "FROM claims WHERE n_evidence > 0 ORDER BY strength_rank DESC, confidence DESC, hash"
)


def _claim_batches(connection: sqlite3.Connection) -> Iterator[list[dict[str, Any]]]:
    """The visible claims in rank order, 1,000 at a time, with their evidence and chains."""
    cursor = connection.execute(_CLAIMS)
    while rows := cursor.fetchmany(1000):
        hashes = [row[0] for row in rows]
        marks = ",".join("?" * len(hashes))
        evidence: dict[str, list[dict[str, Any]]] = defaultdict(list)
        for claim_hash, reference, quote, method, level, confidence in connection.execute(
            "SELECT claim_hash, reference, quote, method, level, confidence FROM evidence "
            f"WHERE claim_hash IN ({marks}) AND review_status != 'rejected' ORDER BY hash",
            hashes,
        ):
            evidence[claim_hash].append(
                {"reference": reference, "quote": quote, "method": method, "level": level,
                 "confidence": confidence}
            )  # fmt: skip
        chains: dict[str, list[str]] = defaultdict(list)
        for chain, claim_hash in connection.execute(
            f"SELECT chain, claim_hash FROM chain_claims WHERE claim_hash IN ({marks}) "
            "ORDER BY chain",
            hashes,
        ):
            chains[claim_hash].append(chain)
        yield [
            {"claim_hash": r[0], "subject": r[1], "subject_label": r[15] or r[1],
             "predicate": r[2], "object": r[3], "object_label": r[16] or r[3], "outcome": r[4],
             "disease": r[5], "ev_source": r[6], "modifications": json.loads(r[7] or "[]"),
             "cargo_type": r[8], "model": r[9], "species": r[10], "route": r[11],
             "strength": r[12], "n_references": r[13], "confidence": r[14],
             "references": list(dict.fromkeys(e["reference"] for e in evidence[r[0]])),
             "chains": chains[r[0]], "evidence": evidence[r[0]]}
            for r in rows
        ]  # fmt: skip


def _peer_claim_rows(connection: sqlite3.Connection, fmt: str, out: TextIO) -> None:
    writer = csv.writer(out, delimiter="\t", lineterminator="\n")
    for batch in _claim_batches(connection):
        for record in batch:
            if fmt == "jsonl":
                out.write(json.dumps(record, ensure_ascii=False, sort_keys=True) + "\n")
            else:
                quotes = " || ".join(e["quote"] for e in record.pop("evidence"))
                writer.writerow(
                    ["|".join(map(str, v)) if isinstance(v, list) else ("" if v is None else v)
                     for v in record.values()] + [quotes]
                )  # fmt: skip


def _ends(connection: sqlite3.Connection) -> Iterator[tuple[Any, ...]]:
    return connection.execute(
        "SELECT ends.curie, e.kind, e.label, e.synonyms, e.xrefs FROM (SELECT subject AS curie "
        "FROM claims WHERE n_evidence > 0 UNION SELECT object FROM claims WHERE n_evidence > 0) "
        "AS ends LEFT JOIN entities AS e ON e.curie = ends.curie ORDER BY ends.curie"
    )


def _peer_graph(connection: sqlite3.Connection, fmt: str, folder: Path) -> None:
    if fmt == "kgx":
        with (folder / "nodes.tsv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            for curie, kind, label, synonyms, xrefs in _ends(connection):
                if kind is not None:
                    writer.writerow([curie, kind, label, "|".join(json.loads(synonyms)),
                                     "|".join(json.loads(xrefs))])  # fmt: skip
        with (folder / "edges.tsv").open("w", encoding="utf-8", newline="") as out:
            writer = csv.writer(out, delimiter="\t", lineterminator="\n")
            for batch in _claim_batches(connection):
                cited = sorted({r for record in batch for r in record["references"]})
                marks = ",".join("?" * len(cited))
                pmids = dict(connection.execute(
                    f'SELECT curie, coalesce(pmid, doi, curie) FROM "references" '
                    f"WHERE curie IN ({marks})", cited,
                ).fetchall())  # fmt: skip
                for r in batch:
                    publications = "|".join(pmids.get(x, x) for x in r["references"])
                    writer.writerow(
                        [r["claim_hash"], r["subject"], r["predicate"], r["object"], "", "",
                         "knowledge_assertion", "text_mining_agent", "infores:evkg",
                         publications, r["predicate"], r["outcome"] or "", r["strength"],
                         r["disease"] or ""]
                    )  # fmt: skip
        return
    with (folder / "evkg.graphml").open("w", encoding="utf-8") as out:
        out.write('<?xml version="1.0"?>\n<graphml><graph edgedefault="directed">\n')
        for curie, kind, label, _synonyms, _xrefs in _ends(connection):
            out.write(
                f'<node id={quoteattr(curie)}><data key="label">{quoteattr(label or curie)}'
                f'</data><data key="kind">{kind or "unknown"}</data></node>\n'
            )
        for batch in _claim_batches(connection):
            for r in batch:
                out.write(
                    f"<edge id={quoteattr(r['claim_hash'])} source={quoteattr(r['subject'])} "
                    f"target={quoteattr(r['object'])}><data key='predicate'>{r['predicate']}"
                    f"</data><data key='references'>{'|'.join(r['references'])}</data></edge>\n"
                )
        out.write("</graph></graphml>\n")


def _peer_bibtex(connection: sqlite3.Connection, out: TextIO) -> None:
    for curie, title, authors, year, journal in connection.execute(
        'SELECT curie, title, authors, year, journal FROM "references" WHERE curie IN '
        "(SELECT DISTINCT reference FROM evidence WHERE review_status != 'rejected' AND "
        "claim_hash IN (SELECT hash FROM claims WHERE n_evidence > 0)) ORDER BY curie"
    ):
        out.write(
            f"@article{{{curie},\n  title = {{{title}}},\n  author = "
            f"{{{' and '.join(json.loads(authors))}}},\n  journal = {{{journal}}},\n"
            f"  year = {{{year}}}\n}}\n\n"
        )


def peer(database: Path, fmt: str, folder: Path) -> None:
    """The bare streaming script: what any export must at least do."""
    connection = sqlite3.connect(database)
    if fmt in ("jsonl", "tsv"):
        with (folder / f"peer.{fmt}").open("w", encoding="utf-8", newline="") as out:
            _peer_claim_rows(connection, fmt, out)
    elif fmt == "bibtex":
        with (folder / "peer.bib").open("w", encoding="utf-8") as out:
            _peer_bibtex(connection, out)
    else:
        _peer_graph(connection, fmt, folder)
    connection.close()


def _timed(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak resident MB of one process (GNU time's maximum resident set:
    ``wait4`` here would report this process's own peak, which a child inherits)."""
    started = time.perf_counter()
    done = subprocess.run(
        ["/usr/bin/time", "-f", "peak-kb %M", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        check=False,
    )
    elapsed = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed: {done.stderr[-600:]}")
    peak_kb = int(done.stderr.strip().splitlines()[-1].split()[-1])
    return elapsed, peak_kb / 1024


def _digest(path: Path) -> str:
    """The first 12 hex digits of the SHA-256 of what evkg wrote (a file, or a folder's
    files in name order): equal digests before and after a change mean the same bytes."""
    digest = hashlib.sha256()
    for file in sorted(path.iterdir()) if path.is_dir() else [path]:
        with file.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
    return digest.hexdigest()[:12]


def _evkg_command(database: Path, fmt: str, folder: Path) -> list[str]:
    target = folder / ("kgx" if fmt == "kgx" else f"evkg.{fmt}")
    evkg = str(Path(sys.executable).with_name("evkg"))
    return [evkg, "--database-url", f"sqlite:///{database}",
            "--no-progress", "export", "--format", fmt, "-o", str(target)]  # fmt: skip


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--claims", type=int, default=1_000_000)
    parser.add_argument("--formats", nargs="+", choices=FORMATS, default=list(FORMATS))
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/evkg-bench-web"))
    parser.add_argument("--peer", nargs=3, metavar=("DATABASE", "FORMAT", "FOLDER"),
                        help=argparse.SUPPRESS)  # fmt: skip
    args = parser.parse_args()
    if args.peer:
        peer(Path(args.peer[0]), args.peer[1], Path(args.peer[2]))
        return
    args.workdir.mkdir(parents=True, exist_ok=True)
    database = args.workdir / f"synthetic-{args.claims}.sqlite"
    if not database.exists():
        print(f"building {database} …", flush=True)
        build_large_store(database, args.claims)
    migrate_if_behind(database)
    with sqlite3.connect(database) as connection:
        n_claims = connection.execute("SELECT count(*) FROM claims").fetchone()[0]
    print(f"store: {database} ({n_claims:,} claims)\n")
    print("| format | run | s | peak MB | vs peer | output sha256 |")
    print("|---|---|---:|---:|---:|---|")
    for fmt in args.formats:
        with tempfile.TemporaryDirectory(prefix="evkg-export-") as scratch:
            folder = Path(scratch)
            peer_s, peer_mb = _timed(
                [sys.executable, __file__, "--peer", str(database), fmt, str(folder)]
            )
            command = _evkg_command(database, fmt, folder)
            evkg_s, evkg_mb = _timed(command)
            digest = _digest(Path(command[-1]))
        print(f"| {fmt} | peer: bare sqlite3 script | {peer_s:.1f} | {peer_mb:.0f} | 1.00 | |")
        print(
            f"| {fmt} | evkg export | {evkg_s:.1f} | {evkg_mb:.0f} | {evkg_s / peer_s:.2f} "
            f"| {digest} |",
            flush=True,
        )


if __name__ == "__main__":
    main()
