"""One identity per disease: merged vocabularies, roll-up, name resolution, nearest
evidence, and strategies that count studies as studies (issue: every question reaches all
the evidence)."""

from __future__ import annotations

from pathlib import Path

import pytest

from evkg.analysis.strategies import rank_strategies
from evkg.api import Knowledge, UnknownNameError
from evkg.api.diseases import disease_answer
from evkg.api.labels import Labels
from evkg.api.service import Knowledge as KnowledgeService
from evkg.model import EntityKind, Evidence, EvidenceLevel, EvidenceMethod
from evkg.model.records import Claim, Context
from evkg.store import ClaimFilter, SqlStore, StoredClaim
from evkg.vocab import load_vocabulary
from evkg.vocab.identity import DiseaseIdentity
from evkg.vocab.lexicon import Lexicon, LexiconEntry

#: The phrases of the issue's table, with the identity each must land on.
PHRASES = {
    "rheumatoid arthritis": "doid:7148",
    "RA": "doid:7148",
    "osteoarthritis": "doid:8398",
    "liver injury": "evkg.disease:liver-injury",
    "liver fibrosis": "doid:0061215",
    "COVID-19": "doid:0080600",
    "asthma": "doid:2841",
    "heart disease": "doid:114",
    "myocardial infarction": "doid:5844",
    "MI": "doid:5844",
    "kidney injury": "evkg.disease:kidney-injury",
    "acute kidney injury": "doid:3021",
    "AKI": "doid:3021",
    "sepsis": "mesh:D018805",
    "graft-versus-host disease": "doid:0081267",
    "GvHD": "doid:0081267",
    "stroke": "doid:0051061",
    "Alzheimer's disease": "doid:10652",
    "Parkinson's disease": "doid:14330",
    "colorectal cancer": "doid:9256",
    "head and neck squamous cell carcinoma": "doid:5520",
    "wound healing": "evkg.disease:skin-wound",
    "inflammatory bowel disease": "doid:0050589",
    "fracture": "mondo:0005315",
    "lung injury": "mesh:D055370",
}


def _entry(
    curie: str, *, xrefs: tuple[str, ...] = (), parents: tuple[str, ...] = ()
) -> LexiconEntry:
    return LexiconEntry(
        curie,
        EntityKind.DISEASE,
        curie,
        xrefs=xrefs,
        attributes=tuple(("parent", p) for p in parents),
    )


def test_cross_references_merge_one_to_one_only() -> None:
    lexicon = Lexicon.from_entries(
        [
            _entry("doid:1", parents=("doid:9",)),
            _entry("doid:2", xrefs=("mesh:D000001",)),  # a broad heading two DO terms cite
            _entry("doid:3", xrefs=("mesh:D000001",)),
            _entry("doid:9"),
            _entry("mondo:0000001", xrefs=("doid:1",), parents=("mondo:0000009",)),
            _entry("mondo:0000009", xrefs=("doid:4",)),
            _entry("doid:4"),
            _entry("mesh:D000001"),
        ]
    )
    identity = DiseaseIdentity(lexicon)
    assert identity.canonical("mondo:0000001") == "doid:1"
    assert identity.members("doid:1") == ("doid:1", "mondo:0000001")
    # both hierarchies lift to the identity: DO's parent and MONDO's (doid:4's identity)
    assert identity.parents("doid:1") == {"doid:9", "doid:4"}
    # the MeSH heading joins the first DO term only; the two DO terms never fuse
    assert identity.canonical("doid:3") == "doid:3"
    assert identity.canonical("doid:2") != identity.canonical("doid:3")
    assert "doid:1" in identity.descendants("doid:4")


def test_of_several_cross_references_the_one_of_the_same_name_merges() -> None:
    def named(curie: str, label: str, xrefs: tuple[str, ...] = ()) -> LexiconEntry:
        return LexiconEntry(curie, EntityKind.DISEASE, label, xrefs=xrefs)

    lexicon = Lexicon.from_entries(
        [
            named("mondo:0006733", "dry eye syndrome", ("doid:10140", "doid:12895")),
            named("doid:10140", "dry eye syndrome"),
            named("doid:12895", "keratoconjunctivitis sicca"),
            named("mondo:0000002", "eye disease", ("doid:5614", "doid:5615")),
            named("doid:5614", "eye disorder"),
            named("doid:5615", "ocular disease"),
        ]
    )
    identity = DiseaseIdentity(lexicon)
    assert identity.canonical("mondo:0006733") == "doid:10140"
    assert identity.canonical("doid:12895") == "doid:12895"
    # neither cross-reference has the entry's name: none merges
    assert identity.canonical("mondo:0000002") == "mondo:0000002"


