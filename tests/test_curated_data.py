"""Integrity of the shipped curated knowledge, record by record (after bioregistry's
``tests/test_data.py``): schema, identifiers, citations, duplicates, canonical order, verbatim
quotes, and completeness against the founding review."""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from pathlib import Path

import pytest

from evkg.api import build_curated_bundle
from evkg.api.knowledge import claim_curies
from evkg.model import CuratedRecord, EntityKind, ErratumKind, Predicate
from evkg.recordfiles import RecordFileError, read_records
from evkg.sources.curated import CuratedSource, read_source, to_statements
from evkg.sources.curated.canonical import canonical_files, canonical_text
from evkg.vocab import compact_lexicon

from .conftest import REPO

DATA = REPO / "src" / "evkg" / "data"


@pytest.fixture(scope="module")
def source() -> CuratedSource:
    return read_source("zhang2024")


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", text.replace("\xa0", " ")).strip()


def _numbers(citation: str) -> set[int]:
    found: set[int] = set()
    for part in citation.split(","):
        low, _, high = part.partition("-")
        found |= set(range(int(low), int(high or low) + 1))
    return found


# -- schema and identifiers --------------------------------------------------------------


def test_every_file_is_schema_valid(source: CuratedSource) -> None:
    # read_source validates every record; make sure it read all claim files
    files = {located.path.name for located in source.records}
    assert files == {p.name for p in source.directory.glob("claims_*.yaml")}
    assert len(source.records) > 200


def test_reference_list_is_complete(source: CuratedSource) -> None:
    numbers = sorted(r.record.review_number for r in source.references if r.record.review_number)
    assert numbers == list(range(1, 140)), "all 139 printed references, each once"
    assert source.document.doi == "10.20517/evcna.2023.47"
    for located in source.references:
        record = located.record
        assert record.authors
        assert record.title
        assert record.journal
        assert record.year


def test_every_identifier_resolves_in_the_shipped_lexicon(source: CuratedSource) -> None:
    lexicon = compact_lexicon()
    references = {r.record.id for r in source.references}
    missing = defaultdict(list)
    for located in source.records:
        record = located.record
        for curie in claim_curies(record.claim()):
            if curie not in lexicon:
                missing[curie].append(f"{located.path.name}:{located.line}")
        for evidence in record.evidence:
            if evidence.reference not in references:
                missing[evidence.reference].append(f"{located.path.name}:{located.line}")
    assert not missing, f"unresolved identifiers: {dict(missing)}"


def test_vocabulary_xrefs_resolve() -> None:
    lexicon = compact_lexicon()
    for entry in lexicon.entries.values():
        if entry.curie.startswith("evkg."):
            for xref in entry.xrefs:
                assert xref in lexicon, f"{entry.curie} xref {xref} is not in the lexicon"


def test_entity_kinds_fit_predicates(source: CuratedSource) -> None:
    lexicon = compact_lexicon()
    disease_objects = {Predicate.TREATS, Predicate.WORSENS, Predicate.NO_EFFECT_ON}
    problems = []
    for located in source.records:
        claim = located.record.claim()
        subject, obj = lexicon.get(claim.subject), lexicon.get(claim.object)
        assert subject is not None
        assert obj is not None
        if claim.predicate in disease_objects and obj.kind != EntityKind.DISEASE:
            problems.append(
                f"{located.record.id}: {claim.predicate.value} object is {obj.kind.value}"
            )
        if claim.predicate == Predicate.CARRIES and subject.kind != EntityKind.EV_SOURCE:
            problems.append(f"{located.record.id}: carries subject is {subject.kind.value}")
        if (
            claim.predicate in {Predicate.REGULATES_DOWN, Predicate.REGULATES_UP}
            and obj.kind != EntityKind.GENE
        ):
            problems.append(f"{located.record.id}: regulates object is {obj.kind.value}")
        if claim.context.disease and lexicon.get(claim.context.disease).kind != EntityKind.DISEASE:  # type: ignore[union-attr]
            problems.append(f"{located.record.id}: context.disease is not a disease")
    assert not problems, "\n".join(problems)


