"""Calibrated indications: random profiles of the same make-up, p-values, the order they give."""

from __future__ import annotations

import numpy as np
import pytest

from evkg.analysis import AnalysisResources, AnalysisSettings, analyse_profile
from evkg.analysis.calibration import DrawPools, calibrate_indications, random_profiles
from evkg.analysis.indications import Indication
from evkg.analysis.profile import CargoProfile, ProfileItem
from evkg.analysis.targets import TargetIndex
from evkg.model import Claim, Context, Evidence, EvidenceLevel, EvidenceMethod, Predicate
from evkg.store import StoredClaim

COMMON = "doid:0000001"  # reached by most miRNAs: a well-studied disease
SPECIFIC = "doid:0000002"  # reached by the profile's first miRNA only


def _mirna(n: int) -> str:
    return f"mirbase.mature:MIMAT{n:07d}"


def _index(n: int = 60) -> TargetIndex:
    """``n`` human miRNAs; miRNA i has i % 12 + 1 strong targets (a spread of burdens)."""
    by_mirna = {
        _mirna(i): tuple(
            (f"hgnc:{1000 + (i * 7 + t) % 400}", "strong", ("1",), None) for t in range(i % 12 + 1)
        )
        for i in range(n)
    }
    labels = {_mirna(i): f"hsa-miR-{9000 + i}" for i in range(n)}
    return TargetIndex("test", by_mirna, labels=labels)


def _stored(claim: Claim, reference: str) -> StoredClaim:
    evidence = Evidence(
        claim_hash=claim.hash,
        reference=reference,
        quote="test",
        method=EvidenceMethod.CURATED,
        level=EvidenceLevel.IN_VIVO,
        confidence=0.9,
    )
    return StoredClaim(claim.hash, claim, (evidence,), (), 1, "in_vivo", 0.9, 2020)


def _treats(subject: str, disease: str, reference: str) -> StoredClaim:
    claim = Claim(
        subject=subject,
        predicate=Predicate.TREATS,
        object=disease,
        context=Context(disease=disease),
    )
    return _stored(claim, reference)


def _profile(*numbers: int) -> CargoProfile:
    items = tuple(
        ProfileItem(_mirna(n), f"hsa-miR-{9000 + n}", "mirna", 1.0 / len(numbers), str(n))
        for n in numbers
    )
    return CargoProfile("test", "hsa", items)


def test_random_profiles_keep_size_burden_and_abundance() -> None:
    index = _index()
    pools = DrawPools.build(index, ["hgnc:1"], species="hsa", tiers=("strong",), n_bins=4)
    profile = _profile(0, 5, 11)
    drawn = random_profiles(profile, pools, draws=50, seed=3)
    assert len(drawn) == 50
    assert drawn == random_profiles(profile, pools, draws=50, seed=3)  # seeded
    assert drawn != random_profiles(profile, pools, draws=50, seed=4)
    for random_profile in drawn:
        assert [i.abundance for i in random_profile.items] == [i.abundance for i in profile.items]
        chosen = [i.curie for i in random_profile.items]
        assert len(set(chosen)) == len(chosen)
        for original, replacement in zip(profile.items, random_profile.items, strict=True):
            assert pools.mirna_bin[replacement.curie] == pools.mirna_bin[original.curie]
    # the draws vary: more than a handful of distinct miRNAs fill each slot
    assert len({p.items[0].curie for p in drawn}) > 5


def test_same_species_pool_unless_too_small() -> None:
    index = _index()
    mixed = {**index.labels, _mirna(99): "mmu-miR-1"}
    by_mirna = {**index.by_mirna, _mirna(99): (("hgnc:1", "strong", (), None),)}
    pools = DrawPools.build(
        TargetIndex("t", by_mirna, labels=mixed), [], species="hsa", tiers=("strong",)
    )
    assert _mirna(99) not in pools.mirna_bin  # 60 human miRNAs are enough
    few = DrawPools.build(
        TargetIndex("t", by_mirna, labels=mixed), [], species="mmu", tiers=("strong",)
    )
    assert _mirna(99) in few.mirna_bin  # one mouse miRNA is not: every species is used


def _indication(disease: str, score: float) -> Indication:
    return Indication(disease, disease, score, score, 0.0, 1, 0, 1, ())


