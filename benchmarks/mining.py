"""Literature-mining throughput: ``python benchmarks/mining.py [--citations 100000]``.

Builds a corpus of at least 100,000 MEDLINE citations under a temporary folder by
replicating the real sample ``shared/data/pubmed/medline16n0902_sample605.xml.gz`` (PMIDs
renumbered per copy so every citation is distinct), then measures in the same run, each in
a fresh process so that peak memory is its own:

* floor: a bare lxml ``iterparse`` of the same files (no field extraction), inflated by the
  same gzip library as evkg's reader (ISA-L when installed);
* baseline: the floor plus a naive regex miRNA–gene co-occurrence per sentence;
* evkg reader only (records → documents, every record parsed);
* evkg end to end (read, extract, assemble, load into SQLite), one worker, then two: records
  that a byte screen finds cannot be about EVs or cargo are counted without being parsed;
* evkg end to end with every record parsed (``evkg mine --parse-every-record``), one worker.

The on-disk caches (full lexicon, recogniser automaton) are made first, so that every run
starts as a worker does in practice. It prints citations/s, citations/s per core and per
CPU-second (less disturbed by other load on the machine), peak memory, resident memory at
25/50/100 % of the corpus (flat memory means these stay close), the machine's load average,
the one-off start of a worker and the time full PubMed (~36 M abstracts) would take here
and on a Dask cluster.
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SAMPLE = REPO.parent / "shared" / "data" / "pubmed" / "medline16n0902_sample605.xml.gz"
PUBMED_SIZE = 36_000_000
_PMID = re.compile(rb"(<PMID[^>]*>)(\d+)(</PMID>)")


def build_corpus(folder: Path, citations: int, copies_per_file: int = 10) -> list[Path]:
    data = gzip.decompress(SAMPLE.read_bytes())
    head_end = data.index(b"<MedlineCitation ")
    tail_start = data.rindex(b"</MedlineCitationSet>")
    header, body, footer = data[:head_end], data[head_end:tail_start], data[tail_start:]
    per_copy = body.count(b"</MedlineCitation>")
    copies = -(-citations // per_copy)
    files = []
    for start in range(0, copies, copies_per_file):
        chunks = [header]
        for copy in range(start, min(copies, start + copies_per_file)):
            offset = (copy + 1) * 100_000_000
            chunks.append(
                _PMID.sub(lambda m, o=offset: m[1] + str(int(m[2]) + o).encode() + m[3], body)
            )
        chunks.append(footer)
        path = folder / f"medline_replica_{start:05d}.xml.gz"
        path.write_bytes(gzip.compress(b"".join(chunks), compresslevel=1))
        files.append(path)
    return files


def _rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1e3


def stage_floor(files: list[Path]) -> dict[str, float]:
    from lxml import etree

    from evkg.sources.pubmed.reader import open_maybe_gzip  # the same gzip inflater as evkg

    count = 0
    start = time.perf_counter()
    for path in files:
        with open_maybe_gzip(path) as handle:
            for _event, element in etree.iterparse(
                handle,
                events=("end",),
                tag="MedlineCitation",
                resolve_entities=False,
                no_network=True,
            ):
                count += 1
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    return {"citations": count, "seconds": time.perf_counter() - start}


_MIRNA = re.compile(r"\bmi(?:R|RNA)-?\d+[a-z]?\b")
_GENE = re.compile(r"\b[A-Z][A-Z0-9]{2,6}\b")


def stage_baseline(files: list[Path]) -> dict[str, float]:
    from lxml import etree

    from evkg.sources.pubmed.reader import open_maybe_gzip

    count = pairs = 0
    start = time.perf_counter()
    for path in files:
        with open_maybe_gzip(path) as handle:
            for _event, element in etree.iterparse(
                handle,
                events=("end",),
                tag="MedlineCitation",
                resolve_entities=False,
                no_network=True,
            ):
                count += 1
                text = " ".join(element.itertext())
                for sentence in re.split(r"(?<=[.!?])\s+", text):
                    if _MIRNA.search(sentence):
                        pairs += len(_GENE.findall(sentence))
                element.clear()
                while element.getprevious() is not None:
                    del element.getparent()[0]
    return {"citations": count, "seconds": time.perf_counter() - start, "pairs": pairs}


def stage_reader(files: list[Path]) -> dict[str, float]:
    from evkg.sources.pubmed import read_pubmed

    count = 0
    start = time.perf_counter()
    for path in files:
        for _item in read_pubmed(path):
            count += 1
    return {"citations": count, "seconds": time.perf_counter() - start}


def stage_warm(data_dir: str | None, cache: str) -> dict[str, float]:
    """Build the on-disk caches (lexicon, recogniser automaton) if they are missing."""
    from evkg.api._mining_work import WorkerConfig, _extractor

    start = time.perf_counter()
    _extractor(WorkerConfig(data_dir, cache))
    return {"citations": 0, "seconds": time.perf_counter() - start}


def stage_evkg(
    files: list[Path], workers: int, data_dir: str | None, cache: str, every: bool = False
) -> dict[str, float]:
    from evkg.api._mining_work import WorkerConfig, _extractor
    from evkg.api.mining import mine
    from evkg.store import SqlStore

    config = WorkerConfig(data_dir, cache, parse_every_record=every)
    started = time.perf_counter()
    # vocabulary and automaton from the caches: a one-off cost per worker, reported apart;
    # worker processes are forked after this and inherit it
    _extractor(config)  # (which freezes it out of the garbage collector, as in every worker)
    warmup = time.perf_counter() - started
    folder = Path(tempfile.mkdtemp(prefix="evkg-bench-store-"))
    store = SqlStore(f"sqlite:///{folder / 'bench.sqlite'}")
    store.initialise()
    marks: dict[str, float] = {}
    expected = len(files) * 6040

    def progress(summary: object) -> None:
        done = summary.documents  # type: ignore[attr-defined]
        for fraction in (0.25, 0.5, 1.0):
            key = f"rss_{int(fraction * 100)}"
            if key not in marks and done >= fraction * expected * 0.99:
                marks[key] = _rss_mb()

    cpu = resource.getrusage(resource.RUSAGE_SELF)
    start = time.perf_counter()
    summary = mine(
        files, store=store, config=config, workers=workers, batch_size=1000, on_progress=progress
    )
    seconds = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return {
        "citations": summary.documents,
        "seconds": seconds,
        "warmup": warmup,
        "claims": summary.claims_extracted,
        "relevant": summary.relevant_documents,
        "unparsed": summary.documents_unparsed,
        "sentences": summary.sentences,
        "errors": len(summary.errors),
        # CPU of this process: everything with one worker, the store writer with several
        "main_cpu": after.ru_utime + after.ru_stime - cpu.ru_utime - cpu.ru_stime,
        "workers_cpu": children.ru_utime + children.ru_stime,
        "workers_peak_mb": children.ru_maxrss / 1e3,
        **marks,
    }


def _child(stage: str, files: list[Path], args: argparse.Namespace) -> dict[str, float]:
    command = [
        sys.executable,
        __file__,
        "--stage",
        stage,
        "--files",
        json.dumps([str(f) for f in files]),
        "--workers",
        str(args.workers),
    ]
    if args.data_dir:
        command += ["--data-dir", args.data_dir]
    if stage == "evkg-every":
        command[3] = "evkg"
        command.append("--parse-every-record")
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    return json.loads(output.strip().splitlines()[-1])


def _cpu_seconds() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _run_stage(args: argparse.Namespace, cache: str) -> None:
    files = [Path(f) for f in json.loads(args.files)]
    cpu = _cpu_seconds()
    if args.stage == "floor":
        result = stage_floor(files)
    elif args.stage == "baseline":
        result = stage_baseline(files)
    elif args.stage == "reader":
        result = stage_reader(files)
    elif args.stage == "warm":
        result = stage_warm(args.data_dir or None, cache)
    else:
        result = stage_evkg(
            files, args.workers, args.data_dir or None, cache, args.parse_every_record
        )
    if "main_cpu" in result:  # the mining run alone, without the one-off start
        result["cpu"] = result["main_cpu"] + result["workers_cpu"]
    else:
        result["cpu"] = _cpu_seconds() - cpu
    result["peak_mb"] = _peak_mb()
    print(json.dumps(result))


def _report(
    rows: list[tuple[str, int, dict[str, float]]], files: int, args: argparse.Namespace
) -> None:
    vocabulary = f"full ({args.data_dir})" if args.data_dir else "compact"
    print(
        f"\ncorpus: {rows[0][2]['citations']:,.0f} citations in {files} gzip files "
        f"(replicas of {SAMPLE.name}); vocabulary: {vocabulary}"
    )
    print(
        f"machine load (1/5/15 min) before: {args.load_before}, after: "
        f"{'/'.join(f'{x:.1f}' for x in os.getloadavg())} on {os.cpu_count()} cores\n"
    )
    print(
        f"{'run':38} {'workers':>7} {'citations/s':>11} {'/s per core':>11} "
        f"{'/CPU-s':>7} {'peak MB':>8} {'RSS 25/50/100% MB':>18}"
    )
    for label, workers, result in rows:
        rate = result["citations"] / result["seconds"]
        marks = "/".join(f"{result[k]:.0f}" for k in ("rss_25", "rss_50", "rss_100") if k in result)
        peak = max(result["peak_mb"], result.get("workers_peak_mb", 0.0))
        print(
            f"{label:38} {workers:>7} {rate:>11,.0f} {rate / workers:>11,.0f} "
            f"{result['citations'] / result['cpu']:>7,.0f} {peak:>8,.0f} {marks:>18}"
        )
    floor = rows[0][2]["citations"] / rows[0][2]["seconds"]
    one, two, every = rows[3][2], rows[4][2], rows[5][2]
    one_rate = one["citations"] / one["seconds"]
    two_rate = two["citations"] / two["seconds"]
    print(
        "\n/CPU-s: citations per second of CPU time used (all processes of the run), which "
        "the other load on the machine disturbs less than the wall-clock rates."
    )
    print(
        f"evkg: {one['relevant']:,.0f} citations about EVs/cargo analysed in full "
        f"({one['sentences']:,.0f} sentences), {one['claims']:,.0f} claims, "
        f"{one['unparsed']:,.0f} citations counted from their bytes without parsing (the "
        f"screen; with every record parsed: {every['claims']:,.0f} claims, "
        f"{every['relevant']:,.0f} analysed), "
        f"{one['errors']:,.0f} records skipped; one-off start per worker (vocabulary and "
        f"automaton from the on-disk caches) {one['warmup']:.1f} s (first build ever: "
        f"{args.first_build:.1f} s)."
    )
    print(
        f"end to end (1 worker) is {one_rate / floor:.0%} of the bare-parse floor (target: "
        f">= 50 %, >= 4,000/s per core); 2 workers hold {two_rate / 2 / one_rate:.0%} of the "
        f"1-worker rate per core."
    )
    writer = two["main_cpu"] / two["citations"]  # store writer: CPU-s per citation
    per_worker = two["workers_cpu"] / two["citations"]
    print(
        f"full PubMed ({PUBMED_SIZE / 1e6:.0f} M citations) at the measured 2-worker rate: "
        f"~{PUBMED_SIZE / two_rate / 3600:.1f} h on this 2-core machine (plus "
        f"{two['warmup']:.0f} s of start per worker)."
    )
    cap = 1 / writer if writer > 0 else float("inf")
    print(
        f"Dask cluster of N workers: files are read and extracted on the workers, the client "
        f"only writes the store ({writer * 1e6:.0f} µs CPU per citation here, so one writer "
        f"keeps up with ~{cap:,.0f} citations/s); at {1 / per_worker:,.0f} citations per "
        f"worker CPU-second that is ~{PUBMED_SIZE * per_worker / 3600:.1f} h / N of worker "
        f"time, e.g. ~{PUBMED_SIZE * per_worker / 3600 / 16 * 60:.0f} min with N = 16, "
        f"until N ~ {cap * per_worker:.0f} workers saturate the writer."
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--citations", type=int, default=100_000)
    parser.add_argument("--data-dir", default=str(REPO.parent / "shared" / "data"))
    parser.add_argument("--stage")
    parser.add_argument("--files")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--parse-every-record", action="store_true", help="(a stage) no byte screen"
    )
    args = parser.parse_args()
    cache = str(Path(tempfile.gettempdir()) / "evkg-bench-cache")
    if args.stage:
        _run_stage(args, cache)
        return
    if not SAMPLE.is_file():
        sys.exit(f"the MEDLINE sample is missing: {SAMPLE}")
    if args.data_dir and not Path(args.data_dir, "hgnc").is_dir():
        args.data_dir = None  # fall back to the compact lexicon
    args.load_before = "/".join(f"{x:.1f}" for x in os.getloadavg())
    with tempfile.TemporaryDirectory(prefix="evkg-bench-") as tmp:
        files = build_corpus(Path(tmp), args.citations)
        args.first_build = _child("warm", files, args)["seconds"]  # caches ready for all runs
        rows = []
        for label, stage, workers in (
            ("floor: bare lxml iterparse", "floor", 1),
            ("baseline: naive regex co-occurrence", "baseline", 1),
            ("evkg reader only, every record parsed", "reader", 1),
            ("evkg end to end, 1 worker", "evkg", 1),
            ("evkg end to end, 2 workers", "evkg", 2),
            ("evkg, every record parsed, 1 worker", "evkg-every", 1),
        ):
            args.workers = workers
            rows.append((label, workers, _child(stage, files, args)))
        _report(rows, len(files), args)


if __name__ == "__main__":
    main()
