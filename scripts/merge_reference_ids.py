"""Merge resolved identifiers of the founding review's references into references.yaml.

    python scripts/merge_reference_ids.py /work/corpus/refids_part1.tsv ...

Each TSV row (review_number, ref_id, pmid, doi, pmcid, status, publication_type, found_title,
url) was filled by a curator from the paper's own page, checked against its title; rows
whose status is ``mismatch`` or ``not_found`` add no identifier. The file is rewritten in
canonical form; a PMID or DOI already recorded is never replaced by a different one.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

from evkg.model import CuratedReference
from evkg.recordfiles import read_records
from evkg.sources.curated.canonical import canonical_text

ROOT = Path(__file__).resolve().parents[1]
REFERENCES = ROOT / "src/evkg/data/curated/zhang2024/references.yaml"


def main(paths: list[str]) -> int:
    records = {r.id: r for _, r in read_records(REFERENCES, CuratedReference)}
    updated = conflicts = 0
    for path in paths:
        with open(path, encoding="utf-8") as handle:
            for row in csv.DictReader(handle, delimiter="\t"):
                record = records.get(row["ref_id"].strip())
                if record is None:
                    print(f"{path}: unknown reference {row['ref_id']!r}", file=sys.stderr)
                    conflicts += 1
                    continue
                change: dict[str, object] = {}
                kind = row.get("publication_type", "").strip()
                if kind in ("primary", "review", "other") and record.publication_type is None:
                    change["publication_type"] = kind
                if row["status"].strip() in ("found", "partial"):
                    for field in ("pmid", "doi", "pmcid"):
                        value = row[field].strip()
                        old = getattr(record, field)
                        if value and old and old.lower() != value.lower():
                            print(f"{record.id}: {field} {old} kept, TSV has {value}")
                            conflicts += 1
                        elif value and not old:
                            change[field] = value
                if change:
                    data = record.model_dump(exclude_none=True) | change
                    records[record.id] = CuratedReference.model_validate(data)
                    updated += 1
    from evkg.recordfiles import dump_records

    header = [line for line in REFERENCES.read_text().splitlines() if line.startswith("#")]
    REFERENCES.write_text("\n".join(header) + "\n" + dump_records(list(records.values())))
    REFERENCES.write_text(canonical_text(REFERENCES))
    print(f"{updated} references updated, {conflicts} conflicts")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