def test_every_local_disease_term_has_a_parent() -> None:
    vocabulary = load_vocabulary()
    identity = vocabulary.diseases
    orphans = [
        entry.curie
        for entry in vocabulary.lexicon.of_kind(EntityKind.DISEASE)
        if entry.curie.startswith("evkg.disease:") and not identity.parents(entry.curie)
    ]
    assert orphans == []


def test_every_disease_with_claims_rolls_up_to_its_ancestors(curated_store: SqlStore) -> None:
    """A parent's answer includes its children's claims, in the store as in the lexicon."""
    identity = load_vocabulary().diseases
    diseases = {
        c.claim.context.disease
        for c in curated_store.claims(ClaimFilter())
        if c.claim.context.disease
    }
    unreachable = []
    for disease in sorted(diseases):
        for ancestor in identity.ancestors(disease):
            if disease not in curated_store.descendants(ancestor):
                unreachable.append((disease, ancestor))
    assert unreachable == []


@pytest.mark.parametrize(
    ("parent", "child"),
    [
        ("heart disease", "myocardial infarction"),
        ("kidney disease", "acute kidney injury"),
        ("kidney injury", "acute kidney injury"),
        ("stroke", "ischemic stroke"),
        ("liver disease", "liver injury"),
        ("liver disease", "liver fibrosis"),
        ("head and neck cancer", "oral cavity cancer"),
        ("head and neck cancer", "head and neck squamous cell carcinoma"),
    ],
)
def test_a_parent_answer_includes_its_children(
    curated_knowledge: Knowledge, parent: str, child: str
) -> None:
    above = curated_knowledge.disease_complete(parent)
    below = curated_knowledge.disease_complete(child)
    assert below.strategies
    assert {s.key for s in below.strategies} <= {s.key for s in above.strategies}
    labels = Labels(curated_knowledge)  # the bounded answer names the same diseases
    bounded = disease_answer(curated_knowledge, labels, parent).included
    assert set(disease_answer(curated_knowledge, labels, child).included) <= set(bounded)


def test_gvhd_includes_acute_and_chronic_gvhd(curated_knowledge: Knowledge) -> None:
    included = set(disease_answer(curated_knowledge, Labels(curated_knowledge), "GvHD").included)
    assert {"mondo:0020546", "mondo:0020547"} & included


@pytest.mark.parametrize(("phrase", "expected"), sorted(PHRASES.items()))
def test_phrases_resolve_to_their_identity(
    curated_knowledge: Knowledge, phrase: str, expected: str
) -> None:
    assert curated_knowledge.disease_match(phrase).curie == expected


@pytest.mark.reference_data
def test_answers_are_the_same_with_the_full_vocabularies(
    curated_store: SqlStore, curated_knowledge: Knowledge, data_dir: Path
) -> None:
    full = KnowledgeService(curated_store, load_vocabulary(data_dir))
    compact_labels, full_labels = Labels(curated_knowledge), Labels(full)
    for phrase, expected in PHRASES.items():
        assert full.disease_match(phrase).curie == expected, phrase
        a = disease_answer(curated_knowledge, compact_labels, phrase)
        b = disease_answer(full, full_labels, phrase)
        assert [s.outcome_claims for s in a.strategies] == [s.outcome_claims for s in b.strategies]
        assert a.included == b.included


def test_unknown_disease_suggests_diseases_with_evidence_first(
    curated_knowledge: Knowledge,
) -> None:
    with pytest.raises(UnknownNameError) as raised:
        curated_knowledge.disease_match("kidny injurie")
    assert raised.value.suggestions
    first = raised.value.suggestions[0].curie
    assert curated_knowledge.store.diseases_with_claims(first)


@pytest.mark.reference_data
def test_a_disease_without_claims_says_where_the_nearest_evidence_is(
    curated_store: SqlStore, data_dir: Path
) -> None:
    full = KnowledgeService(curated_store, load_vocabulary(data_dir))
    answer = disease_answer(full, Labels(full), "nephrolithiasis")
    assert not answer.included
    assert not answer.strategies
    assert answer.nearest_evidence
    assert "doid:557" in [near.disease for near in answer.nearest_evidence]  # kidney disease


