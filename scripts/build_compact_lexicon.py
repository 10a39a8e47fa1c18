"""Write the compact lexicon shipped in ``src/evkg/data/vocab/lexicon.tsv``.

Developer tool, re-run whenever curated knowledge starts using new identifiers:

    python scripts/build_compact_lexicon.py --data-dir ../shared/data

It keeps, from the full vocabularies built out of the reference data, only what the shipped
knowledge needs offline: every identifier a curated record or vocabulary term uses; every
mature miRNA of the families used (human, mouse, rat; both arms and former names); the
whole disease identity of each disease used (its DOID, MONDO and MeSH members, each with a
``canonical`` attribute naming the identity) and of every identity above it in the merged
hierarchy (so that "kidney disease" finds acute kidney injury, with and without the full
data alike); and the protein-name genes. Only identifiers, names and hierarchy links are
written.
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

from evkg.model import EntityKind  # noqa: E402
from evkg.vocab.compact import LEXICON_TSV_COLUMNS, compact_lexicon  # noqa: E402
from evkg.vocab.full_lexicon import build_full_lexicon  # noqa: E402
from evkg.vocab.identity import DiseaseIdentity, curated_disease_mappings  # noqa: E402
from evkg.vocab.lexicon import Lexicon, LexiconEntry  # noqa: E402
from evkg.vocab.mirna import parse_mirna_name  # noqa: E402

DATA = ROOT / "src" / "evkg" / "data"
CURIE = re.compile(
    r"\b(?:mirbase\.mature:MIMAT\d{7}|hgnc:\d+|doid:\d+|mondo:\d{7}|mesh:[CD]\d+|go:\d{7}"
    r"|reactome:R-[A-Z]{3}-\d+|wikipathways:WP\d+|cl:\d{7}|uberon:\d{7}|ncbigene:\d+|chebi:\d+)\b"
)
_MAX_SYNONYMS = 25
#: Proteins that EV protein lists nearly always hold (MISEV marker categories: tetraspanins,
#: ESCRT and accessory proteins, chaperones, cytoskeleton and metabolic enzymes, the MSC
#: identity antigens, and the usual co-isolated contaminants), kept by HGNC symbol with their
#: UniProt accessions so that an exported protein list resolves offline.
COMMON_EV_PROTEINS = (
    "CD9", "CD81", "CD63", "CD82", "TSG101", "PDCD6IP", "SDCBP", "VPS4A", "CHMP4B", "FLOT1",
    "FLOT2", "HSPA8", "HSPA1A", "HSP90AA1", "HSP90AB1", "ANXA1", "ANXA2", "ANXA5", "ACTB",
    "GAPDH", "ENO1", "PKM", "MFGE8", "LAMP1", "LAMP2", "ITGB1", "ITGA5", "CD44", "THY1",
    "ENG", "NT5E", "CANX", "HSP90B1", "GOLGA2", "CYCS", "APOA1", "APOB", "ALB", "TFRC",
    "PTPRC", "CD34", "CD14", "ITGAM", "CD19", "HLA-DRA", "FN1", "TGFBI", "THBS1", "VIM",
)  # fmt: skip
#: miRNA families frequent in MSC-EV cargo profiles, kept so that common names resolve offline.
COMMON_MIRNA_STEMS = {
    *(f"let-7{x}" for x in "abcdefgi"),
    *(
        f"miR-{n}"
        for n in (
            "1",
            "9",
            "10a",
            "10b",
            "15a",
            "15b",
            "16",
            "17",
            "18a",
            "18b",
            "19a",
            "19b",
            "20a",
            "20b",
            "21",
            "22",
            "23a",
            "23b",
            "24",
            "25",
            "26a",
            "27a",
            "27b",
            "29a",
            "29b",
            "29c",
            "30a",
            "30c",
            "30d",
            "31",
            "34a",
            "92a",
            "93",
            "99a",
            "100",
            "103a",
            "106a",
            "106b",
            "122",
            "125a",
            "125b",
            "126",
            "130a",
            "133a",
            "141",
            "143",
            "145",
            "146a",
            "146b",
            "148a",
            "150",
            "155",
            "181a",
            "191",
            "199a",
            "199b",
            "200a",
            "200b",
            "200c",
            "210",
            "214",
            "221",
            "222",
            "223",
            "320a",
            "363",
            "375",
            "423",
            "451a",
            "486",
            "1246",
        )
    ),
}


def used_curies() -> set[str]:
    found: set[str] = set()
    vocab = list((DATA / "vocab").glob("*.yaml")) + list((DATA / "vocab").glob("*.sssom.tsv"))
    for path in list((DATA / "curated").rglob("*.yaml")) + vocab:
        found |= set(CURIE.findall(path.read_text(encoding="utf-8")))
    return found


def _disease_closure(identity: DiseaseIdentity, curies: set[str]) -> set[str]:
    """Every member of the identities of ``curies`` and of all identities above them."""
    roots = {identity.canonical(c) for c in curies if c in identity}
    for root in list(roots):
        roots |= set(identity.ancestors(root))
    return {member for root in roots for member in identity.members(root)}


def _mirna_family(lexicon: Lexicon, used: set[str]) -> set[str]:
    stems = {stem.lower() for stem in COMMON_MIRNA_STEMS}
    for curie in used:
        entry = lexicon.get(curie)
        if entry and entry.kind == EntityKind.MIRNA:
            parsed = parse_mirna_name(entry.label)
            if parsed:
                stems.add(parsed.stem.lower())
    keep = set()
    for entry in lexicon.of_kind(EntityKind.MIRNA):
        parsed = parse_mirna_name(entry.label)
        stem = parsed.stem.lower() if parsed else ""
        paralog_free = re.sub(r"-\d$", "", stem)
        if parsed and {stem, paralog_free} & stems and entry.label[:3] in {"hsa", "mmu", "rno"}:
            keep.add(entry.curie)
    return keep


def _genes_by_symbol(lexicon: Lexicon, symbols: tuple[str, ...]) -> set[str]:
    """The HGNC CURIEs of the genes with these approved symbols; an unknown symbol stops."""
    by_label = {
        e.label: e.curie for e in lexicon.of_kind(EntityKind.GENE) if e.curie.startswith("hgnc:")
    }
    unknown = [symbol for symbol in symbols if symbol not in by_label]
    if unknown:
        raise SystemExit(f"not HGNC symbols in the reference data: {', '.join(unknown)}")
    return {by_label[symbol] for symbol in symbols}


def _with_equivalent_names(full: Lexicon, entry: LexiconEntry) -> LexiconEntry:
    """A disease entry plus the names of the MeSH/MONDO terms it cross-references."""
    if entry.kind != EntityKind.DISEASE:
        return entry
    names = list(entry.synonyms)
    for xref in entry.xrefs:
        other = full.get(xref)
        if other is not None and other.kind == EntityKind.DISEASE:
            names += [other.label, *other.synonyms[:5]]
    unique = tuple(n for n in dict.fromkeys(names) if n.casefold() != entry.label.casefold())
    return LexiconEntry(entry.curie, entry.kind, entry.label, unique, entry.xrefs, entry.attributes)


def _row(entry: LexiconEntry, keep: set[str], identity: DiseaseIdentity) -> list[str]:
    attributes = [
        f"{key}={value}"
        for key, value in entry.attributes
        if key in {"species", "previous", "mouse", "rat"}
        or (key == "parent" and value in keep)
        or (key == "tree" and entry.curie.startswith("mesh:"))  # MeSH parents, as at run time
    ]
    if entry.kind == EntityKind.DISEASE and entry.curie in identity:
        canonical = identity.canonical(entry.curie)
        if canonical != entry.curie:
            attributes.append(f"canonical={canonical}")
    return [
        entry.curie,
        entry.kind.value,
        entry.label,
        "|".join(s.replace("|", "/") for s in entry.synonyms[:_MAX_SYNONYMS]),
        "|".join(entry.xrefs[:10]),
        "|".join(attributes),
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--data-dir", type=Path, default=ROOT.parent / "shared" / "data")
    parser.add_argument("--output", type=Path, default=DATA / "vocab" / "lexicon.tsv")
    args = parser.parse_args()
    full = build_full_lexicon(args.data_dir, progress=lambda m: print(m, file=sys.stderr))
    used = used_curies()
    protein_genes = {
        row["hgnc"] for row in yaml.safe_load((DATA / "vocab" / "protein_names.yaml").read_text())
    }
    keep = {c for c in used | protein_genes if c in full}
    keep |= _genes_by_symbol(full, COMMON_EV_PROTEINS)
    # the shipped names and local terms take part in the identities, as they do at run time
    names = compact_lexicon()
    full.add_all(e for e in names.entries.values() if e.kind == EntityKind.DISEASE)
    identity = DiseaseIdentity(full, curated_disease_mappings())
    local = {c for c in names.entries if c.startswith("evkg.disease:")}
    keep |= {c for c in _disease_closure(identity, keep | local) if c in full}
    keep -= {c for c in keep if c.startswith("evkg.")}  # defined by the terms files
    keep |= _mirna_family(full, keep)
    missing = sorted(c for c in used if c not in full and not c.startswith(("chebi:", "ncbigene:")))
    with args.output.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, delimiter="\t", lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
        writer.writerow(LEXICON_TSV_COLUMNS)
        for curie in sorted(keep):
            entry = _with_equivalent_names(full, full.entries[curie])
            writer.writerow(_row(entry, keep, identity))
    print(f"wrote {len(keep)} entries to {args.output}", file=sys.stderr)
    if missing:
        print(f"not found in the reference data: {', '.join(missing)}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