def test_p_values_from_the_draws_and_the_order_they_give() -> None:
    indications = [_indication("a", 5.0), _indication("b", 1.0), _indication("c", -1.0)]
    observed = {"a": 5.0, "b": 1.0, "c": -1.0}
    # "a" scores 5 or more in half of the 99 draws; "b" is never reached at random
    null = [{"a": 6.0 if i % 2 else 4.0} for i in range(99)]
    ranked = calibrate_indications(indications, observed, null)
    by_disease = {i.disease: i for i in ranked}
    assert by_disease["b"].null_p == pytest.approx(1 / 100)
    assert by_disease["a"].null_p == pytest.approx((1 + 49) / 100)
    assert by_disease["c"].null_p == pytest.approx(1.0)  # harmful: every draw scores 0 ≥ -1
    assert by_disease["a"].null_mean == pytest.approx(
        np.mean([6.0 if i % 2 else 4.0 for i in range(99)])
    )
    assert [i.disease for i in ranked] == ["b", "a", "c"]
    assert all(i.null_q is not None and i.null_q >= i.null_p for i in ranked)
    assert calibrate_indications(indications, observed, []) == indications  # no draws, no change


def test_a_well_studied_disease_no_longer_outranks_a_specific_match() -> None:
    index = _index(200)
    claims = [_treats(_mirna(i), COMMON, f"pubmed:{1000 + i}") for i in range(0, 200, 2)]
    claims.append(_treats(_mirna(0), SPECIFIC, "pubmed:999"))
    profile = _profile(0, 2, 4)  # three miRNAs with evidence for COMMON, one also for SPECIFIC
    resources = AnalysisResources(genes=None, targets=index)
    raw = analyse_profile(
        profile, resources, claims, settings=AnalysisSettings(tiers=("strong",), indication_draws=0)
    )
    assert [i.disease for i in raw.indications] == [COMMON, SPECIFIC]
    assert raw.calibration is None
    calibrated = analyse_profile(
        profile,
        resources,
        claims,
        settings=AnalysisSettings(tiers=("strong",), indication_draws=300, bins=4),
    )
    assert [i.disease for i in calibrated.indications] == [SPECIFIC, COMMON]
    specific, common = calibrated.indications
    assert specific.null_p is not None
    assert common.null_p is not None
    assert specific.null_p < 0.05 < common.null_p
    assert specific.score == raw.indications[1].score  # the raw figure stays beside it
    assert calibrated.calibration is not None
    assert calibrated.calibration.draws == 300
    assert calibrated.calibration.mirna_pool == 200


def test_no_calibration_without_anything_to_draw() -> None:
    claims = [_treats(_mirna(0), SPECIFIC, "pubmed:1")]
    result = analyse_profile(_profile(0), AnalysisResources(genes=None), claims)
    assert result.calibration is None
    assert result.indications[0].null_p is None
    assert any("not calibrated" in note for note in result.notes)


def _inhibits(process: str, disease: str, reference: str) -> StoredClaim:
    claim = Claim(
        subject="evkg.source:bm-msc",
        predicate=Predicate.INHIBITS,
        object=process,
        context=Context(disease=disease),
    )
    return _stored(claim, reference)


def test_broad_processes_support_a_disease_from_the_profiles_own_targets() -> None:
    from evkg.analysis.enrichment import collection_from_sets
    from evkg.analysis.indications import ProcessSets, rank_indications
    from evkg.analysis.targets import map_targets

    universe = [f"hgnc:{1000 + i}" for i in range(100)]
    position = {g: i for i, g in enumerate(universe)}
    broad = ("go:0006915", "apoptotic process", universe[:40])  # half the annotated genes
    other = ("go:0001525", "angiogenesis", universe[60:100])
    collection = collection_from_sets("GO BP", [broad, other], position, universe)
    processes = ProcessSets.from_collections([collection], ["go:0006915", "go:0001525"])
    assert processes.share["go:0006915"] == pytest.approx(40 / 80)
    assert len(processes.members["go:0006915"]) == 40
    # the miRNA's four targets: three inside "apoptotic process", one in angiogenesis
    targets_of = (universe[0], universe[1], universe[2], universe[70])
    index = TargetIndex(
        "t", {_mirna(1): tuple((g, "strong", (), None) for g in targets_of)}, labels={}
    )
    profile = _profile(1)
    targets = map_targets(profile, index=index, tiers=("strong",))
    claims = [
        _inhibits("go:0006915", SPECIFIC, "pubmed:1"),
        _inhibits("go:0006915", SPECIFIC, "pubmed:2"),  # same process, same disease: once
        _inhibits("go:0001525", COMMON, "pubmed:3"),  # one target only: no support
    ]
    ranked = rank_indications(profile, claims, targets, processes=processes)
    assert [i.disease for i in ranked] == [SPECIFIC]
    (part,) = ranked[0].contributions
    assert part.kind == "process"
    assert part.references == ("pubmed:1", "pubmed:2")
    ratio = 0.75 / 0.5  # three of four targets where half the annotated genes lie
    assert part.weight == pytest.approx(0.5 * np.log2(ratio) / 2 * 4 / 6, abs=1e-3)
    assert "3 of the profile's targets lie in" in part.explanation
    # without the gene sets, broad processes are only reached through enrichment q-values
    assert rank_indications(profile, claims, targets) == []