# -- citations, duplicates, order -------------------------------------------------------------


def test_every_claim_cites_a_primary_reference(source: CuratedSource) -> None:
    for located in source.records:
        assert located.record.evidence, located.record.id
        for evidence in located.record.evidence:
            assert evidence.reference.startswith("evkg.ref:")


def test_no_duplicate_ids_or_claims(source: CuratedSource) -> None:
    ids = Counter(r.record.id for r in source.records)
    assert [i for i, n in ids.items() if n > 1] == []
    hashes: dict[str, str] = {}
    duplicates = []
    for located in source.records:
        claim_hash = located.record.claim().hash
        if claim_hash in hashes:
            duplicates.append(f"{hashes[claim_hash]} = {located.record.id}")
        hashes[claim_hash] = located.record.id
    assert not duplicates, (
        "merge these into one record with several evidence entries: " + "; ".join(duplicates)
    )


def test_no_duplicate_vocabulary_terms() -> None:
    seen: dict[str, str] = {}
    for path in sorted((DATA / "vocab").glob("terms*.yaml")):
        for _, entity in read_records(path, __import__("evkg.model", fromlist=["Entity"]).Entity):
            assert entity.id not in seen, f"{entity.id} in {path.name} and {seen[entity.id]}"
            seen[entity.id] = path.name


@pytest.mark.parametrize("path", list(canonical_files(DATA)), ids=lambda p: p.name)
def test_files_are_in_canonical_form(path: Path) -> None:
    assert path.read_text(encoding="utf-8") == canonical_text(path), (
        f"{path.name} is not canonical: run `evkg curate lint --fix`"
    )


def test_chains_share_context(source: CuratedSource) -> None:
    by_chain = defaultdict(set)
    for located in source.records:
        record = located.record
        if record.chain:
            context = record.context
            by_chain[record.chain].add((context.disease, context.ev_source, context.species))
    mixed = {chain: contexts for chain, contexts in by_chain.items() if len(contexts) > 1}
    assert not mixed, f"chains whose claims disagree on disease/source/species: {mixed}"


# -- faithfulness to the founding review --------------------------------------------------


def test_quotes_are_verbatim(source: CuratedSource, review_text: str) -> None:
    text = _norm(review_text)
    bad = [
        f"{located.record.id}: {evidence.quote[:60]!r}"
        for located in source.records
        for evidence in located.record.evidence
        if _norm(evidence.quote) not in text
    ]
    bad += [
        f"background {b.record.printed_citation}: {b.record.quote[:60]!r}"
        for b in source.background
        if _norm(b.record.quote) not in text
    ]
    assert not bad, "\n".join(bad)


def test_every_printed_citation_is_accounted_for(source: CuratedSource, review_text: str) -> None:
    body = review_text.split("\nREFERENCES\n", 1)[0]
    printed: set[int] = set()
    for group in re.findall(r"\[(\d+(?:\s*[,-]\s*\d+)*)\]", body):
        printed |= _numbers(group.replace(" ", ""))
    covered: set[int] = set()
    for located in source.records:
        for evidence in located.record.evidence:
            if evidence.printed_citation:
                covered |= _numbers(evidence.printed_citation)
    for located in source.background:
        covered |= _numbers(located.record.printed_citation)
    assert printed - covered == set(), "printed citations with no claim or background record"
    assert printed == set(range(1, 140))


def test_table1_rows_are_all_mapped(source: CuratedSource, review_text: str) -> None:
    rows = sorted(r.record.row for r in source.table_rows if r.record.table == "Table 1")
    assert rows == list(range(1, 24)), "Table 1 has 23 rows"
    records = {r.record.id: r.record for r in source.records}
    for located in source.table_rows:
        row = located.record
        for record_id in row.records:
            assert record_id in records, f"row {row.row} maps to unknown record {record_id}"
        quotes = [e.quote for rid in row.records for e in records[rid].evidence]
        assert any(
            row.effect.split()[0] in q and f"[{row.printed_citation}]" in q for q in quotes
        ), f"Table 1 row {row.row}: no mapped record quotes the row as printed"


