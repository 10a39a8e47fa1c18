"""Enrichment statistics (hypergeometric tail, BH, batched ORA), the miRNA-aware null, and
the readers of gene-set and interaction files."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from scipy import sparse, stats

from evkg.analysis.enrichment import (
    benjamini_hochberg,
    collection_from_sets,
    hypergeom_sf,
    ora,
    ora_batch,
)
from evkg.analysis.null import mirna_null
from evkg.analysis.targets import GeneIndex, build_target_index
from evkg.sources.genesets import read_gmt, read_go_bp
from evkg.sources.mirtarbase import read_mirtarbase
from evkg.vocab import load_vocabulary
from evkg.vocab.reference_files import ReferenceDataError

FIXTURES = Path(__file__).parent / "fixtures" / "cargo"


def test_hypergeom_matches_scipy_to_1e_9() -> None:
    rng = np.random.default_rng(7)
    population = rng.integers(50, 20_000, 4000)
    successes = np.minimum(rng.integers(1, 800, 4000), population)
    draws = np.minimum(rng.integers(1, 3000, 4000), population)
    k = rng.integers(0, np.minimum(successes, draws) + 2)
    ours = hypergeom_sf(k, population, successes, draws)
    reference = stats.hypergeom.sf(k - 1, population, successes, draws)
    comparable = reference > 1e-300
    relative = np.abs(ours[comparable] - reference[comparable]) / reference[comparable]
    assert relative.max() < 1e-9
    assert np.all(ours[~comparable] < 1e-290)


def test_hypergeom_edges() -> None:
    # k = 0 is certain; k above min(K, n) impossible; forced overlap (n + K > N) certain below
    assert hypergeom_sf([0, 6, 5], 20, 5, 10).tolist() == [
        1.0,
        0.0,
        pytest.approx(0.016253869969040248),
    ]
    assert float(hypergeom_sf(3, 10, 8, 5)) == 1.0  # at least 3 of 5 draws must be successes


def test_benjamini_hochberg_matches_scipy() -> None:
    p = np.random.default_rng(3).random(500) ** 3
    assert np.allclose(benjamini_hochberg(p), stats.false_discovery_control(p))
    assert benjamini_hochberg([]).size == 0


def _random_collection(rng: np.random.Generator, genes: int, sets: int):
    universe = [f"g{i}" for i in range(genes)]
    index = {g: i for i, g in enumerate(universe)}
    members = [
        (
            f"s{i}",
            f"set {i}",
            [universe[j] for j in rng.choice(genes, rng.integers(3, 60), replace=False)],
        )
        for i in range(sets)
    ]
    return collection_from_sets("test", members, index, universe), members, universe


@pytest.mark.parametrize("chunk_lists", [2, 64])
def test_ora_batch_equals_a_plain_loop_with_background(chunk_lists: int) -> None:
    rng = np.random.default_rng(11)
    collection, members, universe = _random_collection(rng, 400, 80)
    background = rng.random(400) < 0.8
    queries = rng.random((5, 400)) < 0.1
    batch = ora_batch(
        collection, sparse.csr_matrix(queries), background, min_size=3, chunk_lists=chunk_lists
    )
    bg = {universe[i] for i in np.nonzero(background)[0]}
    for column in range(5):
        query = {universe[i] for i in np.nonzero(queries[column])[0]} & bg
        for row, set_row in enumerate(batch.set_index):
            genes = set(members[set_row][2]) & bg
            hits = len(query & genes)
            assert batch.k[row, column] == hits
            if hits:
                expected = stats.hypergeom.sf(hits - 1, len(bg), len(genes), len(query))
                assert batch.p[row, column] == pytest.approx(expected, rel=1e-9)
            else:
                assert not batch.tested[row, column]
        tested = batch.tested[:, column]
        assert np.allclose(batch.q[tested, column], benjamini_hochberg(batch.p[tested, column]))


def test_ora_batch_results_do_not_depend_on_the_chunk() -> None:
    rng = np.random.default_rng(5)
    collection, _, _ = _random_collection(rng, 300, 60)
    queries = sparse.csr_matrix(rng.random((150, 300)) < 0.08)
    whole = ora_batch(collection, queries, min_size=3, chunk_lists=150)
    assert whole.tested.any()
    for chunk in (1, 7, 64, 1000):
        part = ora_batch(collection, queries, min_size=3, chunk_lists=chunk)
        assert np.array_equal(part.k, whole.k)
        assert np.array_equal(part.tested, whole.tested)
        assert np.array_equal(part.p, whole.p)
        assert np.array_equal(part.q, whole.q)
        assert np.array_equal(part.query_size, whole.query_size)
    with pytest.raises(ValueError, match="chunk_lists"):
        ora_batch(collection, queries, chunk_lists=0)


def test_ora_single_list_reports_overlap_genes() -> None:
    universe = [f"g{i}" for i in range(100)]
    index = {g: i for i, g in enumerate(universe)}
    sets = [("planted", "planted", universe[:10]), ("other", "other", universe[50:70])]
    collection = collection_from_sets("c", sets, index, universe)
    hits = ora(collection, universe[:8] + universe[90:92], min_size=1, max_size=None)
    assert hits[0].set_id == "planted"
    assert hits[0].genes == tuple(sorted(universe[:8]))
    assert hits[0].k == 8
    assert hits[0].background_size == 30  # default background: genes in some set
    assert hits[0].p == pytest.approx(stats.hypergeom.sf(7, 30, 10, 8), rel=1e-9)
    assert [h.set_id for h in hits] == ["planted"]  # 'other' has no overlap: not tested


def _planted_null(seed: int):
    rng = np.random.default_rng(seed)
    genes, n_sets = 300, 40
    rows = np.repeat(np.arange(n_sets), 20)
    cols = np.concatenate([rng.choice(genes, 20, replace=False) for _ in range(n_sets)])
    matrix = sparse.csr_matrix(
        (np.ones(rows.size, dtype=bool), (rows, cols)), shape=(n_sets, genes)
    )
    planted = matrix[0].indices
    targets = {f"m{i}": rng.choice(genes, rng.integers(5, 40), replace=False) for i in range(200)}
    for i in range(5):  # five profile miRNAs hit the planted set hard
        targets[f"m{i}"] = np.concatenate([planted[:12], rng.choice(genes, 10, replace=False)])
    return targets, matrix


def test_null_finds_a_planted_set_and_is_reproducible() -> None:
    targets, matrix = _planted_null(5)
    profile = [f"m{i}" for i in range(5)] + ["m100", "m101"]
    first = mirna_null(targets, profile, matrix, draws=2000, seed=1, workers=2, chunk=300)
    again = mirna_null(targets, profile, matrix, draws=2000, seed=1, workers=1)
    assert np.array_equal(first.p, again.p)
    assert first.p[0] == pytest.approx(1 / 2001)
    assert first.z[0] > 3
    other = mirna_null(targets, profile, matrix, draws=2000, seed=2)
    assert not np.array_equal(first.p, other.p)
    assert np.median(first.p[1:][first.tested[1:]]) > 0.2


def test_null_excludes_miRNAs_without_targets() -> None:
    targets, matrix = _planted_null(6)
    targets["empty"] = np.array([], dtype=np.int64)
    result = mirna_null(targets, ["m0", "empty", "unknown"], matrix, draws=200)
    assert result.profile_mirnas == ("m0",)
    assert result.excluded == ("empty", "unknown")
    assert result.universe == 200


def test_gmt_readers_reactome_and_wikipathways() -> None:
    reactome = read_gmt(FIXTURES / "reactome_small.gmt", "Reactome")
    assert reactome.id_type == "symbol"
    assert reactome.sets[0].id == "reactome:R-HSA-449147"
    assert reactome.sets[0].genes == ("IRAK1", "TRAF6", "IL6", "STAT3")
    wikipathways = read_gmt(FIXTURES / "wikipathways_small.gmt", "WikiPathways")
    assert wikipathways.id_type == "entrez"
    assert [(s.id, s.name) for s in wikipathways.sets] == [
        ("wikipathways:WP254", "Apoptosis"), ("wikipathways:WP364", "IL-6 signaling")
    ]  # fmt: skip


def test_gmt_reader_rejects_malformed_lines(tmp_path: Path) -> None:
    path = tmp_path / "bad.gmt"
    path.write_text("only a name\n")
    with pytest.raises(ReferenceDataError, match="line 1: expected name, description and genes"):
        read_gmt(path, "bad")


def test_go_bp_propagates_is_a_and_part_of() -> None:
    library = read_go_bp(FIXTURES / "gene2go_small.tsv", FIXTURES / "go_small.json", min_size=1)
    sets = {s.id: set(s.genes) for s in library.sets}
    # BCL2 annotated to 'negative regulation of apoptosis', part_of apoptosis, is_a PCD
    assert sets["go:0043066"] == {"596"}
    assert sets["go:0006915"] == {"596", "836", "581", "7124"}  # TNF via the alt id
    assert sets["go:0012501"] == sets["go:0006915"]
    assert "go:0008150" not in sets  # the root is left out
    assert "go:0006954" not in sets  # IL6's only BP annotation has evidence ND
    assert "go:0005615" not in sets  # cellular component


def test_mirtarbase_tiers_and_non_functional_rows() -> None:
    table = read_mirtarbase(FIXTURES / "mirtarbase_small.csv")
    assert (table.rows, table.non_functional) == (6, 1)
    pairs = {(i.mirna, i.target): i for i in table.interactions}
    irak1 = pairs[("hsa-miR-146a-5p", "IRAK1")]
    assert irak1.tier == "strong"
    assert irak1.references == ("16885212", "22473208")
    assert pairs[("hsa-miR-21-5p", "PDCD4")].tier == "weak"
    assert pairs[("hsa-miR-146a-5p", "TRAF6")].methods == ("Microarray", "qRT-PCR, in part")
    assert ("hsa-miR-21-5p", "BCL2") not in pairs


def test_mirtarbase_header_checked(tmp_path: Path) -> None:
    path = tmp_path / "x.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ReferenceDataError, match="line 1: unexpected header"):
        read_mirtarbase(path)


def test_target_index_maps_names_to_identifiers() -> None:
    vocabulary = load_vocabulary()
    genes = GeneIndex.from_lexicon(vocabulary.lexicon)
    table = read_mirtarbase(FIXTURES / "mirtarbase_small.csv")

    def mirna(name: str) -> str | None:
        match = vocabulary.mirna(name)
        return match.curie if match else None

    index = build_target_index([table], genes, mirna)
    assert index.unmapped_mirnas == 1  # hsa-miR-9999-5p
    links = {gene: tier for gene, tier, _, _ in index.by_mirna["mirbase.mature:MIMAT0000449"]}
    irak1, traf6 = genes.by_symbol["IRAK1"], genes.by_symbol["TRAF6"]
    assert links == {irak1: "strong", traf6: "strong"}
