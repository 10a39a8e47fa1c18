"""Agreement per field between the curated studies and an independent second curation.

    python scripts/curation_agreement.py [curation/second_pass/*.yaml] [--data-dir DIR]

Records pair by study id, else by PMID or DOI. Diseases compare by identity (a MONDO and a
DO term for one disease agree); lists (isolation, cargo) compare as sets. Prints one row per
field: pairs compared, agreeing, share; then every disagreement, so that each can be
resolved.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

from evkg.model import StudyRecord
from evkg.recordfiles import read_records
from evkg.vocab import load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
STUDIES = ROOT / "src/evkg/data/curated/studies"


def _fields(canonical: Callable[[str], str]) -> dict[str, Callable[[StudyRecord], Any]]:
    return {
        "design": lambda s: s.design.value,
        "product": lambda s: s.product.value,
        "disease (identity)": lambda s: canonical(s.disease),
        "outcome": lambda s: s.outcome.value,
        "EV source": lambda s: s.ev.source,
        "source species": lambda s: s.ev.species,
        "isolation": lambda s: frozenset(m.value for m in s.ev.isolation),
        "modifications": lambda s: frozenset(s.modifications),
        "route": lambda s: s.route,
        "regimen": lambda s: s.timing.regimen.value,
        "model species": lambda s: s.model.species,
        "dose reported": lambda s: s.dose.reported != "not reported",
        "n per group": lambda s: s.n_per_group,
        "cargo": lambda s: frozenset(c.id for c in s.cargo),
        "cargo necessity": lambda s: frozenset((c.id, c.necessity.value) for c in s.cargo),
    }


def _keys(record: StudyRecord) -> list[str]:
    keys = [f"id:{record.id}"]
    if record.pmid:
        keys.append(f"pmid:{record.pmid}")
    if record.doi:
        keys.append(f"doi:{record.doi.lower()}")
    return keys


def _pairs(
    first: list[StudyRecord], second: list[StudyRecord]
) -> list[tuple[StudyRecord, StudyRecord]]:
    """Each second-pass record with the curated study of the same id, else of the same PMID
    or DOI (the two passes may spell an id differently, e.g. an undated 'nd' id)."""
    index: dict[str, StudyRecord] = {}
    for record in first:
        for key in _keys(record):
            index.setdefault(key, record)
    pairs = []
    for record in sorted(second, key=lambda r: r.id):
        match = next((index[k] for k in _keys(record) if k in index), None)
        if match is not None:
            pairs.append((match, record))
    return pairs


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--data-dir", type=Path, default=None)
    args = parser.parse_args(argv)
    paths = args.paths or sorted((ROOT / "curation/second_pass").glob("sample_*.yaml"))
    first = [
        r for path in sorted(STUDIES.glob("*.yaml")) for _, r in read_records(path, StudyRecord)
    ]
    second = [r for path in paths for _, r in read_records(path, StudyRecord)]
    pairs = _pairs(first, second)
    vocabulary = load_vocabulary(args.data_dir)
    fields = _fields(vocabulary.canonical_disease)
    print(f"{len(pairs)} studies curated twice")
    print(f"{'field':22s} {'agree':>5s} / {'pairs':>5s}  share")
    disagreements = []
    for name, get in fields.items():
        agree = sum(get(a) == get(b) for a, b in pairs)
        share = agree / len(pairs) if pairs else 0.0
        print(f"{name:22s} {agree:5d} / {len(pairs):5d}  {share:.2f}")
        disagreements += [(a.id, name, get(a), get(b)) for a, b in pairs if get(a) != get(b)]
    print("\ndisagreements (study, field, first curation, second curation):")
    for item in disagreements:
        print("  " + " | ".join(str(x) for x in item))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
