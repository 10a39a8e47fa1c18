"""Search bounded in the vocabulary's size and ranked by relevance and claims
(``evkg.vocab.name_search``, ``evkg.api._ranked_search``)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from evkg.api import build_curated_bundle
from evkg.api.service import Knowledge
from evkg.assemble import assemble
from evkg.model import Claim, EntityKind, Evidence, EvidenceLevel, EvidenceMethod, Reference
from evkg.store import LoadBundle, SqlStore
from evkg.vocab import Lexicon, LexiconEntry, Vocabulary, load_vocabulary
from evkg.vocab.name_search import NameIndex


@pytest.fixture(scope="module")
def curated(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Knowledge]:
    store = SqlStore(f"sqlite:///{tmp_path_factory.mktemp('search') / 'evkg.sqlite'}")
    store.initialise()
    store.load(build_curated_bundle())
    yield Knowledge(store, load_vocabulary())
    store.dispose()


def _lexicon(*entries: tuple[str, EntityKind, str]) -> Lexicon:
    return Lexicon.from_entries(LexiconEntry(c, k, label) for c, k, label in entries)


# -- the index ------------------------------------------------------------------------------
def test_index_orders_exact_then_prefix_then_words() -> None:
    index = NameIndex(
        _lexicon(
            ("x:1", EntityKind.DISEASE, "chronic kidney disease"),
            ("x:2", EntityKind.DISEASE, "kidney disease"),
            ("x:3", EntityKind.TISSUE, "kidney"),
        )
    )
    hits = index.search("kidney")
    assert [(h.key, h.how) for h in hits] == [
        ("kidney", "exact"),
        ("kidneydisease", "prefix"),
        ("chronickidneydisease", "words"),
    ]


def test_index_needs_every_word_as_a_word() -> None:
    index = NameIndex(_lexicon(("x:1", EntityKind.DISEASE, "rheumatoid arthritis susceptibility")))
    assert [h.how for h in index.search("rheumatoid arthritis")] == ["prefix"]
    # "arthritiss" is no word of the name, although the folded name starts with it
    hits = index.search("rheumatoid arthritiss")
    assert [h.how for h in hits] == ["corrected"]
    assert hits[0].relevance < index.search("rheumatoid arthritis")[0].relevance


def test_index_corrects_a_misspelt_word_and_filters_kinds() -> None:
    index = NameIndex(
        _lexicon(
            ("x:1", EntityKind.DISEASE, "kidney injury"),
            ("x:2", EntityKind.MODEL, "kidney injury model"),
        )
    )
    assert [h.key for h in index.search("kidney injry", [EntityKind.DISEASE])] == ["kidneyinjury"]
    assert index.search("zzzzqqq") == []


def test_index_payload_round_trips() -> None:
    index = NameIndex(_lexicon(("x:1", EntityKind.GENE, "NF-kB p65")))
    again = NameIndex.from_payload(index.to_payload())
    assert again is not None
    assert again.search("nf kb") == index.search("nf kb")
    assert NameIndex.from_payload({"format": -1}) is None


def test_a_common_word_reads_a_bounded_number_of_names() -> None:
    many = [(f"x:{i}", EntityKind.GENE, f"protein {i}") for i in range(12_000)]
    index = NameIndex(_lexicon(*many, ("x:short", EntityKind.GENE, "protein")))
    hits = index.search("protein", limit=5)
    assert hits[0].key == "protein"
    assert len(hits) == 5
    assert all(len(h.key) <= len("protein9") for h in hits)  # the shortest names first


def test_vocabulary_caches_its_index(tmp_path: Path) -> None:
    lexicon = _lexicon(("x:1", EntityKind.DISEASE, "kidney injury"))
    first = Vocabulary(lexicon, "test-fingerprint", cache_dir=tmp_path)
    assert first.search("kidney")[0].curie == "x:1"
    assert list(tmp_path.glob("names-*.pickle"))
    second = Vocabulary(lexicon, "test-fingerprint", cache_dir=tmp_path)
    assert second.names.keys == first.names.keys


# -- ranking with claims --------------------------------------------------------------------
def test_kidney_returns_kidney_diseases_before_cell_lines(curated: Knowledge) -> None:
    hits = curated.search("kidney", limit=10)
    kinds = [match.kind for match, _ in hits]
    assert kinds[0] == EntityKind.DISEASE
    sources = [i for i, kind in enumerate(kinds) if kind == EntityKind.EV_SOURCE]
    diseases = [i for i, kind in enumerate(kinds) if kind == EntityKind.DISEASE]
    assert not sources or min(sources) > min(diseases)
    assert all("HEK293" not in match.label for match, _ in hits[:5])


def test_exact_name_first_and_shown_once(curated: Knowledge) -> None:
    hits = curated.search("rheumatoid arthritis", limit=10)
    first, n_claims = hits[0]
    assert first.curie == "doid:7148"
    assert n_claims > 0
    labels = [match.label.casefold() for match, _ in hits]
    assert labels.count("rheumatoid arthritis") == 1


def test_claim_counts_are_the_claims_naming_the_entity(curated: Knowledge) -> None:
    hits = {m.curie: n for m, n in curated.search("miR-150-5p", limit=5)}
    rows = curated.store.execute_sql(
        "SELECT count(*) FROM claims WHERE n_evidence > 0 AND 'mirbase.mature:MIMAT0000451' IN "
        "(subject, object, disease, ev_source, route, model, species)"
    )
    assert hits["mirbase.mature:MIMAT0000451"] == rows[0][0] > 0


def test_many_claims_before_none_at_equal_relevance(tmp_path: Path) -> None:
    store = SqlStore(f"sqlite:///{tmp_path / 'evkg.sqlite'}")
    store.initialise()
    lexicon = _lexicon(
        ("evkg.disease:alpha", EntityKind.DISEASE, "synthetic disease alpha"),
        ("evkg.disease:gamma", EntityKind.DISEASE, "synthetic disease gamma"),
    )
    reference = Reference(id="evkg.ref:t1", authors=("A B",), title="T", journal="J", year=2020)
    claim = Claim(subject="evkg.cargo:x", predicate="treats", object="evkg.disease:gamma")
    evidence = Evidence(
        claim_hash=claim.hash, reference=reference.id, quote="It treated it.",
        method=EvidenceMethod.CURATED, level=EvidenceLevel.IN_VIVO, confidence=0.9,
    )  # fmt: skip
    store.load(
        LoadBundle("t", "1", references=[reference], assembly=assemble([(claim, evidence, None)]))
    )
    knowledge = Knowledge(store, Vocabulary(lexicon))
    ranked = [(m.curie, n) for m, n in knowledge.search("synthetic disease", limit=5)]
    assert ranked == [("evkg.disease:gamma", 1), ("evkg.disease:alpha", 0)]
    store.dispose()
