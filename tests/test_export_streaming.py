"""Exports stream: claims are read in batches through one cursor, labels and references are
looked up once per batch, and the files equal what the whole-store path wrote."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Collection
from pathlib import Path

import networkx as nx
import pytest
from click.testing import CliRunner

from evkg.api import Knowledge
from evkg.cli import cli
from evkg.export import ClaimStream, GraphNode, write_graphml, write_jsonl, write_kgx, write_tsv
from evkg.store import ClaimFilter, SqlStore

RA = "doid:7148"


def _url(store: SqlStore) -> str:
    return str(store.url)


def _export(store: SqlStore, *args: str) -> str:
    result = CliRunner().invoke(
        cli, ["--database-url", _url(store), "export", *args], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    return result.stdout


def test_batches_concatenate_to_the_ranked_claims(curated_store: SqlStore) -> None:
    whole = [c.hash for c in curated_store.claims(ClaimFilter())]
    batches = list(curated_store.claim_batches(ClaimFilter(), batch_size=7))
    assert len(whole) > 14
    assert all(len(batch) <= 7 for batch in batches)
    assert [c.hash for batch in batches for c in batch] == whole
    streamed = [c for batch in batches for c in batch]
    assert streamed == curated_store.claims(ClaimFilter())  # evidence and chains too


def test_batches_follow_the_disease_filter(curated_store: SqlStore) -> None:
    where = ClaimFilter(disease=RA)
    expected = [c.hash for c in curated_store.claims(where)]
    assert expected
    got = [c.hash for b in curated_store.claim_batches(where, batch_size=3) for c in b]
    assert got == expected


def test_labels_and_references_are_looked_up_once_per_batch(curated_store: SqlStore) -> None:
    calls: list[int] = []

    def labels_of(curies: Collection[str]) -> dict[str, str]:
        calls.append(len(curies))
        return curated_store.labels_of(curies)

    reference_calls: list[int] = []

    def references_of(curies: Collection[str]) -> dict[str, object]:
        reference_calls.append(len(curies))
        return dict(curated_store.references_of(curies))

    done: list[int] = []
    stream = ClaimStream(
        curated_store.claim_batches(ClaimFilter(), batch_size=10),
        labels_of,
        lambda curie: f"fallback {curie}",
        references_of=references_of,  # type: ignore[arg-type]
        on_batch=done.append,
    )
    seen = 0
    for stored in stream:
        seen += 1
        entity = curated_store.entity(stored.claim.subject)
        assert stream.label(stored.claim.subject) == (
            entity.label if entity else f"fallback {stored.claim.subject}"
        )
        for reference in stored.references:
            assert stream.reference(reference) == curated_store.reference(reference)
    n_batches = -(-seen // 10)
    assert len(calls) == len(reference_calls) == len(done) == n_batches
    assert sum(done) == seen == stream.count
    assert stream.label("nothing:stored") == "fallback nothing:stored"


def test_cli_jsonl_and_tsv_equal_the_whole_store_path(
    curated_store: SqlStore, curated_knowledge: Knowledge, tmp_path: Path
) -> None:
    claims = curated_store.claims(ClaimFilter())
    for fmt, writer in (("jsonl", write_jsonl), ("tsv", write_tsv)):
        expected = io.StringIO()
        writer(claims, expected, curated_knowledge.label)
        out = tmp_path / f"claims.{fmt}"
        _export(curated_store, "--format", fmt, "-o", str(out))
        assert out.read_text(encoding="utf-8") == expected.getvalue(), fmt
    first = json.loads((tmp_path / "claims.jsonl").read_text(encoding="utf-8").splitlines()[0])
    assert first["subject_label"]
    assert first["evidence"]


def test_cli_kgx_equals_the_whole_store_path(curated_store: SqlStore, tmp_path: Path) -> None:
    claims = curated_store.claims(ClaimFilter(disease=RA))
    used = {c for s in claims for c in (s.claim.subject, s.claim.object)}
    entities = sorted((e for e in curated_store.entities() if e.id in used), key=lambda e: e.id)
    references = {r.id: r for r in curated_store.references_all()}
    expected = write_kgx(claims, entities, tmp_path / "expected", references)
    _export(curated_store, "--format", "kgx", "-o", str(tmp_path / "got"), "--disease", RA)
    for name in ("nodes.tsv", "edges.tsv", "prefixes.json"):
        got = (tmp_path / "got" / name).read_text(encoding="utf-8")
        assert got == (expected.nodes.parent / name).read_text(encoding="utf-8"), name
    with (tmp_path / "got" / "edges.tsv").open(encoding="utf-8") as handle:
        assert len(list(csv.DictReader(handle, delimiter="\t"))) == len(claims)


def test_claim_ends_name_every_end_once_with_unknown_ones(curated_store: SqlStore) -> None:
    claims = curated_store.claims(ClaimFilter(disease=RA))
    ends = list(curated_store.claim_ends(ClaimFilter(disease=RA)))
    assert [e.curie for e in ends] == sorted(
        {c for s in claims for c in (s.claim.subject, s.claim.object)}
    )
    for end in ends:
        assert end.entity == curated_store.entity(end.curie)


def test_graphml_streams_and_networkx_reads_it(curated_store: SqlStore, tmp_path: Path) -> None:
    path = tmp_path / "evkg.graphml"
    _export(curated_store, "--format", "graphml", "-o", str(path), "--disease", RA)
    claims = curated_store.claims(ClaimFilter(disease=RA))
    graph = nx.read_graphml(path)
    assert graph.number_of_edges() == len(claims)
    ends = {c for s in claims for c in (s.claim.subject, s.claim.object)}
    assert set(graph.nodes) == ends
    stored = claims[0]
    edges = graph.get_edge_data(stored.claim.subject, stored.claim.object)
    data = edges[stored.hash] if graph.is_multigraph() else edges
    assert data["predicate"] == stored.claim.predicate.value
    assert data["references"] == "|".join(stored.references)
    entity = curated_store.entity(stored.claim.subject)
    assert entity is not None
    assert graph.nodes[stored.claim.subject]["label"] == entity.label


def test_graphml_escapes_text_and_names_ends_missing_from_the_nodes(
    curated_store: SqlStore, tmp_path: Path
) -> None:
    claims = curated_store.claims(ClaimFilter(disease=RA))[:2]
    first = claims[0].claim
    path = tmp_path / "g.graphml"
    n_nodes, n_edges = write_graphml(
        claims, [GraphNode(first.subject, 'a <"quoted"> & label', "mirna")], path
    )
    graph = nx.read_graphml(path)
    assert n_edges == 2 == graph.number_of_edges()
    assert n_nodes == graph.number_of_nodes()
    assert graph.nodes[first.subject]["label"] == 'a <"quoted"> & label'
    assert graph.nodes[first.object]["kind"] == "unknown"


@pytest.mark.parametrize("fmt", ["bibtex", "ris", "csljson"])
def test_citations_stream_the_cited_references(curated_store: SqlStore, fmt: str) -> None:
    from evkg.export import citations

    claims = curated_store.claims(ClaimFilter(disease=RA))
    cited = sorted({r for s in claims for r in s.references})
    references = {r.id: r for r in curated_store.references_all()}
    expected = io.StringIO()
    writer = {"bibtex": citations.write_bibtex, "ris": citations.write_ris}.get(
        fmt, citations.write_csljson
    )
    writer([references[r] for r in cited if r in references], expected)
    assert [r.id for r in curated_store.cited_references(ClaimFilter(disease=RA))] == [
        r for r in cited if r in references
    ]
    assert _export(curated_store, "--format", fmt, "--disease", RA) == expected.getvalue()


def test_export_never_reads_the_whole_store_at_once(
    curated_store: SqlStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def whole(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("the export read every claim at once")

    monkeypatch.setattr(SqlStore, "claims", whole)
    monkeypatch.setattr(SqlStore, "references_all", whole)
    monkeypatch.setattr(SqlStore, "entities", whole)
    for fmt in ("jsonl", "tsv", "graphml", "ris"):
        _export(curated_store, "--format", fmt, "-o", str(tmp_path / f"out.{fmt}"))
    _export(curated_store, "--format", "kgx", "-o", str(tmp_path / "kgx"))
    assert (tmp_path / "kgx" / "edges.tsv").stat().st_size > 0


def test_biolink_translations_are_kept_bounded_and_unchanged() -> None:
    from evkg.export.biolink import TRANSLATIONS_KEPT, BiolinkCuries, UnknownPrefixError

    names = BiolinkCuries.load()
    first = [names.curie(c) for c in ("doid:7148", "hgnc:7795", "pubmed:1", "doid:7148")]
    assert first == ["DOID:7148", "HGNC:7795", "PMID:1", "DOID:7148"]
    fresh = BiolinkCuries.load()
    assert [fresh.curie(c) for c in ("hgnc:7795", "doid:7148")] == ["HGNC:7795", "DOID:7148"]
    info = names._translated.cache_info()
    assert info.maxsize == TRANSLATIONS_KEPT
    assert info.hits == 1
    names.curie("evkg:0123abcd")  # evkg's own ids (one per edge) stay out of the cache
    assert names._translated.cache_info().currsize == info.currsize
    assert names.prefixes()["DOID"].startswith("http")
    with pytest.raises(UnknownPrefixError):
        names.curie("notaprefix:1")
    with pytest.raises(UnknownPrefixError):  # failures are not kept as answers
        names.curie("notaprefix:1")


def test_a_streaming_read_leaves_the_pooled_connection_as_it_was(tmp_path: Path) -> None:
    from evkg.store._engine import SQLITE_CACHE_KIB, SQLITE_MMAP_BYTES

    store = SqlStore(f"sqlite:///{tmp_path / 'one.sqlite'}")
    store.initialise()
    store.engine.pool.dispose()
    seen: list[tuple[int, int]] = []

    def settings() -> tuple[int, int]:
        with store.engine.connect() as connection:
            mmap = connection.exec_driver_sql("PRAGMA mmap_size").scalar()
            cache = connection.exec_driver_sql("PRAGMA cache_size").scalar()
            return int(mmap or 0), int(cache or 0)

    for _ in store.claim_batches(ClaimFilter()):
        pass
    seen.append(settings())
    list(store.claim_ends(ClaimFilter()))
    list(store.cited_references(ClaimFilter()))
    seen.append(settings())
    assert seen == [(SQLITE_MMAP_BYTES, -SQLITE_CACHE_KIB)] * 2
    store.dispose()


def test_rows_equal_the_stored_claims_they_stand_for(curated_store: SqlStore) -> None:
    """What the TSV, KGX and GraphML exports read (rows, no models) is what the whole
    claims reduce to, batch by batch, for every curated claim and under a filter."""
    from evkg.store import ClaimRow

    for where in (ClaimFilter(disease=RA), ClaimFilter()):
        rows = [r for b in curated_store.claim_row_batches(where, batch_size=7) for r in b]
        assert rows == [ClaimRow.of(stored) for stored in curated_store.claims(where)]
    assert any(row.modifications for row in rows)  # the whole store has every kind of cell
    assert any(len(row.references) > 1 for row in rows)
    assert any(row.chains for row in rows)