def _stored(
    subject: str, level: EvidenceLevel, reference: str, predicate: str = "treats"
) -> StoredClaim:
    claim = Claim(
        subject=subject,
        predicate=predicate,
        object="doid:3021",
        context=Context(disease="doid:3021"),
    )
    evidence = Evidence(
        claim_hash=claim.hash,
        reference=reference,
        quote=f"{subject} {predicate} AKI in {reference}",
        method=EvidenceMethod.CURATED,
        level=level,
        confidence=0.9,
    )
    primary = 0 if level == EvidenceLevel.REVIEW_STATEMENT else 1
    return StoredClaim(claim.hash, claim, (evidence,), (), primary, level.value, 0.9, 2020)


def test_reviews_never_count_as_studies_nor_change_a_primary_direction() -> None:
    agent = "evkg.source:bm-msc"
    claims = [
        _stored(agent, EvidenceLevel.IN_VIVO, "pubmed:1"),
        _stored(agent, EvidenceLevel.REVIEW_STATEMENT, "evkg.ref:review-a", "worsens"),
        _stored(agent, EvidenceLevel.REVIEW_STATEMENT, "evkg.ref:review-b", "worsens"),
        _stored("evkg.source:uc-msc", EvidenceLevel.REVIEW_STATEMENT, "evkg.ref:review-a"),
    ]
    strategies = {s.key.agent: s for s in rank_strategies(claims, [])}
    primary = strategies[agent]
    assert primary.n_studies == 1
    assert primary.direction.value == "beneficial"  # two review sentences do not outvote it
    assert set(primary.reviews) == {"evkg.ref:review-a", "evkg.ref:review-b"}
    assert "single study: not replicated" in primary.gaps
    review_only = strategies["evkg.source:uc-msc"]
    assert review_only.n_studies == 0
    assert review_only.tier == "review statement only"
    assert rank_strategies(claims, [])[0].key.agent == agent


def test_conditioned_medium_is_set_apart_from_ev_strategies(curated_knowledge: Knowledge) -> None:
    answer = disease_answer(curated_knowledge, Labels(curated_knowledge), "chronic kidney disease")
    non_ev = [s for s in answer.strategies if not s.is_ev]
    assert non_ev
    assert all("evkg.mod:conditioned-medium" in s.modifications for s in non_ev)
    assert max(s.rank for s in answer.strategies if s.is_ev) < min(s.rank for s in non_ev)


def test_genes_named_in_pathway_phrases_get_gene_level_edges(curated_store: SqlStore) -> None:
    tlr4 = curated_store.claims(ClaimFilter(cargo=("hgnc:11850",)))
    review = [c for c in tlr4 if c.claim.predicate.value == "regulates_down"]
    assert any(c.claim.subject == "evkg.source:msc" for c in review)  # "inhibits TLR4 signalling"
    beside = curated_store.claims(ClaimFilter(pathway="go:0034142"))
    assert {c.evidence[0].quote for c in beside} & {e.quote for c in review for e in c.evidence}


def test_circrna_sponge_edges(curated_store: SqlStore) -> None:
    found = curated_store.claims(ClaimFilter(cargo=("evkg.cargo:circrtn4",)))
    assert any(
        c.claim.predicate.value == "sponges" and c.claim.object.startswith("mirbase.mature:")
        for c in found
    )


def test_the_identity_is_read_from_the_cache_as_it_was_built(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A later process reads the merged identities from ``cache_dir`` (building them is
    most of a warm CLI query with the full vocabularies) and answers exactly the same."""
    from evkg.vocab import Vocabulary
    from evkg.vocab.compact import compact_lexicon

    built = Vocabulary(compact_lexicon(), "cache-test", cache_dir=tmp_path).diseases
    assert list(tmp_path.glob("diseases-v*.pickle"))

    def no_build(*_args: object, **_kwargs: object) -> None:
        raise AssertionError("built again instead of read from the cache")

    monkeypatch.setattr(DiseaseIdentity, "__init__", no_build)
    read = Vocabulary(compact_lexicon(), "cache-test", cache_dir=tmp_path).diseases
    assert read.to_payload() == built.to_payload()
    assert read.descendants("doid:7148") == built.descendants("doid:7148")
    other = tmp_path / "other"  # another vocabulary never reads this one's identities
    with pytest.raises(AssertionError, match="built again"):
        _ = Vocabulary(compact_lexicon(), "another", cache_dir=other).diseases