def test_table1_citation_shifts_are_recorded_as_errata(source: CuratedSource) -> None:
    """Rows whose printed number differs from the paper they describe carry an erratum."""
    numbers = {r.record.id: r.record.review_number for r in source.references}
    records = {r.record.id: r.record for r in source.records}
    for located in source.table_rows:
        row = located.record
        for record_id in row.records:
            record = records[record_id]
            for evidence in record.evidence:
                if (
                    evidence.printed_citation != row.printed_citation
                    or f"[{row.printed_citation}]" not in evidence.quote
                ):
                    continue
                cited = numbers.get(evidence.reference)
                if cited is not None and cited not in _numbers(row.printed_citation):
                    assert any(e.kind == ErratumKind.CITATION_MISMATCH for e in record.errata), (
                        f"{record_id}: printed [{row.printed_citation}] but attributed to [{cited}]"
                    )


def test_known_errors_of_the_review_are_recorded(source: CuratedSource) -> None:
    printed = {e.printed.lower() for r in source.records for e in r.record.errata}
    joined = " | ".join(printed)
    for garbled in (
        "concentroro",
        "1a-65p",
        "scorch death",
        "lignocaine",
        "evsomes",
        "cyclic rnatn4",
    ):
        assert garbled in joined, f"no erratum records the printed text {garbled!r}"


def test_negative_and_contested_findings_are_first_class(source: CuratedSource) -> None:
    predicates = Counter(r.record.predicate for r in source.records)
    outcomes = Counter(r.record.claim().outcome for r in source.records)
    assert predicates[Predicate.WORSENS] >= 2  # aged-donor miR-128-3p, MMP1-rich EVs
    assert predicates[Predicate.NO_EFFECT_ON] >= 2  # MSC-CM EVs in CKD, CD73 in aGVHD
    assert outcomes["contested"] >= 1  # miRNA delivery by EVs


def test_statements_turn_into_claims_with_evidence(source: CuratedSource) -> None:
    statements = to_statements(source)
    assert len(statements) >= len(source.records)
    document = source.document.id
    for statement in statements:
        assert statement.evidence.claim_hash == statement.claim.hash
        if statement.evidence.reference != document:
            assert statement.evidence.quoted_from == document


def test_bundle_has_an_entity_for_every_identifier() -> None:
    bundle = build_curated_bundle()
    entity_ids = {e.id for e in bundle.entities}
    for assembled in bundle.assembly.claims.values():
        assert set(claim_curies(assembled.claim)) <= entity_ids


# -- bad input ----------------------------------------------------------------------------------


def test_malformed_curated_file_names_file_line_and_field(tmp_path: Path) -> None:
    bad = tmp_path / "claims_bad.yaml"
    bad.write_text(
        "- id: zh24.test.good\n  subject: evkg.source:msc\n  predicate: treats\n"
        "  object: doid:162\n"
        "  evidence:\n  - reference: evkg.ref:x2020-j-1\n    quote: a quote long enough\n"
        "    section: S\n    level: in_vivo\n"
        "- id: zh24.test.bad\n  subject: evkg.source:msc\n  predicate: cures\n  object: doid:162\n"
        "  evidence: []\n",
        encoding="utf-8",
    )
    with pytest.raises(RecordFileError) as raised:
        read_records(bad, CuratedRecord)
    message = str(raised.value)
    assert "claims_bad.yaml" in message
    assert "line 12," in message
    assert "predicate" in message


def test_broken_yaml_names_the_line(tmp_path: Path) -> None:
    bad = tmp_path / "claims_broken.yaml"
    bad.write_text("- id: a\n  subject: [unclosed\n", encoding="utf-8")
    with pytest.raises(RecordFileError, match=r"claims_broken.yaml, line \d+: not valid YAML"):
        read_records(bad, CuratedRecord)


def test_non_utf8_file_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "claims_latin1.yaml"
    bad.write_bytes("- id: caf\xe9\n".encode("latin-1"))
    with pytest.raises(RecordFileError, match="not UTF-8"):
        read_records(bad, CuratedRecord)
