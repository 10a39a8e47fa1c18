"""Exports keep their bytes: every format written from a small fixture store (hostile text,
labels from the store and from the vocabulary, references with and without PubMed ids,
rejected evidence, chains, mixed curation methods) equals the files in
``tests/fixtures/export/``, which the model-based writers (before exports were written
straight from SQL rows) produced. ``EVKG_WRITE_EXPORT_FIXTURES=1`` rewrites them."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from click.testing import CliRunner

from evkg.api import curated_fingerprint
from evkg.assemble import assemble
from evkg.cli import cli
from evkg.export import write_graphml, write_jsonl, write_kgx, write_tsv
from evkg.model import (
    Claim,
    Context,
    Entity,
    EntityKind,
    Evidence,
    EvidenceLevel,
    EvidenceMethod,
    Reference,
)
from evkg.store import ClaimFilter, LoadBundle, SqlStore

FIXTURES = Path(__file__).parent / "fixtures" / "export"
REWRITE = os.environ.get("EVKG_WRITE_EXPORT_FIXTURES") == "1"

MIR = "mirbase.mature:MIMAT0000451"  # stored, with a hostile label
MIR146 = "mirbase.mature:MIMAT0000449"  # not stored: labelled by the vocabulary
GENE, GENE2 = "hgnc:7160", "hgnc:12680"
DISEASE, DISEASE2 = "doid:7148", "doid:1287"
SOURCE = "evkg.source:uc-msc"


def _entities() -> list[Entity]:
    return [
        Entity(id=MIR, kind=EntityKind.MIRNA, label='=hsa-miR-150 <5p> & "q"',
               synonyms=("miR-150", "mir\t150"), xrefs=("mirbase:MI0000479",)),
        Entity(id=GENE, kind=EntityKind.GENE, label="MMP14\tmatrix", xrefs=("ncbigene:4323",)),
        Entity(id=DISEASE, kind=EntityKind.DISEASE, label="rheumatoid arthritis",
               xrefs=("mesh:D001172", "icd10cm:M06.9")),
        Entity(id=SOURCE, kind=EntityKind.EV_SOURCE, label="umbilical cord MSC"),
    ]  # fmt: skip


def _references() -> list[Reference]:
    return [
        Reference(id="evkg.ref:a", authors=("A B",), title="T", journal="J", pmid="101"),
        Reference(id="evkg.ref:b", authors=("C D",), title="U", journal="J", doi="10.1000/x.1"),
        Reference(id="evkg.ref:c", authors=("E F",), title="V", journal="J", pmcid="PMC77"),
        Reference(id="evkg.ref:d", authors=("G H",), title="W & <y>", journal="J"),
    ]


CURATED, MINED = EvidenceMethod.CURATED, EvidenceMethod.EXTRACTED
IN_VIVO, IN_VITRO, CLINICAL = EvidenceLevel.IN_VIVO, EvidenceLevel.IN_VITRO, EvidenceLevel.CLINICAL


def _items() -> list[tuple[Claim, Evidence, str | None]]:
    full = Claim(
        subject=MIR, predicate="regulates_down", object=GENE,
        context=Context(disease=DISEASE, ev_source=SOURCE, donor_state="aged",
                        modifications=("evkg.mod:hypoxia", "evkg.mod:il1b"), cargo_type="miRNA",
                        model="evkg.model:cia", species="ncbitaxon:10090", route="evkg.route:iv",
                        dose="100 µg"),
    )  # fmt: skip
    treats = Claim(subject=MIR146, predicate="treats", object=DISEASE, outcome="beneficial")
    negative = Claim(subject=SOURCE, predicate="no_effect_on", object=DISEASE2, outcome="no_effect")
    carries = Claim(subject=SOURCE, predicate="carries", object=MIR)
    worsens = Claim(subject="evkg.cargo:unknown-x", predicate="worsens", object=DISEASE2,
                    outcome="detrimental", context=Context(disease=DISEASE2))  # fmt: skip
    # claim, reference, quote, method, level, confidence, chain (the last one is rejected)
    rows = [
        (full, "evkg.ref:a", "miR-150 <targets> MMP14 & more.", CURATED, IN_VIVO, 0.8, "chain-1"),
        (full, "evkg.ref:b", "Second\tquote\nwith a break.", MINED, IN_VITRO, 0.6, "chain-2"),
        (full, "evkg.ref:a", '=HYPERLINK("http://x")', CURATED, IN_VIVO, 0.8, "chain-1"),
        (
            treats,
            "evkg.ref:c",
            "It treated 'arthritis' \"well\".",
            CURATED,
            IN_VIVO,
            0.8,
            "chain-1",
        ),
        (treats, "pubmed:999", "-cmd|' /C calc'!A0", MINED, IN_VITRO, 0.5, None),
        (negative, "evkg.ref:d", "No effect was seen.", CURATED, CLINICAL, 0.9, None),
        (carries, "evkg.ref:b", "EVs carry miR-150.", MINED, IN_VITRO, 0.4, None),
        (worsens, "evkg.ref:d", "@SUM(1)", MINED, IN_VITRO, 0.3, None),
        (worsens, "evkg.ref:a", "Rejected later.", MINED, IN_VIVO, 0.7, None),
    ]
    return [
        (claim, Evidence(claim_hash=claim.hash, reference=reference, quote=quote, method=method,
                         level=level, confidence=confidence,
                         extractor="x 1" if method == MINED else None), chain)
        for claim, reference, quote, method, level, confidence, chain in rows
    ]  # fmt: skip


@pytest.fixture(scope="module")
def fixture_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[SqlStore]:
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('identity') / 'evkg.sqlite'}")
    store.initialise()
    items = _items()
    store.load(
        LoadBundle(
            # under the curated knowledge's name and fingerprint, so that the CLI takes the
            # store as current and loads nothing of the shipped knowledge into it
            "curated", curated_fingerprint(), entities=_entities(), references=_references(),
            assembly=assemble(items), parents=[(DISEASE2, "doid:4")],
        )
    )  # fmt: skip
    assert store.set_review_status(items[-1][1].hash, "rejected")
    yield store
    store.dispose()


def _export(store: SqlStore, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--database-url", str(store.url), "--no-progress", "export", *args],
        catch_exceptions=False,
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    return result.stdout


def _disease_args(disease: str | None) -> list[str]:
    return ["--disease", disease] if disease else []


def _check(name: str, written: bytes | str) -> None:
    data = written.encode("utf-8") if isinstance(written, str) else written
    path = FIXTURES / name
    if REWRITE:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    assert path.read_bytes() == data, name


@pytest.mark.parametrize("fmt", ["tsv", "jsonl", "graphml"])
@pytest.mark.parametrize("disease", [None, DISEASE])
def test_cli_file_exports_keep_their_bytes(
    fixture_store: SqlStore, tmp_path: Path, fmt: str, disease: str | None
) -> None:
    out = tmp_path / f"out.{fmt}"
    _export(fixture_store, "--format", fmt, "-o", str(out), *_disease_args(disease))
    suffix = "" if disease is None else "-disease"
    _check(f"claims{suffix}.{fmt}", out.read_bytes())


@pytest.mark.parametrize("disease", [None, DISEASE])
def test_cli_kgx_keeps_its_bytes(
    fixture_store: SqlStore, tmp_path: Path, disease: str | None
) -> None:
    _export(fixture_store, "--format", "kgx", "-o", str(tmp_path / "kgx"), *_disease_args(disease))
    suffix = "" if disease is None else "-disease"
    for name in ("nodes.tsv", "edges.tsv", "prefixes.json"):
        _check(f"kgx{suffix}-{name}", (tmp_path / "kgx" / name).read_bytes())


def test_writers_over_stored_claims_keep_their_bytes(
    fixture_store: SqlStore, tmp_path: Path
) -> None:
    """The web's path: writers given whole stored claims (``/api/export``, the claims TSV)."""
    from evkg.api import Knowledge
    from evkg.vocab import load_vocabulary

    knowledge = Knowledge(fixture_store, load_vocabulary())
    claims = fixture_store.claims(ClaimFilter())
    for fmt, writer in (("tsv", write_tsv), ("jsonl", write_jsonl)):
        out = io.StringIO()
        writer(claims, out, knowledge.label)
        _check(f"claims.{fmt}", out.getvalue())
    ends = sorted({c for s in claims for c in (s.claim.subject, s.claim.object)})
    entities = [e for e in (fixture_store.entity(c) for c in ends) if e is not None]
    write_graphml(claims, entities, tmp_path / "g.graphml")
    _check("stored.graphml", (tmp_path / "g.graphml").read_bytes())
    references = {r.id: r for r in fixture_store.references_all()}
    files = write_kgx(claims, entities, tmp_path / "kgx", references)
    for path in (files.nodes, files.edges, files.prefixes):
        _check(f"kgx-{path.name}", path.read_bytes())
