"""Start-up of a warm CLI query: ``evkg disease "rheumatoid arthritis"`` on a store already
built (the curated knowledge, compact vocabulary), each call a fresh process, beside its
floors measured in the same run (``python -c pass`` and ``evkg --version``).

    python benchmarks/startup.py                              # this checkout
    python benchmarks/startup.py --before /tmp/main-src       # and another source tree
    python benchmarks/startup.py --data-dir ../shared/data    # and with the full vocabularies

``--before DIR`` runs the same commands with ``PYTHONPATH=DIR`` first (e.g. ``git archive
main src | tar -x -C /tmp/main``, then ``--before /tmp/main/src``), alternating before and
after run by run so that the machine's load falls on both alike. Each row gives the median
and best wall time and the median CPU time (user + system, from ``wait4``: what other work on
the machine disturbs least). Target: a warm query under 0.5 s; with ``--data-dir`` (the
full reference vocabularies, read from their caches) under 1 s.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

QUERY = ["disease", "rheumatoid arthritis"]


def _run(command: list[str], env: dict[str, str]) -> tuple[float, float]:
    """Wall and CPU seconds of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    error = process.stderr.read().decode() if process.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{' '.join(command)} failed: {error[-500:]}")
    return wall, usage.ru_utime + usage.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument("--before", type=Path, help="another evkg source tree (PYTHONPATH)")
    parser.add_argument("--data-dir", type=Path, help="add the query with the full vocabularies")
    args = parser.parse_args()
    evkg = str(Path(sys.executable).with_name("evkg"))
    with tempfile.TemporaryDirectory(prefix="evkg-startup-") as scratch:
        base_env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
        # this checkout's source, whichever tree the interpreter's evkg was installed from
        here = str(Path(__file__).resolve().parents[1] / "src")
        trees = [("after (this checkout)", {**base_env, "PYTHONPATH": here})]
        if args.before is not None:
            trees.insert(
                0, (f"before ({args.before})", {**base_env, "PYTHONPATH": str(args.before)})
            )
        rows: dict[str, list[tuple[float, float]]] = {}
        runs = []
        for n, (tree, env) in enumerate(trees):  # a store per tree, loaded by its own code
            url = f"sqlite:///{Path(scratch) / f'evkg-{n}.sqlite'}"
            subprocess.run([evkg, "--database-url", url, "db", "load"], env=env, check=True,
                           capture_output=True)  # fmt: skip
            commands = [
                ("python -c pass (floor)", [sys.executable, "-c", "pass"]),
                ("evkg --version", [evkg, "--version"]),
                ('evkg disease "rheumatoid arthritis"', [evkg, "--database-url", url, *QUERY]),
            ]
            if args.data_dir is not None:
                full = [evkg, "--data-dir", str(args.data_dir), "--database-url", url, *QUERY]
                commands.append(("the same, full vocabularies (--data-dir)", full))
            for _name, command in commands[2:]:
                _run(command, env)  # warm: bytecode compiled, caches written
            runs.append((tree, env, commands))
        for _ in range(args.runs):
            for tree, env, commands in runs:
                for name, command in commands:
                    rows.setdefault(f"{tree} | {name}", []).append(_run(command, env))
    print(f"\n{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end; "
          f"{args.runs} fresh processes per row\n")  # fmt: skip
    print("| code | command | median wall s | best wall s | median CPU s |")
    print("|---|---|---:|---:|---:|")
    for key, times in rows.items():
        walls, cpus = [w for w, _ in times], [c for _, c in times]
        print(
            f"| {key} | {statistics.median(walls):.3f} | {min(walls):.3f} "
            f"| {statistics.median(cpus):.3f} |"
        )


if __name__ == "__main__":
    main()
