"""Quick check of curated YAML files while curating (the full checks are the test suite).

    python scripts/check_curated.py src/evkg/data/curated/zhang2024/claims_heart.yaml ...

Validates every record against its model, checks quotes against the review text and lists
evkg.* CURIEs that no terms file defines.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import yaml
from pydantic import ValidationError

from evkg.model import BackgroundCitation, CuratedRecord, CuratedReference, Entity, TableRow

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT.parent / "shared" / "seed" / "000_b03c4da1d36fef63.txt"
MODELS = {
    "claims": CuratedRecord,
    "table1": TableRow,
    "background": BackgroundCitation,
    "references": CuratedReference,
    "terms": Entity,
}


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def main(paths: list[str]) -> int:
    seed = _norm(SEED.read_text(encoding="utf-8"))
    terms = set()
    for terms_file in (ROOT / "src/evkg/data/vocab").glob("terms*.yaml"):
        terms |= {t["id"] for t in yaml.safe_load(terms_file.read_text()) or []}
    refs = {
        r["id"]
        for r in yaml.safe_load(
            (ROOT / "src/evkg/data/curated/zhang2024/references.yaml").read_text()
        )
    }
    problems = 0
    for path in paths:
        kind = Path(path).stem.split("_")[0]
        model = MODELS[kind]
        for index, raw in enumerate(yaml.safe_load(Path(path).read_text()) or []):
            record_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
            where = f"{path} record {index + 1} ({record_id})"
            try:
                record = model.model_validate(raw)
            except ValidationError as error:
                print(f"{where}: {error}")
                problems += 1
                continue
            quotes = [e.quote for e in getattr(record, "evidence", ())]
            if isinstance(record, BackgroundCitation):
                quotes.append(record.quote)
            for quote in quotes:
                if _norm(quote) not in seed:
                    print(f"{where}: quote not verbatim in the review: {quote[:80]!r}")
                    problems += 1
            text = yaml.safe_dump(raw)
            for curie in re.findall(
                r"evkg\.(?:source|mod|route|model|cargo|process|pathway|disease):[a-z0-9.-]+", text
            ):
                if curie not in terms:
                    print(f"{where}: {curie} is not defined in any terms*.yaml")
                    problems += 1
            for curie in re.findall(r"evkg\.ref:[a-z0-9.-]+", text):
                if curie not in refs:
                    print(f"{where}: unknown reference {curie}")
                    problems += 1
    print(f"{problems} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
