"""Check study files while curating, and look up identifiers (the full checks are the tests).

    python scripts/check_studies.py check src/evkg/data/curated/studies/*.yaml
    python scripts/check_studies.py lookup disease "acute kidney injury"
    python scripts/check_studies.py lookup gene PTEN "CD73" "HMGB1"

``check`` validates every record against :class:`evkg.model.StudyRecord`, resolves every
CURIE in the full reference lexicon (``--data-dir``, default ``../shared/data``) plus evkg's
own terms, reports PMIDs/DOIs used twice across the files, and flags any run of eight or
more words shared with the abstract text saved for the study (``--texts DIR``, files named
``<PMID>.txt``), since summaries must be the curator's own words.
"""

from __future__ import annotations

import argparse
import re
import sys
from collections import Counter
from pathlib import Path

import yaml
from pydantic import ValidationError

from evkg.model import EntityKind, StudyRecord
from evkg.vocab import Vocabulary, load_vocabulary

ROOT = Path(__file__).resolve().parents[1]
REVIEW_REFERENCES = ROOT / "src/evkg/data/curated/zhang2024/references.yaml"
_CURIE = re.compile(r"\b[a-z][a-z0-9.]*:[A-Za-z0-9][A-Za-z0-9.:_/-]*")
_SHINGLE = 8


def _words(text: str) -> list[str]:
    return re.findall(r"[a-z0-9α-ω]+", text.lower())


def _copied_run(summary: str, source: str) -> str | None:
    words, source_words = _words(summary), _words(source)
    grams = {" ".join(source_words[i : i + _SHINGLE]) for i in range(len(source_words))}
    for i in range(len(words) - _SHINGLE + 1):
        run = " ".join(words[i : i + _SHINGLE])
        if run in grams:
            return run
    return None


def _curies(record: StudyRecord) -> list[str]:
    found = [record.disease, record.ev.source, *record.modifications]
    found += [c for c in (record.route, record.ev.species, record.model.term) if c]
    found += [record.model.species] if record.model.species else []
    found += [cargo.id for cargo in record.cargo]
    for finding in record.findings:
        found += [finding.subject, finding.object]
    return found


def check(paths: list[Path], data_dir: Path, texts: Path | None) -> int:
    vocabulary = load_vocabulary(data_dir)
    review_refs = {r["id"] for r in yaml.safe_load(REVIEW_REFERENCES.read_text())}
    problems = 0
    keys: Counter[str] = Counter()
    where_key: dict[str, list[str]] = {}
    for path in paths:
        for index, raw in enumerate(yaml.safe_load(path.read_text(encoding="utf-8")) or []):
            record_id = raw.get("id", "?") if isinstance(raw, dict) else "?"
            where = f"{path.name} #{index + 1} ({record_id})"
            try:
                record = StudyRecord.model_validate(raw)
            except ValidationError as error:
                for item in error.errors():
                    loc = ".".join(str(p) for p in item["loc"])
                    print(f"{where}: {loc}: {item['msg']}")
                    problems += 1
                continue
            for curie in _curies(record):
                if curie not in vocabulary.lexicon:
                    print(f"{where}: {curie} is not in the lexicon (look it up, or add a term)")
                    problems += 1
            disease = vocabulary.lexicon.get(record.disease)
            if disease is not None and disease.kind != EntityKind.DISEASE:
                print(f"{where}: disease {record.disease} is a {disease.kind.value}")
                problems += 1
            if record.review_reference and record.review_reference not in review_refs:
                print(f"{where}: review_reference {record.review_reference} is not in the review")
                problems += 1
            for key in (record.pmid and f"pmid {record.pmid}", record.doi and f"doi {record.doi}"):
                if key:
                    keys[key.lower()] += 1
                    where_key.setdefault(key.lower(), []).append(where)
            keys[f"id {record.id}"] += 1
            where_key.setdefault(f"id {record.id}", []).append(where)
            if texts and record.pmid and (texts / f"{record.pmid}.txt").is_file():
                source = (texts / f"{record.pmid}.txt").read_text(encoding="utf-8")
                for field, text in (("summary", record.summary), ("note", record.note or "")):
                    run = _copied_run(text, source)
                    if run:
                        print(f"{where}: {field} copies the abstract ('{run}'): reword it")
                        problems += 1
    for key, count in keys.items():
        if count > 1:
            print(f"{key} used {count} times: {', '.join(where_key[key])}")
            problems += 1
    studies = sum(v for k, v in keys.items() if k.startswith("id "))
    print(f"{studies} studies, {problems} problem(s)")
    return 1 if problems else 0


def lookup(kind: str, names: list[str], data_dir: Path) -> int:
    vocabulary = load_vocabulary(data_dir)
    found = 0
    for name in names:
        print(f"== {name}")
        found += _lookup_one(vocabulary, kind, name)
    return 0 if found == len(names) else 1


def _lookup_one(vocabulary: Vocabulary, kind: str, name: str) -> int:
    kinds = None if kind == "any" else (EntityKind(kind),)
    matches = vocabulary.search(name, kinds, limit=8)
    if kind in ("mirna", "any"):
        hit = vocabulary.mirna(name)
        if hit:
            matches.insert(0, hit)
    for match in matches:
        for curie in match.curies:
            entry = vocabulary.lexicon.get(curie)
            label = entry.label if entry else match.label
            print(f"{curie}\t{match.kind.value}\t{label}\t({match.how} {match.score:.2f})")
    return 1 if matches else 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    sub = parser.add_subparsers(dest="command", required=True)
    check_parser = sub.add_parser("check")
    check_parser.add_argument("paths", nargs="+", type=Path)
    check_parser.add_argument("--texts", type=Path, default=None)
    lookup_parser = sub.add_parser("lookup")
    lookup_parser.add_argument("kind", choices=["any", *(k.value for k in EntityKind)])
    lookup_parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    if args.command == "check":
        return check(args.paths, args.data_dir, args.texts)
    return lookup(args.kind, args.names, args.data_dir)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
